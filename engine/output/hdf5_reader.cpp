// Owns read_hdf5: reads a file of the docs/outputs.md layout back into a RunOutput, rejecting other files.
#include <algorithm>
#include <cstdint>
#include <map>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "output/hdf5_support.hpp"
#include "output/hdf5_writer.hpp"

namespace imersim {

namespace {

namespace fs = std::filesystem;
using hdf5::Context;
using hdf5::Hid;

constexpr std::string_view kReadResolution =
    "check that the file is readable and complete; write it again with the imersim command that made it if it is damaged";
constexpr std::string_view kNotOursResolution = "pass an HDF5 file written by imersim (run, validate, compare, calibrate)";
constexpr std::string_view kReplicatePrefix = "replicate_";

herr_t collect_link_name(hid_t /*group*/, const char* name, const H5L_info_t* /*info*/, void* out) noexcept {
  try {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  } catch (...) {
    return -1;
  }
  return 0;
}

herr_t collect_attribute_name(hid_t /*object*/, const char* name, const H5A_info_t* /*info*/, void* out) noexcept {
  try {
    static_cast<std::vector<std::string>*>(out)->emplace_back(name);
  } catch (...) {
    return -1;
  }
  return 0;
}

/// Names of the links of `group`, in creation order where the group tracks it (ours do), else by name.
std::vector<std::string> link_names(const Context& ctx, hid_t group, const std::string& where) {
  const std::string doing = fmt::format("listing {}", where);
  Hid gcpl{ctx.check(H5Gget_create_plist(group), doing)};
  unsigned flags = 0;
  ctx.check(H5Pget_link_creation_order(gcpl, &flags), doing);
  const H5_index_t index = (flags & H5P_CRT_ORDER_INDEXED) != 0 ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME;
  std::vector<std::string> names;
  ctx.check(H5Literate(group, index, H5_ITER_INC, nullptr, &collect_link_name, &names), doing);
  return names;
}

/// Reads a scalar string attribute (variable-length, as we write it, or fixed-length).
std::string read_string_attribute(const Context& ctx, hid_t object, const std::string& where, const std::string& name) {
  const std::string doing = fmt::format("reading attribute '{}' of {}", name, where);
  Hid attribute{ctx.check(H5Aopen(object, name.c_str(), H5P_DEFAULT), doing)};
  Hid file_type{ctx.check(H5Aget_type(attribute), doing)};
  Hid space{ctx.check(H5Aget_space(attribute), doing)};
  if (H5Tget_class(file_type) != H5T_STRING || H5Sget_simple_extent_npoints(space) != 1)
    ctx.fail(fmt::format("attribute '{}' of {} is not a single string", name, where), "unexpected attribute type",
             kNotOursResolution);
  const H5T_cset_t cset = H5Tget_cset(file_type);
  if (ctx.check(H5Tis_variable_str(file_type), doing) > 0) {
    Hid memory_type = hdf5::utf8_string_type(ctx);
    ctx.check(H5Tset_cset(memory_type, cset), doing);
    char* text = nullptr;
    ctx.check(H5Aread(attribute, memory_type, &text), doing);
    std::string value = text != nullptr ? std::string(text) : std::string();
    H5free_memory(text);
    return value;
  }
  const std::size_t size = H5Tget_size(file_type);
  std::string value(size, '\0');
  Hid memory_type{ctx.check(H5Tcopy(file_type), doing)};
  ctx.check(H5Aread(attribute, memory_type, value.data()), doing);
  value.resize(std::min(value.find('\0'), value.size()));
  return value;
}

/// The attribute's value, or "" when the object has no such attribute.
std::string optional_string_attribute(const Context& ctx, hid_t object, const std::string& where,
                                      const std::string& name) {
  const htri_t exists = ctx.check(H5Aexists(object, name.c_str()), fmt::format("reading attributes of {}", where));
  return exists > 0 ? read_string_attribute(ctx, object, where, name) : std::string();
}

std::vector<std::string> split_axes(const std::string& text) {
  std::vector<std::string> axes;
  if (text.empty()) return axes;
  std::size_t start = 0;
  for (std::size_t comma = text.find(','); comma != std::string::npos; comma = text.find(',', start)) {
    axes.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  axes.push_back(text.substr(start));
  return axes;
}

Dataset read_dataset(const Context& ctx, hid_t dataset, const std::string& path, const std::string& name) {
  const std::string doing = fmt::format("reading dataset {}", path);
  Dataset d;
  d.name = name;
  Hid type{ctx.check(H5Dget_type(dataset), doing)};
  const H5T_class_t type_class = H5Tget_class(type);
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT)
    ctx.fail(fmt::format("dataset {} holds neither integers nor reals", path), "unexpected dataset type",
             kNotOursResolution);
  d.is_int = type_class == H5T_INTEGER;
  Hid space{ctx.check(H5Dget_space(dataset), doing)};
  const int rank = ctx.check(H5Sget_simple_extent_ndims(space), doing);
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  ctx.check(H5Sget_simple_extent_dims(space, dims.data(), nullptr), doing);
  d.shape.assign(dims.begin(), dims.end());
  if (d.is_int)
    d.ints.resize(d.size());
  else
    d.reals.resize(d.size());
  if (d.size() > 0) {
    void* data = d.is_int ? static_cast<void*>(d.ints.data()) : static_cast<void*>(d.reals.data());
    const hid_t memory_type = d.is_int ? H5T_NATIVE_INT64 : H5T_NATIVE_DOUBLE;
    ctx.check(H5Dread(dataset, memory_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), doing);
  }
  d.unit = optional_string_attribute(ctx, dataset, path, "unit");
  d.description = optional_string_attribute(ctx, dataset, path, "description");
  d.axes = split_axes(optional_string_attribute(ctx, dataset, path, "axes"));
  return d;
}

/// Reads the datasets of the group at `where`, in written order. A subgroup named "snapshot" is read into
/// `*snapshot` (and `*has_snapshot` set) when `snapshot` is given; any other subgroup is an error.
std::vector<Dataset> read_group(const Context& ctx, hid_t file, const std::string& where,
                                std::vector<Dataset>* snapshot = nullptr, bool* has_snapshot = nullptr) {
  const std::string doing = fmt::format("opening {}", where);
  Hid group{ctx.check(H5Gopen2(file, where.c_str(), H5P_DEFAULT), doing)};
  std::vector<Dataset> datasets;
  for (const auto& name : link_names(ctx, group, where)) {
    const std::string path = where + "/" + name;
    Hid object{ctx.check(H5Oopen(group, name.c_str(), H5P_DEFAULT), fmt::format("opening {}", path))};
    const H5I_type_t kind = H5Iget_type(object);
    if (kind == H5I_DATASET) {
      datasets.push_back(read_dataset(ctx, object, path, name));
    } else if (kind == H5I_GROUP && name == "snapshot" && snapshot != nullptr) {
      *snapshot = read_group(ctx, file, path);
      *has_snapshot = true;
    } else {
      ctx.fail(fmt::format("unexpected object {} (not a dataset)", path), "unexpected layout", kNotOursResolution);
    }
  }
  return datasets;
}

/// Index of a "replicate_NNN" name, or -1 when `name` is not one.
std::int64_t replicate_index(const std::string& name) {
  if (name.rfind(kReplicatePrefix, 0) != 0 || name.size() == kReplicatePrefix.size()) return -1;
  const std::string digits = name.substr(kReplicatePrefix.size());
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) || digits.size() > 15)
    return -1;
  return std::stoll(digits);
}

