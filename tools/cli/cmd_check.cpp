// `imersim check FILE... [--set k=v]...`: validates scenario files and reports every problem of each.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/error.hpp"
#include "scenario/scenario.hpp"

namespace imersim::cli {

void setup_check(CLI::App& app) {
  auto* sub = app.add_subcommand("check", "Validate scenario files; list every problem of every file (exit 2 if any)");
  struct Args {
    std::vector<std::string> files;
    std::vector<std::string> sets;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("FILE", args->files, "Scenario YAML files")->required();
  add_set_option(sub, args->sets, "; applied to every file");
  set_action(sub, [args] {
    std::size_t invalid = 0;
    for (const std::string& file : args->files) {
      try {
        const Scenario sc = load_scenario(file, args->sets);
        std::fputs(fmt::format("OK  {} ({})\n", file, sc.name).c_str(), stdout);
      } catch (const InputError& e) {
        ++invalid;
        std::fputs(fmt::format("{}\n", e.what()).c_str(), stderr);
      } catch (const Error& e) {
        ++invalid;
        std::fputs(fmt::format("{}: error: {}\n", file, e.what()).c_str(), stderr);
      }
    }
    if (invalid == 0) return 0;
    std::fputs(fmt::format("imersim check: {} of {} file(s) have problems\n", invalid, args->files.size()).c_str(),
               stderr);
    return 2;
  });
}

}  // namespace imersim::cli
