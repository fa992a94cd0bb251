#pragma once

#include <cstdint>

namespace mxemu::api {

// SplitMix64's finaliser: a well-mixed 64-bit value from a counter, so that seeded draws (fault
// probabilities, generated credentials) replay exactly for the same inputs.
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

}  // namespace mxemu::api
