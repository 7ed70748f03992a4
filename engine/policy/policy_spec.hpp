// The frozen specification of a scenario's policy levers (`policies:`, DOMAIN §5): one struct per
// lever, each listing its fields once in visit() (the one list the parser, the resolved YAML and
// docs/policies.md are driven by). Mechanisms: engine/policy/<lever>.cpp and docs/model.md §8.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/stage.hpp"

namespace imersim {

/// Per-stage amounts, IDR (index = Stage).
using StageMoney = std::array<std::int64_t, kStages>;
/// Stages a lever accepts (index = Stage).
using StageSet = std::array<bool, kStages>;

/// Settings every lever has: when it runs, who may enrol, how many and at what total government cost.
struct LeverCommon {
  std::int64_t start = 0;              ///< first active month, 0 = first reported month (after burn-in)
  std::int64_t end = -1;               ///< first month no longer active (exclusive); -1 = to the end of the run
  StageSet stages{true, true, true, true, true};  ///< stages eligible to enrol
  std::int64_t min_months_active = 0;  ///< months since entry an agent needs before it may enrol
  bool requires_registration = false;  ///< only agents registered by the registry lever may enrol
  double take_up = 0.1;                ///< chance per month that an eligible agent applies
  std::int64_t capacity = 1000;        ///< most enrolments per month (agents)
  std::int64_t budget = 0;             ///< cap on the government's total outlay for this lever, IDR
  /// Where `requires_registration` (else the lever) was written: file, 1-based line and column (0 when
  /// not read from a file). Not a setting: it locates errors found only after a `base:` chain is merged.
  std::string source_file;
  int source_line = 0, source_column = 0;

