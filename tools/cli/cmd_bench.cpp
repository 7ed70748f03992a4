// `imersim bench`: agent-months per second of the full model and bytes of agent state per agent.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

#include "commands.hpp"
#include "core/error.hpp"
#include "model/block_step.hpp"
#include "model/month_context.hpp"
#include "model/population.hpp"
#include "model/simulation.hpp"
#include "model/state_io.hpp"
#include "run_common.hpp"

namespace imersim::cli {

void setup_bench(CLI::App& app) {
  auto* sub = app.add_subcommand("bench", "Measure simulation speed (agent-months/s) and agent state size");
  struct Args {
    std::int64_t agents = 1'000'000, months = 24;
    int threads = 0, repeat = 1;
    std::string scenario, from;
    std::vector<std::string> sets;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("--agents", args->agents, "Agents at month 0")->check(CLI::Range(std::int64_t{1}, std::int64_t{200'000'000}));
  sub->add_option("--months", args->months, "Months to time")->check(CLI::Range(1, 6000));
  sub->add_option("--threads", args->threads, "Worker threads (0 = all cores)")->check(CLI::Range(0, 4096));
  sub->add_option("--repeat", args->repeat,
                  "Time the same months K times from the same start (one line each, then best and median): "
                  "a single timing varies with the machine's load")
      ->check(CLI::Range(1, 1000));
  sub->add_option("--scenario", args->scenario, "Parameters from this scenario (default: built-in defaults)")
      ->check(CLI::ExistingFile);
  sub->add_option("--from", args->from,
                  "Time M months from replicate 0 of this state file (imersim run --save-state of --scenario) "
                  "instead of from N newcomers")
      ->check(CLI::ExistingFile);
  add_set_option(sub, args->sets, "; needs --scenario");
  set_action(sub, [args] {
    Params p;
    std::vector<std::string> sets = args->sets;
    if (!args->from.empty() && args->scenario.empty())
      throw InputError("--from", "bench --from needs --scenario, the scenario that saved the state",
                       "add --scenario scenarios/baseline.yaml");
    std::optional<SavedStates> state;
    if (!args->scenario.empty()) {
      sets.push_back("run.replicates=1");
      sets.push_back(fmt::format("run.months={}", args->months));
      const Scenario sc = load_scenario(args->scenario, sets);
      p = sc.params;
      if (!args->from.empty()) state = load_start_state(args->from, sc);  // does not fit -> exit 2
    } else if (!sets.empty()) {
      throw InputError("--set", "bench --set needs --scenario", "add --scenario scenarios/baseline.yaml");
    }
    if (!state) {
      // Start with `agents` newcomers; replace 5 % of that a month so the population stays of that order.
      p.population_initial_agents = args->agents;
      p.entry_per_month = 0.05 * static_cast<double>(args->agents);
      p.run_burn_in_months = 0;
    }
    p.run_months = args->months;
    ThreadLimit limit(args->threads);
    // What steps the agents: the block kernel this CPU runs (or IMERSIM_KERNEL names), unless these
    // parameters keep it out (block_kernel_applies), when every agent takes step_agent. Printed so
    // that a figure quoted from another machine says which code it timed.
    const BlockIsa isa = block_isa_default();  // a bad IMERSIM_KERNEL: exit 2, as for every run
    const Derived derived(p);
    const MonthContext month0(p, derived, static_cast<std::uint32_t>(p.run_seed), 0, 0);
    const char* kernel = block_isa_name(isa != BlockIsa::Scalar && block_kernel_applies(month0) ? isa : BlockIsa::Scalar);
    // Each repeat starts again from the same population, so it simulates the same agent-months
    // (the model is deterministic); only the time differs.
    std::vector<double> rates;
    for (int r = 0; r < args->repeat; ++r) {
      Simulation sim(p, 0);
      std::int64_t start_agents = args->agents;
      if (state) {
        StateIo::restore(sim, state->replicates.at(0));  // the steady population the scenario reaches
        const Population& pop = sim.population();
        start_agents = 0;
        for (std::size_t i = 0; i < pop.slots(); ++i) start_agents += pop.alive(i);
      } else {
        sim.step();  // month 0 creates the agents; not timed
      }
      std::int64_t agent_months = 0;
      const auto t0 = std::chrono::steady_clock::now();
      for (std::int64_t m = 1; m < args->months + 1; ++m) {
        sim.step();
        agent_months += sim.alive() + sim.stats().exits_total();
      }
      const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      rates.push_back(static_cast<double>(agent_months) / secs);
      std::printf("%s\n", fmt::format("bench: start={} agents={} months={} threads={} agent_months={} seconds={:.3f} "
                                      "agent_months_per_s={:.3e} bytes_per_agent={} final_population={} kernel={}",
                                      state ? "state" : "newcomers", start_agents, args->months, limit.threads(), agent_months,
                                      secs, rates.back(), sim.population().bytes_per_agent(), sim.alive(), kernel)
                              .c_str());
      std::fflush(stdout);
    }
    if (args->repeat > 1) {
      std::vector<double> sorted = rates;
      std::sort(sorted.begin(), sorted.end());
      const std::size_t k = sorted.size();
      const double median = k % 2 == 1 ? sorted[k / 2] : 0.5 * (sorted[k / 2 - 1] + sorted[k / 2]);
      std::printf("%s\n", fmt::format("bench summary: repeats={} agent_months_per_s_best={:.3e} "
                                      "agent_months_per_s_median={:.3e} agent_months_per_s_worst={:.3e}",
                                      k, sorted.back(), median, sorted.front())
                              .c_str());
    }
    return 0;
  });
}

}  // namespace imersim::cli
