// Owns the HDF5 layout of sweep tables (docs/outputs.md, "Sweep tables"): /points columns, atomic write, read back.
#include "experiment/sweep_table.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <system_error>

#include "core/error.hpp"
#include "core/output_path.hpp"
#include "output/hdf5_support.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;
using hdf5::Context;
using hdf5::Hid;

constexpr std::string_view kWriteFix = "check that the sweep output directory is writable and has free space";
constexpr std::string_view kReadFix = "pass a shard or merged table written by `imersim sweep` / `imersim merge`";

std::string join_lines(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : "\n") + x;
  return s;
}

/// The table attribute `name` as an integer in [low, high]; a damaged file (edited, or not written by
/// imersim) is bad input naming the file and the attribute.
std::int64_t table_int(const fs::path& path, const std::string& name, const std::string& text, std::int64_t low,
                       std::int64_t high, int base = 10) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, base);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || v < low || v > high)
    throw InputError(path.string(), fmt::format("damaged sweep table: {} '{}' is not an integer in [{}, {}]", name,
                                                text, low, high),
                     std::string(kReadFix));
  return v;
}

std::vector<std::string> split_lines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) v.push_back(line);
  return v;
}

/// Writes a table file: string attributes on "/", then the columns of /points.
class TableWriter {
 public:
  TableWriter(const Context& ctx, hid_t file) : ctx_(ctx), file_(file) {}

  /// A scalar UTF-8 string attribute on `object` (the root, or a column).
  void attribute(hid_t object, const std::string& name, const std::string& value) {
    const std::string doing = fmt::format("writing attribute '{}'", name);
    Hid type = hdf5::utf8_string_type(ctx_);
    Hid space{ctx_.check(H5Screate(H5S_SCALAR), doing)};
    Hid a{ctx_.check(H5Acreate2(object, name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT), doing)};
    const char* text = value.c_str();
    ctx_.check(H5Awrite(a, type, &text), doing);
  }

  void group(const std::string& path) {
    Hid gcpl{ctx_.check(H5Pcreate(H5P_GROUP_CREATE), "creating /points")};
    ctx_.check(H5Pset_link_creation_order(gcpl, H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "creating /points");
    ctx_.check(H5Pset_obj_track_times(gcpl, false), "creating /points");
    Hid g{ctx_.check(H5Gcreate2(file_, path.c_str(), H5P_DEFAULT, gcpl, H5P_DEFAULT), "creating /points")};
  }

  /// One column: `dims` rows (x replicates), `type` in the file and in memory, with a description.
  void column(const std::string& name, std::vector<hsize_t> dims, hid_t type, const void* data,
              const std::string& description) {
    const std::string path = "/points/" + name;
    const std::string doing = fmt::format("writing {}", path);
    Hid space{ctx_.check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), doing)};
    Hid dcpl{ctx_.check(H5Pcreate(H5P_DATASET_CREATE), doing)};
    ctx_.check(H5Pset_obj_track_times(dcpl, false), doing);
    Hid d{ctx_.check(H5Dcreate2(file_, path.c_str(), type, space, H5P_DEFAULT, dcpl, H5P_DEFAULT), doing)};
    if (dims[0] > 0) ctx_.check(H5Dwrite(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), doing);
    attribute(d, "description", description);
  }

  void strings(const std::string& name, const std::vector<std::string>& values, const std::string& description) {
    std::vector<const char*> texts;
    for (const auto& v : values) texts.push_back(v.c_str());
    Hid type = hdf5::utf8_string_type(ctx_);
    column(name, {values.size()}, type, texts.data(), description);
  }

 private:
  const Context& ctx_;
  hid_t file_;
};

