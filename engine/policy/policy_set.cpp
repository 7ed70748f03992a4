// The policy schedule: common eligibility, take-up, priority, capacity and budget rules (serial and
// deterministic), exits, effects, and the cost totals.
#include "policy/policy_set.hpp"

#include <algorithm>
#include <tuple>

#include "rng/stream.hpp"

namespace imersim {

PolicySet::PolicySet(const PolicySpecs& specs, const Params& p) : burn_in_(p.run_burn_in_months) {
  if (specs.registry) levers_.push_back(make_registry(*specs.registry, table_));
  if (specs.insurance) levers_.push_back(make_insurance(*specs.insurance, table_));
  if (specs.training) levers_.push_back(make_training(*specs.training, table_));
  if (specs.matchmaking) levers_.push_back(make_matchmaking(*specs.matchmaking, table_));
  if (specs.credit) levers_.push_back(make_credit(*specs.credit, table_));
  if (specs.whitelist) levers_.push_back(make_whitelist(*specs.whitelist, table_));
  if (specs.anti_counterfeit) levers_.push_back(make_anti_counterfeit(*specs.anti_counterfeit, table_));
  for (const auto& l : levers_) {
    ledgers_.emplace_back(l->name(), l->common().budget, l->ledger_columns());
    effect_kinds_ |= l->effect_kinds();
    if (l->name() == "registry") {
      has_registry_ = true;
      registry_member_ = l->member_column();
    }
  }
}

bool PolicySet::active(const Lever& lever, std::uint32_t month) const {
  const std::int64_t m = static_cast<std::int64_t>(month) - burn_in_;
  const LeverCommon& c = lever.common();
  return m >= c.start && (c.end < 0 || m < c.end);
}

void PolicySet::begin_month(const MonthContext& c, Population& pop) {
  table_.resize(pop.slots());
  std::int64_t mentors = 0;
  for (std::size_t i = 0; i < pop.slots(); ++i)
    mentors += pop.alive(i) && pop.stage[i] >= static_cast<std::uint8_t>(Stage::Pioneer);
  for (std::size_t k = 0; k < levers_.size(); ++k) {
    LeverMonth mo{c, pop, table_, ledgers_[k], active(*levers_[k], c.month), mentors};
    levers_[k]->settle(mo);
    if (mo.active) enrol(mo, *levers_[k]);
  }
  // Effects: 1 everywhere, times each member's lever effects.
  auto reset = [&](Column<float>& v, unsigned kind) {
    if (effect_kinds_ & kind) v.assign(pop.slots(), 1.0f);
  };
  reset(effects_.block, kEffectBlock);
  reset(effects_.leakage, kEffectLeakage);
  reset(effects_.counterfeit, kEffectCounterfeit);
  if (effect_kinds_ == 0) return;
  for (std::size_t k = 0; k < levers_.size(); ++k) {
    if (levers_[k]->effect_kinds() == 0) continue;
    const LeverMonth mo{c, pop, table_, ledgers_[k], active(*levers_[k], c.month), mentors};
    for (std::size_t i = 0; i < pop.slots(); ++i)
      if (pop.alive(i) && table_.get(levers_[k]->member_column(), i) != 0) levers_[k]->apply_effects(mo, i, effects_);
  }
}

void PolicySet::enrol(LeverMonth& mo, Lever& lever) {
  const LeverCommon& common = lever.common();
  const std::int64_t capacity = common.capacity + lever.extra_capacity(mo);
  if (capacity <= 0 || common.take_up <= 0 || mo.ledger.available() <= 0) return;
  const auto purpose = static_cast<Purpose>(static_cast<std::uint32_t>(Purpose::PolicyBase) +
                                            static_cast<std::uint32_t>(lever.index()));
  // Applicants: eligible live non-members that take up this month, each with a random priority
  // drawn from its own stream (the same whatever other agents do).
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::size_t>> applicants;  // priority, id, slot
  const Population& pop = mo.pop;
  for (std::size_t i = 0; i < pop.slots(); ++i) {
    if (!pop.alive(i) || table_.get(lever.member_column(), i) != 0 || !common.stages[pop.stage[i]]) continue;
    if (static_cast<std::int64_t>(mo.c.month) - pop.entry_month[i] < common.min_months_active) continue;
    if (common.requires_registration && !(has_registry_ && table_.get(registry_member_, i) != 0)) continue;
    if (!lever.eligible(mo, i)) continue;
    Stream rng = mo.c.stream(pop.id[i], purpose);
    if (!rng.bernoulli(common.take_up)) continue;
    applicants.emplace_back(rng(), pop.id[i], i);
  }
  std::sort(applicants.begin(), applicants.end());
  std::int64_t enrolled = 0;
  for (const auto& [priority, id, i] : applicants) {
    if (enrolled == capacity || mo.ledger.available() <= 0) break;
    if (lever.enrol_cost(mo, i) > mo.ledger.available()) continue;  // a cheaper applicant may still fit
    lever.enrol(mo, i);
    mo.table.at(lever.member_column(), i) = 1;
    mo.table.at(lever.since_column(), i) = mo.c.month;
    ++mo.ledger[Ledger::kEnrolments];
    ++enrolled;
  }
}

void PolicySet::end_month(const MonthContext& c, Population& pop) {
  table_.resize(pop.slots());
  for (std::size_t k = 0; k < levers_.size(); ++k) {
    LeverMonth mo{c, pop, table_, ledgers_[k], active(*levers_[k], c.month), 0};
    const std::size_t member = levers_[k]->member_column();
    std::int64_t members = 0;
    for (std::size_t i = 0; i < pop.slots(); ++i) {
      if (table_.get(member, i) == 0) continue;
      if (pop.alive(i))
        ++members;
      else
        levers_[k]->on_exit(mo, i);
    }
    ledgers_[k][Ledger::kMembers] = members;
  }
  for (std::size_t i = 0; i < pop.slots(); ++i)
    if (!pop.alive(i)) table_.clear_row(i);
  const bool reported = static_cast<std::int64_t>(c.month) >= burn_in_;
  for (auto& l : ledgers_) l.close_month(reported);
}

std::vector<Dataset> PolicySet::datasets() const {
  std::vector<Dataset> out;
  const std::size_t months = ledgers_.empty() ? 0 : ledgers_.front().months();
  Dataset gov{"government_cost", {months}, {"month"}, "IDR",
              "Government outlay minus government income over all policy levers this month.", true, {}, {}};
  Dataset imer{"imer_cost", {months}, {"month"}, "IDR",
               "What Imers paid to policy levers this month (premiums, loan interest).", true, {}, {}};
  gov.ints.assign(months, 0);
  imer.ints.assign(months, 0);
  for (std::size_t k = 0; k < ledgers_.size(); ++k) {
    const Ledger& l = ledgers_[k];
    for (std::size_t t = 0; t < months; ++t) {
      gov.ints[t] += l.row(t, Ledger::kGovernmentOutlay) - l.row(t, Ledger::kGovernmentIncome);
      imer.ints[t] += l.row(t, Ledger::kImerPaid);
    }
    for (auto& d : l.datasets()) out.push_back(std::move(d));
    levers_[k]->add_datasets(l, out);
  }
  out.push_back(std::move(gov));
  out.push_back(std::move(imer));
  return out;
}

}  // namespace imersim
