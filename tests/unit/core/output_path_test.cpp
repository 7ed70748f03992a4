// Output paths: checked before a run (directories, unwritable places, names that would leave their
// folder, outputs over inputs), and text written atomically through links and to special files.
#include "core/output_path.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

#include "core/error.hpp"

namespace imersim {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::temp_directory_path() / ("imersim_outpath_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string read(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.diagnostics().at(0).message;
  }
  return "(no InputError)";
}

TEST(OutputPath, AWritablePathPassesAndLeavesNothing) {
  const fs::path d = fresh_dir("ok");
  EXPECT_NO_THROW(check_output_path(d / "sub" / "deeper" / "run.h5", "--out"));
  EXPECT_TRUE(fs::is_empty(d));  // neither the probe nor the folders made for it (the writer makes them)
  fs::remove_all(d);
}

TEST(OutputPath, ADirectoryAnUnwritablePlaceAndAnEmptyPathAreRefused) {
  const fs::path d = fresh_dir("bad");
  EXPECT_NE(message_of([&] { check_output_path(d, "--out"); }).find("it is a directory"), std::string::npos);
  EXPECT_NE(message_of([&] { check_output_path("/proc/imersim_cannot_be_here.h5", "--out"); }).find("cannot create a file"),
            std::string::npos);
  EXPECT_NE(message_of([&] { check_output_path("", "--out"); }).find("empty"), std::string::npos);
  // A special file (a terminal, /dev/stdout, /dev/null) only where text may go there.
  EXPECT_NE(message_of([&] { check_output_path("/dev/null", "--out"); }).find("not a regular file"), std::string::npos);
  EXPECT_NO_THROW(check_output_path("/dev/null", "--csv", true));
  fs::remove_all(d);
}

TEST(OutputPath, DescriptorPathsAreTold) {
  EXPECT_EQ(descriptor_of("/dev/stdout"), 1);
  EXPECT_EQ(descriptor_of("/dev/stderr"), 2);
  EXPECT_EQ(descriptor_of("/dev/fd/7"), 7);
  EXPECT_EQ(descriptor_of("/proc/self/fd/12"), 12);
  EXPECT_EQ(descriptor_of("/dev//stdout"), 1);
  for (const char* other : {"/dev/fd/", "/dev/fd/x", "/dev/fd/1x", "/dev/null", "stdout", "/tmp/a.csv", "/proc/1/fd/1",
                            "/dev/fd/12345678"})
    EXPECT_EQ(descriptor_of(other), -1) << other;
  EXPECT_NE(message_of([] { check_output_path("/dev/stdout", "--out"); }).find("open descriptor"), std::string::npos);
  EXPECT_NO_THROW(check_output_path("/dev/stdout", "--csv", true));
}

TEST(OutputPath, NamesThatWouldLeaveTheirFolderAreRefused) {
  EXPECT_NO_THROW(check_name_for_path("baseline", "a.yaml", "name"));
  EXPECT_NO_THROW(check_name_for_path("no policies yet-2.v1", "a.yaml", "name"));
  const std::vector<std::string> bad_names = {"", "../x", "a/b", "a\\b", ".hidden", "a\nb"};
  for (const std::string& bad : bad_names) {
    try {
      check_name_for_path(bad, "a.yaml", "name");
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const InputError& e) {
      EXPECT_EQ(e.diagnostics().at(0).file, "a.yaml");
      EXPECT_EQ(e.diagnostics().at(0).key, "name");
    }
  }
}

TEST(OutputPath, AnOutputOverAnInputOrAnotherOutputIsRefused) {
  const fs::path d = fresh_dir("clash");
  std::ofstream(d / "state.h5") << "x";
  EXPECT_TRUE(same_file(d / "state.h5", d / "." / "state.h5"));
  EXPECT_TRUE(same_file(d / "new.h5", d / "sub" / ".." / "new.h5"));  // also when it does not exist yet
  EXPECT_FALSE(same_file(d / "a.h5", d / "b.h5"));
  const std::string over_input =
      message_of([&] { check_outputs({{d / "state.h5", "--out"}}, {{d / "." / "state.h5", "--from"}}); });
  EXPECT_NE(over_input.find("also the input of --from"), std::string::npos) << over_input;
  const std::string two_outputs =
      message_of([&] { check_outputs({{d / "s.h5", "--out"}, {d / "s.h5", "--save-state"}}); });
  EXPECT_NE(two_outputs.find("also the output of --out"), std::string::npos) << two_outputs;
  EXPECT_NO_THROW(check_outputs({{d / "out.h5", "--out"}, {"", "--save-state"}}, {{"", "--from"}}));
  EXPECT_EQ(read(d / "state.h5"), "x");
  fs::remove_all(d);
}

TEST(OutputPath, TextGoesThroughALinkToItsFileAndIntoASpecialFileDirectly) {
  const fs::path d = fresh_dir("link");
  std::ofstream(d / "target.csv") << "old";
  fs::create_symlink(d / "target.csv", d / "link.csv");
  write_text_atomically(d / "link.csv", "new\n");
  EXPECT_TRUE(fs::is_symlink(d / "link.csv"));  // the link is kept, its file replaced
  EXPECT_EQ(read(d / "target.csv"), "new\n");
  fs::create_symlink(d / "not_yet.csv", d / "dangling.csv");  // a link to a file still to be written
  write_text_atomically(d / "dangling.csv", "first\n");
  EXPECT_TRUE(fs::is_symlink(d / "dangling.csv"));
  EXPECT_EQ(read(d / "not_yet.csv"), "first\n");
  write_text_atomically("/dev/null", "discarded\n");
  EXPECT_TRUE(fs::is_character_file("/dev/null"));
  for (const auto& e : fs::directory_iterator(d)) EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos);
  fs::remove_all(d);
}

// SIGINT/SIGTERM while an output is written: the temporary file goes with the process (in a child
// process, which the signal ends); a file whose guard has ended is not the handler's business.
TEST(OutputPathDeathTest, ASignalRemovesTheTemporaryOutputBeingWritten) {
  const fs::path d = fresh_dir("signal");
  const fs::path tmp = d / "run.h5.tmp.1", done = d / "earlier.h5.tmp.1";
  EXPECT_EXIT(
      {
        remove_temporary_outputs_on_signals();
        { const TemporaryOutput finished(done); std::ofstream(done) << "kept"; }
        std::ofstream(tmp) << "half written";
        const TemporaryOutput guard(tmp);
        std::raise(SIGTERM);
      },
      ::testing::KilledBySignal(SIGTERM), "");
  EXPECT_FALSE(fs::exists(tmp));
  EXPECT_TRUE(fs::exists(done));
  // Under nohup (SIGHUP ignored) the signal stays ignored: the process lives on.
  EXPECT_EXIT(
      {
        std::signal(SIGHUP, SIG_IGN);
        remove_temporary_outputs_on_signals();
        std::raise(SIGHUP);
        std::exit(7);
      },
      ::testing::ExitedWithCode(7), "");
  fs::remove_all(d);
}

}  // namespace
}  // namespace imersim
