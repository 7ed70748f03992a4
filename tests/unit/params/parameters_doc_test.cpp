// docs/parameters.md must be exactly what `imersim params --markdown` prints.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "params/param_table.hpp"

namespace imersim {
namespace {

TEST(ParametersDoc, IsUpToDate) {
  std::ifstream in(IMERSIM_SOURCE_DIR "/docs/parameters.md", std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_TRUE(in.good() && text.str() == parameters_markdown())
      << "docs/parameters.md is stale: run `build/release/imersim params --markdown > docs/parameters.md`";
}

}  // namespace
}  // namespace imersim
