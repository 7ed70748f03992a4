// Per-agent policy state as a structure of arrays of named int64 columns (membership, enrolment
// month, claims, loan balance, ...), indexed like the population's slots. Exists only when a lever
// is on, so Population::bytes_per_agent() does not grow.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "model/population.hpp"

namespace imersim {

class AgentTable {
 public:
  /// Adds a column (all zero) named `name` ("insurance.claims"); returns its index.
  std::size_t add(std::string name) {
    names_.push_back(std::move(name));
    cols_.emplace_back(slots_, 0);
    return cols_.size() - 1;
  }
  [[nodiscard]] std::int64_t& at(std::size_t col, std::size_t slot) { return cols_[col][slot]; }
  [[nodiscard]] std::int64_t get(std::size_t col, std::size_t slot) const { return cols_[col][slot]; }
  [[nodiscard]] std::size_t slots() const { return slots_; }
  [[nodiscard]] const std::vector<std::string>& names() const { return names_; }
  [[nodiscard]] std::vector<Column<std::int64_t>>& columns() { return cols_; }
  [[nodiscard]] const std::vector<Column<std::int64_t>>& columns() const { return cols_; }

  /// Grows (or shrinks) every column to `n` slots; new rows are zero.
  void resize(std::size_t n) {
    slots_ = n;
    for (auto& c : cols_) c.resize(n, 0);
  }
  /// Zeroes row `slot` (its agent left; the slot may be reused by a newcomer).
  void clear_row(std::size_t slot) {
    for (auto& c : cols_) c[slot] = 0;
  }
  /// Keeps the rows of live agents in order, exactly like Population::compact(); call it first.
  void compact(const Population& pop) {
    for (auto& c : cols_) {
      std::size_t out = 0;
      for (std::size_t i = 0; i < c.size(); ++i)
        if (pop.alive(i)) c[out++] = c[i];
      c.resize(out);
    }
    std::size_t alive = 0;
    for (std::size_t i = 0; i < slots_; ++i) alive += pop.alive(i);
    slots_ = alive;
  }

 private:
  std::size_t slots_ = 0;
  std::vector<std::string> names_;
  std::vector<Column<std::int64_t>> cols_;
};

}  // namespace imersim
