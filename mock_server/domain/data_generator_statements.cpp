// Monthly statements: one per account per complete month, with a stable content hash.
#include <array>
#include <cstdint>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "domain/data_generator_internal.h"

namespace mxemu::domain {

using generator_detail::as_key;
using generator_detail::at;
using generator_detail::hash_of;
using generator_detail::kHour;
using generator_detail::kSaltStatement;
using generator_detail::last_day;
using generator_detail::month_of;
using generator_detail::MonthIndex;

namespace {

// 64 hex digits from (a, b).
std::string hex64(std::uint64_t a, std::uint64_t b) {
  std::string out;
  std::uint64_t w = hash_of(a, b);
  for (int i = 0; i < 4; ++i) {
    std::array<char, 17> buf{};
    std::snprintf(buf.data(), buf.size(), "%016llx", static_cast<unsigned long long>(w));
    out += buf.data();
    w = mix64(w + static_cast<std::uint64_t>(i));
  }
  return out;
}

}  // namespace

std::vector<Statement> generate_statements(const Institution& institution,
                                           const MemberDataContext& ctx,
                                           const std::vector<Account>& accounts, TimePoint now,
                                           int months) {
  (void)institution;
  std::vector<Statement> out;
  const MonthIndex current = month_of(day_of(now));
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    for (int k = 1; k <= months; ++k) {
      const MonthIndex m = current - k;
      const DayNumber end = last_day(m);
      Statement s;
      const std::uint64_t key = hash_of(ctx.seed, kSaltStatement, i);
      s.guid = derived_guid("STA", key, as_key(m));
      s.user_guid = ctx.user_guid;
      s.member_guid = ctx.member_guid;
      s.account_guid = accounts[i].guid;
      s.content_hash = hex64(key, as_key(m));
      s.period_end = format_day(end);
      s.created_at = at(end + 1, 6 * kHour);
      s.updated_at = s.created_at;
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace mxemu::domain
