// members_to_poll: the polling fallback for webhooks that never arrive.
#include <algorithm>
#include <string>
#include <vector>

#include "mxclient/webhook_receiver.h"

namespace mxclient {

Result<std::vector<PollCandidate>> members_to_poll(Store& store, TimePoint now,
                                                   std::chrono::seconds quiet_for) {
  auto members = store.list_members();
  if (!members) return members.error();
  const TimePoint cutoff = now - quiet_for;
  std::vector<PollCandidate> out;
  for (const MemberRecord& m : *members) {
    if (m.watch_state != WatchState::kWatching) continue;
    TimePoint heard = std::max(m.created_at, m.updated_at);
    if (m.last_synced_at) heard = std::max(heard, *m.last_synced_at);
    if (heard >= cutoff) continue;  // no need to read the history
    auto latest = store.latest_status(m.member_guid);
    if (!latest) return latest.error();
    if (*latest) heard = std::max(heard, (*latest)->observed_at);
    if (heard >= cutoff) continue;
    out.push_back({m.member_guid, m.user_guid, m.institution_code, heard});
  }
  std::sort(out.begin(), out.end(), [](const PollCandidate& a, const PollCandidate& b) {
    if (a.last_heard != b.last_heard) return a.last_heard < b.last_heard;
    return a.member_guid < b.member_guid;
  });
  return out;
}

}  // namespace mxclient
