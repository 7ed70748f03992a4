// Typed errors: what failed, why, and how to fix it. Input errors carry every diagnostic of a file.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace imersim {

/// One problem found in an input file, located to file:line:column (1-based; 0 = unknown).
struct Diagnostic {
  std::string file;     ///< path as the user gave it, or "--set" for command-line overrides
  int line = 0;         ///< 1-based line, 0 when not known
  int column = 0;       ///< 1-based column, 0 when not known
  std::string key;      ///< dotted parameter key the problem concerns (may be empty)
  std::string message;  ///< what is wrong
  std::string hint;     ///< how to fix it (may be empty)

  /// "file:line:col: error: key: message (hint)".
  [[nodiscard]] std::string format() const;
};

/// Base of all imersim errors: a reason, its cause and a resolution.
class Error : public std::runtime_error {
 public:
  Error(std::string what, std::string cause = {}, std::string resolution = {});
  [[nodiscard]] const std::string& cause() const noexcept { return cause_; }
  [[nodiscard]] const std::string& resolution() const noexcept { return resolution_; }

 private:
  std::string cause_;
  std::string resolution_;
};

/// Bad user input (scenario, targets, --set ...): the CLI exits with status 2 and writes nothing.
class InputError : public Error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  InputError(std::string file, std::string message, std::string hint = {});
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

/// A file could not be read or written.
class IoError : public Error {
 public:
  using Error::Error;
};

/// Runs `read()`, which reads the user's input file `file`: an IoError it throws (the file is not
/// HDF5, truncated, unreadable) is bad input, so it becomes an InputError naming the file (exit 2).
template <typename Read>
decltype(auto) reading_input(const std::string& file, Read&& read) {
  try {
    return read();
  } catch (const IoError& e) {
    std::string message = e.what();
    if (!e.cause().empty() && message.find(e.cause()) == std::string::npos) message += " (" + e.cause() + ")";
    throw InputError(file, std::move(message), e.resolution());
  }
}

/// An internal invariant of the engine broke (a bug, never the user's fault).
class InvariantError : public Error {
 public:
  using Error::Error;
};

}  // namespace imersim
