// A state saved at month k and resumed continues bit for bit like the uninterrupted run (with and
// without levers, through a file), and an incompatible scenario is refused with a clear error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <stdexcept>

#include "core/error.hpp"
#include "model/state_io.hpp"
#include "scenario/policies.hpp"
#include "output/hdf5_writer.hpp"
#include "../policy/policy_test_support.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;

void expect_resume_identical(const PolicySpecs& policies, std::int64_t save_at, const Params& p = test::policy_params()) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
  SavedStates saved;
  RunExtras save;
  save.policies = &policies;
  save.save_at = save_at;
  save.save_to = &saved;
  const RunResult full = run_replicates(p, 0, 2, {}, save);
  ASSERT_EQ(saved.replicates.size(), 2u);
  saved.month = static_cast<std::uint32_t>(save_at);
  saved.params_text = state_params_text(p);
  saved.policies_text = "policies: {}\n";
  const fs::path file = fs::temp_directory_path() / ("imersim_state_" + std::to_string(::getpid()) + ".h5");
  write_state(file, saved);
  const SavedStates loaded = read_state(file);
  fs::remove(file);
  EXPECT_EQ(loaded.month, saved.month);
  RunExtras resume;
  resume.policies = &policies;
  resume.from = &loaded;
  const RunResult continued = run_replicates(p, 0, 2, {}, resume);
  for (std::size_t r = 0; r < 2; ++r) {
    EXPECT_EQ(continued.output.replicates[r].size(), full.output.replicates[r].size());
    test::expect_datasets_contain(continued.output.replicates[r], full.output.replicates[r]);
  }
}

TEST(StateResume, BaselineContinuesBitForBit) { expect_resume_identical(PolicySpecs{}, 12); }

TEST(StateResume, AShortStageWindowContinuesBitForBit) {
  Params p = test::policy_params();
  p.stage_window = 2;  // the ring's months 3 and 4 are not allocated, and saved as zeros
  expect_resume_identical(PolicySpecs{}, 12, p);
}

TEST(StateResume, EveryWindowSavesTheSameDatasets) {
  // The file layout has all kMaxWindow ring months, so a state file's datasets do not depend on
  // stage.window (and files written before the ring was sized by the window still read).
  std::vector<std::vector<std::string>> names;
  for (const std::int64_t window : {1, 4}) {
    Params p = test::policy_params();
    p.stage_window = window;
    SavedStates saved;
    RunExtras save;
    save.save_at = 6;
    save.save_to = &saved;
    (void)run_replicates(p, 0, 1, {}, save);
    ASSERT_EQ(saved.replicates.size(), 1u);
    names.emplace_back();
    for (const Dataset& d : saved.replicates[0]) {
      names.back().push_back(d.name);
      if (window == 1 && (d.name == "population_03" || d.name == "population_04" || d.name == "population_05")) {
        ASSERT_EQ(d.reals.size(), d.size()) << d.name;
        ASSERT_GT(d.size(), 0u) << d.name;
        for (double x : d.reals) ASSERT_EQ(x, 0.0) << d.name << ": a ring month beyond the window";
      }
      if (d.name == "population_layout") {
        // id, capital, the ring's 4 months (floats: negative sizes), each product slot's demand (16-bit
        // codes), age and life, skill, entry month, stage, highest stage, dry months, flags. (Files
        // written before the 16-bit demand had -4 for each demand: read_state refuses them.)
        const std::vector<std::int64_t> layout = {4, 8, -4, -4, -4, -4, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2, 1, 1, 2, 2, 1, 1, 1, 1};
        EXPECT_EQ(d.ints, layout) << "window " << window;
      }
    }
  }
  EXPECT_EQ(names[0], names[1]);
}

// Policy state (memberships, months, counts, IDR) is never negative nor beyond 2^53: an edited value
// is refused when the file is read, not met part-way through a run.
TEST(StateResume, EditedPolicyStateIsRefused) {
  const Params p = test::policy_params();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
  PolicySpecs levers = test::all_levers();
  levers.for_each([](std::string_view, auto& l) { l->start = -8; });
  SavedStates good;
  RunExtras save;
  save.policies = &levers;
  save.save_at = 7;
  save.save_to = &good;
  (void)run_replicates(p, 0, 1, {}, save);
  good.month = 7;
  good.params_text = state_params_text(p);
  good.policies_text = policies_yaml(levers);
  const fs::path file = fs::temp_directory_path() / ("imersim_policy_state_" + std::to_string(::getpid()) + ".h5");
  write_state(file, good);
  ASSERT_NO_THROW(read_state(file));
  int edited = 0;
  for (const std::string prefix : {"table.credit.balance", "ledger.credit"}) {
    for (const std::int64_t value : {std::int64_t{-1}, std::int64_t{1} << 60}) {
      SavedStates bad = good;
      for (auto& d : bad.replicates[0])
        if (d.name == prefix) {
          d.ints[0] = value;
          ++edited;
        }
      write_state(file, bad);
      try {
        (void)read_state(file);
        ADD_FAILURE() << "accepted " << prefix << " = " << value;
      } catch (const InputError& e) {
        EXPECT_NE(e.diagnostics().at(0).message.find(prefix + ": value " + std::to_string(value) + " out of range"),
                  std::string::npos)
            << e.diagnostics().at(0).message;
      }
    }
  }
  EXPECT_EQ(edited, 4);
  fs::remove(file);
}

