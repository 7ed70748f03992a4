// What `imersim sweep` hands to its MPI mode (tools/cli/sweep_mpi.cpp, built only with IMERSIM_MPI).
#pragma once
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "experiment/sweep.hpp"
#include "experiment/sweep_run.hpp"

namespace imersim::cli {

/// One sweep invocation's settings, the same in every mode.
struct SweepJob {
  const SweepSpec* spec = nullptr;
  std::filesystem::path out;                      ///< sweep directory
  bool retry_failed = false;                      ///< re-run points recorded as failed
  std::map<std::string, std::string> attributes;  ///< who wrote a shard (host, version, command line)
  bool quiet = false;                             ///< no progress lines on stderr
};

/// True when this process was started by mpirun/srun with more than one rank (Open MPI, PMI or PMIx
/// environment), i.e. when `imersim sweep` must run as one rank of an MPI job.
inline bool launched_by_mpirun() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    const char* v = std::getenv(var);
    if (v != nullptr && std::atoi(v) > 1) return true;
  }
  return false;
}

#ifdef IMERSIM_WITH_MPI
/// Runs the sweep as one rank of an MPI job: rank 0 hands out pending points one at a time to ranks
/// 1..N-1 (dynamic load balancing) and prints progress; each worker rank writes rank_<r>_of_<N>.h5.
/// Returns the exit status (the same on every rank).
int run_sweep_mpi(const SweepJob& job);
#endif

}  // namespace imersim::cli
