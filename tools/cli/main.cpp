// Entry point of the imersim CLI: builds the CLI11 app from the subcommand files and maps errors to exit codes.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/output_path.hpp"
#include "imersim/version.hpp"
#include "run_common.hpp"

int main(int argc, char** argv) {
  imersim::remove_temporary_outputs_on_signals();  // an interrupted write leaves no PATH.tmp.<pid>
  CLI::App app{"imersim: agent-based simulation of Indonesian internet marketers (Imers)"};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", fmt::format("imersim {} (commit {}, {} build)", imersim::build::version,
                                                imersim::build::git_commit, imersim::build::build_type));
  imersim::cli::register_commands(app);
  imersim::cli::set_command_line(imersim::cli::command_line(argc, argv));
  try {
    app.parse(argc, argv);
    if (app.get_subcommands().empty()) {
      std::fputs(app.help().c_str(), stdout);
      return 0;
    }
    return imersim::cli::run_selected(app);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  } catch (const imersim::InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    std::fprintf(stderr, "imersim: %zu problem(s); nothing was run or written.\n", e.diagnostics().size());
    return 2;
  } catch (const imersim::Error& e) {
    std::fprintf(stderr, "imersim: error: %s\n", e.what());
    if (!e.cause().empty()) std::fprintf(stderr, "  cause: %s\n", e.cause().c_str());
    if (!e.resolution().empty()) std::fprintf(stderr, "  fix: %s\n", e.resolution().c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imersim: internal error: %s\n", e.what());
    return 3;
  }
}
