// `imersim config SCENARIO.yaml [--set k=v]...`: prints the fully resolved scenario as YAML.
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "scenario/scenario.hpp"

namespace imersim::cli {

void setup_config(CLI::App& app) {
  auto* sub = app.add_subcommand("config", "Print the resolved scenario: every parameter, its value and origin");
  struct Args {
    std::string scenario;
    std::vector<std::string> sets;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("SCENARIO", args->scenario, "Scenario YAML file")->required();
  add_set_option(sub, args->sets);
  set_action(sub, [args] {
    // An InputError goes to main, which prints every problem and exits with status 2.
    std::fputs(resolved_yaml(load_scenario(args->scenario, args->sets)).c_str(), stdout);
    return 0;
  });
}

}  // namespace imersim::cli
