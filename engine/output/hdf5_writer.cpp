// Owns write_hdf5: the file layout of docs/outputs.md, the compression choice, and the atomic temp-then-rename.
#include "output/hdf5_writer.hpp"


#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <numeric>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/output_path.hpp"
#include "core/stage.hpp"
#include "output/hdf5_support.hpp"

namespace imersim {

namespace {

namespace fs = std::filesystem;
using hdf5::Context;
using hdf5::Hid;

/// Datasets with at least this many elements are chunked and compressed; smaller ones stay contiguous.
constexpr std::size_t kCompressMinElements = 4096;
/// Target elements per chunk: 64 Ki values = 512 KiB of 8-byte numbers.
constexpr hsize_t kChunkTargetElements = 65536;
constexpr unsigned kDeflateLevel = 4;

constexpr std::string_view kWriteResolution =
    "check that the output directory is writable and its disk has free space, or choose another output path";
constexpr std::string_view kBugResolution =
    "this is a bug in the code that filled the RunOutput: give every Dataset a unique non-empty name, one axis "
    "name per dimension and exactly one value per element of its shape";

/// True when HDF5 can both shuffle and deflate-encode (it may be built without zlib).
bool compression_available() {
  if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) <= 0 || H5Zfilter_avail(H5Z_FILTER_SHUFFLE) <= 0) return false;
  unsigned int info = 0;
  if (H5Zget_filter_info(H5Z_FILTER_DEFLATE, &info) < 0) return false;
  return (info & H5Z_FILTER_CONFIG_ENCODE_ENABLED) != 0;
}

hsize_t product(const std::vector<hsize_t>& dims) {
  return std::accumulate(dims.begin(), dims.end(), hsize_t{1}, std::multiplies<>());
}

/// Chunk shape: the whole array, with its largest dimension halved until a chunk holds at most
/// kChunkTargetElements values. Depends only on the shape, so files stay reproducible.
std::vector<hsize_t> chunk_shape(const std::vector<hsize_t>& dims) {
  std::vector<hsize_t> chunk = dims;
  while (product(chunk) > kChunkTargetElements) {
    auto largest = std::max_element(chunk.begin(), chunk.end());
    *largest = (*largest + 1) / 2;
  }
  return chunk;
}

/// Rejects what would make a malformed or unreadable file, before anything of the dataset is written.
void validate(const Context& ctx, const Dataset& d, const std::string& where, bool snapshot_is_reserved) {
  auto bad = [&](const std::string& problem) { ctx.fail(problem, "invalid RunOutput", kBugResolution); };
  if (d.name.empty() || d.name == "." || d.name.find('/') != std::string::npos)
    bad(fmt::format("dataset name '{}' in {} is not a valid HDF5 name (empty, '.' or contains '/')", d.name, where));
  if (snapshot_is_reserved && d.name == "snapshot")
    bad(fmt::format("dataset name 'snapshot' in {} is reserved for the snapshot group", where));
  const std::string full = where + "/" + d.name;
  if (d.axes.size() != d.shape.size())
    bad(fmt::format("dataset {} has {} axis names [{}] but {} dimensions [{}]", full, d.axes.size(),
                    fmt::join(d.axes, ", "), d.shape.size(), fmt::join(d.shape, ", ")));
  for (const auto& axis : d.axes) {
    if (axis.empty() || axis.find(',') != std::string::npos)
      bad(fmt::format("dataset {} has axis name '{}': axis names must be non-empty and contain no ','", full, axis));
  }
  const std::size_t values = d.is_int ? d.ints.size() : d.reals.size();
  const std::size_t other = d.is_int ? d.reals.size() : d.ints.size();
  if (values != d.size())
    bad(fmt::format("dataset {} has {} {} values but its shape [{}] needs {}", full, values,
                    d.is_int ? "integer" : "real", fmt::join(d.shape, ", "), d.size()));
  if (other != 0)
    bad(fmt::format("dataset {} is {} but also holds {} {} values", full, d.is_int ? "integer" : "real", other,
                    d.is_int ? "real" : "integer"));
}

void write_string_attribute(const Context& ctx, hid_t object, const std::string& where, const std::string& name,
                            const std::string& value) {
  const std::string doing = fmt::format("writing attribute '{}' of {}", name, where);
  Hid type = hdf5::utf8_string_type(ctx);
  Hid space{ctx.check(H5Screate(H5S_SCALAR), doing)};
  Hid attribute{ctx.check(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), doing)};
  const char* text = value.c_str();
  ctx.check(H5Awrite(attribute, type, &text), doing);
}

/// Creates a group whose links remember their creation order (so datasets read back in written order) and
/// which records no modification times (so identical outputs give identical files).
Hid create_group(const Context& ctx, hid_t file, const std::string& path) {
  const std::string doing = fmt::format("creating group {}", path);
  Hid gcpl{ctx.check(H5Pcreate(H5P_GROUP_CREATE), doing)};
  ctx.check(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), doing);
  ctx.check(H5Pset_obj_track_times(gcpl, false), doing);
  return Hid{ctx.check(H5Gcreate2(file, path.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT), doing)};
}

