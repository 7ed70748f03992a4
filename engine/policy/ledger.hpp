// Accounting of one lever: this month's flows (who paid whom, in whole rupiah), the budget (spent
// plus committed never exceeds it), and the monthly rows of the reported months as datasets.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "output/dataset.hpp"

namespace imersim {

/// One monthly series of a ledger.
struct LedgerColumn {
  std::string name;         ///< dataset "policy_<lever>_<name>"
  std::string unit;         ///< "IDR", "agent", "claim", ...
  std::string description;  ///< one sentence
};

class Ledger {
 public:
  /// Columns every lever has, in this order, before its own.
  enum Common : std::size_t {
    kEnrolments, kMembers, kGovernmentOutlay, kGovernmentIncome, kImerPaid, kImerReceived, kBudgetUsed, kCommon
  };
  /// `budget` caps the government's gross outlay (IDR); `extra` are the lever's own columns.
  Ledger(std::string lever, std::int64_t budget, std::vector<LedgerColumn> extra);

  /// This month's value of column `col` (common ones by Common, the lever's own from kCommon on).
  [[nodiscard]] std::int64_t& operator[](std::size_t col) { return month_[col]; }
  /// IDR the government may still pay or commit.
  [[nodiscard]] std::int64_t available() const { return budget_ - spent_ - committed_; }
  [[nodiscard]] std::int64_t budget() const { return budget_; }
  [[nodiscard]] std::int64_t spent() const { return spent_; }
  [[nodiscard]] std::int64_t committed() const { return committed_; }

  /// Pays `amount` IDR from the uncommitted budget; false (nothing paid) when it does not fit.
  bool try_pay(std::int64_t amount);
  /// Reserves `amount` IDR for later payments; false when it does not fit.
  bool reserve(std::int64_t amount);
  /// Pays `amount` IDR out of earlier reservations (InvariantError if more than reserved).
  void pay_reserved(std::int64_t amount);
  /// Gives back `amount` IDR of reservations that will not be paid.
  void release(std::int64_t amount);

  /// Ends the month: sets budget_used, appends the row when `record` (a reported month), zeroes the flows.
  void close_month(bool record);
  /// One int64 dataset per column over the recorded months, named policy_<lever>_<column>.
  [[nodiscard]] std::vector<Dataset> datasets() const;
  /// Sum of column `col` over the recorded months.
  [[nodiscard]] std::int64_t total(std::size_t col) const;
  [[nodiscard]] std::size_t months() const { return rows_.size() / columns_.size(); }
  [[nodiscard]] std::int64_t row(std::size_t month, std::size_t col) const { return rows_[month * columns_.size() + col]; }
  [[nodiscard]] const std::string& lever() const { return lever_; }

  /// Budget state for saving and restoring a run (spent, committed).
  [[nodiscard]] std::vector<std::int64_t> saved() const { return {spent_, committed_}; }
  void restore(const std::vector<std::int64_t>& v);

 private:
  std::string lever_;
  std::int64_t budget_, spent_ = 0, committed_ = 0;
  std::vector<LedgerColumn> columns_;
  std::vector<std::int64_t> month_, rows_;
};

}  // namespace imersim
