// Internals of the scenario loader shared by its .cpp files (not part of the engine's public API).
#pragma once
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "params/param_table.hpp"
#include "policy/policy_spec.hpp"

namespace imersim::scenario_detail {

/// Where something was written: file as shown to the user, 1-based line and column (0 = unknown).
struct Location {
  std::string file;
  int line = 0;
  int column = 0;
};

/// A node's position as a Location (yaml-cpp marks are 0-based).
Location location_of(const std::string& file, const YAML::Node& node);

/// A Diagnostic at `where`.
Diagnostic diagnostic_at(const Location& where, std::string key, std::string message, std::string hint = {});

/// One checked parameter value from a file or from --set.
struct Assignment {
  const ParamSpec* spec = nullptr;
  double value = 0;
  Location where;  ///< where the key was written
};

/// The outcome of reading one value for a parameter: a value, or why not.
struct ValueCheck {
  std::optional<double> value;
  std::string message;  ///< set when there is no value
  std::string hint;
};

/// Reads the text of a YAML scalar as a value of `spec` (type, money suffixes, then range).
ValueCheck check_scalar(const ParamSpec& spec, std::string_view text);

/// Checks any YAML node as a value of `spec`: maps, lists and empty values are type errors.
ValueCheck check_node(const ParamSpec& spec, const YAML::Node& node);

/// "a map", "a list", "an empty value" or "'text'": what a node holds, for "got ..." messages.
std::string describe_node(const YAML::Node& node);

/// Largest input text file read (scenario, targets, calibration, sweep, CSV design): 64 MiB.
inline constexpr std::size_t kMaxInputFileBytes = std::size_t{64} << 20;
/// The whole text of a file, or nothing with `why` set ("it is a directory", strerror, larger than
/// kMaxInputFileBytes...).
std::optional<std::string> read_text(const std::filesystem::path& path, std::string& why);

/// Hint for an unknown key: "did you mean 'x'?" or where to find the list of keys.
std::string unknown_key_hint(std::string_view key);

/// Everything one scenario file says, before it is combined with its bases.
struct ScenarioFile {
  std::string file;                        ///< the path as shown in messages
  std::optional<std::string> name;         ///< `name:`
  std::optional<std::string> description;  ///< `description:`
  std::optional<std::string> base;         ///< `base:` as written
  Location base_at;                        ///< where the `base:` value is
  std::vector<Assignment> assignments;     ///< in file order
  std::set<std::string> rejected;          ///< keys whose value was invalid
  PolicySpecs policies;                    ///< levers of `policies:` in this file
  bool parsed = false;                     ///< false when the text is not valid YAML
};

/// Parses `text` (the content of `file`) and collects its values. Appends every problem to `diags`.
ScenarioFile parse_scenario_text(const std::string& file, const std::string& text, std::vector<Diagnostic>& diags);

}  // namespace imersim::scenario_detail
