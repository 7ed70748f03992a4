// Reading and writing the `policies:` section of a scenario: strict parsing of every lever (unknown
// keys, types, ranges, all problems at once) and the resolved YAML of the levers.
#pragma once
#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "core/error.hpp"
#include "policy/policy_spec.hpp"

namespace imersim {

/// Parses the `policies:` map of one scenario file (`file` as shown in messages) into `into`: a lever
/// named here replaces the same lever of a base file, with defaults for the keys it does not set.
/// Every problem is appended to `diags`.
void parse_policies(const std::string& file, const YAML::Node& node, PolicySpecs& into, std::vector<Diagnostic>& diags);

/// Copies every lever present in `from` over the same lever of `into` (a file over its bases).
void merge_policies(PolicySpecs& into, const PolicySpecs& from);

/// Rules across levers (e.g. requires_registration needs the registry lever); one Diagnostic per
/// problem, located at `file`.
void check_policies(const std::string& file, const PolicySpecs& p, std::vector<Diagnostic>& diags);

/// The levers as YAML, every field resolved, starting with the line "policies:" ("policies: {}"
/// when there are none). Parsing it back yields the same PolicySpecs.
std::string policies_yaml(const PolicySpecs& p);

/// Every "lever.key" a policies section accepts, in order (for docs and tests).
std::vector<std::string> policy_keys();

}  // namespace imersim
