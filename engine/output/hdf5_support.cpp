// Owns the HDF5 error capture (silenced printing, innermost message kept) and the IoError texts of engine/output.
#include "output/hdf5_support.hpp"

#include <fmt/format.h>

#include "core/error.hpp"

namespace imersim::hdf5 {

namespace {

/// Keeps the description of the innermost (most specific) entry of an HDF5 error stack.
herr_t keep_innermost(unsigned n, const H5E_error2_t* entry, void* out) noexcept {
  if (n == 0 && entry != nullptr && entry->desc != nullptr) {
    try {
      *static_cast<std::string*>(out) = entry->desc;
    } catch (...) {
      return -1;
    }
  }
  return 0;
}

}  // namespace

Context::Context(std::filesystem::path path, std::string verb, std::string io_resolution)
    : path_(std::move(path)), verb_(std::move(verb)), io_resolution_(std::move(io_resolution)) {
  if (H5Eget_auto2(H5E_DEFAULT, &previous_func_, &previous_data_) < 0) {
    previous_func_ = nullptr;
    previous_data_ = nullptr;
  }
  H5Eset_auto2(H5E_DEFAULT, &Context::on_error, this);
}

Context::~Context() { H5Eset_auto2(H5E_DEFAULT, previous_func_, previous_data_); }

herr_t Context::on_error(hid_t stack, void* self) noexcept {
  auto* ctx = static_cast<Context*>(self);
  ctx->last_error_.clear();
  H5Ewalk2(stack, H5E_WALK_UPWARD, &keep_innermost, &ctx->last_error_);
  return 0;
}

void Context::fail(std::string_view problem, std::string_view cause, std::string_view resolution) const {
  throw IoError(fmt::format("cannot {} HDF5 file '{}': {}", verb_, path_.string(), problem), std::string(cause),
                std::string(resolution));
}

void Context::fail_hdf5(std::string_view doing) const {
  std::string reason = last_error_.empty() ? std::string("unknown HDF5 error") : last_error_;
  fail(fmt::format("{}: {}", doing, reason), reason, io_resolution_);
}

Hid utf8_string_type(const Context& ctx) {
  Hid type{ctx.check(H5Tcopy(H5T_C_S1), "creating the string type")};
  ctx.check(H5Tset_size(type, H5T_VARIABLE), "creating the string type");
  ctx.check(H5Tset_cset(type, H5T_CSET_UTF8), "creating the string type");
  return type;
}

}  // namespace imersim::hdf5
