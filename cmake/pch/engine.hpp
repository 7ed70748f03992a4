// Precompiled for imersim_engine (IMERSIM_PCH): the third-party and standard headers most files use.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>
