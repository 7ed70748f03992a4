// Direct mappings for the population's large arrays (core/column_allocator.hpp says why).
#include "core/column_allocator.hpp"

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace imersim::detail {

#if defined(__linux__)  // kColumnsMapped decides whether these are called

void* map_column(std::size_t bytes) {
  void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  constexpr std::size_t kHugePage = std::size_t{1} << 21;
  if (bytes >= kHugePage) (void)::madvise(p, bytes, MADV_HUGEPAGE);  // a hint: failure is harmless
  return p;
}

void unmap_column(void* p, std::size_t bytes) noexcept { (void)::munmap(p, bytes); }
#else
void* map_column(std::size_t) { throw std::bad_alloc(); }
void unmap_column(void*, std::size_t) noexcept {}
#endif

}  // namespace imersim::detail
