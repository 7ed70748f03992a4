// Writes and reads RunOutput as HDF5 (layout: docs/outputs.md), atomically via a temporary name.
#pragma once
#include <filesystem>

#include "output/dataset.hpp"

namespace imersim {

/// Writes `out` to `path`: first to "<path>.tmp.<pid>" in the same directory, then renamed over
/// `path` once the file is complete and closed, so readers never see a truncated file. Creates the
/// parent directory. Throws IoError (naming the path and the HDF5 reason) on failure, leaving no
/// temporary file behind.
void write_hdf5(const std::filesystem::path& path, const RunOutput& out);

/// Reads a file written by write_hdf5 back (attributes, replicates, snapshots, summary). Throws
/// IoError if the file is missing or not an imersim file.
RunOutput read_hdf5(const std::filesystem::path& path);

}  // namespace imersim
