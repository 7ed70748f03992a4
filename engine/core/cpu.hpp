// What the CPU can run, asked once per process: the code paths that use AVX2 or AVX-512 (the batched
// Philox, the portable maths' array functions) choose with these at run time; their results are the
// same bits on every path.
#pragma once

namespace imersim {

#if defined(__x86_64__) && defined(__GNUC__)
inline bool cpu_has_avx512f() noexcept {
  static const bool has = [] {
    __builtin_cpu_init();  // the first call may come from a static initializer, before main
    return __builtin_cpu_supports("avx512f") != 0;
  }();
  return has;
}

inline bool cpu_has_avx2() noexcept {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
}
#endif

}  // namespace imersim
