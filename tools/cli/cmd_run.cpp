// `imersim run SCENARIO.yaml`: simulate the replicates, write HDF5 atomically, print the stage table.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "commands.hpp"
#include "core/output_path.hpp"
#include "core/error.hpp"
#include "output/hdf5_writer.hpp"
#include "scenario/policies.hpp"
#include "model/state_io.hpp"
#include "progress.hpp"
#include "run_common.hpp"

namespace imersim::cli {
namespace {
/// The month to save at: --save-at, else the end of the burn-in; the recorder has nothing to carry
/// only up to there, so later months are refused.
std::int64_t save_month(const Scenario& sc, const std::optional<std::int64_t>& at) {
  const std::int64_t burn_in = sc.params.run_burn_in_months;
  const std::int64_t m = at.value_or(burn_in);
  if (m < 1 || m > burn_in)
    throw InputError("--save-at", fmt::format("--save-at must be between 1 and run.burn_in_months ({}), got {}", burn_in, m),
                     "a state is saved before the first reported month; raise run.burn_in_months to save later");
  return m;
}
}  // namespace

void setup_run(CLI::App& app) {
  auto* sub = app.add_subcommand("run", "Run a scenario and write its results to HDF5");
  struct Args {
    std::string scenario, out;
    bool snapshot = false;
    std::string save_state, from;
    std::optional<std::int64_t> save_at;
    RunOptions run;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("SCENARIO", args->scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  sub->add_option("--out,-o", args->out, "Output HDF5 file (default outputs/<scenario-name>.h5)");
  sub->add_flag("--snapshot", args->snapshot, "Also write a per-agent snapshot of the final month");
  sub->add_option("--save-state", args->save_state, "Save every replicate's full state to this HDF5 file");
  sub->add_option("--save-at", args->save_at, "Month (completed, 1..run.burn_in_months) to save at (default: end of burn-in)");
  add_from_option(sub, args->from);
  args->run.add_to(sub);
  set_action(sub, [args] {
    auto overrides = args->run.overrides();
    if (args->snapshot) overrides.push_back("run.snapshot=true");
    const Scenario sc = load_scenario(args->scenario, overrides);  // InputError -> exit 2, nothing written
    if (args->out.empty()) check_name_for_path(sc.name, sc.path.string(), "name");
    const std::filesystem::path out = args->out.empty() ? std::filesystem::path("outputs") / (sc.name + ".h5")
                                                        : std::filesystem::path(args->out);
    if (args->save_at && args->save_state.empty())
      throw InputError("--save-at", "--save-at is given without --save-state", "add --save-state FILE, or drop --save-at");
    // Before anything is simulated. A new state may replace the one it continues (--save-state =
    // --from: the old one is read whole first, the new one written atomically); results may not.
    check_outputs({{out, "--out"}, {args->save_state, "--save-state"}}, scenario_inputs(sc, "SCENARIO"));
    check_outputs({{out, "--out"}}, {{args->from, "--from"}});
    std::optional<SavedStates> from;
    if (!args->from.empty()) from = load_start_state(args->from, sc);  // does not fit -> exit 2
    if (from && !args->save_state.empty() && save_month(sc, args->save_at) <= static_cast<std::int64_t>(from->month))
      throw InputError("--save-at", fmt::format("--save-at must be after month {}, where the state of --from was saved",
                                                from->month),
                       "save later, or run without --from");
    ThreadLimit limit(args->run.threads);
    const std::string start = now_iso8601();
    ProgressBar bar(!args->run.quiet, sc.name + " ");
    SavedStates state;
    RunExtras extras;
    extras.policies = &sc.policies;
    extras.from = from ? &*from : nullptr;
    if (!args->save_state.empty()) {
      extras.save_at = save_month(sc, args->save_at);
      extras.save_to = &state;
    }
    RunResult r = run_replicates(sc.params, 0, sc.params.run_replicates, [&](const Progress& p) { bar.update(p); }, extras);
    bar.finish();
    if (!args->save_state.empty()) {
      state.month = static_cast<std::uint32_t>(extras.save_at);
      state.params_text = state_params_text(sc.params);
      state.policies_text = policies_yaml(sc.policies);
      state.scenario_yaml = resolved_yaml(sc);
      write_state(args->save_state, state);
      std::fputs(fmt::format("saved the state after month {} to {}\n", extras.save_at, args->save_state).c_str(), stdout);
    }
    r.output.attributes = run_attributes(sc, limit.threads(), saved_command_line(), start);
    if (from) r.output.attributes["from_state"] = args->from;
    write_hdf5(out, r.output);
    std::fputs(fmt::format("scenario {}: {} replicate(s), {} + {} months (burn-in + reported){}\n", sc.name,
                           sc.params.run_replicates, sc.params.run_burn_in_months, sc.params.run_months,
                           from_note(args->from, from ? from->month : 0))
                   .c_str(),
               stdout);
    std::fputs(stage_table(r).c_str(), stdout);
    std::fputs(fmt::format("wrote {}\n", out.string()).c_str(), stdout);
    return 0;
  });
}

}  // namespace imersim::cli