void write_table(const Context& ctx, hid_t file, const SweepTable& t, const std::map<std::string, std::string>& extra) {
  TableWriter w(ctx, file);
  w.attribute(file, "format", std::string(kSweepFormatTag));
  for (const auto& [k, v] : t.attributes) w.attribute(file, k, v);
  for (const auto& [k, v] : extra)
    if (!t.attributes.contains(k) && k != "format") w.attribute(file, k, v);
  w.group("/points");
  const std::size_t n = t.records.size();
  const auto reps = static_cast<std::size_t>(t.replicates);
  std::vector<std::int64_t> index;
  std::vector<std::string> hash, status, error;
  for (const auto& r : t.records) {
    index.push_back(r.index);
    hash.push_back(hash_hex(r.hash));
    status.emplace_back(r.ok ? "ok" : "failed");
    error.push_back(r.error);
  }
  w.column("index", {n}, H5T_NATIVE_INT64, index.data(), "design row of the point (0-based)");
  w.strings("hash", hash, "FNV-1a 64 of the point's resolved scenario, 16 hex digits (the manifest key)");
  w.strings("status", status, "ok, or failed (see error)");
  w.strings("error", error, "why the point failed (empty when ok)");
  for (std::size_t p = 0; p < t.parameters.size(); ++p) {
    std::vector<double> v;
    for (const auto& r : t.records) v.push_back(r.params.at(p));
    w.column("param." + t.parameters[p], {n}, H5T_NATIVE_DOUBLE, v.data(), "swept parameter value (its own unit)");
  }
  for (std::size_t o = 0; o < t.outcomes.size(); ++o) {
    std::vector<double> mean, all;
    for (std::size_t r = 0; r < n; ++r) {
      mean.push_back(t.mean(r, o));
      for (std::size_t k = 0; k < reps; ++k) all.push_back(t.records[r].outcomes.at(o * reps + k));
    }
    w.column("mean." + t.outcomes[o], {n}, H5T_NATIVE_DOUBLE, mean.data(), "outcome, mean over replicates");
    w.column("replicates." + t.outcomes[o], {n, reps}, H5T_NATIVE_DOUBLE, all.data(),
             "outcome per replicate [point, replicate]");
  }
}

/// Reads what TableWriter wrote.
class TableReader {
 public:
  TableReader(const Context& ctx, hid_t file) : ctx_(ctx), file_(file) {}

  std::string attribute(const std::string& name) {
    const std::string doing = fmt::format("reading root attribute '{}'", name);
    if (ctx_.check(H5Aexists(file_, name.c_str()), doing) <= 0)
      ctx_.fail(fmt::format("it has no root attribute '{}'", name), "not a sweep table", kReadFix);
    Hid a{ctx_.check(H5Aopen(file_, name.c_str(), H5P_DEFAULT), doing)};
    Hid type = hdf5::utf8_string_type(ctx_);
    char* text = nullptr;
    ctx_.check(H5Aread(a, type, &text), doing);
    std::string s = text ? text : "";
    H5free_memory(text);
    return s;
  }

  std::vector<double> reals(const std::string& name, std::size_t count) {
    std::vector<double> v(count);
    read(name, H5T_NATIVE_DOUBLE, v.data(), count);
    return v;
  }

  std::vector<std::int64_t> ints(const std::string& name, std::size_t count) {
    std::vector<std::int64_t> v(count);
    read(name, H5T_NATIVE_INT64, v.data(), count);
    return v;
  }

  std::vector<std::string> strings(const std::string& name, std::size_t count) {
    std::vector<char*> texts(count, nullptr);
    Hid type = hdf5::utf8_string_type(ctx_);
    read(name, type, texts.data(), count);
    std::vector<std::string> out;
    for (char* t : texts) {
      out.emplace_back(t ? t : "");
      H5free_memory(t);
    }
    return out;
  }

  std::size_t rows() {
    Hid d{ctx_.check(H5Dopen2(file_, "/points/index", H5P_DEFAULT), "opening /points/index")};
    Hid space{ctx_.check(H5Dget_space(d), "reading /points/index")};
    return static_cast<std::size_t>(ctx_.check(H5Sget_simple_extent_npoints(space), "reading /points/index"));
  }

 private:
  void read(const std::string& name, hid_t type, void* data, std::size_t count) {
    const std::string path = "/points/" + name;
    const std::string doing = fmt::format("reading {}", path);
    Hid d{ctx_.check(H5Dopen2(file_, path.c_str(), H5P_DEFAULT), doing)};
    Hid space{ctx_.check(H5Dget_space(d), doing)};
    if (static_cast<std::size_t>(ctx_.check(H5Sget_simple_extent_npoints(space), doing)) != count)
      ctx_.fail(fmt::format("{} has the wrong number of values (expected {})", path, count), "damaged table", kReadFix);
    if (count > 0) ctx_.check(H5Dread(d, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), doing);
  }
  const Context& ctx_;
  hid_t file_;
};

}  // namespace

double SweepTable::mean(std::size_t r, std::size_t o) const {
  const auto reps = static_cast<std::size_t>(replicates);
  double s = 0;
  for (std::size_t k = 0; k < reps; ++k) s += records[r].outcomes.at(o * reps + k);
  return s / static_cast<double>(reps);
}

