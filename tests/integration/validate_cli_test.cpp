// `imersim validate` end to end: PASS exits 0, FAIL exits 1, bad targets exit 2 and write nothing;
// the HDF5 file holds the runs and the fit (per-replicate values, CI, errors, verdict).
#include <gtest/gtest.h>

#include "validate_cli_support.hpp"

namespace imersim::cli_test {
namespace {

const std::string kData = IMERSIM_TEST_DATA;

TEST(ValidateCli, LooseTargetsPassStrictTargetsFail) {
  const auto d = scratch("validate_exit");
  const std::string scen = kData + "/integration/tiny.yaml";
  const auto pass = cli(d, "validate " + scen + " --targets " + kData + "/targets/loose.yaml --quiet --out pass.h5");
  EXPECT_EQ(pass.status, 0) << pass.out << pass.err;
  EXPECT_NE(pass.out.find("PASS: 5 of 5 targets within tolerance"), std::string::npos) << pass.out;
  EXPECT_NE(pass.out.find("95% CI"), std::string::npos);
  EXPECT_NE(pass.out.find("log-share chi-square"), std::string::npos);
  const auto fail = cli(d, "validate " + scen + " --targets " + kData + "/targets/strict.yaml --quiet --out fail.h5");
  EXPECT_EQ(fail.status, 1) << fail.out << fail.err;
  EXPECT_NE(fail.out.find("FAIL: 0 of 5 targets within tolerance"), std::string::npos) << fail.out;
  // Same seeds: the simulated columns of both tables are the same numbers.
  EXPECT_EQ(pass.out.substr(0, pass.out.find("targets ")), fail.out.substr(0, fail.out.find("targets ")));
  std::filesystem::remove_all(d);
}

TEST(ValidateCli, WritesFitToHdf5ReadableByH5py) {
  if (std::system("/usr/bin/python3 -c 'import h5py' 2>/dev/null") != 0) GTEST_SKIP() << "python3-h5py missing";
  const auto d = scratch("validate_h5");
  const auto r = cli(d, "validate " + kData + "/integration/tiny.yaml --replicates 3 --quiet --out v.h5");
  ASSERT_TRUE(r.status == 0 || r.status == 1) << r.err;
  std::ofstream(d / "read.py") << "import h5py\n"
                                  "f = h5py.File('v.h5', 'r')\n"
                                  "s = f['summary']\n"
                                  "print(s['fit_replicate_values'].shape, s['fit_pass'].shape)\n"
                                  "print(f.attrs['fit_result'], f.attrs['fit_targets'].split(',')[4])\n"
                                  "print(len([g for g in f if g.startswith('replicate_')]))\n"
                                  "ok = all(s['fit_ci_low'][i] <= s['fit_mean'][i] <= s['fit_ci_high'][i] for i in range(5))\n"
                                  "print('ci-ok' if ok else 'ci-bad')\n"
                                  "print('drift', s['drift_change'].shape, f.attrs['steady_state'] in ('yes', 'no'))\n";
  const auto py = shell(d, "/usr/bin/python3 read.py");
  ASSERT_EQ(py.status, 0) << py.err;
  EXPECT_NE(py.out.find("(3, 5) (5,)"), std::string::npos) << py.out;
  EXPECT_NE(py.out.find(r.status == 0 ? "PASS share.challenger" : "FAIL share.challenger"), std::string::npos) << py.out;
  EXPECT_NE(py.out.find("\n3\n"), std::string::npos) << py.out;
  EXPECT_NE(py.out.find("ci-ok"), std::string::npos) << py.out;
  EXPECT_NE(py.out.find("drift (5,) True"), std::string::npos) << py.out;
  EXPECT_NE(r.out.find("steady state: change of each share from the first to the last 6 of the 12 reported months"),
            std::string::npos)
      << r.out;
  std::filesystem::remove_all(d);
}

// A burn-in saved once (run --save-state) and validated from (--from) gives the same fit, bit for bit,
// as validating from month 0; run and bench continue from it too; a scenario that does not fit the
// state exits 2 and writes nothing.
TEST(ValidateCli, FromSavedBurnInGivesTheSameFit) {
  const auto d = scratch("validate_from");
  const std::string scen = kData + "/integration/tiny.yaml";
  const auto saved = cli(d, "run " + scen + " --quiet --out run.h5 --save-state state.h5");
  ASSERT_EQ(saved.status, 0) << saved.out << saved.err;
  const auto full = cli(d, "validate " + scen + " --quiet --out full.h5");
  const auto from = cli(d, "validate " + scen + " --quiet --out from.h5 --from state.h5 --threads 1");
  ASSERT_TRUE(full.status == 0 || full.status == 1) << full.err;
  EXPECT_EQ(from.status, full.status) << from.err;
  EXPECT_NE(from.out.find("continued from state.h5 after month 24"), std::string::npos) << from.out;
  // Everything after the header line up to the output path: the fit table and the verdict.
  const auto after = [](const std::string& out, const std::string& first) {
    const auto a = out.find(first);
    return out.substr(a, out.find("wrote") - a);
  };
  EXPECT_EQ(after(from.out, "\n"), after(full.out, "\n"));
  // The reported months of `run --from` equal those of the uninterrupted run: same stage table.
  const auto rerun = cli(d, "run " + scen + " --quiet --out rerun.h5 --from state.h5");
  ASSERT_EQ(rerun.status, 0) << rerun.err;
  EXPECT_EQ(after(rerun.out, "stage "), after(saved.out, "stage "));
  const auto early = cli(d, "run " + scen + " --quiet --out early.h5 --from state.h5 --save-state again.h5 --save-at 20");
  EXPECT_EQ(early.status, 2);
  EXPECT_NE(early.err.find("--save-at must be after month 24"), std::string::npos) << early.err;
  EXPECT_FALSE(std::filesystem::exists(d / "again.h5"));
  // bench times months from the saved population; it needs the saving scenario.
  const auto bench = cli(d, "bench --scenario " + scen + " --from state.h5 --months 2 --threads 1");
  ASSERT_EQ(bench.status, 0) << bench.err;
  EXPECT_NE(bench.out.find("bench: start=state agents="), std::string::npos) << bench.out;
  EXPECT_EQ(bench.out.find("agents=0 "), std::string::npos) << bench.out;
  const auto lone = cli(d, "bench --from state.h5 --months 2");
  EXPECT_EQ(lone.status, 2);
  EXPECT_NE(lone.err.find("bench --from needs --scenario"), std::string::npos) << lone.err;
  // Another parameter value than the saving run's: exit 2, named key, nothing written.
  const auto bad = cli(d, "validate " + scen + " --quiet --out bad.h5 --from state.h5 --set testing.supplier_bonus=2");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("'testing.supplier_bonus': cannot continue from state 'state.h5'"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(d / "bad.h5"));
  const auto more = cli(d, "validate " + scen + " --quiet --out more.h5 --from state.h5 --replicates 3");
  EXPECT_EQ(more.status, 2);
  EXPECT_NE(more.err.find("3 replicates asked for but state 'state.h5' holds 2"), std::string::npos) << more.err;
  EXPECT_FALSE(std::filesystem::exists(d / "more.h5"));
  std::filesystem::remove_all(d);
}

TEST(ValidateCli, BadTargetFileExits2AndWritesNothing) {
  const auto d = scratch("validate_bad");
  const auto r = cli(d, "validate " + kData + "/integration/tiny.yaml --targets " + kData +
                            "/targets/invalid/many_problems.yaml --quiet --out never.h5");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("unknown key 'shares.survivor.tolerence' (did you mean 'tolerance'?)"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("7 problem(s); nothing was run or written"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "never.h5"));
  std::filesystem::remove_all(d);
}

}  // namespace
}  // namespace imersim::cli_test
