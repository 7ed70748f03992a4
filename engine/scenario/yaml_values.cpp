// Reading one YAML value as a typed parameter: number syntax, money suffixes, type and range errors.
#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

#include "scenario/scenario_detail.hpp"

namespace imersim::scenario_detail {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// True when `t` is a decimal number: [-+]? (D+ [. D*] | . D+) and, if `exponent`, ([eE] [-+]? D+)?.
bool is_number_syntax(std::string_view t, bool exponent) {
  std::size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
  std::size_t int_digits = 0, frac_digits = 0;
  while (i < t.size() && is_digit(t[i])) ++i, ++int_digits;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && is_digit(t[i])) ++i, ++frac_digits;
  }
  if (int_digits + frac_digits == 0) return false;
  if (exponent && i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) ++i;
    std::size_t exp_digits = 0;
    while (i < t.size() && is_digit(t[i])) ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == t.size();
}

/// The double nearest to the decimal `t` (already syntax-checked); nothing when it is not finite.
std::optional<double> to_double(std::string_view t) {
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  double v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

/// The integer written as [-+]?D+; nothing when it does not fit in 64 bits.
std::optional<std::int64_t> to_int(std::string_view t) {
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || ptr != t.data() + t.size()) return std::nullopt;
  return v;
}

bool is_integer_syntax(std::string_view t) {
  std::size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
  if (i == t.size()) return false;
  for (; i < t.size(); ++i)
    if (!is_digit(t[i])) return false;
  return true;
}

bool is_money(const ParamSpec& spec) { return spec.type == ParamType::Real && spec.unit.starts_with("IDR"); }

/// "100 juta" -> 1e8, "1.5 miliar" -> 1.5e9 (exactly as the decimal 1.5e9 would read); else nothing.
/// `suffixed` tells whether the text ended in a money suffix at all.
std::optional<double> parse_money(std::string_view t, bool& suffixed) {
  struct Suffix {
    std::string_view word;
    std::string_view exponent;
  };
  static constexpr Suffix suffixes[] = {{"juta", "e6"}, {"miliar", "e9"}};
  for (const auto& s : suffixes) {
    if (!t.ends_with(s.word)) continue;
    suffixed = true;
    std::string_view number = t.substr(0, t.size() - s.word.size());
    while (!number.empty() && (number.back() == ' ' || number.back() == '\t')) number.remove_suffix(1);
    if (!is_number_syntax(number, false)) return std::nullopt;
    return to_double(std::string(number) + std::string(s.exponent));
  }
  return std::nullopt;
}

std::string unit_note(const ParamSpec& spec) {
  return spec.unit.empty() ? std::string() : fmt::format(" ({})", spec.unit);
}

/// "expected <type>, got <got>"; a scalar that is no amount of money gets the money syntax as hint.
ValueCheck type_error(const ParamSpec& spec, const std::string& got, std::string hint = {}, bool scalar = true) {
  std::string expected;
  switch (spec.type) {
    case ParamType::Int: expected = "an integer" + unit_note(spec); break;
    case ParamType::Real: expected = "a real number" + unit_note(spec); break;
    case ParamType::Bool: expected = "true or false"; break;
  }
  if (hint.empty() && scalar && is_money(spec))
    hint = "write a number such as 1500000 or 1.5e6, or a string with a suffix: '1.5 juta', '2 miliar'";
  return {std::nullopt, fmt::format("expected {}, got {}", expected, got), std::move(hint)};
}

ValueCheck in_range(const ParamSpec& spec, double v) {
  if (v >= spec.min && v <= spec.max) return {v, {}, {}};
  std::string hint(spec.description);
  if (!spec.unit.empty()) hint += fmt::format(" Unit: {}.", spec.unit);
  return {std::nullopt,
          fmt::format("value {} is out of range [{}, {}]", format_value(spec, v), format_value(spec, spec.min),
                      format_value(spec, spec.max)),
          std::move(hint)};
}

}  // namespace

Location location_of(const std::string& file, const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  if (m.line < 0) return {file, 0, 0};
  return {file, m.line + 1, m.column + 1};
}

Diagnostic diagnostic_at(const Location& where, std::string key, std::string message, std::string hint) {
  return Diagnostic{where.file, where.line, where.column, std::move(key), std::move(message), std::move(hint)};
}

/// A value as messages quote it: at most 80 characters (a pasted 50,000-character value would bury
/// the message), the rest counted.
std::string quote_for_message(std::string_view text) {
  constexpr std::size_t kShown = 80;
  if (text.size() <= kShown) return fmt::format("'{}'", text);
  return fmt::format("'{}...' ({} characters)", text.substr(0, kShown), text.size());
}

std::string describe_node(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return quote_for_message(node.Scalar());
    default: return "an empty value";
  }
}

ValueCheck check_scalar(const ParamSpec& spec, std::string_view text) {
  const std::string got = quote_for_message(text);
  switch (spec.type) {
    case ParamType::Bool:
      if (text == "true") return {1.0, {}, {}};
      if (text == "false") return {0.0, {}, {}};
      return type_error(spec, got, "write true or false; yes/no, on/off and 1/0 are not accepted");
    case ParamType::Int: {
      if (is_integer_syntax(text)) {
        if (auto i = to_int(text)) return in_range(spec, static_cast<double>(*i));
        return in_range(spec, to_double(text).value_or(HUGE_VAL));  // beyond 64 bits: surely out of range
      }
      if (is_number_syntax(text, true)) {
        auto v = to_double(text);
        if (v && *v == std::trunc(*v)) return in_range(spec, *v);  // 1e6 is the integer 1000000
        return type_error(spec, got, "this key takes whole numbers");
      }
      return type_error(spec, got);
    }
    case ParamType::Real: {
      if (is_number_syntax(text, true)) {
        if (auto v = to_double(text)) return in_range(spec, *v);
        return type_error(spec, got, "the number is beyond the range of a double (about 1e308), or so close to 0 that it would round to 0");
      }
      bool suffixed = false;
      std::optional<double> money = parse_money(text, suffixed);
      if (suffixed && !is_money(spec)) return type_error(spec, got, "juta/miliar suffixes are only for amounts in IDR");
      if (money) return in_range(spec, *money);
      return type_error(spec, got);
    }
  }
  return type_error(spec, got);
}

ValueCheck check_node(const ParamSpec& spec, const YAML::Node& node) {
  if (node.IsScalar()) return check_scalar(spec, node.Scalar());
  return type_error(spec, describe_node(node), {}, false);
}

std::string unknown_key_hint(std::string_view key) {
  if (auto best = suggest_key(key)) return fmt::format("did you mean '{}'?", *best);
  return "`imersim params` lists every key";
}

std::optional<std::string> read_text(const std::filesystem::path& path, std::string& why) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    why = "it is a directory";
    return std::nullopt;
  }
  errno = 0;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    why = errno != 0 ? std::strerror(errno) : "it cannot be opened";
    return std::nullopt;
  }
  // Read in pieces up to a limit: a device that never ends (/dev/zero, /dev/urandom) or a huge file
  // given by mistake is refused instead of filling memory.
  std::string text;
  std::array<char, 1 << 16> piece;
  while (in.read(piece.data(), piece.size()) || in.gcount() > 0) {
    text.append(piece.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputFileBytes) {
      why = fmt::format("it is larger than {} MiB (an input file, not a device or a data file?)", kMaxInputFileBytes >> 20);
      return std::nullopt;
    }
  }
  if (in.bad()) {
    why = "reading it failed";
    return std::nullopt;
  }
  return text;
}

}  // namespace imersim::scenario_detail
