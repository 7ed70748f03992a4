// `imersim check FILE... [--kind K] [--set k=v]...`: validates scenario, calibration, sweep and target
// files and reports every problem of each. The kind of each file is told by its top-level keys.
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/error.hpp"
#include "experiment/calibration_spec.hpp"
#include "experiment/sweep.hpp"
#include "experiment/targets.hpp"
#include "scenario/scenario.hpp"
#include "scenario/scenario_detail.hpp"

namespace imersim::cli {

namespace {

enum class FileKind { Scenario, Calibration, Sweep, Targets };
constexpr std::array<const char*, 4> kKindNames = {"scenario", "calibration", "sweep", "targets"};

/// The keys written at column 0 of a YAML file (`key:`), without parsing it: a file that does not
/// parse is then reported by the scenario loader, with its line, and aliases are never expanded.
std::set<std::string> top_level_keys(const std::string& file) {
  const auto word = [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) != 0 || ch == '_'; };
  std::set<std::string> keys;
  std::string why;
  const std::optional<std::string> text = scenario_detail::read_text(file, why);  // size-limited
  if (!text) return keys;  // unreadable: the loader says why, naming the file
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || !word(line[0])) continue;
    std::size_t end = 0;
    while (end < line.size() && word(line[end])) ++end;
    std::size_t colon = end;
    while (colon < line.size() && (line[colon] == ' ' || line[colon] == '\t')) ++colon;
    if (colon < line.size() && line[colon] == ':') keys.insert(line.substr(0, end));
  }
  return keys;
}

/// What a file is, from keys that only one kind has (docs/cli.md lists them); a scenario otherwise.
FileKind detect_kind(const std::string& file) {
  const auto keys = top_level_keys(file);
  const auto has = [&keys](const char* k) { return keys.count(k) != 0; };
  if (has("targets") || has("optimizer") || has("evaluation") || has("profile")) return FileKind::Calibration;
  if (has("design") || has("scenario") || has("outcomes")) return FileKind::Sweep;
  if (has("shares") || has("cohort")) return FileKind::Targets;
  return FileKind::Scenario;
}

/// Loads `file` as `kind`; returns the `OK` line's description, or throws the loader's error.
std::string check_file(const std::string& file, FileKind kind, const std::vector<std::string>& sets) {
  switch (kind) {
    case FileKind::Scenario:
      return fmt::format("scenario {}", load_scenario(file, sets).name);
    case FileKind::Calibration: {
      const CalibrationSpec c = load_calibration(file);
      return fmt::format("calibration {}: {} free parameter(s), base {}, targets {}", c.name, c.parameters.size(),
                         c.base_path.lexically_normal().string(),
                         c.targets.path.lexically_normal().string());
    }
    case FileKind::Sweep: {
      const SweepSpec s = load_sweep(file);
      return fmt::format("sweep {}: {} point(s) x {} replicate(s), scenario {}", s.name, s.rows.size(), s.replicates,
                         s.scenario.lexically_normal().string());
    }
    case FileKind::Targets: {
      const TargetSet t = load_targets(file);
      return fmt::format("targets {}: {} stage share(s), {} cohort target(s)", t.name, t.shares.size(), t.cohort.size());
    }
  }
  return {};
}

}  // namespace

void setup_check(CLI::App& app) {
  auto* sub = app.add_subcommand(
      "check", "Validate scenario, calibration, sweep and target files; list every problem of every file (exit 2 if any)");
  struct Args {
    std::vector<std::string> files;
    std::vector<std::string> sets;
    std::string kind = "auto";
  };
  auto args = std::make_shared<Args>();
  sub->add_option("FILE", args->files, "YAML files: scenarios, calibrations, sweeps or targets")->required();
  sub->add_option("--kind", args->kind,
                  "What the files are: auto (told by their top-level keys), scenario, calibration, sweep or targets")
      ->check(CLI::IsMember({"auto", "scenario", "calibration", "sweep", "targets"}))
      ->default_str("auto");
  add_set_option(sub, args->sets, "; scenario files only");
  set_action(sub, [args] {
    std::size_t invalid = 0;
    for (const std::string& file : args->files) {
      FileKind kind = FileKind::Scenario;
      if (args->kind == "auto") {
        kind = detect_kind(file);
      } else {
        for (std::size_t k = 0; k < kKindNames.size(); ++k)
          if (args->kind == kKindNames[k]) kind = static_cast<FileKind>(k);
      }
      try {
        if (kind != FileKind::Scenario && !args->sets.empty())
          throw InputError(file,
                           fmt::format("--set applies to scenario files only, and this is a {} file",
                                       kKindNames[static_cast<std::size_t>(kind)]),
                           "check it without --set, or read it as a scenario with --kind scenario");
        const std::string what = check_file(file, kind, args->sets);
        std::fputs(fmt::format("OK  {} ({})\n", file, what).c_str(), stdout);
      } catch (const InputError& e) {
        ++invalid;
        std::fputs(fmt::format("{}\n", e.what()).c_str(), stderr);
      } catch (const Error& e) {
        ++invalid;
        std::fputs(fmt::format("{}: error: {}\n", file, e.what()).c_str(), stderr);
      }
    }
    if (invalid == 0) return 0;
    std::fputs(fmt::format("imersim check: {} of {} file(s) have problems\n", invalid, args->files.size()).c_str(),
               stderr);
    return 2;
  });
}

}  // namespace imersim::cli
