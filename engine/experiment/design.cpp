// Owns the design generators (grid, Latin hypercube, Saltelli) and the CSV design reader.
#include "experiment/design.hpp"

#include <boost/random/sobol.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <numeric>
#include <optional>
#include <sstream>

#include "analysis/sobol.hpp"
#include "rng/stream.hpp"
#include "scenario/scenario_detail.hpp"
#include "scenario/strict_map.hpp"

namespace imersim {
namespace {

/// Counter word of the LHS permutation streams. Design draws are keyed by the sweep's design seed
/// (never by a run seed), so they cannot collide with a simulation's streams in any way that matters;
/// the value only keeps them apart from each other by parameter (agent word = parameter index).
constexpr auto kLhsPurpose = static_cast<Purpose>(1000);

double round_if_whole(const SweepParameter& p, double v) {
  return p.spec != nullptr && p.spec->type != ParamType::Real ? std::round(v) : v;
}

std::vector<double> grid_values(const SweepParameter& p, std::int64_t levels) {
  if (!p.values.empty()) return p.values;
  std::vector<double> v;
  if (levels <= 1) return {round_if_whole(p, 0.5 * (p.min + p.max))};
  for (std::int64_t l = 0; l < levels; ++l)
    v.push_back(round_if_whole(p, p.min + (p.max - p.min) * static_cast<double>(l) / static_cast<double>(levels - 1)));
  return v;
}

std::vector<std::vector<double>> grid(const std::vector<SweepParameter>& params, std::int64_t levels) {
  std::vector<std::vector<double>> axes;
  std::size_t total = 1;
  for (const auto& p : params) {
    axes.push_back(grid_values(p, levels));
    total *= axes.back().size();
  }
  std::vector<std::vector<double>> rows(params.empty() ? 0 : total, std::vector<double>(params.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::size_t rest = r;
    for (std::size_t d = params.size(); d-- > 0;) {  // last parameter fastest
      rows[r][d] = axes[d][rest % axes[d].size()];
      rest /= axes[d].size();
    }
  }
  return rows;
}

std::vector<std::vector<double>> latin_hypercube(const std::vector<SweepParameter>& params, std::int64_t n,
                                                 std::uint32_t seed) {
  const auto count = static_cast<std::size_t>(n);
  std::vector<std::vector<double>> rows(count, std::vector<double>(params.size()));
  for (std::size_t d = 0; d < params.size(); ++d) {
    Stream rng(seed, 0, static_cast<std::uint32_t>(d), 0, kLhsPurpose);
    std::vector<std::size_t> perm(count);
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    for (std::size_t i = count; i-- > 1;) {  // Fisher-Yates with the stream's uniforms
      const auto j = static_cast<std::size_t>(rng.uniform() * static_cast<double>(i + 1));
      std::swap(perm[i], perm[std::min(j, i)]);
    }
    for (std::size_t i = 0; i < count; ++i) {
      const double u = (static_cast<double>(perm[i]) + rng.uniform()) / static_cast<double>(count);
      rows[i][d] = design_value(params[d], u);
    }
  }
  return rows;
}

std::vector<std::vector<double>> saltelli(const std::vector<SweepParameter>& params, std::int64_t base) {
  const std::size_t k = params.size();
  const auto n = static_cast<std::size_t>(base);
  // 32-bit Sobol points u = x / 2^32. Boost starts after the all-zero point; the next one is 0.5 in
  // every dimension, which would make A_0 = B_0 (a wasted base sample), so it is skipped too.
  boost::random::sobol_engine<std::uint32_t, 32> sobol(static_cast<unsigned>(2 * k));
  sobol.discard(2 * k);
  std::vector<std::vector<double>> rows(n * (k + 2), std::vector<double>(k));
  std::vector<double> a(k), b(k);
  for (std::size_t j = 0; j < n; ++j) {
    for (std::size_t d = 0; d < k; ++d) a[d] = design_value(params[d], static_cast<double>(sobol()) * 0x1p-32);
    for (std::size_t d = 0; d < k; ++d) b[d] = design_value(params[d], static_cast<double>(sobol()) * 0x1p-32);
    rows[saltelli_index(j, 0, k)] = a;
    rows[saltelli_index(j, 1, k)] = b;
    for (std::size_t i = 0; i < k; ++i) {
      auto& ab = rows[saltelli_index(j, 2 + i, k)];
      ab = a;
      ab[i] = b[i];
    }
  }
  return rows;
}

}  // namespace

std::string design_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::Grid: return "grid";
    case DesignKind::LatinHypercube: return "lhs";
    case DesignKind::Saltelli: return "saltelli";
    case DesignKind::Csv: return "csv";
  }
  return "?";
}

