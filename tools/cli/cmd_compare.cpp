// `imersim compare BASELINE.yaml POLICY.yaml...`: paired runs with common random numbers, mean
// paired differences with 95 % CIs and cost-effectiveness on stdout, HDF5 written atomically.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <optional>

#include "commands.hpp"
#include "core/output_path.hpp"
#include "core/error.hpp"
#include "experiment/compare.hpp"
#include "model/state_io.hpp"
#include "output/hdf5_writer.hpp"
#include "progress.hpp"
#include "run_common.hpp"

namespace imersim::cli {

void setup_compare(CLI::App& app) {
  auto* sub = app.add_subcommand("compare", "Compare policy scenarios with a baseline (paired, same seeds)");
  struct Args {
    std::vector<std::string> scenarios;
    std::string out, from;
    double until_ci = 0;
    std::int64_t max_replicates = 100;
    RunOptions run;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("SCENARIOS", args->scenarios, "Baseline scenario, then one or more policy scenarios")
      ->required()
      ->expected(2, -1)
      ->check(CLI::ExistingFile);
  sub->add_option("--out,-o", args->out, "Output HDF5 file (default outputs/compare_<baseline name>.h5)");
  sub->add_option("--from", args->from, "Start every scenario from this state file (imersim run --save-state)")
      ->check(CLI::ExistingFile);
  sub->add_option("--until-ci", args->until_ci,
                  "Add batches of --replicates until every 95 % CI half-width <= WIDTH x the outcome's level")
      ->check(finite_range(1e-9, 1e6));
  sub->add_option("--max-replicates", args->max_replicates, "Most replicates --until-ci runs (default 100)")
      ->check(CLI::Range(std::int64_t{2}, std::int64_t{100000}));
  args->run.add_to(sub);
  set_action(sub, [args] {
    const auto overrides = args->run.overrides();
    std::vector<Scenario> scenarios;
    std::vector<Diagnostic> diags;
    for (const auto& path : args->scenarios) {  // every problem of every file before anything runs
      try {
        scenarios.push_back(load_scenario(path, overrides));
      } catch (const InputError& e) {
        diags.insert(diags.end(), e.diagnostics().begin(), e.diagnostics().end());
      }
    }
    if (!diags.empty()) throw InputError(std::move(diags));
    if (args->out.empty()) check_name_for_path(scenarios[0].name, scenarios[0].path.string(), "name");
    const std::filesystem::path out = args->out.empty()
                                          ? std::filesystem::path("outputs") / ("compare_" + scenarios[0].name + ".h5")
                                          : std::filesystem::path(args->out);
    std::vector<NamedPath> inputs{{args->from, "--from"}};
    for (const auto& sc : scenarios)
      for (auto& in : scenario_inputs(sc, "SCENARIOS")) inputs.push_back(std::move(in));
    check_outputs({{out, "--out"}}, inputs);  // before anything is simulated
    std::optional<SavedStates> state;
    if (!args->from.empty()) state = read_state(args->from);
    CompareOptions o;
    o.replicates = scenarios[0].params.run_replicates;
    o.until_ci = args->until_ci;
    o.max_replicates = args->max_replicates;
    o.from = state ? &*state : nullptr;
    o.from_path = args->from;
    ThreadLimit limit(args->run.threads);
    const std::string start = now_iso8601();
    ProgressBar bar(!args->run.quiet, "compare ");
    o.progress = [&](const Progress& p) { bar.update(p); };
    const CompareResult r = run_compare(scenarios, o);
    bar.finish();
    RunOutput file = compare_output(r);
    auto attrs = run_attributes(scenarios[0], limit.threads(), saved_command_line(), start);
    attrs["replicates"] = fmt::format("{}", r.replicates);
    for (std::size_t s = 0; s < scenarios.size(); ++s)
      attrs[fmt::format("scenario_yaml_{:03}", s)] = resolved_yaml(scenarios[s]);
    if (state) attrs["from_state"] = args->from;
    file.attributes.insert(attrs.begin(), attrs.end());
    write_hdf5(out, file);
    std::fputs(compare_table(r).c_str(), stdout);
    std::fputs(fmt::format("wrote {}\n", out.string()).c_str(), stdout);
    return 0;
  });
}

}  // namespace imersim::cli
