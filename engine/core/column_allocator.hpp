// The allocator of the per-agent arrays: the population's fields (model/population.hpp) and the policy
// levers' tables (policy/agent_table.hpp, policy/effects.hpp).
//
// Why not std::allocator: the arrays grow as agents enter, and each growth frees the old buffer.
// glibc serves large blocks with mmap, but after the first such block is freed it raises its mmap
// threshold to that block's size (up to 32 MB), so the next generations of the arrays come from the
// heap, and the heap keeps freed buffers below its top: measured, about 120 MB of the 900 MB peak of
// 10 M agents x 120 months, 14 MB of the 120 MB of the 1 M-agent baseline run (docs/status.md). Here a buffer of at
// least kColumnMapBytes is its own anonymous mapping, returned to the system when freed, whatever
// glibc's threshold; smaller ones (small populations, tests) come from std::allocator as before. A mapping of
// 2 MiB or more is offered to transparent huge pages (madvise; the hint is ignored where THP is off):
// fewer page faults while the arrays grow, fewer TLB misses in the kernel's two dozen streams.
// Elsewhere than Linux, and under AddressSanitizer (which checks the heap's blocks), std::allocator
// for every size.
#pragma once
#include <cstddef>
#include <memory>
#include <new>
#include <vector>

namespace imersim {

/// Buffers of at least this many bytes are mapped directly (Linux).
inline constexpr std::size_t kColumnMapBytes = std::size_t{1} << 20;

/// Whether this build maps large buffers: on Linux, unless built with AddressSanitizer (GCC defines
/// __SANITIZE_ADDRESS__, clang answers __has_feature(address_sanitizer)).
#if defined(__SANITIZE_ADDRESS__)
#define IMERSIM_COLUMN_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IMERSIM_COLUMN_ASAN 1
#endif
#endif
#if defined(__linux__) && !defined(IMERSIM_COLUMN_ASAN)
inline constexpr bool kColumnsMapped = true;
#else
inline constexpr bool kColumnsMapped = false;
#endif
#undef IMERSIM_COLUMN_ASAN

namespace detail {
/// A zero-filled anonymous mapping of `bytes` (>= kColumnMapBytes); throws std::bad_alloc.
void* map_column(std::size_t bytes);
/// Unmaps what map_column(bytes) returned.
void unmap_column(void* p, std::size_t bytes) noexcept;
/// True where buffers of `bytes` are mapped (kColumnsMapped and bytes >= kColumnMapBytes).
constexpr bool column_mapped(std::size_t bytes) noexcept { return kColumnsMapped && bytes >= kColumnMapBytes; }
}  // namespace detail

template <typename T>
struct ColumnAllocator {
  using value_type = T;
  ColumnAllocator() noexcept = default;
  template <typename U>
  ColumnAllocator(const ColumnAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor): rebinding

  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    const std::size_t bytes = n * sizeof(T);
    if (detail::column_mapped(bytes)) return static_cast<T*>(detail::map_column(bytes));
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    const std::size_t bytes = n * sizeof(T);
    if (detail::column_mapped(bytes)) return detail::unmap_column(p, bytes);
    std::allocator<T>().deallocate(p, n);
  }
  template <typename U>
  bool operator==(const ColumnAllocator<U>&) const noexcept {
    return true;
  }
};

/// A per-agent array (the population's fields, the policy levers' tables): large ones are mapped.
template <typename T>
using Column = std::vector<T, ColumnAllocator<T>>;

}  // namespace imersim