double design_value(const SweepParameter& p, double u) {
  if (!p.values.empty()) {
    const auto i = static_cast<std::size_t>(u * static_cast<double>(p.values.size()));
    return p.values[std::min(i, p.values.size() - 1)];
  }
  return round_if_whole(p, p.min + u * (p.max - p.min));
}

std::vector<std::vector<double>> design_points(const std::vector<SweepParameter>& params, const Design& design) {
  switch (design.kind) {
    case DesignKind::Grid: return grid(params, design.levels);
    case DesignKind::LatinHypercube: return latin_hypercube(params, design.points, design.seed);
    case DesignKind::Saltelli: return saltelli(params, design.points);
    case DesignKind::Csv: break;
  }
  std::vector<SweepParameter> from_file;
  std::vector<Diagnostic> diags;
  auto rows = read_csv_design(design.csv, from_file, diags);
  throw_if_any(diags);
  return rows;
}

namespace {
struct Cell {
  std::string text;
  int column;  ///< 1-based column of the first non-blank character
};
std::vector<Cell> split_csv_line(const std::string& line) {
  std::vector<Cell> cells;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    const std::string raw = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto b = raw.find_first_not_of(" \t\r");  // trim blanks and a trailing CR (files from Windows)
    const auto e = raw.find_last_not_of(" \t\r");
    if (b == std::string::npos) cells.push_back({"", static_cast<int>(start) + 1});
    else cells.push_back({raw.substr(b, e - b + 1), static_cast<int>(start + b) + 1});
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}
}  // namespace

std::vector<std::vector<double>> read_csv_design(const std::filesystem::path& path, std::vector<SweepParameter>& params,
                                                 std::vector<Diagnostic>& diags) {
  const std::string file = path.string();
  std::string why;
  const std::optional<std::string> text = scenario_detail::read_text(path, why);  // size-limited
  if (!text) {
    diags.push_back({file, 0, 0, "design.file", fmt::format("cannot read the CSV design file: {}", why),
                     "check the path (relative to the sweep file)"});
    return {};
  }
  // A spreadsheet's "CSV UTF-8" export starts with a byte-order mark: not part of the first key.
  const bool bom = text->rfind("\xEF\xBB\xBF", 0) == 0;
  std::istringstream in(bom ? text->substr(3) : *text);
  std::vector<std::vector<double>> rows;
  std::string line;
  int line_no = 0;
  bool header = true;
  params.clear();
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[0] == '#') continue;
    const auto cells = split_csv_line(line);
    if (header) {
      header = false;
      for (const auto& cell : cells) {
        const std::string& key = cell.text;
        const ParamSpec* spec = find_param(key);
        if (spec == nullptr) {
          const auto near = suggest_key(key);
          diags.push_back({file, line_no, cell.column, key, "unknown parameter in the CSV header",
                           near ? fmt::format("did you mean '{}'?", *near) : "`imersim params` lists the keys"});
        }
        if (std::any_of(params.begin(), params.end(), [&](const SweepParameter& q) { return q.key == key; }))
          diags.push_back({file, line_no, cell.column, key, "column listed twice in the CSV header",
                           "give each parameter one column"});
        params.push_back({key, spec, 0, 0, {}});
      }
      continue;
    }
    if (cells.size() != params.size()) {
      diags.push_back({file, line_no, 0, "", fmt::format("{} values, but the header names {} parameters", cells.size(),
                                                          params.size()), ""});
      continue;
    }
    if (static_cast<std::int64_t>(rows.size()) == kMaxDesignPoints) {
      diags.push_back({file, line_no, 0, "", fmt::format("more than {} points", kMaxDesignPoints),
                       "split the design into several sweep files"});
      break;
    }
    std::vector<double> row(cells.size());
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const auto& s = cells[c].text;
      const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), row[c]);
      if (ec != std::errc() || ptr != s.data() + s.size() || s.empty())
        diags.push_back({file, line_no, cells[c].column, params[c].key, fmt::format("'{}' is not a number", s), ""});
    }
    rows.push_back(std::move(row));
  }
  if (header) diags.push_back({file, 0, 0, "", "the CSV design is empty (no header)", "first line: parameter keys"});
  else if (rows.empty()) diags.push_back({file, 0, 0, "", "the CSV design has no points", "add one row per point"});
  return rows;
}

}  // namespace imersim
