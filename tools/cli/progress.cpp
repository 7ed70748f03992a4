// Progress bar drawing, throttled to 10 redraws a second.
#include "progress.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace imersim::cli {

ProgressBar::ProgressBar(bool enabled, std::string label)
    : enabled_(enabled && isatty(STDERR_FILENO) != 0), label_(std::move(label)),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

void ProgressBar::update(const Progress& p) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const bool last = p.month == p.months && p.replicate + 1 == p.replicates;
  if (!last && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double done = static_cast<double>(p.replicate * p.months + p.month) / static_cast<double>(p.replicates * p.months);
  const double rate = elapsed > 0 ? static_cast<double>(p.agent_months) / elapsed : 0.0;
  const double eta = done > 0 ? elapsed * (1 - done) / done : 0.0;
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(done * kWidth);
  std::fprintf(stderr, "\r%s[%s%s] rep %lld/%lld month %lld/%lld  %.2fM agent-months/s  pop %lld  ETA %.0fs  ",
               label_.c_str(), std::string(static_cast<std::size_t>(filled), '#').c_str(),
               std::string(static_cast<std::size_t>(kWidth - filled), '.').c_str(),
               static_cast<long long>(p.replicate + 1), static_cast<long long>(p.replicates),
               static_cast<long long>(p.month), static_cast<long long>(p.months), rate / 1e6,
               static_cast<long long>(p.population), eta);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::finish() {
  if (enabled_ && drawn_) std::fputs("\n", stderr);
  drawn_ = false;
}

}  // namespace imersim::cli
