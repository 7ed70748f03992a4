// A lever whose enrolment is a one-off government payment that may grant an agent flag for good:
// the shape of the registry (no flag), supplier matchmaking (kSupplierAccess) and whitelisting
// (kWhitelisted). Each of those keeps its own file with its factory and documentation.
#pragma once
#include "policy/lever.hpp"

namespace imersim {

class OneOffLever : public Lever {
 public:
  /// `flag`: the AgentFlag granted at enrolment (0 = none); agents that have it are not eligible.
  OneOffLever(std::string name, int index, const LeverCommon& common, AgentTable& table, std::int64_t cost,
              std::uint8_t flag)
      : Lever(std::move(name), index, common, table), cost_(cost), flag_(flag) {}

  [[nodiscard]] bool eligible(const LeverMonth& mo, std::size_t i) const override {
    return (mo.pop.flags[i] & flag_) == 0 || flag_ == 0;
  }
  [[nodiscard]] std::int64_t enrol_cost(const LeverMonth&, std::size_t) const override { return cost_; }
  void enrol(LeverMonth& mo, std::size_t i) override {
    if (!mo.ledger.try_pay(cost_)) throw InvariantError(name() + ": enrolment does not fit the budget");
    mo.pop.flags[i] = static_cast<std::uint8_t>(mo.pop.flags[i] | flag_);
  }

 private:
  std::int64_t cost_;
  std::uint8_t flag_;
};

}  // namespace imersim
