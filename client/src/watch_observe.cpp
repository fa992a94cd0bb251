// MemberWatcher, one observation at a time: ordering, history, policy, state and notices; and
// record_member_status, the one writer of a member's status.
#include <algorithm>
#include <string>

#include "mxclient/connect.h"
#include "mxclient/watch.h"
#include "sqlite_store_impl.h"  // parse_iso8601_ms

namespace mxclient {
namespace {

// CONNECTED and no job running: the end of an episode.
bool healthy(const std::string& connection_status, bool is_being_aggregated) {
  return parse_connection_status(connection_status) == ConnectionStatus::kConnected &&
         !is_being_aggregated;
}

// Episodes so far: how many times the member has entered CONNECTED-and-idle. The history
// holds no consecutive repeats (Store::record_status), so each healthy entry is one entry into
// it.
int episode_of(const std::vector<StatusObservation>& history) {
  int episodes = 0;
  for (const StatusObservation& o : history) {
    if (healthy(o.connection_status, o.is_being_aggregated)) ++episodes;
  }
  return episodes;
}

// Whether, since the last healthy entry, the member passed through a status the policy tells
// the user about. False when the latest entry is itself healthy (nothing to recover from).
bool told_user_since_healthy(const std::vector<StatusObservation>& history) {
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    if (healthy(it->connection_status, it->is_being_aggregated)) return false;
    // The decision, not the row: a status seen while its job still ran told nobody.
    if (decide(status_of(*it)).notify_user) return true;
  }
  return false;
}

// The dedupe key of a notice about `status` in `episode`. An interruption is one notice per
// episode whatever MX calls it (DEGRADED, then DISABLED); the other kinds are per status.
std::string dedupe_key(std::string_view kind, const std::string& member_guid,
                       const std::string& status, int episode) {
  std::string key = std::string(kind) + ":" + member_guid + ":";
  if (kind != kNoticeConnectionInterrupted) key += (status.empty() ? "NULL" : status) + ":";
  return key + std::to_string(episode);
}

}  // namespace

MxMemberStatus status_of(const StatusObservation& o) {
  MxMemberStatus s;
  s.guid = o.member_guid;
  s.connection_status = o.connection_status;
  s.is_being_aggregated = o.is_being_aggregated;
  // Webhooks and callbacks do not report has_processed_*: as decide(MxMember) does, treat the
  // data as processed. The settle polls exist for the poll path only.
  s.has_processed_accounts = true;
  s.has_processed_transactions = true;
  return s;
}

std::string_view notice_kind(Action action, RepairLink link) {
  switch (action) {
    case Action::kAnswerMfa:
      return kNoticeMfaRequired;
    case Action::kReconnectWithCredentials:
      return kNoticeReconnectRequired;
    case Action::kRepairInWidget:
      return kNoticeRepairRequired;
    case Action::kTellUserAndWait:
      return kNoticeInstitutionAction;
    case Action::kCompleteOAuth:
      return kNoticeOAuthIncomplete;
    case Action::kGiveUp:
      return kNoticeConnectionLost;
    case Action::kRetryLater:
      return link == RepairLink::kNone ? kNoticeConnectionStale : kNoticeConnectionInterrupted;
    case Action::kWaitAndPoll:
    case Action::kNothing:
      return "";
  }
  return "";
}

WatchState watch_state_for(const PolicyDecision& decision) {
  if (decision.keep_polling) return WatchState::kWatching;
  switch (decision.action) {
    case Action::kAnswerMfa:
    case Action::kReconnectWithCredentials:
    case Action::kRepairInWidget:
    case Action::kTellUserAndWait:
    case Action::kCompleteOAuth:
    case Action::kGiveUp:  // never auto-refresh; only reconnecting it anew can help
      return WatchState::kNeedsUser;
    default:
      return WatchState::kSettled;
  }
}

WatchEnd watch_end_for(const PolicyDecision& decision) {
  if (decision.data_ready) return WatchEnd::kReady;
  switch (decision.action) {
    case Action::kAnswerMfa:
    case Action::kReconnectWithCredentials:
    case Action::kRepairInWidget:
    case Action::kTellUserAndWait:
    case Action::kCompleteOAuth:
      return WatchEnd::kNeedsUser;
    case Action::kGiveUp:
      return WatchEnd::kGaveUp;
    case Action::kWaitAndPoll:
      return WatchEnd::kTimedOut;
    default:
      return WatchEnd::kRetryLater;
  }
}

