#include "core/output_path.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>

#include "core/error.hpp"

namespace imersim {

namespace fs = std::filesystem;

namespace {

// The registry the signal handler reads: fixed storage and flags, so that the handler calls only
// async-signal-safe functions (unlink, signal, raise) and touches no lock or allocation.
constexpr int kTemporarySlots = 16;
constexpr std::size_t kPathBytes = 4096;
char temporary_paths[kTemporarySlots][kPathBytes];
std::atomic<bool> temporary_claimed[kTemporarySlots];  // a TemporaryOutput owns the slot
std::atomic<bool> temporary_ready[kTemporarySlots];    // its path is written: the handler may unlink it

extern "C" void remove_temporaries_and_die(int sig) {
  for (int i = 0; i < kTemporarySlots; ++i)
    if (temporary_ready[i].load(std::memory_order_acquire)) ::unlink(temporary_paths[i]);
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

}  // namespace

TemporaryOutput::TemporaryOutput(const fs::path& path) {
  const std::string& s = path.native();
  if (s.size() >= kPathBytes) return;
  for (int i = 0; i < kTemporarySlots; ++i) {
    bool expected = false;
    if (!temporary_claimed[i].compare_exchange_strong(expected, true)) continue;
    std::memcpy(temporary_paths[i], s.c_str(), s.size() + 1);
    temporary_ready[i].store(true, std::memory_order_release);
    slot_ = i;
    return;
  }
}

TemporaryOutput::~TemporaryOutput() {
  if (slot_ < 0) return;
  temporary_ready[slot_].store(false, std::memory_order_release);
  temporary_claimed[slot_].store(false, std::memory_order_release);
}

void remove_temporary_outputs_on_signals() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    // A signal the caller ignores stays ignored (nohup, a background job's SIGINT).
    struct sigaction old {};
    if (::sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) continue;
    struct sigaction act {};
    act.sa_handler = remove_temporaries_and_die;
    sigemptyset(&act.sa_mask);
    ::sigaction(sig, &act, nullptr);
  }
}

fs::path output_target(const fs::path& path) {
  fs::path p = path;
  std::error_code ec;
  for (int hops = 0; hops < 40 && fs::is_symlink(p, ec); ++hops) {  // a chain of links, maybe dangling
    const fs::path to = fs::read_symlink(p, ec);
    if (ec) return path;
    p = to.is_absolute() ? to : p.parent_path() / to;
  }
  return p;
}

int descriptor_of(const fs::path& path) {
  const std::string p = path.lexically_normal().string();
  if (p == "/dev/stdout") return STDOUT_FILENO;
  if (p == "/dev/stderr") return STDERR_FILENO;
  for (const std::string prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (p.size() <= prefix.size() || p.compare(0, prefix.size(), prefix) != 0 || p.size() - prefix.size() > 6) continue;
    int fd = 0;
    for (std::size_t i = prefix.size(); i < p.size(); ++i) {
      if (p[i] < '0' || p[i] > '9') return -1;
      fd = fd * 10 + (p[i] - '0');
    }
    return fd;
  }
  return -1;
}

bool is_special_file(const fs::path& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  return !ec && fs::exists(st) && !fs::is_regular_file(st) && !fs::is_directory(st);
}

void check_output_path(const fs::path& path, const std::string& option, bool special_ok) {
  const auto fail = [&](const std::string& why, const std::string& hint) {
    throw InputError(std::vector<Diagnostic>{
        Diagnostic{option, 0, 0, "", fmt::format("cannot write '{}': {}", path.string(), why), hint}});
  };
  if (path.empty()) fail("the path is empty", "give a file name");
  if (!path.has_filename()) fail("it ends with '/', so it names a directory", "give a file name inside it");
  if (const int fd = descriptor_of(path); fd >= 0) {
    if (!special_ok) fail("it is an open descriptor of this process, not a file", "give the path of a regular file");
    if (::fcntl(fd, F_GETFL) < 0) fail(fmt::format("descriptor {} is not open", fd), "open it, or give a file name");
    return;
  }
  const fs::path target = output_target(path);
  std::error_code ec;
  if (fs::is_directory(target, ec)) fail("it is a directory", "give a file name inside it");
  if (is_special_file(target)) {
    if (special_ok) return;
    fail("it is not a regular file", "give the path of a regular file");
  }
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  // The folders the probe needs are made, then removed again with it: a refused command leaves none.
  fs::path made;
  for (fs::path d = dir; !d.empty() && !fs::exists(d, ec); d = d.parent_path()) {
    made = d;
    if (d == d.parent_path()) break;
  }
  const auto unmake = [&] {
    std::error_code ignored;
    if (!made.empty()) fs::remove_all(made, ignored);
  };
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) {
    unmake();
    fail(fmt::format("cannot create its directory '{}'", dir.string()), "check the path");
  }
  fs::path probe = target;
  probe += fmt::format(".probe.{}", ::getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    const std::error_code why(errno, std::generic_category());
    unmake();
    fail(fmt::format("cannot create a file in '{}': {}", dir.string(), why.message()),
         "choose a writable directory");
  }
  ::close(fd);
  fs::remove(probe, ec);
  unmake();
}