TEST(StateResume, MidBurnInWithActiveLeversContinuesBitForBit) {
  PolicySpecs s = test::all_levers();
  s.for_each([](std::string_view, auto& l) { l->start = -8; });  // levers run from month 4, state saved at 7
  expect_resume_identical(s, 7);
}

TEST(StateResume, IncompatibleParametersAreRefusedByKey) {
  const Params p = test::policy_params();
  SavedStates s;
  s.month = 12;
  s.params_text = state_params_text(p);
  s.policies_text = "policies: {}\n";
  s.replicates.resize(1);
  Params other = p;
  other.testing_supplier_bonus = 2;
  other.run_months = 99;  // reporting keys may differ
  PolicySpecs training;
  training.training.emplace();
  EXPECT_NO_THROW(check_state_compatible(s, "s.h5", p, training, "a.yaml", 1));
  try {
    check_state_compatible(s, "s.h5", other, PolicySpecs{}, "b.yaml", 2);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u);
    EXPECT_EQ(e.diagnostics()[0].key, "testing.supplier_bonus");
    EXPECT_NE(e.diagnostics()[0].message.find("saved with testing.supplier_bonus=1.5, the scenario has 2"),
              std::string::npos);
    EXPECT_EQ(e.diagnostics()[1].key, "run.replicates");
  }
}

// A state saved without levers cannot continue a scenario whose lever was active before the state's
// month: the continued run would silently differ from the uninterrupted one.
TEST(StateResume, ALeverActiveBeforeALeverlessStateIsRefused) {
  Params p = test::policy_params();
  p.run_burn_in_months = 12;
  SavedStates s;
  s.month = 12;  // saved at the end of the burn-in
  s.params_text = state_params_text(p);
  s.policies_text = "policies: {}\n";
  s.replicates.resize(1);
  const auto with_training = [](std::int64_t start, std::int64_t end) {
    PolicySpecs specs;
    specs.training.emplace();
    specs.training->start = start;
    specs.training->end = end;
    return specs;
  };
  EXPECT_NO_THROW(check_state_compatible(s, "s.h5", p, with_training(0, -1), "a.yaml", 1));
  EXPECT_NO_THROW(check_state_compatible(s, "s.h5", p, with_training(3, 9), "a.yaml", 1));
  EXPECT_NO_THROW(check_state_compatible(s, "s.h5", p, with_training(0, 0), "a.yaml", 1));  // never active
  for (const auto& [start, end] : {std::pair{-4, -1}, std::pair{-20, -1}, std::pair{-1, 5}, std::pair{-4, 0}}) {
    try {
      check_state_compatible(s, "s.h5", p, with_training(start, end), "a.yaml", 1);
      ADD_FAILURE() << "accepted a lever active in [" << start << ", " << end << ")";
    } catch (const InputError& e) {
      ASSERT_EQ(e.diagnostics().size(), 1u);
      EXPECT_EQ(e.diagnostics()[0].key, "policies.training.start");
      EXPECT_EQ(e.diagnostics()[0].file, "a.yaml");
      EXPECT_NE(e.diagnostics()[0].message.find("saved after month 12 by a run without levers"), std::string::npos)
          << e.diagnostics()[0].message;
    }
  }
  // Saved mid-burn-in (month 7): a lever from month 8 (start -4 of a 12-month burn-in) is fine.
  s.month = 7;
  EXPECT_NO_THROW(check_state_compatible(s, "s.h5", p, with_training(-4, -1), "a.yaml", 1));
  EXPECT_THROW(check_state_compatible(s, "s.h5", p, with_training(-6, -1), "a.yaml", 1), InputError);
}

TEST(StateResume, ANonStateFileIsBadInput) {
  const fs::path file = fs::temp_directory_path() / ("imersim_notstate_" + std::to_string(::getpid()) + ".h5");
  RunOutput out;
  write_hdf5(file, out);
  EXPECT_THROW(read_state(file), InputError);
  fs::remove(file);
}

