// `imersim sweep SWEEP.yaml --out DIR`: run a parameter sweep serially, as one shard of a job array,
// or as one rank of an MPI job; resume from the shards already in DIR.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>

#include "commands.hpp"
#include "core/output_path.hpp"
#include "core/error.hpp"
#include "experiment/manifest.hpp"
#include "imersim/version.hpp"
#include "run_common.hpp"
#include "sweep_mpi.hpp"

namespace imersim::cli {
namespace {

struct Shard {
  std::int64_t index = 0, count = 1;
  std::string source;  ///< "--shard", "SLURM" or "" (serial)
};

std::optional<std::int64_t> env_int(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return std::nullopt;
  char* end = nullptr;
  const long long x = std::strtoll(v, &end, 10);
  if (*end != '\0') throw InputError(name, fmt::format("environment variable {}='{}' is not an integer", name, v));
  return x;
}

/// --shard i/n, else SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_COUNT, else 0/1.
Shard resolve_shard(const std::string& option) {
  Shard s;
  if (!option.empty()) {
    const auto slash = option.find('/');
    try {
      if (slash == std::string::npos) throw std::invalid_argument("no slash");
      std::size_t a = 0, b = 0;
      s.index = std::stoll(option.substr(0, slash), &a);
      s.count = std::stoll(option.substr(slash + 1), &b);
      if (a != slash || b != option.size() - slash - 1) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      throw InputError("--shard", fmt::format("expected I/N (e.g. 0/3), got '{}'", option));
    }
    s.source = "--shard";
  } else if (const auto id = env_int("SLURM_ARRAY_TASK_ID")) {
    const auto count = env_int("SLURM_ARRAY_TASK_COUNT");
    if (!count) throw InputError("SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is not",
                                 "pass --shard I/N explicitly");
    s.index = *id - env_int("SLURM_ARRAY_TASK_MIN").value_or(0);
    s.count = *count;
    s.source = "SLURM";
  }
  if (s.count < 1 || s.index < 0 || s.index >= s.count)
    throw InputError(s.source, fmt::format("shard {}/{} is not one of 0/{} .. {}/{}", s.index, s.count, s.count,
                                           s.count - 1, s.count),
                     "the shard index counts from 0 and must be below the shard count");
  return s;
}

/// Prints one line per finished point on stderr (log files of cluster jobs read well line by line).
PointDoneFn progress_printer(const std::string& label, std::size_t total, bool quiet) {
  if (quiet) return {};
  auto done = std::make_shared<std::size_t>(0);
  auto failed = std::make_shared<std::size_t>(0);
  return [=](const PointRecord& r, double seconds) {
    ++*done;
    if (!r.ok) ++*failed;
    std::string what = r.ok ? "ok" : "FAILED: " + r.error.substr(0, r.error.find('\n'));
    std::fputs(fmt::format("[{}] {}/{} point {} {} ({:.2f} s){}\n", label, *done, total, r.index, what, seconds,
                           *failed ? fmt::format(", {} failed so far", *failed) : "")
                   .c_str(),
               stderr);
  };
}

std::map<std::string, std::string> worker_attributes(const std::string& worker, int threads) {
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  return {{"worker", worker},
          {"host", host},
          {"threads", fmt::format("{}", threads)},
          {"imersim_version", build::version},
          {"git_commit", build::git_commit},
          {"command_line", saved_command_line()}};
}

/// --dry-run: validate every point and say what a run would do; writes nothing.
int dry_run(const SweepJob& job) {
  const SweepSpec& spec = *job.spec;
  const auto pending = pending_points(spec, load_manifest(job.out, empty_table(spec)), 0, 1, job.retry_failed);
  std::size_t invalid = 0;
  for (const auto& p : pending) invalid += p.scenario ? 0 : 1;
  std::fputs(fmt::format("sweep {} ({}, {} points x {} replicates, {} parameter(s), {} outcome(s)): {} already "
                         "finished in {}, {} to run ({} invalid, will be recorded as failed)\n",
                         spec.name, design_name(spec.design.kind), spec.rows.size(), spec.replicates,
                         spec.parameters.size(), spec.outcomes.size(), spec.rows.size() - pending.size(),
                         job.out.string(), pending.size(), invalid)
                 .c_str(),
             stdout);
  return 0;
}

int run_local(const SweepJob& job, const Shard& shard, int threads, bool quiet) {
  const SweepSpec& spec = *job.spec;
  const std::string worker = fmt::format("shard_{}_of_{}", shard.index, shard.count);
  const Manifest manifest = load_manifest(job.out, empty_table(spec));
  const auto pending = pending_points(spec, manifest, shard.index, shard.count, job.retry_failed);
  std::size_t mine = 0;
  for (auto i = shard.index; i < static_cast<std::int64_t>(spec.rows.size()); i += shard.count) ++mine;
  if (!quiet)
    std::fputs(fmt::format("[{}] {} point(s) in this shard: {} already finished, {} to run\n", worker, mine,
                           mine - pending.size(), pending.size())
                   .c_str(),
               stderr);
  ShardWriter writer(shard_path(job.out, worker), spec, worker_attributes(worker, threads));
  std::size_t failed = 0;
  const PointDoneFn print = progress_printer(worker, pending.size(), quiet);
  run_points(spec, pending, writer, [&](const PointRecord& r, double s) {
    failed += r.ok ? 0 : 1;
    if (print) print(r, s);
  });
  writer.flush();
  std::fputs(fmt::format("sweep {} ({}, {} points x {} replicates), {}: {} ran ({} failed), {} already finished; "
                         "wrote {}\n",
                         spec.name, design_name(spec.design.kind), spec.rows.size(), spec.replicates, worker,
                         pending.size(), failed, mine - pending.size(), writer.path().string())
                 .c_str(),
             stdout);
  return 0;
}

}  // namespace

void setup_sweep(CLI::App& app) {
  auto* sub = app.add_subcommand("sweep", "Run a parameter sweep (serial, one shard of a job array, or MPI ranks)");
  struct Args {
    std::string file, out, shard;
    int threads = 0;
    bool quiet = false, retry_failed = false, dry_run = false;
  };
  auto args = std::make_shared<Args>();
  sub->add_option("SWEEP", args->file, "Sweep YAML file (docs/cluster.md)")->required()->check(CLI::ExistingFile);
  sub->add_option("--out,-o", args->out, "Sweep directory for the shard files (default outputs/sweeps/<name>)");
  sub->add_option("--shard", args->shard,
                  "Run slice I of N (points with index % N == I); default from SLURM_ARRAY_TASK_ID/COUNT, else 0/1")
      ->type_name("I/N");
  sub->add_option("--threads", args->threads, "Worker threads (0 = all cores); results do not depend on it")
      ->check(CLI::Range(0, 4096));
  sub->add_flag("--retry-failed", args->retry_failed, "Run again the points recorded as failed");
  sub->add_flag("--quiet,-q", args->quiet, "No progress lines on stderr");
  sub->add_flag("--dry-run", args->dry_run, "Validate every point and count what is left to run; write nothing");
  set_action(sub, [args] {
    const SweepSpec spec = load_sweep(args->file);  // InputError -> exit 2, nothing run
    SweepJob job;
    job.spec = &spec;
    if (args->out.empty()) check_name_for_path(spec.name, args->file, "name");
    job.out = args->out.empty() ? std::filesystem::path("outputs/sweeps") / spec.name : std::filesystem::path(args->out);
    if (std::error_code ec; std::filesystem::exists(job.out, ec) && !std::filesystem::is_directory(job.out, ec))
      throw InputError("--out", fmt::format("'{}' is a file, not a sweep directory", job.out.string()),
                       "give the directory of the sweep's shard files (it is created if missing)");
    job.retry_failed = args->retry_failed;
    ThreadLimit limit(args->threads);
    if (args->dry_run) {
      if (!launched_by_mpirun()) (void)resolve_shard(args->shard);  // a job array's --shard / SLURM setting, checked too
      return dry_run(job);
    }
    if (launched_by_mpirun()) {
      if (!args->shard.empty())
        throw InputError("--shard", "--shard cannot be combined with mpirun", "MPI ranks share the points dynamically");
#ifdef IMERSIM_WITH_MPI
      job.attributes = worker_attributes("mpi", limit.threads());
      job.quiet = args->quiet;
      return run_sweep_mpi(job);
#else
      throw InputError("mpirun", "this imersim was built without MPI (IMERSIM_MPI=OFF)",
                       "install libopenmpi-dev and rebuild, or run the sweep as a job array with --shard");
#endif
    }
    return run_local(job, resolve_shard(args->shard), limit.threads(), args->quiet);
  });
}

}  // namespace imersim::cli
