// The population arrays' allocator: large buffers are mappings of their own, zeroed, and unmapped
// when freed (so a grown population does not leave freed buffers in the heap); small ones come
// from std::allocator.
#include <gtest/gtest.h>

#include <cstdint>
#include <sys/mman.h>
#include <unistd.h>

#include "core/column_allocator.hpp"
#include "model/population.hpp"

namespace imersim {
namespace {

/// True if the page holding p is mapped (mincore fails with ENOMEM on an unmapped page).
bool mapped(const void* p) {
  const long page = ::sysconf(_SC_PAGESIZE);
  const auto at = reinterpret_cast<std::uintptr_t>(p) / static_cast<std::uintptr_t>(page) * static_cast<std::uintptr_t>(page);
  unsigned char resident = 0;
  return ::mincore(reinterpret_cast<void*>(at), 1, &resident) == 0;
}

/// A mapping of its own starts on a page; glibc's malloc puts a header before every block it maps,
/// so none of its blocks starts on one.
bool page_aligned(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % 4096 == 0; }

TEST(ColumnAllocator, ThresholdDecidesWhatIsMapped) {
  EXPECT_FALSE(detail::column_mapped(kColumnMapBytes - 1));
  EXPECT_FALSE(detail::column_mapped(0));
  EXPECT_EQ(detail::column_mapped(kColumnMapBytes), kColumnsMapped);
#if defined(__linux__) && !defined(__SANITIZE_ADDRESS__) && !defined(__clang__)
  EXPECT_TRUE(kColumnsMapped);  // a GCC build on Linux without ASan maps (clang: see the header)
#endif
}

TEST(ColumnAllocator, LargeColumnIsItsOwnMappingAndIsReturned) {
  if (!detail::column_mapped(kColumnMapBytes)) GTEST_SKIP() << "columns are not mapped in this build";
  const void* where = nullptr;
  {
    Column<std::int64_t> v(kColumnMapBytes / sizeof(std::int64_t) + 7);  // value-initialised
    where = v.data();
    EXPECT_TRUE(page_aligned(where));
    EXPECT_TRUE(mapped(where));
    for (std::int64_t x : v) ASSERT_EQ(x, 0);
    v.back() = -5;
    v.front() = 9;
    v.resize(v.size() * 3);  // grows into a new mapping, made before the old one is unmapped
    EXPECT_FALSE(mapped(where));  // so the old buffer is gone, not kept
    EXPECT_EQ(v.front(), 9);
    EXPECT_EQ(v[kColumnMapBytes / sizeof(std::int64_t) + 6], -5);
    EXPECT_EQ(v.back(), 0);
    where = v.data();
    EXPECT_TRUE(page_aligned(where));
  }
  EXPECT_FALSE(mapped(where));  // freed: back to the system, not kept in the heap
}

TEST(ColumnAllocator, SmallColumnsUseTheHeap) {
  Column<std::uint8_t> v(1000, 3);
  EXPECT_EQ(v[999], 3);
  Column<std::uint8_t> copy = v;
  EXPECT_EQ(copy, v);
}

TEST(ColumnAllocator, PopulationArraysGrowAndKeepTheirValues) {
  Population pop;
  pop.resize(10);
  pop.capital[9] = 123;
  pop.flags[9] = kAlive;
  pop.resize(kColumnMapBytes + 1);  // every array past the threshold (the byte arrays just)
  EXPECT_EQ(pop.capital[9], 123);
  EXPECT_EQ(pop.flags[9], kAlive);
  EXPECT_EQ(pop.flags.back(), 0);
  if (detail::column_mapped(kColumnMapBytes)) {
    pop.for_each_array([](const auto& v) { EXPECT_TRUE(page_aligned(v.data())); });
  }
}

}  // namespace
}  // namespace imersim
