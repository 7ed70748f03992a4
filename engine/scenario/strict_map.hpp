// Strict reading of the YAML maps of input files other than scenario parameters (targets,
// calibrations, sweeps, policy levers): every key must be asked for, each value is checked for
// type and range with the same rules as parameters (money suffixes included), and every problem is
// collected with file:line:column and the dotted key, never thrown one at a time.
#pragma once
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace imersim {

/// Reads one YAML map. Ask for each allowed key with real()/integer()/boolean()/text()/node();
/// then call finish(), which reports every key that was never asked for as unknown, with the
/// closest allowed key as a hint. Duplicate keys are reported when the map is opened.
class StrictMap {
 public:
  /// `file` as shown in messages; `node` should be a map (anything else is reported, and the
  /// reader then yields nothing); `path` is the dotted prefix of its keys ("" at the top).
  StrictMap(std::string file, const YAML::Node& node, std::string path, std::vector<Diagnostic>& diags);

  [[nodiscard]] bool valid() const { return valid_; }  ///< the node was a map
  [[nodiscard]] bool has(const std::string& key);       ///< present (marks it as known)
  [[nodiscard]] std::vector<std::string> keys() const;  ///< keys in file order

  /// A real in [min, max] (money suffixes "juta"/"miliar" allowed); nullopt when absent or bad.
  std::optional<double> real(const std::string& key, double min, double max, bool required = false, bool money = false);
  /// An integer in [min, max].
  std::optional<std::int64_t> integer(const std::string& key, std::int64_t min, std::int64_t max, bool required = false);
  std::optional<bool> boolean(const std::string& key, bool required = false);
  /// A non-empty text; when `choices` is not empty it must be one of them.
  std::optional<std::string> text(const std::string& key, bool required = false,
                                  const std::vector<std::string>& choices = {});
  /// The raw node (map or list) for nested reading; nullopt when absent.
  std::optional<YAML::Node> node(const std::string& key, bool required = false);
  /// A list of reals, each in [min, max].
  std::optional<std::vector<double>> reals(const std::string& key, double min, double max, bool required = false,
                                           bool money = false);

  /// Reports a problem at `key` (or at the map when `key` is empty).
  void report(const std::string& key, std::string message, std::string hint = {});
  /// Reports a problem at a node of this file.
  void report_at(const YAML::Node& where, const std::string& key, std::string message, std::string hint = {});
  /// Dotted name of `key` under this map ("policies.insurance.premium").
  [[nodiscard]] std::string full(const std::string& key) const;
  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] std::vector<Diagnostic>& diagnostics() { return diags_; }

  /// Reports the keys never asked for. Call once, after every lookup.
  void finish();

 private:
  struct Entry {
    YAML::Node key, value;
    bool asked = false;
  };
  Entry* find(const std::string& key, bool required);
  std::string file_, path_;
  YAML::Node map_;
  std::vector<Diagnostic>& diags_;
  std::vector<std::pair<std::string, Entry>> entries_;
  std::vector<std::string> asked_;
  bool valid_ = false;
};

/// Reports into `diags` every alias (`*name`) in the YAML `text` of `file` (at most a few) and returns
/// whether there was one. imersim's files share values through `base:`, not anchors; and an alias is
/// expanded wherever it is used, so a handful of nested aliases make a tiny file enormous to walk.
/// Syntax errors are left to the loader.
bool report_yaml_aliases(const std::string& file, const std::string& text, std::vector<Diagnostic>& diags);

/// Parses a whole YAML file that must hold one map; reports invalid YAML and a non-map root into
/// `diags`. Returns a null node on failure. Throws IoError when the file cannot be read.
YAML::Node load_yaml_map_file(const std::string& path, std::vector<Diagnostic>& diags);

/// Throws InputError with `diags` when it is not empty.
void throw_if_any(std::vector<Diagnostic>& diags);

}  // namespace imersim
