// The one small interface every policy lever implements (one lever per file), and what a lever
// sees in its serial monthly pass. The schedule (eligibility, take-up, capacity, budget) is common
// and lives in policy_set.cpp; a lever only says what enrolment costs and does, what members pay
// or receive each month, and how it changes an agent's month.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "model/month_context.hpp"
#include "model/population.hpp"
#include "policy/agent_table.hpp"
#include "policy/effects.hpp"
#include "policy/ledger.hpp"
#include "policy/policy_spec.hpp"

namespace imersim {

/// Everything a lever's serial pass reads and writes this month.
struct LeverMonth {
  const MonthContext& c;
  Population& pop;
  AgentTable& table;
  Ledger& ledger;
  bool active;            ///< the month lies in the lever's [start, end) window
  std::int64_t mentors;   ///< live Pioneer-or-above agents at the start of the month
};

/// Which PolicyEffects a lever sets (bits).
enum EffectKind : unsigned { kEffectBlock = 1, kEffectLeakage = 2, kEffectCounterfeit = 4 };

class Lever {
 public:
  /// `index` fixes the lever's random purpose (Purpose::PolicyBase + index); its columns
  /// "<name>.member" and "<name>.since" are added to `table`.
  Lever(std::string name, int index, const LeverCommon& common, AgentTable& table);
  virtual ~Lever() = default;
  Lever(const Lever&) = delete;
  Lever& operator=(const Lever&) = delete;

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] int index() const { return index_; }
  [[nodiscard]] const LeverCommon& common() const { return common_; }
  [[nodiscard]] std::size_t member_column() const { return member_; }
  [[nodiscard]] std::size_t since_column() const { return since_; }
  /// The lever's own ledger columns (after the common ones).
  [[nodiscard]] virtual std::vector<LedgerColumn> ledger_columns() const { return {}; }
  /// EffectKind bits this lever sets.
  [[nodiscard]] virtual unsigned effect_kinds() const { return 0; }

  /// Serial, before enrolment, every month: members' payments, claims, repayments, lapses.
  virtual void settle(LeverMonth& /*mo*/) {}
  /// Lever-specific eligibility of a live non-member that passed the common rules.
  [[nodiscard]] virtual bool eligible(const LeverMonth& /*mo*/, std::size_t /*i*/) const { return true; }
  /// Extra enrolment capacity this month (training: mentors).
  [[nodiscard]] virtual std::int64_t extra_capacity(const LeverMonth& /*mo*/) const { return 0; }
  /// IDR of budget that enrolling agent i needs now (paid or committed by enrol()).
  [[nodiscard]] virtual std::int64_t enrol_cost(const LeverMonth& mo, std::size_t i) const = 0;
  /// Enrols agent i: pays or commits enrol_cost(i) (it fits the budget) and applies the lever.
  virtual void enrol(LeverMonth& mo, std::size_t i) = 0;
  /// Agent i (a member) left the population this month; its row is cleared afterwards.
  virtual void on_exit(LeverMonth& /*mo*/, std::size_t /*i*/) {}
  /// Multiplies this lever's effects on member i into `e` (sized for effect_kinds()).
  virtual void apply_effects(const LeverMonth& /*mo*/, std::size_t /*i*/, PolicyEffects& /*e*/) const {}
  /// Extra per-replicate datasets derived from the ledger (insurance: loss ratio).
  virtual void add_datasets(const Ledger& /*ledger*/, std::vector<Dataset>& /*out*/) const {}

 protected:
  [[nodiscard]] bool member(const LeverMonth& mo, std::size_t i) const { return mo.table.get(member_, i) != 0; }

 private:
  std::string name_;
  int index_;
  LeverCommon common_;  // a copy: levers own their settings
  std::size_t member_, since_;
};

/// One factory per lever file. `table` receives the lever's columns.
std::unique_ptr<Lever> make_registry(const RegistrySpec& s, AgentTable& table);
std::unique_ptr<Lever> make_insurance(const InsuranceSpec& s, AgentTable& table);
std::unique_ptr<Lever> make_training(const TrainingSpec& s, AgentTable& table);
std::unique_ptr<Lever> make_matchmaking(const MatchmakingSpec& s, AgentTable& table);
std::unique_ptr<Lever> make_credit(const CreditSpec& s, AgentTable& table);
std::unique_ptr<Lever> make_whitelist(const WhitelistSpec& s, AgentTable& table);
std::unique_ptr<Lever> make_anti_counterfeit(const AntiCounterfeitSpec& s, AgentTable& table);

}  // namespace imersim
