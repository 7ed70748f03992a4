// Fixed log-scale histogram of positive amounts (16 bins per doubling, 1 .. 2^48 IDR) with integer
// counts: thread-local histograms merge exactly, so quantiles are identical at any thread count.
// Hand-written because it must be bit-deterministic and cost a shift per value; no library offers that.
#pragma once
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace imersim {

class LogHistogram {
 public:
  static constexpr int kBinsPerOctave = 16;
  static constexpr int kOctaves = 48;
  static constexpr int kBins = kBinsPerOctave * kOctaves;  ///< bin 0 also holds every value <= 1

  /// Bin of `v`; values <= 1 (and NaN) go to bin 0, values >= 2^48 to the last bin.
  static int bin(float v) {
    if (!(v > 1.0f)) return 0;
    const auto bits = std::bit_cast<std::uint32_t>(v);
    const int b = static_cast<int>(bits >> 19) - 127 * kBinsPerOctave;
    return b < kBins ? b : kBins - 1;
  }
  /// Lower edge of bin `b` (IDR).
  static double lower(int b) { return std::bit_cast<float>(static_cast<std::uint32_t>(b + 127 * kBinsPerOctave) << 19); }
  /// Value reported for bin `b`: the middle of its edges (relative error at most 3.1 %); 0 for bin 0.
  static double middle(int b) { return b == 0 ? 0.0 : 0.5 * (lower(b) + lower(b + 1)); }

  void add(float v) { ++counts_[static_cast<std::size_t>(bin(v))]; }
  /// Counts one value in bin `b` (0 <= b < kBins), as add() does once bin(v) is known: for callers
  /// that compute bins for several values at once.
  void add_to_bin(int b) { ++counts_[static_cast<std::size_t>(b)]; }
  void clear() { counts_.fill(0); }
  friend bool operator==(const LogHistogram&, const LogHistogram&) = default;
  void merge(const LogHistogram& o) {
    for (std::size_t b = 0; b < counts_.size(); ++b) counts_[b] += o.counts_[b];
  }
  [[nodiscard]] std::uint64_t total() const {
    std::uint64_t n = 0;
    for (auto c : counts_) n += c;
    return n;
  }
  /// The q-quantile (0 < q < 1): middle of the first bin whose cumulative count reaches q * total.
  /// NaN when empty.
  [[nodiscard]] double quantile(double q) const {
    const std::uint64_t n = total();
    if (n == 0) return std::numeric_limits<double>::quiet_NaN();
    const double target = q * static_cast<double>(n);
    std::uint64_t cum = 0;
    for (int b = 0; b < kBins; ++b) {
      cum += counts_[static_cast<std::size_t>(b)];
      if (static_cast<double>(cum) >= target && cum > 0) return middle(b);
    }
    return middle(kBins - 1);
  }

 private:
  std::array<std::uint64_t, kBins> counts_{};
};

}  // namespace imersim
