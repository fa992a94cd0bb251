// Rewards: each credit card's points that expire at the end of the current month.
#include <cstdint>
#include <string>
#include <vector>

#include "domain/data_generator_internal.h"

namespace mxemu::domain {

using generator_detail::as_key;
using generator_detail::hash_of;
using generator_detail::kSaltReward;
using generator_detail::last_day;
using generator_detail::month_of;
using generator_detail::MonthIndex;

std::vector<Reward> generate_rewards(const Institution& institution, const MemberDataContext& ctx,
                                     const std::vector<Account>& accounts, TimePoint now) {
  std::vector<Reward> out;
  const MonthIndex month = month_of(day_of(now));
  const std::string expires_on = format_day(last_day(month));
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    if (accounts[i].type != "CREDIT_CARD") continue;
    const std::uint64_t key = hash_of(ctx.seed, kSaltReward, i);
    Reward r;
    r.guid = derived_guid("RWD", key, 0);
    r.user_guid = ctx.user_guid;
    r.member_guid = ctx.member_guid;
    r.account_guid = accounts[i].guid;
    r.balance_type = "EXPIRING_BALANCE";
    r.balance = 500 + static_cast<int>(hash_of(key, as_key(month)) % 9500);
    r.unit_type = "POINTS";
    r.description = institution.name + " Rewards points expiring on " + expires_on;
    r.expires_on = expires_on;
    r.created_at = now;
    r.updated_at = now;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace mxemu::domain
