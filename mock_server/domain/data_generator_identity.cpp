// Identity and verification data: routing and account numbers, and the people who own the
// accounts.
#include <array>
#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/data_generator_internal.h"

namespace mxemu::domain {
namespace {

// Fictional people.
constexpr std::array<const char*, 24> kFirstNames{
    "Olivia",   "Liam",    "Emma",    "Noah",  "Ava",    "Elijah", "Sophia", "James",
    "Isabella", "Lucas",   "Mia",     "Mason", "Amelia", "Ethan",  "Harper", "Logan",
    "Evelyn",   "Jackson", "Abigail", "Aiden", "Emily",  "Carter", "Ella",   "Owen"};
constexpr std::array<const char*, 20> kLastNames{
    "Anderson", "Bennett", "Carter", "Delgado",  "Ellison",  "Fischer", "Garcia",
    "Hughes",   "Iverson", "Jensen", "Kowalski", "Larsen",   "Morales", "Nakamura",
    "Okafor",   "Patel",   "Quinn",  "Romero",   "Sullivan", "Thompson"};
constexpr std::array<const char*, 12> kStreets{
    "Oak St",      "Maple Ave",    "Cedar Ln",    "Pine St",  "Elm Dr",   "Willow Way",
    "Lakeview Dr", "Highland Ave", "Sunset Blvd", "River Rd", "Aspen Ct", "Meadow Ln"};

}  // namespace

using generator_detail::Generator;
using generator_detail::hash_of;
using generator_detail::hash_text;
using generator_detail::kSaltAccountNumber;
using generator_detail::kSaltOwner;
using generator_detail::Metro;
using generator_detail::Rng;

std::string routing_number_for(const Institution& institution) {
  if (!institution.routing_number.empty()) return institution.routing_number;
  Rng rng(hash_of(hash_text(institution.code), kSaltAccountNumber));
  // Federal Reserve district prefixes: 01-12 (banks) and 21-32 (thrifts).
  const int district = rng.between(1, 12) + (rng.chance(0.5) ? 20 : 0);
  std::array<char, 3> prefix{};
  std::snprintf(prefix.data(), prefix.size(), "%02d", district);
  std::string digits = std::string(prefix.data()) + rng.digits(6);
  static constexpr std::array<int, 8> kWeights{3, 7, 1, 3, 7, 1, 3, 7};
  int sum = 0;
  for (std::size_t i = 0; i < 8; ++i) sum += kWeights[i] * (digits[i] - '0');
  digits += static_cast<char>('0' + (10 - sum % 10) % 10);
  return digits;
}

bool is_valid_aba_routing_number(std::string_view digits) {
  if (digits.size() != 9) return false;
  static constexpr std::array<int, 9> kWeights{3, 7, 1, 3, 7, 1, 3, 7, 1};
  int sum = 0;
  for (std::size_t i = 0; i < 9; ++i) {
    if (digits[i] < '0' || digits[i] > '9') return false;
    sum += kWeights[i] * (digits[i] - '0');
  }
  return sum % 10 == 0;
}

std::vector<AccountNumber> generate_account_numbers(const Institution& institution,
                                                    const MemberDataContext& ctx,
                                                    const std::vector<Account>& accounts) {
  std::vector<AccountNumber> out;
  const std::string routing = routing_number_for(institution);
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const Account& acc = accounts[i];
    if (acc.type != "CHECKING" && acc.type != "SAVINGS") continue;
    Rng rng(hash_of(ctx.seed, kSaltAccountNumber, i));
    AccountNumber n;
    n.guid = derived_guid("ACN", hash_of(ctx.seed, kSaltAccountNumber), i);
    n.user_guid = ctx.user_guid;
    n.member_guid = ctx.member_guid;
    n.account_guid = acc.guid;
    const std::string& masked = acc.account_number_masked;
    const std::string last4 = masked.size() >= 4 ? masked.substr(masked.size() - 4) : rng.digits(4);
    n.account_number = std::to_string(rng.between(1, 9)) + rng.digits(5) + last4;
    n.routing_number = routing;
    n.passed_validation = true;
    out.push_back(std::move(n));
  }
  return out;
}

std::vector<AccountOwner> generate_account_owners(const Institution& institution,
                                                  const MemberDataContext& ctx,
                                                  const std::vector<Account>& accounts) {
  static const DataCatalog kNoCatalog;
  const Generator gen(institution, kNoCatalog, ctx);
  const Metro& metro = gen.metro();
  // The people are the user's (the same at every bank); whether there is a joint owner is the
  // member's.
  Rng rng(hash_of(hash_text(ctx.user_guid), kSaltOwner, 1));
  const std::string last = kLastNames[static_cast<std::size_t>(rng.below(kLastNames.size()))];
  const auto first_index = static_cast<std::size_t>(rng.below(kFirstNames.size()));
  auto joint_index = static_cast<std::size_t>(rng.below(kFirstNames.size() - 1));
  if (joint_index >= first_index) ++joint_index;
  const bool joint = Rng(hash_of(ctx.seed, kSaltOwner)).chance(0.4);
  const std::string address = std::to_string(rng.between(100, 9899)) + " " +
                              kStreets[static_cast<std::size_t>(rng.below(kStreets.size()))];
  const int phone_a = rng.between(0, 99);
  const int phone_b = rng.between(0, 99);
  const std::string email_suffix = std::to_string(rng.between(1, 99));

  auto make = [&](std::size_t account, int owner, const std::string& first, int phone) {
    AccountOwner o;
    o.guid = derived_guid("ACO", hash_of(ctx.seed, kSaltOwner, account),
                          static_cast<std::uint64_t>(owner));
    o.user_guid = ctx.user_guid;
    o.member_guid = ctx.member_guid;
    o.account_guid = accounts[account].guid;
    o.first_name = first;
    o.last_name = last;
    o.owner_name = first + " " + last;
    o.address = address;
    o.city = metro.city;
    o.state = metro.state;
    o.postal_code = metro.postal_code;
    o.country = "US";
    std::string email = first + "." + last + email_suffix + "@example.com";
    for (char& c : email) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    o.email = std::move(email);
    std::array<char, 24> buf{};
    std::snprintf(buf.data(), buf.size(), "%s-555-01%02d", metro.area_code, phone);
    o.phone = buf.data();
    return o;
  };
  std::vector<AccountOwner> out;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const std::string& type = accounts[i].type;
    out.push_back(make(i, 0, kFirstNames[first_index], phone_a));
    if (joint && (type == "CHECKING" || type == "SAVINGS" || type == "MORTGAGE")) {
      out.push_back(make(i, 1, kFirstNames[joint_index], phone_b));
    }
  }
  return out;
}

}  // namespace mxemu::domain
