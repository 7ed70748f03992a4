// Formatting and construction of the typed errors.
#include "core/error.hpp"

#include <fmt/format.h>

namespace imersim {

std::string Diagnostic::format() const {
  std::string where = file.empty() ? std::string("<input>") : file;
  if (line > 0) where += fmt::format(":{}", line);
  if (line > 0 && column > 0) where += fmt::format(":{}", column);
  std::string out = fmt::format("{}: error: ", where);
  if (!key.empty()) out += fmt::format("'{}': ", key);
  out += message;
  if (!hint.empty()) out += fmt::format(" ({})", hint);
  return out;
}

Error::Error(std::string what, std::string cause, std::string resolution)
    : std::runtime_error(std::move(what)), cause_(std::move(cause)), resolution_(std::move(resolution)) {}

static std::string join_diagnostics(const std::vector<Diagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) {
    if (!s.empty()) s += '\n';
    s += d.format();
  }
  return s;
}

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : Error(join_diagnostics(diagnostics)), diagnostics_(std::move(diagnostics)) {}

InputError::InputError(std::string file, std::string message, std::string hint)
    : InputError(std::vector<Diagnostic>{Diagnostic{std::move(file), 0, 0, {}, std::move(message), std::move(hint)}}) {}

}  // namespace imersim
