// A stable 64-bit text hash (FNV-1a) for keys that must agree across machines, compilers and runs.
#pragma once
#include <cstdint>
#include <string_view>

namespace imersim {

/// 64-bit FNV-1a of `text`. Chosen because it is tiny, has no dependency and its value is defined
/// byte by byte (unlike std::hash, which may differ between standard libraries and runs), so every
/// machine, compiler and MPI rank computes the same key. Not for adversarial inputs: it only has to
/// tell apart the few million keys of one purpose (sweep points, saved parameter sets).
constexpr std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV offset basis
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;  // FNV prime
  }
  return h;
}

}  // namespace imersim
