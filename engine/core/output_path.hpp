// Output files: where a result may be written, checked before a long computation, and written
// atomically (a temporary name in the same directory, then a rename), so that a failed or interrupted
// run leaves no half-written file and an existing file is replaced only by a complete one.
#pragma once
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace imersim {

/// The file an output named `path` is written to: `path` itself, or, for a symbolic link (a chain
/// of them, dangling or not), the file it points to (a rename would replace the link, not write
/// through it).
std::filesystem::path output_target(const std::filesystem::path& path);

/// True when `path` exists and is neither a regular file nor a directory (a terminal, /dev/stdout, a
/// named pipe): such a target is written directly, since it cannot be renamed over.
bool is_special_file(const std::filesystem::path& path);

/// The descriptor that `path` names when it is one of the process's open descriptors rather than a
/// file: /dev/stdout (1), /dev/stderr (2), /dev/fd/N, /proc/self/fd/N. Where standard output is
/// redirected to a file (`> log.txt`), /dev/stdout leads to that file; replacing or truncating it
/// would lose what the process had already printed there, so such outputs go to the descriptor.
/// -1 for every other path.
int descriptor_of(const std::filesystem::path& path);

/// Checks, before anything is computed, that the output `path` given by `option` (e.g. "--out") can
/// be written: it is not a directory, its directory exists or can be created, and a file can be
/// created there (a probe file; the probe and any folder made for it are removed at once). `special_ok`: a special file (is_special_file)
/// or an open descriptor (descriptor_of) is accepted (text outputs; HDF5 needs a regular file). Throws InputError naming the option and path.
void check_output_path(const std::filesystem::path& path, const std::string& option, bool special_ok = false);

/// Throws InputError (file `file`, key `key`) unless `name` can be part of a file name: not empty, no
/// '/', '\\' or control character, not starting with '.' (so that outputs named after it stay in
/// their directory and are not hidden).
void check_name_for_path(const std::string& name, const std::string& file, const std::string& key);

/// True when `a` and `b` name the same file, whether or not it exists yet.
bool same_file(const std::filesystem::path& a, const std::filesystem::path& b);

/// A file a command reads or writes, with the option or argument that named it (for messages).
struct NamedPath {
  std::filesystem::path path;
  std::string option;
  bool special_ok = false;  ///< an output that may be a special file (check_output_path)
};

/// Before a command computes anything: check_output_path for every output, and no two outputs nor an
/// output and an input the same file (a result written over a state, a shard or the scenario it came
/// from would lose it). Throws InputError listing every problem.
void check_outputs(const std::vector<NamedPath>& outputs, const std::vector<NamedPath>& inputs = {});

/// A temporary output file (`PATH.tmp.<pid>`) that SIGINT, SIGTERM and SIGHUP remove before the
/// process ends, while the object lives: an interrupted write leaves neither the final name nor
/// the temporary one. Holds up to 16 at once (more are written but not registered).
class TemporaryOutput {
 public:
  explicit TemporaryOutput(const std::filesystem::path& path);
  ~TemporaryOutput();
  TemporaryOutput(const TemporaryOutput&) = delete;
  TemporaryOutput& operator=(const TemporaryOutput&) = delete;

 private:
  int slot_ = -1;
};

/// Installs the handlers of SIGINT, SIGTERM and SIGHUP that remove the registered temporary outputs
/// and then end the process as the signal would have (the CLI calls it once, first); a signal that
/// is ignored when it is called (nohup) stays ignored.
void remove_temporary_outputs_on_signals();

/// Writes the output `path` atomically, the one way every output is written: `write(tmp)` fills
/// `PATH.tmp.<pid>` in the target's directory (output_target; the directory is created), which is
/// then renamed onto the target. A write or rename that fails removes the temporary file, and so do
/// SIGINT, SIGTERM and SIGHUP meanwhile (TemporaryOutput). Throws IoError; what `write` throws
/// passes through.
void write_atomically(const std::filesystem::path& path, const std::function<void(const std::filesystem::path&)>& write);

/// Writes `text` to `path` atomically (write_atomically); a special file is written directly, and an
/// open descriptor (descriptor_of) through that descriptor, after what the process printed before.
/// Throws IoError.
void write_text_atomically(const std::filesystem::path& path, const std::string& text);

}  // namespace imersim
