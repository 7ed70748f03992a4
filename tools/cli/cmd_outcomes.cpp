// `imersim outcomes [--markdown]`: the named scalar outcomes that validate, compare, sweep and
// calibrate report (one registry: engine/analysis/outcomes.hpp).
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "analysis/outcomes.hpp"
#include "commands.hpp"

namespace imersim::cli {

void setup_outcomes(CLI::App& app) {
  auto* sub = app.add_subcommand("outcomes", "List the scalar outcomes (names for sweep files, targets and compare)");
  auto markdown = std::make_shared<bool>(false);
  sub->add_flag("--markdown", *markdown, "Print a Markdown table");
  set_action(sub, [markdown] {
    std::string out;
    if (*markdown) out += "| outcome | unit | meaning |\n|---|---|---|\n";
    for (const auto& s : outcome_specs()) {
      out += *markdown ? fmt::format("| `{}` | {} | {} |\n", s.name, s.unit, s.description)
                       : fmt::format("{:<28} {:<10} {}\n", s.name, s.unit, s.description);
    }
    std::fputs(out.c_str(), stdout);
    return 0;
  });
}

}  // namespace imersim::cli
