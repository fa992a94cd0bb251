#include "domain/ids.h"

#include <array>

namespace mxemu::domain {

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27U)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31U);
}

std::string derived_guid(std::string_view prefix, std::uint64_t a, std::uint64_t b) {
  const std::uint64_t hi = mix64(a ^ mix64(b));
  const std::uint64_t lo = mix64(hi ^ (b + 0x632be59bd9b4e019ULL));
  static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                             '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out(prefix);
  out += '-';
  int written = 0;
  for (std::uint64_t word : {hi, lo}) {
    for (int nibble = 15; nibble >= 0; --nibble) {
      if (written == 8 || written == 12 || written == 16 || written == 20) out += '-';
      out += kHex[(word >> (static_cast<unsigned>(nibble) * 4U)) & 0xfU];
      ++written;
    }
  }
  return out;
}

std::string GuidGenerator::next(std::string_view prefix) {
  ++counter_;
  // Mixing the prefix in keeps "USR-…" and "MBR-…" from sharing hex bodies.
  std::uint64_t p = 0;
  for (char c : prefix) p = p * 131 + static_cast<unsigned char>(c);
  return derived_guid(prefix, seed_ ^ p, counter_);
}

}  // namespace mxemu::domain