void check_name_for_path(const std::string& name, const std::string& file, const std::string& key) {
  std::string why;
  if (name.empty())
    why = "it is empty";
  else if (name.front() == '.')
    why = "it starts with '.'";
  else
    for (char c : name)
      if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
        why = c == '/' || c == '\\' ? fmt::format("it contains '{}'", c) : "it contains a control character";
        break;
      }
  if (!why.empty())
    throw InputError(std::vector<Diagnostic>{Diagnostic{
        file, 0, 0, key, fmt::format("name '{}' cannot name an output file: {}", name, why),
        "use letters, digits, spaces, '-', '_' or '.' (not first), or give the output path explicitly"}});
}

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ea, eb;
  // Through symbolic links, dangling ones too: writing to a link replaces the file it points to, which
  // may not exist yet (weakly_canonical would leave a dangling link's own name).
  const fs::path ca = fs::weakly_canonical(fs::absolute(output_target(a), ea), ea),
                 cb = fs::weakly_canonical(fs::absolute(output_target(b), eb), eb);
  return !ea && !eb && ca == cb;
}

void check_outputs(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs) {
  std::vector<Diagnostic> diags;
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const NamedPath& o = outputs[i];
    if (o.path.empty()) continue;  // an output not asked for
    const auto clash = [&](const NamedPath& other, const char* what) {
      diags.push_back(Diagnostic{o.option, 0, 0, "",
                                 fmt::format("'{}' is also the {} {}: writing it would lose that file", o.path.string(),
                                             what, other.option),
                                 "give a different path"});
    };
    for (std::size_t j = 0; j < i; ++j)
      if (!outputs[j].path.empty() && same_file(o.path, outputs[j].path)) clash(outputs[j], "output of");
    for (const NamedPath& in : inputs)
      if (!in.path.empty() && same_file(o.path, in.path)) clash(in, "input of");
  }
  if (!diags.empty()) throw InputError(std::move(diags));
  for (const NamedPath& o : outputs)
    if (!o.path.empty()) check_output_path(o.path, o.option, o.special_ok);
}

void write_atomically(const fs::path& path, const std::function<void(const fs::path&)>& write) {
  const auto fail = [&](const std::string& why, const std::string& cause) {
    throw IoError(fmt::format("cannot write '{}': {}", path.string(), why), cause,
                  "check that the directory exists and is writable, and the free disk space");
  };
  const fs::path target = output_target(path);
  std::error_code ec;
  if (!target.parent_path().empty()) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) fail(fmt::format("cannot create directory '{}': {}", target.parent_path().string(), ec.message()), ec.message());
  }
  fs::path tmp = target;
  tmp += fmt::format(".tmp.{}", ::getpid());
  const TemporaryOutput guard(tmp);
  try {
    write(tmp);
    fs::rename(tmp, target, ec);
    if (ec) fail(fmt::format("cannot rename '{}' to '{}': {}", tmp.string(), target.string(), ec.message()), ec.message());
  } catch (...) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
}

void write_text_atomically(const fs::path& path, const std::string& text) {
  const auto put = [&](const fs::path& file, std::ios::openmode mode) {
    std::ofstream f(file, mode);
    f << text;
    f.close();
    if (!f) throw IoError(fmt::format("cannot write '{}'", path.string()), "writing failed", "check the free disk space");
  };
  if (const int fd = descriptor_of(path); fd >= 0) {  // after what this process has printed there
    std::fflush(nullptr);
    for (std::size_t done = 0; done < text.size();) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0)
        throw IoError(fmt::format("cannot write '{}'", path.string()), n < 0 ? std::strerror(errno) : "nothing written",
                      "check where the descriptor leads (a full disk, a closed pipe)");
      done += static_cast<std::size_t>(n);
    }
    return;
  }
  const fs::path target = output_target(path);
  if (is_special_file(target)) return put(target, std::ios::binary);  // a terminal, a named pipe: no rename
  write_atomically(path, [&](const fs::path& tmp) { put(tmp, std::ios::binary | std::ios::trunc); });
}

}  // namespace imersim
