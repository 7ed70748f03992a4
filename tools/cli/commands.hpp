// The registry of CLI subcommands: each file in tools/cli/ adds one through register_commands().
#pragma once
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

namespace imersim::cli {

/// A subcommand's action, run after parsing; returns the process exit status.
using Action = std::function<int()>;

/// Adds every subcommand to `app`.
void register_commands(CLI::App& app);

/// Runs the action of the subcommand the user chose.
int run_selected(CLI::App& app);

/// Called by each subcommand's setup function to attach its action.
void set_action(CLI::App* sub, Action action);

/// The one definition of the repeatable `--set key=value` option (validated later by the loader
/// exactly like file values). Each use takes one KEY=VALUE, so it never swallows positionals.
void add_set_option(CLI::App* sub, std::vector<std::string>& sets, const std::string& help_suffix = {});

/// The `--from STATE` option of run and validate: start every replicate from a saved state file.
void add_from_option(CLI::App* sub, std::string& from);

/// An option's check: a finite number in [low, high] (CLI11's Range lets NaN through).
CLI::Validator finite_range(double low, double high);

// One setup function per subcommand file.
void setup_run(CLI::App& app);
void setup_check(CLI::App& app);
void setup_config(CLI::App& app);
void setup_params(CLI::App& app);
void setup_bench(CLI::App& app);
void setup_outcomes(CLI::App& app);
void setup_sweep(CLI::App& app);
void setup_merge(CLI::App& app);
void setup_sensitivity(CLI::App& app);
void setup_validate(CLI::App& app);
void setup_calibrate(CLI::App& app);
void setup_compare(CLI::App& app);

}  // namespace imersim::cli