  template <typename V>
  void visit_common(V& v) {
    v.integer("start", start, -100000, 100000, "month", "First active month; 0 = first reported month, negative = during burn-in.");
    v.integer("end", end, -1, 100000, "month", "First month no longer active (exclusive); -1 = to the end of the run.");
    v.stages("stages", stages, "Stages that may enrol.");
    v.integer("min_months_active", min_months_active, 0, 100000, "month", "Months since entry needed to enrol.");
    v.boolean("requires_registration", requires_registration, "Only agents in the Imers database (registry lever) may enrol.");
    v.real("take_up", take_up, 0, 1, "probability/month", "Chance per month that an eligible agent applies.");
    v.integer("capacity", capacity, 0, 1000000000, "agent/month", "Most enrolments per month.");
    v.money("budget", budget, "Cap on the government's total outlay for this lever (never exceeded).");
  }
};

/// 1. Imers database (PB24, DOMAIN §5.1): registration; can gate the other levers.
struct RegistrySpec : LeverCommon {
  std::int64_t cost = 50'000;  ///< government cost per registration, IDR
  RegistrySpec() { take_up = 0.05; capacity = 100000; }
  template <typename V>
  void visit(V& v) {
    visit_common(v);
    v.money("cost", cost, "Government cost of one registration (statistics-bureau interview).");
  }
};

/// 2. Insurance modelled on the farmers' AUTP (DOMAIN §5.5): monthly premium by stage, 80 % subsidy,
/// payout after `trigger_months` months in a row without a selling product.
struct InsuranceSpec : LeverCommon {
  StageMoney premium{50'000, 250'000, 1'000'000, 2'500'000, 5'000'000};  ///< IDR/month
  double subsidy_share = 0.8;                                           ///< government share of the premium
  std::int64_t trigger_months = 3;  ///< months in a row ending without a selling product that trigger a claim
  StageMoney payout{3'000'000, 15'000'000, 60'000'000, 150'000'000, 300'000'000};  ///< IDR per claim
  std::int64_t waiting_months = 3;  ///< months after enrolment before a claim is paid
  std::int64_t max_claims = 2;      ///< claims per member over its membership
  template <typename V>
  void visit(V& v) {
    visit_common(v);
    v.stage_money("premium", premium, "Monthly premium by stage (Imer and government shares together).");
    v.real("subsidy_share", subsidy_share, 0, 1, "share", "Share of the premium the government pays (AUTP: 0.8).");
    v.integer("trigger_months", trigger_months, 1, 255, "month", "Months in a row without a selling product that trigger a claim.");
    v.stage_money("payout", payout, "Payout per claim by stage.");
    v.integer("waiting_months", waiting_months, 0, 1000, "month", "Months after enrolment before claims are paid.");
    v.integer("max_claims", max_claims, 0, 1000, "claim", "Most claims per member.");
  }
};

/// 3. Training and outreach for Hit-and-Runners and Survivors (DOMAIN §5.3).
struct TrainingSpec : LeverCommon {
  std::int64_t cost = 1'500'000;  ///< government cost per trainee, IDR
  double skill_gain = 0.15;       ///< share of the gap to skill 1 closed at training (finding winners)
  double leakage_reduction = 0.5; ///< share of bookkeeping leakage removed
  double block_reduction = 0.3;   ///< share of the ad-block chance removed (consumer-protection practice)
  std::int64_t fade_months = 0;   ///< e-folding time of the leakage and block effects; 0 = no fading
  double trainees_per_mentor = 0; ///< extra monthly capacity per Pioneer-or-above Imer alive (mentors)
  TrainingSpec() { stages = {true, true, false, false, false}; }
  template <typename V>
  void visit(V& v) {
    visit_common(v);
    v.money("cost", cost, "Government cost per trainee.");
    v.real("skill_gain", skill_gain, 0, 1, "share", "Share of the gap to skill 1 closed by the training.");
    v.real("leakage_reduction", leakage_reduction, 0, 1, "share", "Share of bookkeeping leakage removed.");
    v.real("block_reduction", block_reduction, 0, 1, "share", "Share of the ad-block chance removed.");
    v.integer("fade_months", fade_months, 0, 100000, "month", "E-folding time of the leakage and block effects (0 = permanent).");
    v.real("trainees_per_mentor", trainees_per_mentor, 0, 1000, "agent/month", "Extra capacity per Pioneer-or-above Imer alive.");
  }
};

/// 4. Supplier matchmaking through SMESCO (DOMAIN §5.4): grants a good supplier.
struct MatchmakingSpec : LeverCommon {
  std::int64_t cost = 500'000;  ///< government cost per match, IDR
  MatchmakingSpec() { stages = {true, true, false, false, false}; }
  template <typename V>
  void visit(V& v) {
    visit_common(v);
    v.money("cost", cost, "Government cost per match.");
  }
};

/// 5. Credit on KUR terms (DOMAIN §5 finance facts): 6 % a year, at least 6 months active.
struct CreditSpec : LeverCommon {
  StageMoney loan{25'000'000, 50'000'000, 500'000'000, 500'000'000, 500'000'000};  ///< IDR per loan
  double rate = 0.06;             ///< interest the Imer pays, per year
  double subsidy_rate = 0.07;     ///< interest subsidy the government pays the bank, per year on the balance
  double guarantee_share = 0.7;   ///< share of a defaulted balance the government's guarantee covers
  std::int64_t term_months = 24;  ///< months to repay, equal principal instalments
  CreditSpec() { min_months_active = 6; }
  template <typename V>
  void visit(V& v) {
    visit_common(v);
    v.stage_money("loan", loan, "Loan size by stage (KUR Mikro up to 25 juta, Kecil 25-50 juta).");
    v.real("rate", rate, 0, 1, "1/year", "Interest the Imer pays (KUR: 0.06).");
    v.real("subsidy_rate", subsidy_rate, 0, 1, "1/year", "Interest subsidy the government pays the bank on the balance.");
    v.real("guarantee_share", guarantee_share, 0, 1, "share", "Share of a defaulted balance the government covers.");
    v.integer("term_months", term_months, 1, 600, "month", "Months to repay in equal principal instalments.");
  }
};

/// 6. Whitelisted ad accounts (DOMAIN §4 fix for blocked accounts).
struct WhitelistSpec : LeverCommon {
  std::int64_t cost = 100'000;  ///< government cost per account, IDR
  template <typename V>
  void visit(V& v) {
    visit_common(v);
    v.money("cost", cost, "Government cost of whitelisting one account.");
  }
};

/// 7. Anti-counterfeit support for brand owners (DOMAIN §3-4: counterfeits from Pioneer).
struct AntiCounterfeitSpec : LeverCommon {
  std::int64_t cost_per_month = 2'000'000;  ///< government cost per supported agent and month, IDR
  double loss_reduction = 0.5;              ///< share of the counterfeit loss removed
  AntiCounterfeitSpec() { stages = {false, false, true, true, true}; }
  template <typename V>
  void visit(V& v) {
    visit_common(v);
    v.money("cost_per_month", cost_per_month, "Government cost per supported agent and month.");
    v.real("loss_reduction", loss_reduction, 0, 1, "share", "Share of the counterfeit revenue loss removed.");
  }
};

/// Every lever a scenario may name; absent = not run. Levers run in this order each month.
struct PolicySpecs {
  std::optional<RegistrySpec> registry;
  std::optional<InsuranceSpec> insurance;
  std::optional<TrainingSpec> training;
  std::optional<MatchmakingSpec> matchmaking;
  std::optional<CreditSpec> credit;
  std::optional<WhitelistSpec> whitelist;
  std::optional<AntiCounterfeitSpec> anti_counterfeit;

  [[nodiscard]] bool empty() const {
    return !registry && !insurance && !training && !matchmaking && !credit && !whitelist && !anti_counterfeit;
  }
  /// Calls f(name, optional<Spec>&) for every lever, in run order.
  template <typename F>
  void for_each(F&& f) {
    f(std::string_view("registry"), registry);
    f(std::string_view("insurance"), insurance);
    f(std::string_view("training"), training);
    f(std::string_view("matchmaking"), matchmaking);
    f(std::string_view("credit"), credit);
    f(std::string_view("whitelist"), whitelist);
    f(std::string_view("anti_counterfeit"), anti_counterfeit);
  }
};

}  // namespace imersim
