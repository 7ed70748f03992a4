// Lever 3, training and outreach for Hit-and-Runners and Survivors (DOMAIN §5.3). At enrolment the
// agent's skill closes `skill_gain` of its gap to 1 (finding winners). From then on its bookkeeping
// leakage is x (1 - leakage_reduction * w) and its ad-block chance x (1 - block_reduction * w),
// w = exp(-(months since training) / fade_months), or 1 without fading. Trainers may be Imers of
// Pioneer and above: capacity grows by trainees_per_mentor per such Imer alive.
#include <cmath>

#include "core/portable_math.hpp"
#include "policy/lever.hpp"

namespace imersim {
namespace {

class Training : public Lever {
 public:
  Training(const TrainingSpec& s, AgentTable& table) : Lever("training", 2, s, table), s_(s) {}

  [[nodiscard]] unsigned effect_kinds() const override { return kEffectBlock | kEffectLeakage; }
  [[nodiscard]] std::int64_t extra_capacity(const LeverMonth& mo) const override {
    return static_cast<std::int64_t>(std::floor(s_.trainees_per_mentor * static_cast<double>(mo.mentors)));
  }
  [[nodiscard]] std::int64_t enrol_cost(const LeverMonth&, std::size_t) const override { return s_.cost; }
  void enrol(LeverMonth& mo, std::size_t i) override {
    if (!mo.ledger.try_pay(s_.cost)) throw InvariantError("training: enrolment does not fit the budget");
    const double skill = skill_value(mo.pop.skill[i]);
    mo.pop.skill[i] = skill_fixed(skill + s_.skill_gain * (1.0 - skill));
  }
  void apply_effects(const LeverMonth& mo, std::size_t i, PolicyEffects& e) const override {
    double w = 1.0;
    if (s_.fade_months > 0)
      w = pmath::exp(-static_cast<double>(mo.c.month - mo.table.get(since_column(), i)) / static_cast<double>(s_.fade_months));
    e.block[i] *= static_cast<float>(1.0 - s_.block_reduction * w);
    e.leakage[i] *= static_cast<float>(1.0 - s_.leakage_reduction * w);
  }

 private:
  TrainingSpec s_;
};

}  // namespace

std::unique_ptr<Lever> make_training(const TrainingSpec& s, AgentTable& table) {
  return std::make_unique<Training>(s, table);
}

}  // namespace imersim
