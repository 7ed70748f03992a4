// The five revenue stages of an Imer (DOMAIN §3) and their names.
#pragma once
#include <array>
#include <cstdint>
#include <string_view>

namespace imersim {

inline constexpr int kStages = 5;

/// Life stage by average monthly revenue (R23 §7.2).
enum class Stage : std::uint8_t { HitAndRunner = 0, Survivor = 1, Pioneer = 2, Rising = 3, Challenger = 4 };

/// Snake-case stage names used in keys, HDF5 attributes and tables.
inline constexpr std::array<std::string_view, kStages> kStageKeys = {"hit_and_runner", "survivor", "pioneer",
                                                                     "rising", "challenger"};
/// Human-readable stage names.
inline constexpr std::array<std::string_view, kStages> kStageNames = {"Hit-and-Runner", "Survivor", "Pioneer",
                                                                      "Rising", "Challenger"};
/// Observed cross-sectional shares, R23 Fig. 5 (percent of all Imers).
inline constexpr std::array<double, kStages> kObservedSharePercent = {95.0, 4.5, 0.4, 0.06, 0.007};

/// Why an agent left the population.
enum class ExitCause : std::uint8_t { Bankruptcy = 0, Discouraged = 1, Other = 2 };
inline constexpr int kExitCauses = 3;
/// "other": left for reasons outside the model (exit.other_prob).
inline constexpr std::array<std::string_view, kExitCauses> kExitCauseKeys = {"bankruptcy", "discouraged", "other"};

}  // namespace imersim
