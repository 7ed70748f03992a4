// Lever 2, insurance modelled on the farmers' AUTP scheme (DOMAIN §5.5). Each month, serially and in
// slot order, before the agents' phases:
//  1. Premium: a member pays premium[stage] - subsidy from capital and the government pays subsidy =
//     round(premium[stage] * subsidy_share). The scheme is government-run: the Imers' share is
//     government income. A member that cannot pay its share, or whose subsidy no longer fits the
//     budget, lapses; so do all members when the lever ends.
//  2. Claim: a member past its waiting period, with claims left, whose last trigger_months months all
//     ended without a selling product (dry_months), and no claim in the last trigger_months months,
//     receives payout[stage] into capital, paid by the government if the budget allows (else the
//     claim is denied and counted).
// Enrolment pays the first month's premium (the agent must afford its share).
#include <cmath>

#include "policy/lever.hpp"

namespace imersim {
namespace {

class Insurance : public Lever {
 public:
  Insurance(const InsuranceSpec& s, AgentTable& table)
      : Lever("insurance", 1, s, table), s_(s), claims_(table.add("insurance.claims")),
        last_claim_(table.add("insurance.last_claim")) {}

  enum Column : std::size_t { kPremiums = Ledger::kCommon, kSubsidy, kClaims, kClaimsPaid, kClaimsDenied, kLapses };
  [[nodiscard]] std::vector<LedgerColumn> ledger_columns() const override {
    return {{"premiums", "IDR", "Premiums due this month, Imers' and government's shares together."},
            {"subsidy", "IDR", "Government share of the premiums."},
            {"claims", "claim", "Claims paid this month."},
            {"claims_paid", "IDR", "Payouts to Imers this month."},
            {"claims_denied", "claim", "Claims refused because the budget was spent."},
            {"lapses", "agent", "Members whose cover ended this month (share unpaid, budget, or lever end)."}};
  }

  void settle(LeverMonth& mo) override {
    for (std::size_t i = 0; i < mo.table.slots(); ++i) {
      if (!member(mo, i) || !mo.pop.alive(i)) continue;
      if (!mo.active || !pay_premium(mo, i)) {
        mo.table.at(member_column(), i) = 0;
        ++mo.ledger[kLapses];
        continue;
      }
      claim(mo, i);
    }
  }
  [[nodiscard]] bool eligible(const LeverMonth& mo, std::size_t i) const override {
    return mo.pop.capital[i] >= own_share(mo.pop.stage[i]);
  }
  [[nodiscard]] std::int64_t enrol_cost(const LeverMonth& mo, std::size_t i) const override {
    return subsidy(mo.pop.stage[i]);
  }
  void enrol(LeverMonth& mo, std::size_t i) override {
    if (!pay_premium(mo, i)) throw InvariantError("insurance: enrolment premium does not fit the budget");
  }
  void add_datasets(const Ledger& l, std::vector<Dataset>& out) const override {
    const double premiums = static_cast<double>(l.total(kPremiums));
    Dataset d{"policy_insurance_loss_ratio", {}, {}, "share",
              "Claims paid over premiums (both shares) over the reported months; NaN without premiums.", false, {}, {}};
    d.reals.push_back(premiums > 0 ? static_cast<double>(l.total(kClaimsPaid)) / premiums : std::nan(""));
    out.push_back(std::move(d));
  }

 private:
  [[nodiscard]] std::int64_t subsidy(std::uint8_t stage) const {
    return std::llround(static_cast<double>(s_.premium[stage]) * s_.subsidy_share);
  }
  [[nodiscard]] std::int64_t own_share(std::uint8_t stage) const { return s_.premium[stage] - subsidy(stage); }

  /// Charges this month's premium; false (nothing charged) when the agent or the budget cannot pay.
  bool pay_premium(LeverMonth& mo, std::size_t i) {
    const std::uint8_t stage = mo.pop.stage[i];
    const std::int64_t own = own_share(stage), sub = subsidy(stage);
    if (mo.pop.capital[i] < own || !mo.ledger.try_pay(sub)) return false;
    mo.pop.capital[i] -= own;
    mo.ledger[Ledger::kImerPaid] += own;
    mo.ledger[Ledger::kGovernmentIncome] += own;
    mo.ledger[kPremiums] += own + sub;
    mo.ledger[kSubsidy] += sub;
    return true;
  }

  void claim(LeverMonth& mo, std::size_t i) {
    const std::int64_t month = mo.c.month;
    const std::int64_t last = mo.table.get(last_claim_, i);  // month + 1 of the last claim, 0 = none
    if (month - mo.table.get(since_column(), i) < s_.waiting_months || mo.table.get(claims_, i) >= s_.max_claims ||
        mo.pop.dry_months[i] < s_.trigger_months || (last > 0 && month + 1 - last < s_.trigger_months))
      return;
    const std::int64_t payout = s_.payout[mo.pop.stage[i]];
    if (!mo.ledger.try_pay(payout)) {
      ++mo.ledger[kClaimsDenied];
      return;
    }
    mo.pop.capital[i] += payout;
    ++mo.table.at(claims_, i);
    mo.table.at(last_claim_, i) = month + 1;
    mo.ledger[Ledger::kImerReceived] += payout;
    ++mo.ledger[kClaims];
    mo.ledger[kClaimsPaid] += payout;
  }

  InsuranceSpec s_;
  std::size_t claims_, last_claim_;
};

}  // namespace

std::unique_ptr<Lever> make_insurance(const InsuranceSpec& s, AgentTable& table) {
  return std::make_unique<Insurance>(s, table);
}

}  // namespace imersim