Result<RecordedStatus> record_member_status(Store& store, const MxMemberStatus& status,
                                            StatusSource source, TimePoint observed_at,
                                            TimePoint now) {
  RecordedStatus out;
  out.decision = decide(status);
  // Check-and-record in one transaction, so that a webhook and a poll racing on the same
  // member cannot both pass the ordering check against the same "latest".
  Status tx = store.run_in_transaction([&](Store& s) -> Status {
    auto found = s.find_member(status.guid);
    if (!found) return found.error();
    if (!found->has_value()) {
      return make_error(ErrorKind::kNotFound, "member " + status.guid + " is not stored");
    }
    out.member = std::move(**found);
    auto latest = s.latest_status(status.guid);
    if (!latest) return latest.error();
    if (latest->has_value() && (*latest)->observed_at > observed_at) {
      out.stale = true;
      return Done{};
    }
    auto past = s.list_status_history(status.guid);
    if (!past) return past.error();
    out.earlier = std::move(*past);
    auto recorded = s.record_status(
        {status.guid, status.connection_status, status.is_being_aggregated, observed_at, source});
    if (!recorded) return recorded.error();
    out.recorded = *recorded;

    MemberRecord& member = out.member;
    member.connection_status = status.connection_status;
    member.is_being_aggregated = status.is_being_aggregated;
    if (status.aggregated_at) member.aggregated_at = status.aggregated_at;
    // The store keeps only times it can order (the refresh SLA compares them).
    if (status.successfully_aggregated_at &&
        sqlite::parse_iso8601_ms(*status.successfully_aggregated_at)) {
      member.successfully_aggregated_at = status.successfully_aggregated_at;
    }
    member.watch_state = watch_state_for(out.decision);
    member.updated_at = std::max(member.updated_at, now);
    return s.upsert_member(member);
  });
  if (!tx) return tx.error();
  return out;
}

Result<StatusOutcome> MemberWatcher::on_status(const StatusObservation& observation) {
  return observe(status_of(observation), observation.source, observation.observed_at);
}

Result<StatusOutcome> MemberWatcher::observe(const MxMemberStatus& status, StatusSource source,
                                             TimePoint observed_at) {
  auto written = record_member_status(store_, status, source, observed_at, clock_.now());
  if (!written) return written.error();
  StatusOutcome out;
  out.decision = written->decision;
  out.stale = written->stale;
  if (out.stale) return out;
  out.recorded = written->recorded;
  const MemberRecord& member = written->member;
  out.watch_state = member.watch_state;

  const int episode = episode_of(written->earlier);
  if (out.decision.notify_user) {
    const std::string_view kind = notice_kind(out.decision.action, out.decision.link);
    if (!kind.empty()) {
      send_notice(member, kind,
                  dedupe_key(kind, member.member_guid, status.connection_status, episode),
                  out.decision, observed_at, out);
    }
  }
  if (healthy(status.connection_status, status.is_being_aggregated) &&
      told_user_since_healthy(written->earlier)) {
    out.recovered = true;
    send_notice(member, kNoticeConnectionRestored,
                std::string(kNoticeConnectionRestored) + ":" + member.member_guid + ":" +
                    std::to_string(episode),
                out.decision, observed_at, out);
  }
  return out;
}

void MemberWatcher::send_notice(const MemberRecord& member, std::string_view kind,
                                const std::string& key, const PolicyDecision& decision,
                                TimePoint at, StatusOutcome& out) {
  Notice notice;
  notice.dedupe_key = key;
  notice.kind = std::string(kind);
  notice.app_user_id = member.app_user_id;
  notice.user_guid = member.user_guid;
  notice.member_guid = member.member_guid;
  notice.status = decision.status;
  notice.action = decision.action;
  notice.at = at;
  notice.message = decision.message(institution_name(member.institution_code));
  notice.link = kind == kNoticeConnectionRestored ? RepairLink::kNone : decision.link;

  auto claimed = store_.insert_notification_if_absent(
      {key, member.member_guid, member.app_user_id, notice.kind, notice.message, at});
  if (!claimed) {
    out.notify_error = claimed.error();
    return;
  }
  if (!*claimed) return;  // sent before: at most once per key
  if (repairs_ != nullptr && notice.link != RepairLink::kNone) {
    // Minted only for a notice that goes out: MX's widget URLs are single use. A failure
    // leaves the link alone in the notice; the app can mint one when the user taps it.
    if (auto url = repairs_->widget_url_for(member.member_guid, notice.link)) {
      notice.repair_url = std::move(*url);
    }
  }
  if (auto sent = notifier_.notify(notice); !sent) {
    // Forget the claim so the next observation of this status tries again.
    (void)store_.release_notification(key);
    out.notify_error = sent.error();
    return;
  }
  out.sent.push_back(std::move(notice));
}

std::string MemberWatcher::institution_name(const std::string& institution_code) {
  if (institution_code.empty()) return "";
  const std::string key = "institution_name:" + institution_code;
  if (auto cached = store_.get_meta(key); cached && cached->has_value()) return **cached;
  auto institution = api_.read_institution(institution_code);
  if (!institution) return "";  // "your bank": a notice is worth more than the name
  (void)store_.set_meta(key, institution->name);
  return institution->name;
}

}  // namespace mxclient
