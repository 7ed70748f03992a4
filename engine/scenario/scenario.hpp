// A validated, frozen scenario: its name, where it came from, and every parameter value.
#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "params/params.hpp"
#include "policy/policy_spec.hpp"

namespace imersim {

/// Where a parameter's value was set: the file (or "--set"/"default") and line.
struct ValueOrigin {
  std::string file;
  int line = 0;
};

/// A scenario after loading, `base:` resolution, `--set` overrides and validation. Immutable once
/// built: a simulation copies what it needs and never writes back (parameters are not state).
struct Scenario {
  std::string name;                             ///< `name:` in the file, else the file stem
  std::string description;                      ///< `description:` in the file (may be empty)
  std::filesystem::path path;                   ///< the file loaded
  std::vector<std::filesystem::path> includes;  ///< `base:` chain, outermost last
  Params params;                                ///< every parameter, defaults filled in
  std::map<std::string, ValueOrigin> origins;   ///< key -> where it was set (absent = default)
  PolicySpecs policies;                         ///< `policies:` levers (a file's lever replaces its base's)
};

/// Loads and validates `path`. `overrides` are "key=value" strings from `--set`, checked like file
/// values. Throws InputError listing every problem of every file at once; never returns a half-valid
/// scenario.
Scenario load_scenario(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

/// The fully resolved scenario as YAML: every key with its value, grouped by section, with a comment
/// giving the origin of non-default values. Loading this text again yields the same Params.
std::string resolved_yaml(const Scenario& scenario);

}  // namespace imersim
