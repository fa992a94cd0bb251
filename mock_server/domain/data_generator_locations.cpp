// Merchant locations: a merchant's store in a metro, named by a guid that encodes where it is.
#include <array>
#include <cmath>
#include <cstdio>
#include <string>

#include "domain/data_generator.h"
#include "domain/data_generator_internal.h"

namespace mxemu::domain {
namespace generator_detail {
namespace {

constexpr std::array<const char*, 12> kStreets = {
    "Main St",   "Oak Ave",     "Center St", "Maple Dr", "Park Blvd", "Washington Ave",
    "Market St", "Lincoln Way", "Broadway",  "Elm St",   "Lake Rd",   "University Ave"};

// The key's 40 bits: merchant index (16), metro index (8), store number (16).
std::uint64_t packed(const StoreKey& k) {
  return (static_cast<std::uint64_t>(k.merchant) << 24U) |
         (static_cast<std::uint64_t>(k.metro) << 16U) | static_cast<std::uint64_t>(k.store);
}

std::string hex16(std::uint64_t v) {
  std::array<char, 17> out{};
  std::snprintf(out.data(), out.size(), "%016llx", static_cast<unsigned long long>(v));
  return out.data();
}

}  // namespace

// "MCL-" and 32 hex digits as 8-4-4-4-12: the first 16 a digest of the key (so guids look
// random and a typed one is checked), the last 16 the key masked by that digest.
std::string location_guid(const StoreKey& key) {
  const std::uint64_t k = packed(key);
  const std::uint64_t digest = hash_of(k, kSaltLocation);
  const std::string hex = hex16(digest) + hex16(k ^ mix64(digest));
  return "MCL-" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

MerchantLocation location_of(const DataCatalog& catalog, const StoreKey& key) {
  const Merchant& m = catalog.merchants[key.merchant];
  const Metro& metro = *metro_at(key.metro);
  const std::uint64_t h = hash_of(packed(key), kSaltLocation, 1);
  MerchantLocation l;
  l.guid = location_guid(key);
  l.merchant_guid = m.guid;
  l.street_address = std::to_string(100 + key.store % 9900) + " " + kStreets[h % kStreets.size()];
  l.city = metro.city;
  l.state = metro.state;
  l.postal_code = metro.postal_code;
  l.country = "US";
  l.latitude = std::round((metro.latitude + (uniform_of(h) - 0.5) * 0.16) * 1e6) / 1e6;
  l.longitude = std::round((metro.longitude + (uniform_of(h + 1) - 0.5) * 0.16) * 1e6) / 1e6;
  std::array<char, 16> phone{};
  std::snprintf(phone.data(), phone.size(), "%s-555-%04d", metro.area_code, key.store % 10000);
  l.phone_number = phone.data();
  l.created_at = m.created_at;
  l.updated_at = m.updated_at;
  return l;
}

}  // namespace generator_detail

std::optional<MerchantLocation> find_merchant_location(const DataCatalog& catalog,
                                                       std::string_view guid) {
  using generator_detail::StoreKey;
  if (guid.size() != 40 || guid.substr(0, 4) != "MCL-") return std::nullopt;
  std::string hex;
  for (std::size_t i = 4; i < guid.size(); ++i) {
    if (guid[i] != '-') hex += guid[i];
  }
  if (hex.size() != 32 || hex.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return std::nullopt;
  }
  const std::uint64_t digest = std::stoull(hex.substr(0, 16), nullptr, 16);
  const std::uint64_t k = std::stoull(hex.substr(16), nullptr, 16) ^ mix64(digest);
  StoreKey key{static_cast<std::size_t>(k >> 24U), static_cast<std::size_t>((k >> 16U) & 0xffU),
               static_cast<int>(k & 0xffffU)};
  if ((k >> 40U) != 0 || key.merchant >= catalog.merchants.size() ||
      generator_detail::metro_at(key.metro) == nullptr || key.store < 1000 || key.store > 9999 ||
      catalog.merchants[key.merchant].is_online) {
    return std::nullopt;
  }
  if (generator_detail::location_guid(key) != guid) return std::nullopt;  // dashes, digest
  return generator_detail::location_of(catalog, key);
}

}  // namespace mxemu::domain
