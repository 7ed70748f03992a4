// A state saved at month k and resumed continues bit for bit like the uninterrupted run (with and
// without levers, through a file), and an incompatible scenario is refused with a clear error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"
#include "model/state_io.hpp"
#include "output/hdf5_writer.hpp"
#include "../policy/policy_test_support.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;

void expect_resume_identical(const PolicySpecs& policies, std::int64_t save_at) {
  const Params p = test::policy_params();
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
  EXPECT_NO_THROW(check_state_compatible(s, "s.h5", p, "policies:\n  training: {}\n", "a.yaml", 1));
  try {
    check_state_compatible(s, "s.h5", other, "policies: {}\n", "b.yaml", 2);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u);
    EXPECT_EQ(e.diagnostics()[0].key, "testing.supplier_bonus");
    EXPECT_NE(e.diagnostics()[0].message.find("saved with testing.supplier_bonus=1.5, the scenario has 2"),
              std::string::npos);
    EXPECT_EQ(e.diagnostics()[1].key, "run.replicates");
  }
}

TEST(StateResume, ANonStateFileIsAnIoError) {
  const fs::path file = fs::temp_directory_path() / ("imersim_notstate_" + std::to_string(::getpid()) + ".h5");
  RunOutput out;
  write_hdf5(file, out);
  EXPECT_THROW(read_state(file), IoError);
  fs::remove(file);
}

}  // namespace
}  // namespace imersim