SweepTable empty_table(const SweepSpec& spec) {
  SweepTable t;
  for (const auto& p : spec.parameters) t.parameters.push_back(p.key);
  t.outcomes = spec.outcomes;
  t.replicates = spec.replicates;
  t.attributes = {{"sweep_name", spec.name},
                  {"sweep_yaml", spec.text},
                  {"design", design_name(spec.design.kind)},
                  {"parameters", join_lines(t.parameters)},
                  {"outcomes", join_lines(t.outcomes)},
                  {"replicates", fmt::format("{}", spec.replicates)},
                  {"points_total", fmt::format("{}", spec.rows.size())},
                  {"saltelli_base", fmt::format("{}", spec.design.kind == DesignKind::Saltelli ? spec.design.points : 0)},
                  {"seeds", spec.seeds == SeedMode::Common ? "common" : "per_point"}};
  return t;
}

void write_sweep_table(const fs::path& path, const SweepTable& table, const std::map<std::string, std::string>& extra) {
  Context ctx(path, "write", std::string(kWriteFix));
  write_atomically(path, [&](const fs::path& tmp) {
    Hid fcpl{ctx.check(H5Pcreate(H5P_FILE_CREATE), "creating the file")};
    ctx.check(H5Pset_obj_track_times(fcpl, false), "creating the file");
    Hid file{ctx.check(H5Fcreate(tmp.c_str(), H5F_ACC_TRUNC, fcpl, H5P_DEFAULT), "creating the file")};
    write_table(ctx, file, table, extra);
    ctx.check(H5Fclose(file.release()), "closing the file");
  });
}

SweepTable read_sweep_table(const fs::path& path) {
  Context ctx(path, "read", std::string(kReadFix));
  std::error_code missing;
  if (!fs::is_regular_file(path, missing)) ctx.fail("no such file", "missing file", kReadFix);
  Hid file{ctx.check(H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), "opening the file")};
  TableReader rd(ctx, file);
  if (rd.attribute("format") != kSweepFormatTag)
    ctx.fail(fmt::format("its format is not '{}'", kSweepFormatTag), "not a sweep table", kReadFix);
  SweepTable t;
  for (const char* name : {"sweep_name", "sweep_yaml", "design", "parameters", "outcomes", "replicates", "points_total",
                           "saltelli_base", "seeds"})
    t.attributes[name] = rd.attribute(name);
  t.parameters = split_lines(t.attributes["parameters"]);
  t.outcomes = split_lines(t.attributes["outcomes"]);
  constexpr std::int64_t kMax = std::int64_t{1} << 40;
  t.replicates = table_int(path, "replicates", t.attributes["replicates"], 1, 1'000'000);
  const std::int64_t total = table_int(path, "points_total", t.attributes["points_total"], 0, kMax);
  (void)table_int(path, "saltelli_base", t.attributes["saltelli_base"], 0, kMax);
  const std::size_t n = rd.rows();  // may exceed points_total: a retried point is appended after its failure
  const auto reps = static_cast<std::size_t>(t.replicates);
  const auto index = rd.ints("index", n);
  const auto hash = rd.strings("hash", n);
  const auto status = rd.strings("status", n);
  const auto error = rd.strings("error", n);
  t.records.resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    auto& rec = t.records[r];
    rec.index = index[r];
    if (rec.index < 0 || rec.index >= total)
      throw InputError(path.string(), fmt::format("damaged sweep table: point index {} outside [0, {})", rec.index, total),
                       std::string(kReadFix));
    const std::string& h = hash[r];
    const auto [end, ec] = std::from_chars(h.data(), h.data() + h.size(), rec.hash, 16);
    if (h.empty() || ec != std::errc{} || end != h.data() + h.size())
      throw InputError(path.string(), fmt::format("damaged sweep table: point {} has hash '{}', not hexadecimal", rec.index, h),
                       std::string(kReadFix));
    rec.ok = status[r] == "ok";
    rec.error = error[r];
  }
  for (const auto& p : t.parameters) {
    const auto v = rd.reals("param." + p, n);
    for (std::size_t r = 0; r < n; ++r) t.records[r].params.push_back(v[r]);
  }
  for (std::size_t r = 0; r < n; ++r) t.records[r].outcomes.resize(t.outcomes.size() * reps);
  for (std::size_t o = 0; o < t.outcomes.size(); ++o) {
    const auto v = rd.reals("replicates." + t.outcomes[o], n * reps);
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t k = 0; k < reps; ++k) t.records[r].outcomes[o * reps + k] = v[r * reps + k];
  }
  return t;
}

}  // namespace imersim