// A damaged or hand-edited state file is refused when read, naming the file and the dataset, before
// anything runs: restoring it would read out of bounds or continue from nonsense.
TEST(StateResume, ADamagedStateIsRefusedByDataset) {
  const Params p = test::policy_params();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 2);
  SavedStates good;
  RunExtras save;
  save.save_at = 6;
  save.save_to = &good;
  (void)run_replicates(p, 0, 1, {}, save);
  good.month = 6;
  good.params_text = state_params_text(p);
  good.policies_text = "policies: {}\n";
  const fs::path file = fs::temp_directory_path() / ("imersim_damaged_" + std::to_string(::getpid()) + ".h5");
  const auto dataset = [](SavedStates& s, const std::string& name) -> Dataset& {
    for (auto& d : s.replicates[0])
      if (d.name == name) return d;
    throw std::runtime_error("no dataset " + name);
  };
  write_state(file, good);
  ASSERT_NO_THROW(read_state(file));  // the undamaged state reads back
  struct Damage {
    std::string expect;  // in the message
    std::function<void(SavedStates&)> apply;
  };
  const std::vector<Damage> damages = {
      {"population_01: holds reals, not integers",
       [&](SavedStates& s) {
         Dataset& d = dataset(s, "population_01");
         d.is_int = false;
         d.reals.assign(d.ints.begin(), d.ints.end());
         d.ints.clear();
       }},
      {"population_03: ", [&](SavedStates& s) { dataset(s, "population_03").shape[0] -= 5; dataset(s, "population_03").reals.resize(dataset(s, "population_03").shape[0]); }},
      {"population_05: revenue 5 in a month of the revenue ring beyond stage.window=3",  // ring months 02-04 in use
       [&](SavedStates& s) { dataset(s, "population_05").reals[0] = 5.0; }},
      {"population_05: missing",
       [&](SavedStates& s) { std::erase_if(s.replicates[0], [](const Dataset& d) { return d.name == "population_05"; }); }},
      {"free_slots: slot numbers out of range", [&](SavedStates& s) { dataset(s, "free_slots").ints.assign(1, 1'000'000'000'000); dataset(s, "free_slots").shape = {1}; }},
      {"population_00: value -7 out of range", [&](SavedStates& s) { dataset(s, "population_00").ints[0] = -7; }},
      {"population_02: value nan out of range", [&](SavedStates& s) { dataset(s, "population_02").reals[0] = std::nan(""); }},
      {"population_02: value 3.4e+38 out of range", [&](SavedStates& s) { dataset(s, "population_02").reals[0] = 3.4e38; }},
      {"population_01: capital 4611686018427387904 out of range",  // 2^62: the month's sums would overflow
       [&](SavedStates& s) { dataset(s, "population_01").ints[0] = std::int64_t{1} << 62; }},
      {"stage 9 out of range", [&](SavedStates& s) { dataset(s, "population_20").ints[0] = 9; }},
      {"run: saved at month 6, but the file says month 7", [&](SavedStates& s) { s.month = 7; }},
      {"population_06: value 70000 out of range", [&](SavedStates& s) { dataset(s, "population_06").ints[0] = 70'000; }},
      {"population_08: a product with a demand but no life",  // slot 0: demand 06, age 07, life 08
       [&](SavedStates& s) {
         dataset(s, "population_06").ints[0] = 1000;
         dataset(s, "population_07").ints[0] = 0;
         dataset(s, "population_08").ints[0] = 0;
       }},
      {"population_09: demand code 60000 (2.296835809958953e+17 IDR) out of range",  // 2^57.7 IDR: beyond 2^53
       [&](SavedStates& s) { dataset(s, "population_09").ints[0] = 60'000; }},
      // A file of the layout before 16-bit demands (floats): named as such, not as a dataset of reals.
      {"the state was saved by an imersim with a different agent layout",
       [&](SavedStates& s) {
         for (const char* name : {"population_06", "population_09", "population_12", "population_15"}) {
           Dataset& d = dataset(s, name);
           d.is_int = false;
           d.reals.assign(d.ints.begin(), d.ints.end());
           d.ints.clear();
         }
         auto& layout = dataset(s, "population_layout").ints;
         for (const std::size_t k : {6, 9, 12, 15}) layout[k] = -4;
       }},
  };
  for (const Damage& damage : damages) {
    SavedStates bad = good;
    damage.apply(bad);
    write_state(file, bad);
    try {
      (void)read_state(file);
      ADD_FAILURE() << "accepted: " << damage.expect;
    } catch (const InputError& e) {
      EXPECT_EQ(e.diagnostics().at(0).file, file.string());
      EXPECT_NE(e.diagnostics().at(0).message.find(damage.expect), std::string::npos)
          << "expected '" << damage.expect << "' in: " << e.diagnostics().at(0).message;
    }
  }
  fs::remove(file);
}

}  // namespace
}  // namespace imersim
