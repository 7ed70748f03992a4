// Lever 5, credit on KUR terms (DOMAIN §5 finance facts). An eligible agent without a loan borrows
// loan[stage] (bank money, added to capital), repaid in term_months equal principal instalments
// (ceil(loan / term)) plus interest round(balance * rate / 12), both taken from capital at the start
// of each month whatever the agent's cash (a shortfall shows up as bankruptcy at month end). The
// government pays the bank round(balance * subsidy_rate / 12) each month (interest subsidy) and, when
// a borrower exits with a balance, round(balance * guarantee_share) (the default guarantee). At
// origination the government commits the most that loan can cost it (every subsidy of the schedule
// plus the guarantee on the whole loan); payments come out of that commitment and the rest is
// released when the loan ends, so the budget is never exceeded. Loans run on after the lever ends.
#include <cmath>

#include "policy/lever.hpp"

namespace imersim {
namespace {

class Credit : public Lever {
 public:
  Credit(const CreditSpec& s, AgentTable& table)
      : Lever("credit", 4, s, table), s_(s), balance_(table.add("credit.balance")),
        step_(table.add("credit.instalment")), commit_(table.add("credit.commitment")) {}

  enum Column : std::size_t { kLoans = Ledger::kCommon, kDisbursed, kRepaid, kInterest, kSubsidy, kDefaults,
                              kDefaulted, kGuarantee };
  [[nodiscard]] std::vector<LedgerColumn> ledger_columns() const override {
    return {{"loans", "loan", "Loans made this month."},
            {"disbursed", "IDR", "Principal lent this month (bank money)."},
            {"repaid", "IDR", "Principal repaid this month."},
            {"interest", "IDR", "Interest Imers paid this month."},
            {"subsidy", "IDR", "Interest subsidy the government paid the banks this month."},
            {"defaults", "loan", "Borrowers that exited with a balance this month."},
            {"defaulted", "IDR", "Balances left unpaid by those exits."},
            {"guarantee", "IDR", "Government guarantee paid on those balances."}};
  }

  void settle(LeverMonth& mo) override {
    for (std::size_t i = 0; i < mo.table.slots(); ++i) {
      if (!member(mo, i) || !mo.pop.alive(i)) continue;
      const std::int64_t balance = mo.table.get(balance_, i);
      const std::int64_t interest = monthly(balance, s_.rate), subsidy = monthly(balance, s_.subsidy_rate);
      const std::int64_t principal = std::min(balance, mo.table.get(step_, i));
      mo.pop.capital[i] -= interest + principal;
      mo.table.at(balance_, i) = balance - principal;
      mo.ledger.pay_reserved(subsidy);
      mo.table.at(commit_, i) -= subsidy;
      mo.ledger[Ledger::kImerPaid] += interest;
      mo.ledger[kInterest] += interest;
      mo.ledger[kRepaid] += principal;
      mo.ledger[kSubsidy] += subsidy;
      if (balance - principal == 0) close(mo, i);
    }
  }
  [[nodiscard]] std::int64_t enrol_cost(const LeverMonth& mo, std::size_t i) const override {
    return commitment(s_.loan[mo.pop.stage[i]]);
  }
  void enrol(LeverMonth& mo, std::size_t i) override {
    const std::int64_t loan = s_.loan[mo.pop.stage[i]], commit = commitment(loan);
    if (!mo.ledger.reserve(commit)) throw InvariantError("credit: loan commitment does not fit the budget");
    mo.pop.capital[i] += loan;
    mo.table.at(balance_, i) = loan;
    mo.table.at(step_, i) = (loan + s_.term_months - 1) / s_.term_months;
    mo.table.at(commit_, i) = commit;
    ++mo.ledger[kLoans];
    mo.ledger[kDisbursed] += loan;
    if (loan == 0) close(mo, i);
  }
  void on_exit(LeverMonth& mo, std::size_t i) override {
    const std::int64_t balance = mo.table.get(balance_, i);
    const std::int64_t guarantee = std::llround(static_cast<double>(balance) * s_.guarantee_share);
    mo.ledger.pay_reserved(guarantee);
    mo.table.at(commit_, i) -= guarantee;
    ++mo.ledger[kDefaults];
    mo.ledger[kDefaulted] += balance;
    mo.ledger[kGuarantee] += guarantee;
    close(mo, i);
  }

 private:
  static std::int64_t monthly(std::int64_t balance, double yearly_rate) {
    return std::llround(static_cast<double>(balance) * yearly_rate / 12.0);
  }
  /// The most a loan can cost the government: every subsidy of its schedule plus the full guarantee.
  [[nodiscard]] std::int64_t commitment(std::int64_t loan) const {
    const std::int64_t step = (loan + s_.term_months - 1) / s_.term_months;
    std::int64_t total = std::llround(static_cast<double>(loan) * s_.guarantee_share);
    for (std::int64_t b = loan; b > 0; b -= std::min(b, step)) total += monthly(b, s_.subsidy_rate);
    return total;
  }
  /// Ends the loan: gives back what is left of its commitment; the agent may borrow again.
  void close(LeverMonth& mo, std::size_t i) {
    mo.ledger.release(mo.table.get(commit_, i));
    mo.table.at(commit_, i) = 0;
    mo.table.at(balance_, i) = 0;
    mo.table.at(member_column(), i) = 0;
  }

  CreditSpec s_;
  std::size_t balance_, step_, commit_;
};

}  // namespace

std::unique_ptr<Lever> make_credit(const CreditSpec& s, AgentTable& table) {
  return std::make_unique<Credit>(s, table);
}

}  // namespace imersim
