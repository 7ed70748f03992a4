// MPI mode of `imersim sweep` (compiled only with IMERSIM_MPI): rank 0 hands out pending points one at
// a time, worker ranks run them and write their own shard, so fast and slow points balance themselves.
#include "sweep_mpi.hpp"

#include <mpi.h>
#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <thread>

#include "core/error.hpp"
#include "experiment/manifest.hpp"

namespace imersim::cli {
namespace {

constexpr int kTagReady = 1;  ///< worker -> rank 0: {finished index or -1, ok, microseconds}
constexpr int kTagWork = 2;   ///< rank 0 -> worker: next index, or -1 to stop

void coordinate(const SweepJob& job, int ranks) {
  const SweepSpec& spec = *job.spec;
  const Manifest manifest = load_manifest(job.out, empty_table(spec));
  const auto pending = pending_points(spec, manifest, 0, 1, job.retry_failed);
  if (!job.quiet)
    std::fputs(fmt::format("[mpi] {} point(s): {} already finished, {} to run on {} worker rank(s)\n", spec.rows.size(),
                           spec.rows.size() - pending.size(), pending.size(), ranks - 1)
                   .c_str(),
               stderr);
  std::size_t next = 0, done = 0, failed = 0;
  int active = ranks - 1;
  while (active > 0) {
    int flag = 0;
    MPI_Status status;
    MPI_Iprobe(MPI_ANY_SOURCE, kTagReady, MPI_COMM_WORLD, &flag, &status);
    if (flag == 0) {  // Open MPI's blocking receive spins a core; poll gently instead
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
      continue;
    }
    std::array<std::int64_t, 3> msg{};
    MPI_Recv(msg.data(), 3, MPI_INT64_T, status.MPI_SOURCE, kTagReady, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (msg[0] >= 0) {
      ++done;
      failed += msg[1] ? 0 : 1;
      if (!job.quiet)
        std::fputs(fmt::format("[mpi] {}/{} point {} {} on rank {} ({:.2f} s)\n", done, pending.size(), msg[0],
                               msg[1] ? "ok" : "FAILED", status.MPI_SOURCE, static_cast<double>(msg[2]) * 1e-6)
                       .c_str(),
                   stderr);
    }
    const std::int64_t work = next < pending.size() ? pending[next++].index : -1;
    MPI_Send(&work, 1, MPI_INT64_T, status.MPI_SOURCE, kTagWork, MPI_COMM_WORLD);
    if (work < 0) --active;
  }
  std::fputs(fmt::format("sweep {} ({}, {} points x {} replicates), mpi ({} ranks): {} ran ({} failed), {} already "
                         "finished; wrote {}/rank_*_of_{}.h5\n",
                         spec.name, design_name(spec.design.kind), spec.rows.size(), spec.replicates, ranks,
                         pending.size(), failed, spec.rows.size() - pending.size(), job.out.string(), ranks)
                 .c_str(),
             stdout);
}

void work(const SweepJob& job, int rank, int ranks) {
  const std::string worker = fmt::format("rank_{}_of_{}", rank, ranks);
  auto attributes = job.attributes;
  attributes["worker"] = worker;
  ShardWriter writer(shard_path(job.out, worker), *job.spec, attributes);
  writer.flush();
  std::array<std::int64_t, 3> msg{-1, 0, 0};
  while (true) {
    MPI_Send(msg.data(), 3, MPI_INT64_T, 0, kTagReady, MPI_COMM_WORLD);
    std::int64_t index = -1;
    MPI_Recv(&index, 1, MPI_INT64_T, 0, kTagWork, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    if (index < 0) return;
    const auto start = std::chrono::steady_clock::now();
    PointRecord rec = run_point(*job.spec, make_point(*job.spec, index));
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    msg = {index, rec.ok ? 1 : 0, static_cast<std::int64_t>(micros)};
    writer.add(std::move(rec));
  }
}

}  // namespace

int run_sweep_mpi(const SweepJob& job) {
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);  // only the main thread calls MPI
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  try {
    if (rank == 0) coordinate(job, ranks);
    else work(job, rank, ranks);
  } catch (const Error& e) {  // one rank cannot go on alone: stop the whole job with the reason
    std::fprintf(stderr, "imersim: error on MPI rank %d: %s\n", rank, e.what());
    if (!e.resolution().empty()) std::fprintf(stderr, "  fix: %s\n", e.resolution().c_str());
    MPI_Abort(MPI_COMM_WORLD, dynamic_cast<const InputError*>(&e) ? 2 : 1);
  }
  MPI_Barrier(MPI_COMM_WORLD);
  MPI_Finalize();
  return 0;
}

}  // namespace imersim::cli
