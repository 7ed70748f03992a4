// `imersim params [--markdown]`: lists every scenario key with its default, unit and range.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "params/param_table.hpp"

namespace imersim::cli {
namespace {

/// The parameter table as aligned text columns: key, default, unit, range.
std::string params_text() {
  struct Row {
    std::string key, def, unit, range;
  };
  std::vector<Row> rows{{"KEY", "DEFAULT", "UNIT", "RANGE"}};
  for (const ParamSpec& s : param_table()) {
    std::string range = s.type == ParamType::Bool
                            ? std::string("true/false")
                            : fmt::format("[{}, {}]", format_value(s, s.min), format_value(s, s.max));
    rows.push_back({s.key, format_value(s, s.default_value), std::string(s.unit), std::move(range)});
  }
  std::size_t w_key = 0, w_def = 0, w_unit = 0;
  for (const Row& r : rows) {
    w_key = std::max(w_key, r.key.size());
    w_def = std::max(w_def, r.def.size());
    w_unit = std::max(w_unit, r.unit.size());
  }
  std::string out;
  for (const Row& r : rows) {
    std::string line = fmt::format("{:<{}}  {:>{}}  {:<{}}  {}", r.key, w_key, r.def, w_def, r.unit, w_unit, r.range);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

}  // namespace

void setup_params(CLI::App& app) {
  auto* sub = app.add_subcommand("params", "List every scenario parameter: key, default, unit and range");
  auto markdown = std::make_shared<bool>(false);
  sub->add_flag("--markdown", *markdown, "Print docs/parameters.md (the full table with descriptions and sources)");
  set_action(sub, [markdown] {
    std::fputs((*markdown ? parameters_markdown() : params_text()).c_str(), stdout);
    return 0;
  });
}

}  // namespace imersim::cli
