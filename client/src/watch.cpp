// MemberWatcher's loops: polling until there is something to do, and answering MFA via the API.
#include "mxclient/watch.h"

#include <algorithm>
#include <utility>

namespace mxclient {
namespace {

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
    case WatchEnd::kInterrupted:
      return "interrupted";
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

bool MemberWatcher::pause(std::chrono::milliseconds d, WatchProgress& progress, TimePoint start,
                          TimePoint& next_beat) {
  using std::chrono::milliseconds;
  while (d > milliseconds{0}) {
    milliseconds slice = d;
    if (config_.on_progress) {
      const auto to_beat = std::chrono::duration_cast<milliseconds>(next_beat - clock_.now());
      slice = std::clamp(to_beat, milliseconds{1}, d);
    }
    sleeper_.wait(slice);
    d -= slice;
    if (sleeper_.interrupted()) return false;
    if (config_.on_progress && clock_.now() >= next_beat) {
      progress.elapsed = std::chrono::duration_cast<milliseconds>(clock_.now() - start);
      config_.on_progress(progress);
      next_beat = clock_.now() + config_.progress_every;
    }
  }
  return true;
}

Result<WatchResult> MemberWatcher::watch(const std::string& member_guid) {
  auto member = stored_member(member_guid);
  if (!member) return member.error();
  const TimePoint start = clock_.now();
  TimePoint next_beat = start + config_.progress_every;
  WatchResult result;
  WatchProgress progress;
  progress.member_guid = member_guid;
  int settle_polls = 0;  // consecutive CONNECTED-idle polls with data not yet processed

  while (result.polls < config_.max_polls) {
    if (sleeper_.interrupted()) {
      result.end = WatchEnd::kInterrupted;
      return result;
    }
    auto status = api_.read_member_status(member->user_guid, member_guid);
    if (!status) return status.error();
    ++result.polls;
    auto outcome = observe(*status, StatusSource::kPoll, clock_.now());
    if (!outcome) return outcome.error();
    collect(result, *outcome);
    result.last = std::move(*status);
    result.decision = outcome->decision;
    progress.last = result.last;
    progress.polls = result.polls;

    const PolicyDecision& d = result.decision;
    if (d.settling) {
      // Accounts can race the transaction pull; after kMaxSettlePolls, sync anyway.
      if (++settle_polls >= kMaxSettlePolls) {
        if (auto settled = mark_settled(member_guid); !settled) return settled.error();
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
    // No wait after the last poll the cap or the timeout allows.
    if (result.polls >= config_.max_polls) break;
    if (clock_.now() - start + config_.poll_interval > config_.timeout) break;
    if (!pause(config_.poll_interval, progress, start, next_beat)) {
      result.end = WatchEnd::kInterrupted;
      return result;
    }
  }
  result.end = WatchEnd::kTimedOut;
  return result;
}

Status MemberWatcher::mark_settled(const std::string& member_guid) {
  // Read and written in one transaction: a status a webhook records meanwhile is kept.
  return store_.run_in_transaction([&](Store& store) -> Status {
    auto found = store.find_member(member_guid);
    if (!found) return found.error();
    if (!*found) return make_error(ErrorKind::kNotFound, "member " + member_guid + " vanished");
    MemberRecord settled = std::move(**found);
    settled.watch_state = WatchState::kSettled;
    return store.upsert_member(settled);
  });
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
    auto observed = observe(status_of(*resumed), StatusSource::kPoll, clock_.now());
    if (!observed) return observed.error();

    // MX needs a moment to judge the answer (RESUMED); poll after the usual interval. An
    // interrupted wait ends in watch()'s first check.
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
