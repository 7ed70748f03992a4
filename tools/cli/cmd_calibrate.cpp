// `imersim calibrate CALIBRATION.yaml`: fit the free parameters to the targets, resuming from the
// checkpoint of a killed run; progress on stderr; the fitted set to configs/, every evaluation to HDF5.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "experiment/calibration.hpp"
#include "run_common.hpp"

namespace imersim::cli {

namespace fs = std::filesystem;

void setup_calibrate(CLI::App& app) {
  auto* sub = app.add_subcommand("calibrate", "Fit free parameters to targets (resumable); writes configs/calibrated_<name>.yaml");
  struct Args {
    std::string calibration, out, evaluations;
    int threads = 0;
    bool quiet = false, restart = false, report = false;
    std::int64_t stop_after = -1;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("CALIBRATION", args->calibration, "Calibration YAML file")->required()->check(CLI::ExistingFile);
  sub->add_option("--out,-o", args->out, "Fitted parameter set to write (default configs/calibrated_<name>.yaml)");
  sub->add_option("--evaluations", args->evaluations,
                  "HDF5 file of every evaluation, also the checkpoint (default outputs/calibration_<name>.h5)");
  sub->add_option("--threads", args->threads, "Worker threads (0 = all cores); results do not depend on it")
      ->check(CLI::Range(0, 4096));
  sub->add_flag("--restart", args->restart, "Ignore an existing checkpoint and start over");
  sub->add_option("--stop-after", args->stop_after,
                  "Stop after K new simulations as if killed (for testing resume); re-run to continue")
      ->check(CLI::Range(0, 1000000));
  sub->add_flag("--quiet,-q", args->quiet, "No progress lines on stderr");
  sub->add_flag("--report", args->report,
                "Simulate nothing: print the best fit and its linearised widths from the --evaluations file")
      ->excludes("--restart")
      ->excludes("--stop-after");
  set_action(sub, [args] {
    const CalibrationSpec spec = load_calibration(args->calibration);  // InputError -> exit 2
    const fs::path out = args->out.empty() ? fs::path("configs") / ("calibrated_" + spec.name + ".yaml") : fs::path(args->out);
    CalibrationOptions options;
    options.evaluations = args->evaluations.empty() ? fs::path("outputs") / ("calibration_" + spec.name + ".h5")
                                                    : fs::path(args->evaluations);
    options.restart = args->restart;
    options.stop_after = args->stop_after;
    if (!args->quiet) options.log = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
    if (args->report) {  // read only: any commit's evaluations may be reported
      const CalibrationResult r = read_calibration_result(spec, options.evaluations);
      const Evaluation& best = r.evaluations[r.best];
      std::fputs(fmt::format("calibration {}: {} evaluation(s) in {}; best: evaluation {} (objective {:.6g})\n",
                             spec.name, r.evaluations.size(), options.evaluations.string(), r.best, best.objective())
                     .c_str(),
                 stdout);
      std::fputs(fit_table(evaluation_fit(spec, best), spec.targets).c_str(), stdout);
      std::fputs(fit_widths_text(spec, r, fit_widths(spec, r), "").c_str(), stdout);
      std::fputs(search_stopped_early_note(r, "").c_str(), stdout);
      return 0;
    }
    if (args->out.empty() || args->evaluations.empty()) check_name_for_path(spec.name, args->calibration, "name");
    // Every file the calibration reads: its own, the base scenario with its base: chain, the targets.
    std::vector<NamedPath> inputs = scenario_inputs(spec.scenario, "CALIBRATION's base");
    inputs.push_back({args->calibration, "CALIBRATION"});
    inputs.push_back({spec.targets_path, "CALIBRATION's targets"});
    check_outputs({{out, "--out", true}, {options.evaluations, "--evaluations"}}, inputs);
    ThreadLimit limit(args->threads);
    const CalibrationResult r = run_calibration(spec, options);
    if (r.stopped) {
      std::fputs(fmt::format("calibration {} stopped after {} new evaluation(s) (--stop-after); {} evaluation(s) are "
                             "in {}; run the same command again to continue\n",
                             spec.name, r.simulated, r.evaluations.size(), options.evaluations.string())
                     .c_str(),
                 stdout);
      return 0;
    }
    const std::string text = calibrated_config_yaml(spec, r, out, saved_command_line());
    write_text_atomically(out, text);
    std::fputs(fmt::format("calibration {}: {} evaluation(s), {} simulated now, {} reused, {:.1f} s; stopped: {}\n",
                           spec.name, r.evaluations.size(), r.simulated, r.reused, r.seconds, r.optimizer_status)
                   .c_str(),
               stdout);
    const Evaluation& best = r.evaluations[r.best];
    for (std::size_t i = 0; i < spec.parameters.size(); ++i)
      std::fputs(fmt::format("  {:<28} {:>14}   (start {}, bounds [{}, {}])\n", spec.parameters[i].key,
                             format_value(*spec.parameters[i].spec, best.values[i]), spec.parameters[i].start,
                             spec.parameters[i].min, spec.parameters[i].max)
                     .c_str(),
                 stdout);
    std::fputs(fit_table(evaluation_fit(spec, best), spec.targets).c_str(), stdout);
    std::fputs(fit_widths_text(spec, r, fit_widths(spec, r), "").c_str(), stdout);
    std::fputs(search_stopped_early_note(r, "").c_str(), stdout);
    std::fputs(fmt::format("wrote {} and {}\n", out.string(), options.evaluations.string()).c_str(), stdout);
    return 0;
  });
}

}  // namespace imersim::cli
