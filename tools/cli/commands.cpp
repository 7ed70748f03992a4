// Subcommand registry: ties each subcommand's CLI11 App to its action.
#include "commands.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include <map>

namespace imersim::cli {
namespace {
std::map<const CLI::App*, Action>& actions() {
  static std::map<const CLI::App*, Action> a;
  return a;
}
}  // namespace

void set_action(CLI::App* sub, Action action) { actions()[sub] = std::move(action); }

void add_set_option(CLI::App* sub, std::vector<std::string>& sets, const std::string& help_suffix) {
  sub->add_option("--set", sets, "Override a parameter: key=value (validated like the file); repeatable" + help_suffix)
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
}

void add_from_option(CLI::App* sub, std::string& from) {
  sub->add_option("--from", from, "Start every replicate from this state file (imersim run --save-state) instead of month 0")
      ->check(CLI::ExistingFile);
}

CLI::Validator finite_range(double low, double high) {
  return CLI::Validator(
      [low, high](std::string& text) -> std::string {
        double v = 0;
        try {
          std::size_t used = 0;
          v = std::stod(text, &used);
          if (used != text.size()) return "'" + text + "' is not a number";
        } catch (const std::exception&) {
          return "'" + text + "' is not a number";
        }
        if (!std::isfinite(v) || v < low || v > high)
          return fmt::format("{} is not a finite number in [{}, {}]", text, low, high);
        return {};
      },
      fmt::format("FINITE in [{} - {}]", low, high));
}

void register_commands(CLI::App& app) {
  setup_run(app);
  setup_check(app);
  setup_config(app);
  setup_params(app);
  setup_bench(app);
  setup_outcomes(app);
  setup_sweep(app);
  setup_merge(app);
  setup_sensitivity(app);
  setup_validate(app);
  setup_calibrate(app);
  setup_compare(app);
}

int run_selected(CLI::App& app) {
  for (auto* sub : app.get_subcommands()) {
    auto it = actions().find(sub);
    if (it != actions().end()) return it->second();
  }
  return 0;
}

}  // namespace imersim::cli
