// resolved_yaml: a loaded scenario written back as YAML, every key with its value and origin.
#include <yaml-cpp/yaml.h>
#include <fmt/format.h>

#include <algorithm>

#include "params/param_table.hpp"
#include "scenario/policies.hpp"
#include "scenario/scenario.hpp"

namespace imersim {
namespace {

/// Keys arranged as nested sections, in the order the parameter table first names them.
struct KeyTree {
  std::string name;
  const ParamSpec* spec = nullptr;  ///< set on leaves
  std::vector<KeyTree> children;

  void insert(std::string_view rest, const ParamSpec* leaf) {
    const auto dot = rest.find('.');
    const std::string head(rest.substr(0, dot));
    auto child = std::find_if(children.begin(), children.end(), [&](const KeyTree& c) { return c.name == head; });
    if (child == children.end()) {
      children.push_back(KeyTree{head, nullptr, {}});
      child = children.end() - 1;
    }
    if (dot == std::string_view::npos)
      child->spec = leaf;
    else
      child->insert(rest.substr(dot + 1), leaf);
  }
};

/// Comments start at this column when the value leaves room.
constexpr std::size_t kCommentColumn = 48;

std::string quoted(const std::string& text) {
  YAML::Emitter out;
  out << YAML::DoubleQuoted << text;
  return out.c_str();
}

void emit(const KeyTree& tree, const Scenario& sc, int depth, std::string& out) {
  for (const KeyTree& child : tree.children) {
    std::string line = std::string(static_cast<std::size_t>(2 * depth), ' ') + child.name + ":";
    if (!child.spec) {
      out += line + "\n";
      emit(child, sc, depth + 1, out);
      continue;
    }
    line += " " + format_value(*child.spec, child.spec->get(sc.params));
    if (auto origin = sc.origins.find(child.spec->key); origin != sc.origins.end()) {
      line.resize(std::max(line.size() + 2, kCommentColumn), ' ');
      line += origin->second.file == "--set" ? std::string("# --set")
                                             : fmt::format("# from {}:{}", origin->second.file, origin->second.line);
    }
    out += line + "\n";
  }
}

}  // namespace

std::string resolved_yaml(const Scenario& sc) {
  std::string out = "# Resolved scenario (imersim config): every parameter with its value.\n";
  out += fmt::format("# Loaded from {}", sc.path.string());
  for (const auto& base : sc.includes) out += fmt::format(", base {}", base.string());
  out += ". Values without a comment are defaults.\n";
  out += "name: " + quoted(sc.name) + "\n";
  out += "description: " + quoted(sc.description) + "\n";
  KeyTree root;
  for (const ParamSpec& spec : param_table()) root.insert(spec.key, &spec);
  emit(root, sc, 0, out);
  out += policies_yaml(sc.policies);
  return out;
}

}  // namespace imersim
