// MemberWatcher's loops: polling until there is something to do, and answering MFA via the API.
#include "mxclient/watch.h"

#include <utility>

namespace mxclient {
namespace {

MxMemberStatus status_from_member(const MxMember& m) {
  MxMemberStatus s;
  s.guid = m.guid;
  s.connection_status = m.connection_status;
  s.is_being_aggregated = m.is_being_aggregated;
  s.aggregated_at = m.aggregated_at;
  s.successfully_aggregated_at = m.successfully_aggregated_at;
  return s;
}

void collect(WatchResult& result, StatusOutcome& outcome) {
  for (Notice& n : outcome.sent) result.notices.push_back(std::move(n));
  if (outcome.notify_error) result.notify_error = outcome.notify_error;
}

}  // namespace

std::string_view to_string(WatchEnd end) {
  switch (end) {
    case WatchEnd::kReady:
      return "ready";
    case WatchEnd::kNeedsUser:
      return "needs_user";
    case WatchEnd::kRetryLater:
      return "retry_later";
    case WatchEnd::kGaveUp:
      return "gave_up";
    case WatchEnd::kTimedOut:
      return "timed_out";
  }
  return "timed_out";
}

Result<MemberRecord> MemberWatcher::stored_member(const std::string& member_guid) {
  auto member = store_.find_member(member_guid);
  if (!member) return member.error();
  if (!member->has_value()) {
    return make_error(ErrorKind::kNotFound, "member " + member_guid + " is not stored");
  }
  return **member;
}

Result<WatchResult> MemberWatcher::watch(const std::string& member_guid) {
  auto member = stored_member(member_guid);
  if (!member) return member.error();
  const TimePoint start = clock_.now();
  WatchResult result;
  int settle_polls = 0;  // consecutive CONNECTED-idle polls with data not yet processed

  while (result.polls < config_.max_polls) {
    auto status = api_.read_member_status(member->user_guid, member_guid);
    if (!status) return status.error();
    ++result.polls;
    auto outcome = observe(*status, StatusSource::kPoll, clock_.now());
    if (!outcome) return outcome.error();
    collect(result, *outcome);
    result.last = std::move(*status);
    result.decision = outcome->decision;

    const PolicyDecision& d = result.decision;
    if (d.settling) {
      // Accounts can race the transaction pull; after kMaxSettlePolls, sync anyway.
      if (++settle_polls >= kMaxSettlePolls) {
        auto settled = stored_member(member_guid);
        if (!settled) return settled.error();
        settled->watch_state = WatchState::kSettled;
        if (auto saved = store_.upsert_member(*settled); !saved) return saved.error();
        result.end = WatchEnd::kReady;
        return result;
      }
    } else {
      settle_polls = 0;
      if (!d.keep_polling) {
        result.end = watch_end_for(d);
        return result;
      }
    }
    if (clock_.now() - start + config_.poll_interval > config_.timeout) break;
    sleeper_.wait(config_.poll_interval);
  }
  result.end = WatchEnd::kTimedOut;
  return result;
}

Result<WatchResult> MemberWatcher::answer_challenges(const std::string& member_guid,
                                                     ChallengeAnswerer& answerer) {
  std::vector<Notice> earlier;  // notices of earlier rounds, so the caller sees them all
  for (int round = 1;; ++round) {
    auto member = stored_member(member_guid);
    if (!member) return member.error();
    auto challenges = api_.list_challenges(member->user_guid, member_guid);
    if (!challenges) return challenges.error();
    if (challenges->empty()) {
      return make_error(ErrorKind::kInvalidInput,
                        "member " + member_guid + " has no open MFA challenges (not CHALLENGED)");
    }
    auto answers = answerer.answer(*member, *challenges);
    if (!answers) {
      return make_error(ErrorKind::kInvalidInput,
                        "the app declined to answer member " + member_guid +
                            "'s challenges; open the widget (ConnectFlow::resume_mfa) instead");
    }
    auto resumed = api_.resume_member(member->user_guid, member_guid, *answers);
    if (!resumed) return resumed.error();
    auto observed = observe(status_from_member(*resumed), StatusSource::kPoll, clock_.now());
    if (!observed) return observed.error();

    // MX needs a moment to judge the answer (RESUMED); poll after the usual interval.
    sleeper_.wait(config_.poll_interval);
    auto result = watch(member_guid);
    if (!result) return result.error();
    for (Notice& n : observed->sent) earlier.push_back(std::move(n));
    const bool asked_again =
        result->end == WatchEnd::kNeedsUser && result->decision.action == Action::kAnswerMfa;
    if (!asked_again || round >= config_.max_mfa_rounds) {
      earlier.insert(earlier.end(), std::make_move_iterator(result->notices.begin()),
                     std::make_move_iterator(result->notices.end()));
      result->notices = std::move(earlier);
      return result;
    }
    earlier.insert(earlier.end(), std::make_move_iterator(result->notices.begin()),
                   std::make_move_iterator(result->notices.end()));
  }
}

}  // namespace mxclient
