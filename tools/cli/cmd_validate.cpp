// `imersim validate SCENARIO.yaml`: run the replicates, compare with a target file, print the fit
// table and PASS/FAIL, write runs and fit to HDF5; exit 0 when every target passes, 1 when not.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "commands.hpp"
#include "core/output_path.hpp"
#include "experiment/targets.hpp"
#include "experiment/validate.hpp"
#include "output/hdf5_writer.hpp"
#include "progress.hpp"
#include "run_common.hpp"

namespace imersim::cli {

namespace fs = std::filesystem;

namespace {
/// The default target file: configs/targets/funnel.yaml under the working directory, else under the
/// source tree this imersim was built from.
fs::path default_targets() {
  const fs::path here = "configs/targets/funnel.yaml";
  if (fs::exists(here)) return here;
  return fs::path(IMERSIM_SOURCE_DIR) / here;
}
}  // namespace

void setup_validate(CLI::App& app) {
  auto* sub = app.add_subcommand("validate", "Run a scenario and test its stage shares against targets (exit 0 PASS, 1 FAIL)");
  struct Args {
    std::string scenario, targets, out, from;
    RunOptions run;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("SCENARIO", args->scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  sub->add_option("--targets", args->targets, "Target file (default configs/targets/funnel.yaml)")
      ->check(CLI::ExistingFile);
  sub->add_option("--out,-o", args->out, "Output HDF5 file (default outputs/validate_<scenario-name>.h5)");
  add_from_option(sub, args->from);
  args->run.add_to(sub);
  set_action(sub, [args] {
    const TargetSet targets = load_targets(args->targets.empty() ? default_targets() : fs::path(args->targets));
    const Scenario sc = load_scenario(args->scenario, args->run.overrides());  // InputError -> exit 2
    if (args->out.empty()) check_name_for_path(sc.name, sc.path.string(), "name");
    const fs::path out =
        args->out.empty() ? fs::path("outputs") / ("validate_" + sc.name + ".h5") : fs::path(args->out);
    std::vector<NamedPath> inputs = scenario_inputs(sc, "SCENARIO");
    inputs.push_back({args->targets, "--targets"});
    inputs.push_back({args->from, "--from"});
    check_outputs({{out, "--out"}}, inputs);
    std::optional<SavedStates> from;
    if (!args->from.empty()) from = load_start_state(args->from, sc);  // does not fit -> exit 2, nothing run
    ThreadLimit limit(args->run.threads);
    const std::string start = now_iso8601();
    ProgressBar bar(!args->run.quiet, sc.name + " ");
    RunExtras extras;
    extras.policies = &sc.policies;
    extras.from = from ? &*from : nullptr;
    RunResult r = run_replicates(sc.params, 0, sc.params.run_replicates, [&](const Progress& p) { bar.update(p); }, extras);
    bar.finish();
    const FitReport fit = evaluate_fit(targets, run_outcomes(r));
    r.output.attributes = run_attributes(sc, limit.threads(), saved_command_line(), start);
    for (auto& [key, value] : fit_attributes(fit, targets)) r.output.attributes[key] = value;
    if (from) r.output.attributes["from_state"] = args->from;
    for (auto& d : fit_datasets(fit)) r.output.summary.push_back(std::move(d));
    const DriftCheck drift = drift_check(r);
    for (auto& d : drift_datasets(drift)) r.output.summary.push_back(std::move(d));
    r.output.attributes["steady_state"] = drift.steady() ? "yes" : "no";
    write_hdf5(out, r.output);
    std::fputs(fmt::format("scenario {}: {} replicate(s), {} + {} months (burn-in + reported), {:.0f} agents at the "
                           "end (mean){}\n",
                           sc.name, sc.params.run_replicates, sc.params.run_burn_in_months, sc.params.run_months,
                           [&] {
                             double n = 0;
                             for (const auto& c : r.final_counts)
                               for (auto v : c) n += static_cast<double>(v);
                             return n / static_cast<double>(r.final_counts.size());
                           }(),
                           from_note(args->from, from ? from->month : 0))
                   .c_str(),
               stdout);
    std::fputs(fit_table(fit, targets).c_str(), stdout);
    std::fputs(drift_text(drift).c_str(), stdout);
    std::fputs(fmt::format("wrote {}\n", out.string()).c_str(), stdout);
    return fit.pass() ? 0 : 1;
  });
}

}  // namespace imersim::cli