void check_format(const Context& ctx, hid_t file) {
  if (ctx.check(H5Aexists(file, "format"), "reading the root attributes") <= 0)
    ctx.fail("it has no root attribute 'format', so it is not an imersim run file", "missing 'format' attribute",
             kNotOursResolution);
  const std::string format = read_string_attribute(ctx, file, "/", "format");
  if (format != kHdf5FormatTag)
    ctx.fail(fmt::format("its format is '{}' but this imersim reads '{}'", format, kHdf5FormatTag),
             "unsupported format", "read it with the imersim version that wrote it (see its imersim_version)");
}

}  // namespace

RunOutput read_hdf5(const fs::path& path) {
  Context ctx(path, "read", std::string(kReadResolution));
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    ctx.fail("no such file", "the file does not exist or is not a regular file",
             "check the path");
  if (H5Fis_hdf5(path.c_str()) <= 0)
    ctx.fail("it is not an HDF5 file", "no HDF5 signature found", kNotOursResolution);
  Hid file{ctx.check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "opening the file")};
  check_format(ctx, file);

  RunOutput out;
  std::vector<std::string> attribute_names;
  ctx.check(H5Aiterate2(file, H5_INDEX_NAME, H5_ITER_INC, nullptr, &collect_attribute_name, &attribute_names),
            "listing the root attributes");
  for (const auto& name : attribute_names) {
    if (name != "format") out.attributes[name] = read_string_attribute(ctx, file, "/", name);
  }

  std::map<std::int64_t, std::string> replicates;  // index -> group name, sorted by index
  bool has_summary = false;
  Hid root{ctx.check(H5Gopen2(file, "/", H5P_DEFAULT), "opening /")};
  for (const auto& name : link_names(ctx, root, "/")) {
    if (const std::int64_t index = replicate_index(name); index >= 0) replicates.emplace(index, name);
    has_summary = has_summary || name == "summary";
  }
  std::int64_t expected = 0;
  for (const auto& [index, name] : replicates) {
    if (index != expected)
      ctx.fail(fmt::format("replicate groups are not numbered 0..{} without gaps: {} is missing",
                           static_cast<std::int64_t>(replicates.size()) - 1,
                           replicate_group_name(static_cast<std::size_t>(expected), replicates.size())),
               "unexpected layout", kNotOursResolution);
    ++expected;
  }

  std::vector<std::vector<Dataset>> snapshots;
  bool any_snapshot = false;
  for (const auto& [index, name] : replicates) {
    std::vector<Dataset> snapshot;
    bool has_snapshot = false;
    out.replicates.push_back(read_group(ctx, file, "/" + name, &snapshot, &has_snapshot));
    snapshots.push_back(std::move(snapshot));
    any_snapshot = any_snapshot || has_snapshot;
  }
  if (any_snapshot) out.snapshots = std::move(snapshots);
  if (has_summary) out.summary = read_group(ctx, file, "/summary");
  return out;
}

}  // namespace imersim
