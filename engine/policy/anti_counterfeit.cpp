// Lever 7, anti-counterfeit support for brand owners (DOMAIN §3-4: counterfeits from Pioneer): a
// supported agent loses loss_reduction less of its revenue when counterfeits hit
// (shocks.counterfeit_loss x (1 - loss_reduction)). Support costs the government cost_per_month
// per agent and month, paid at enrolment and then each month; it lapses when the month cannot be
// paid, when the agent's stage is no longer eligible, or when the lever ends.
#include "policy/lever.hpp"

namespace imersim {
namespace {

class AntiCounterfeit : public Lever {
 public:
  AntiCounterfeit(const AntiCounterfeitSpec& s, AgentTable& table) : Lever("anti_counterfeit", 6, s, table), s_(s) {}

  [[nodiscard]] std::vector<LedgerColumn> ledger_columns() const override {
    return {{"lapses", "agent", "Supported agents whose support ended this month (unpaid, stage or lever end)."}};
  }
  [[nodiscard]] unsigned effect_kinds() const override { return kEffectCounterfeit; }
  void settle(LeverMonth& mo) override {
    for (std::size_t i = 0; i < mo.table.slots(); ++i) {
      if (!member(mo, i) || !mo.pop.alive(i)) continue;
      if (!mo.active || !s_.stages[mo.pop.stage[i]] || !mo.ledger.try_pay(s_.cost_per_month)) {
        mo.table.at(member_column(), i) = 0;
        ++mo.ledger[Ledger::kCommon];
      }
    }
  }
  [[nodiscard]] std::int64_t enrol_cost(const LeverMonth&, std::size_t) const override { return s_.cost_per_month; }
  void enrol(LeverMonth& mo, std::size_t) override {
    if (!mo.ledger.try_pay(s_.cost_per_month)) throw InvariantError("anti_counterfeit: enrolment does not fit the budget");
  }
  void apply_effects(const LeverMonth&, std::size_t i, PolicyEffects& e) const override {
    e.counterfeit[i] *= static_cast<float>(1.0 - s_.loss_reduction);
  }

 private:
  AntiCounterfeitSpec s_;
};

}  // namespace

std::unique_ptr<Lever> make_anti_counterfeit(const AntiCounterfeitSpec& s, AgentTable& table) {
  return std::make_unique<AntiCounterfeit>(s, table);
}

}  // namespace imersim
