#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace mxemu::domain {

// Makes MX-style identifiers ("MBR-" + UUID-shaped hex) from a counter, so that a given
// sequence of requests always yields the same guids: golden files and scenario captures stay
// stable. Thread safety: none; the Emulator serialises access.
class GuidGenerator {
 public:
  explicit GuidGenerator(std::uint64_t seed = 0) : seed_(seed) {}

  // `prefix` is MX's, without the dash: "USR", "MBR", "ACT", "TRN", "CRD", "JOB", ...
  std::string next(std::string_view prefix);

  std::uint64_t issued() const { return counter_; }
  // Continues after `issued` guids (snapshots): the next one is what the counter then gives.
  void restore_issued(std::uint64_t issued) { counter_ = issued; }

 private:
  std::uint64_t seed_;
  std::uint64_t counter_ = 0;
};

// A UUID-shaped guid that depends only on its inputs (for data derived from a member seed).
std::string derived_guid(std::string_view prefix, std::uint64_t a, std::uint64_t b);

// SplitMix64: the emulator's only source of pseudo-randomness, always explicitly seeded.
std::uint64_t mix64(std::uint64_t x);

// FNV-1a: a stable 64-bit digest of a text (std::hash is not stable across libraries), for
// values derived from a guid.
inline std::uint64_t stable_digest(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace mxemu::domain
