// Writes and reads RunOutput as HDF5 (layout: docs/outputs.md), atomically via a temporary name.
#pragma once
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "output/dataset.hpp"

namespace imersim {

/// Value of the root attribute "format" that marks a file written by write_hdf5 (layout version 1).
inline constexpr std::string_view kHdf5FormatTag = "imersim-run/1";

/// Name of the group of replicate `index` (0-based) among `count` replicates: "replicate_007". Zero-padded to 3
/// digits, or to as many as the largest index needs (count > 1000), so that names sort in replicate order.
std::string replicate_group_name(std::size_t index, std::size_t count);

/// Writes `out` to `path`: first to "<path>.tmp.<pid>" in the same directory, then renamed over
/// `path` once the file is complete and closed, so readers never see a truncated file. Creates the
/// parent directory. Throws IoError (naming the path and the HDF5 reason) on failure, leaving no
/// temporary file behind.
void write_hdf5(const std::filesystem::path& path, const RunOutput& out);

/// Reads a file written by write_hdf5 back (attributes, replicates, snapshots, summary). Throws
/// IoError if the file is missing or not an imersim file.
RunOutput read_hdf5(const std::filesystem::path& path);

}  // namespace imersim