void write_dataset(const Context& ctx, hid_t file, const std::string& group, const Dataset& d,
                   bool snapshot_is_reserved) {
  validate(ctx, d, group, snapshot_is_reserved);
  const std::string path = group + "/" + d.name;
  const std::string doing = fmt::format("writing dataset {}", path);
  const std::vector<hsize_t> dims(d.shape.begin(), d.shape.end());
  Hid space{ctx.check(dims.empty() ? H5Screate(H5S_SCALAR)
                                   : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                      doing)};
  Hid dcpl{ctx.check(H5Pcreate(H5P_DATASET_CREATE), doing)};
  ctx.check(H5Pset_obj_track_times(dcpl, false), doing);
  if (d.size() >= kCompressMinElements && compression_available()) {
    const std::vector<hsize_t> chunk = chunk_shape(dims);
    ctx.check(H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data()), doing);
    ctx.check(H5Pset_shuffle(dcpl), doing);
    ctx.check(H5Pset_deflate(dcpl, kDeflateLevel), doing);
  }
  const hid_t file_type = d.is_int ? H5T_STD_I64LE : H5T_IEEE_F64LE;
  const hid_t memory_type = d.is_int ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
  Hid dataset{ctx.check(H5Dcreate2(file, path.c_str(), file_type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), doing)};
  if (d.size() > 0) {
    const void* data = d.is_int ? static_cast<const void*>(d.ints.data()) : static_cast<const void*>(d.reals.data());
    ctx.check(H5Dwrite(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), doing);
  }
  write_string_attribute(ctx, dataset, path, "unit", d.unit);
  write_string_attribute(ctx, dataset, path, "description", d.description);
  write_string_attribute(ctx, dataset, path, "axes", fmt::format("{}", fmt::join(d.axes, ",")));
}

/// A 1-D variable-length UTF-8 string dataset (axis labels for h5py / pandas users).
template <std::size_t N>
void write_labels(const Context& ctx, hid_t file, const std::string& path,
                  const std::array<std::string_view, N>& labels, const std::string& description) {
  const std::string doing = fmt::format("writing dataset {}", path);
  std::vector<std::string> owned(labels.begin(), labels.end());
  std::vector<const char*> texts;
  for (const auto& s : owned) texts.push_back(s.c_str());
  const hsize_t n = texts.size();
  Hid type = hdf5::utf8_string_type(ctx);
  Hid space{ctx.check(H5Screate_simple(1, &n, nullptr), doing)};
  Hid dcpl{ctx.check(H5Pcreate(H5P_DATASET_CREATE), doing)};
  ctx.check(H5Pset_obj_track_times(dcpl, false), doing);
  Hid dataset{ctx.check(H5Dcreate2(file, path.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), doing)};
  ctx.check(H5Dwrite(dataset, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data()), doing);
  write_string_attribute(ctx, dataset, path, "description", description);
}

void write_contents(const Context& ctx, hid_t file, const RunOutput& out) {
  for (const auto& [key, value] : out.attributes) write_string_attribute(ctx, file, "/", key, value);
  write_string_attribute(ctx, file, "/", "format", std::string(kHdf5FormatTag));

  create_group(ctx, file, "/meta");
  write_labels(ctx, file, "/meta/stages", kStageKeys, "stage labels, in the order of every 'stage' axis");
  write_labels(ctx, file, "/meta/exit_causes", kExitCauseKeys, "exit cause labels, in the order of every 'cause' axis");

  for (std::size_t r = 0; r < out.replicates.size(); ++r) {
    const std::string group = "/" + replicate_group_name(r, out.replicates.size());
    create_group(ctx, file, group);
    for (const auto& d : out.replicates[r]) write_dataset(ctx, file, group, d, true);
    if (out.snapshots.empty()) continue;
    create_group(ctx, file, group + "/snapshot");
    for (const auto& d : out.snapshots[r]) write_dataset(ctx, file, group + "/snapshot", d, false);
  }

  create_group(ctx, file, "/summary");
  for (const auto& d : out.summary) write_dataset(ctx, file, "/summary", d, false);
}

/// Creates the file at `tmp` (truncating a stale one), writes everything, and closes it with errors checked.
void write_file(const Context& ctx, const fs::path& tmp, const RunOutput& out) {
  const std::string doing = fmt::format("creating '{}'", tmp.string());
  Hid fcpl{ctx.check(H5Pcreate(H5P_FILE_CREATE), doing)};
  ctx.check(H5Pset_obj_track_times(fcpl, false), doing);  // the root group records no times either
  Hid fapl{ctx.check(H5Pcreate(H5P_FILE_ACCESS), doing)};
  ctx.check(H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG), doing);
  Hid file{ctx.check(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, fcpl, fapl), doing)};
  write_contents(ctx, file, out);
  ctx.check(H5Fclose(file.release()), fmt::format("closing '{}'", tmp.string()));
}

}  // namespace

std::string replicate_group_name(std::size_t index, std::size_t count) {
  std::size_t width = 3;
  for (std::size_t largest = count > 0 ? count - 1 : 0; largest >= 1000; largest /= 10) ++width;
  return fmt::format("replicate_{:0{}}", index, width);
}

void write_hdf5(const fs::path& path, const RunOutput& out) {
  Context ctx(path, "write", std::string(kWriteResolution));
  if (!out.snapshots.empty() && out.snapshots.size() != out.replicates.size())
    ctx.fail(fmt::format("{} snapshot sets for {} replicates (need none or one per replicate)", out.snapshots.size(),
                         out.replicates.size()),
             "invalid RunOutput", kBugResolution);
  if (out.attributes.count("format") != 0)
    ctx.fail(fmt::format("attribute 'format' is reserved for the layout tag '{}'", kHdf5FormatTag),
             "invalid RunOutput", "rename the attribute");

  if (is_special_file(output_target(path)))
    ctx.fail(fmt::format("'{}' is not a regular file", path.string()), "an HDF5 file needs a regular file",
             "give the path of a regular file");
  write_atomically(path, [&](const fs::path& tmp) { write_file(ctx, tmp, out); });
}

}  // namespace imersim
