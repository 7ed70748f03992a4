// Ledger: budget checks, monthly rows and their datasets.
#include "policy/ledger.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"

namespace imersim {

Ledger::Ledger(std::string lever, std::int64_t budget, std::vector<LedgerColumn> extra)
    : lever_(std::move(lever)), budget_(budget) {
  columns_ = {
      {"enrolments", "agent", "Agents enrolled this month."},
      {"members", "agent", "Live agents enrolled (covered, trained, matched, borrowing, ...) at month end."},
      {"government_outlay", "IDR", "What the government paid this month (gross)."},
      {"government_income", "IDR", "What the government received this month (insurance premiums of Imers)."},
      {"imer_paid", "IDR", "What Imers paid this month (premiums, loan interest)."},
      {"imer_received", "IDR", "What Imers received this month (claims)."},
      {"budget_used", "IDR", "Government outlay since the start of the run plus commitments, at month end (<= budget)."}};
  columns_.insert(columns_.end(), extra.begin(), extra.end());
  month_.assign(columns_.size(), 0);
}

bool Ledger::try_pay(std::int64_t amount) {
  if (amount < 0 || amount > available()) return false;
  spent_ += amount;
  month_[kGovernmentOutlay] += amount;
  return true;
}

bool Ledger::reserve(std::int64_t amount) {
  if (amount < 0 || amount > available()) return false;
  committed_ += amount;
  return true;
}

void Ledger::pay_reserved(std::int64_t amount) {
  if (amount < 0 || amount > committed_)
    throw InvariantError(fmt::format("policy {}: paying {} IDR from {} IDR of commitments", lever_, amount, committed_));
  committed_ -= amount;
  spent_ += amount;
  month_[kGovernmentOutlay] += amount;
}

void Ledger::release(std::int64_t amount) {
  if (amount < 0 || amount > committed_)
    throw InvariantError(fmt::format("policy {}: releasing {} IDR from {} IDR of commitments", lever_, amount, committed_));
  committed_ -= amount;
}

void Ledger::close_month(bool record) {
  month_[kBudgetUsed] = spent_ + committed_;
  if (spent_ + committed_ > budget_)
    throw InvariantError(fmt::format("policy {}: budget {} IDR exceeded ({} IDR)", lever_, budget_, spent_ + committed_));
  if (record) rows_.insert(rows_.end(), month_.begin(), month_.end());
  std::fill(month_.begin(), month_.end(), 0);
}

std::vector<Dataset> Ledger::datasets() const {
  std::vector<Dataset> out;
  const std::size_t n = months(), k = columns_.size();
  for (std::size_t c = 0; c < k; ++c) {
    Dataset d{fmt::format("policy_{}_{}", lever_, columns_[c].name), {n}, {"month"}, columns_[c].unit,
              columns_[c].description, true, {}, {}};
    for (std::size_t t = 0; t < n; ++t) d.ints.push_back(rows_[t * k + c]);
    out.push_back(std::move(d));
  }
  return out;
}

std::int64_t Ledger::total(std::size_t col) const {
  std::int64_t t = 0;
  for (std::size_t m = 0; m < months(); ++m) t += row(m, col);
  return t;
}

void Ledger::restore(const std::vector<std::int64_t>& v) {
  if (v.size() != 2) throw InvariantError(fmt::format("policy {}: saved ledger has {} values, not 2", lever_, v.size()));
  spent_ = v[0];
  committed_ = v[1];
}

}  // namespace imersim
