// Internal to engine/output: RAII HDF5 identifiers, HDF5 error capture, and IoError construction for one file.
#pragma once
#include <hdf5.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace imersim::hdf5 {

/// Owns one HDF5 identifier (file, group, dataset, dataspace, type, property list, attribute) and drops it
/// on destruction. Converts to hid_t so it can be handed straight to the C API.
class Hid {
 public:
  Hid() = default;
  explicit Hid(hid_t id) : id_(id) {}
  Hid(Hid&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Hid& operator=(Hid&& other) noexcept {
    if (this != &other) {
      reset();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Hid(const Hid&) = delete;
  Hid& operator=(const Hid&) = delete;
  ~Hid() { reset(); }

  operator hid_t() const noexcept { return id_; }  // NOLINT(google-explicit-constructor): C API interop
  /// Gives up ownership (for an explicit, checked H5Fclose).
  hid_t release() noexcept { return std::exchange(id_, H5I_INVALID_HID); }
  void reset() noexcept {
    if (id_ >= 0) H5Idec_ref(id_);
    id_ = H5I_INVALID_HID;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

/// The context of one read or write of one file. While alive, HDF5 prints nothing on this thread (its automatic
/// error-stack printing is replaced); instead the innermost message of the last failing HDF5 call is kept, and
/// check()/fail() turn failures into IoError naming the file. The previous handler is restored on destruction.
class Context {
 public:
  /// `verb` is "read" or "write"; `io_resolution` is the advice given when HDF5 itself fails.
  Context(std::filesystem::path path, std::string verb, std::string io_resolution);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  /// Returns `result` when it is >= 0 (success for every hid_t / herr_t / htri_t); otherwise throws
  /// IoError("cannot <verb> HDF5 file '<path>': <doing>: <HDF5 reason>").
  template <typename T>
  T check(T result, std::string_view doing) const {
    if (result < 0) fail_hdf5(doing);
    return result;
  }
  /// Throws IoError("cannot <verb> HDF5 file '<path>': <problem>") with the given cause and resolution.
  [[noreturn]] void fail(std::string_view problem, std::string_view cause, std::string_view resolution) const;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  [[noreturn]] void fail_hdf5(std::string_view doing) const;
  static herr_t on_error(hid_t stack, void* self) noexcept;

  std::filesystem::path path_;
  std::string verb_;
  std::string io_resolution_;
  std::string last_error_;
  H5E_auto2_t previous_func_ = nullptr;
  void* previous_data_ = nullptr;
};

/// A variable-length UTF-8 string type (the type of every string attribute and string dataset we write).
Hid utf8_string_type(const Context& ctx);

}  // namespace imersim::hdf5
