// MemberWatcher, one observation at a time: ordering, history, policy, state and notices.
#include <string>

#include "mxclient/watch.h"

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
    if (rule_for(parse_connection_status(it->connection_status)).notify_user) return true;
  }
  return false;
}

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

}  // namespace

std::string_view notice_kind(Action action) {
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
      return kNoticeConnectionStale;
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

Result<StatusOutcome> MemberWatcher::on_status(const StatusObservation& observation) {
  return observe(status_of(observation), observation.source, observation.observed_at);
}

Result<StatusOutcome> MemberWatcher::observe(const MxMemberStatus& status, StatusSource source,
                                             TimePoint observed_at) {
  StatusOutcome out;
  out.decision = decide(status);
  MemberRecord member;
  std::vector<StatusObservation> history;  // before this observation

  // Check-and-record in one transaction, so that a webhook and a poll racing on the same
  // member cannot both pass the ordering check against the same "latest".
  Status tx = store_.run_in_transaction([&](Store& store) -> Status {
    auto found = store.find_member(status.guid);
    if (!found) return found.error();
    if (!found->has_value()) {
      return make_error(ErrorKind::kNotFound, "member " + status.guid + " is not stored");
    }
    member = **found;
    auto latest = store.latest_status(status.guid);
    if (!latest) return latest.error();
    if (latest->has_value() && (*latest)->observed_at > observed_at) {
      out.stale = true;
      return Done{};
    }
    auto past = store.list_status_history(status.guid);
    if (!past) return past.error();
    history = std::move(*past);
    auto recorded = store.record_status(
        {status.guid, status.connection_status, status.is_being_aggregated, observed_at, source});
    if (!recorded) return recorded.error();
    out.recorded = *recorded;

    member.connection_status = status.connection_status;
    member.is_being_aggregated = status.is_being_aggregated;
    if (status.aggregated_at) member.aggregated_at = status.aggregated_at;
    if (status.successfully_aggregated_at) {
      member.successfully_aggregated_at = status.successfully_aggregated_at;
    }
    member.watch_state = watch_state_for(out.decision);
    member.updated_at = clock_.now();
    return store.upsert_member(member);
  });
  if (!tx) return tx.error();
  if (out.stale) return out;
  out.watch_state = member.watch_state;

  const int episode = episode_of(history);
  const std::string status_name =
      status.connection_status.empty() ? "NULL" : status.connection_status;
  if (out.decision.notify_user) {
    const std::string_view kind = notice_kind(out.decision.action);
    if (!kind.empty()) {
      send_notice(member, kind,
                  std::string(kind) + ":" + member.member_guid + ":" + status_name + ":" +
                      std::to_string(episode),
                  out.decision, observed_at, out);
    }
  }
  if (healthy(status.connection_status, status.is_being_aggregated) &&
      told_user_since_healthy(history)) {
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

  auto claimed = store_.insert_notification_if_absent(
      {key, member.member_guid, member.app_user_id, notice.kind, notice.message, at});
  if (!claimed) {
    out.notify_error = claimed.error();
    return;
  }
  if (!*claimed) return;  // sent before: at most once per key
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
