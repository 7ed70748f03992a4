// `imersim run SCENARIO.yaml`: simulate the replicates, write HDF5 atomically, print the stage table.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "output/hdf5_writer.hpp"
#include "progress.hpp"
#include "run_common.hpp"

namespace imersim::cli {

void setup_run(CLI::App& app) {
  auto* sub = app.add_subcommand("run", "Run a scenario and write its results to HDF5");
  struct Args {
    std::string scenario, out;
    bool snapshot = false;
    RunOptions run;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("SCENARIO", args->scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  sub->add_option("--out,-o", args->out, "Output HDF5 file (default outputs/<scenario-name>.h5)");
  sub->add_flag("--snapshot", args->snapshot, "Also write a per-agent snapshot of the final month");
  args->run.add_to(sub);
  set_action(sub, [args] {
    auto overrides = args->run.overrides();
    if (args->snapshot) overrides.push_back("run.snapshot=true");
    const Scenario sc = load_scenario(args->scenario, overrides);  // InputError -> exit 2, nothing written
    const std::filesystem::path out = args->out.empty() ? std::filesystem::path("outputs") / (sc.name + ".h5")
                                                        : std::filesystem::path(args->out);
    ThreadLimit limit(args->run.threads);
    const std::string start = now_iso8601();
    ProgressBar bar(!args->run.quiet, sc.name + " ");
    RunResult r = run_replicates(sc.params, 0, sc.params.run_replicates, [&](const Progress& p) { bar.update(p); });
    bar.finish();
    r.output.attributes = run_attributes(sc, limit.threads(), saved_command_line(), start);
    write_hdf5(out, r.output);
    std::fputs(fmt::format("scenario {}: {} replicate(s), {} + {} months (burn-in + reported)\n", sc.name,
                           sc.params.run_replicates, sc.params.run_burn_in_months, sc.params.run_months)
                   .c_str(),
               stdout);
    std::fputs(stage_table(r).c_str(), stdout);
    std::fputs(fmt::format("wrote {}\n", out.string()).c_str(), stdout);
    return 0;
  });
}

}  // namespace imersim::cli
