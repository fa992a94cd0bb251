// Jobs: the 202/409/429 rules, the throttle, job phases on the virtual clock, MFA and expiry.
#include <algorithm>
#include <utility>

#include "domain/emulator.h"

namespace mxemu::domain {
namespace {

Seconds fraction(Seconds total, int percent) {
  return std::max(Seconds{1}, Seconds{total.count() * percent / 100});
}

bool supports(const Institution& inst, JobType type) {
  switch (type) {
    case JobType::kAggregate:
    case JobType::kBalance:
      return true;
    case JobType::kIdentify:
      return inst.supports_account_identification;
    case JobType::kVerify:
      return inst.supports_account_verification;
    case JobType::kHistory:
      return inst.supports_transaction_history;
    case JobType::kStatements:
      return inst.supports_account_statement;
    case JobType::kRewards:
      return inst.supports_rewards;
  }
  return false;
}

}  // namespace

std::string_view to_string(JobType t) {
  switch (t) {
    case JobType::kAggregate:
      return "aggregate";
    case JobType::kBalance:
      return "check_balance";
    case JobType::kIdentify:
      return "identify";
    case JobType::kVerify:
      return "verify";
    case JobType::kHistory:
      return "extend_history";
    case JobType::kStatements:
      return "fetch_statements";
    case JobType::kRewards:
      return "fetch_rewards";
  }
  return "aggregate";
}

// Order of checks (mx-behavior.md §3b): 404 → 400 unsupported premium job → 409 different job
// running → 202 same job running → 429 check_balance window → 202 PREVENTED → 202 throttled →
// state machine → start.
Result<JobAcceptance> Emulator::start_job(std::string_view user, std::string_view member,
                                          IdentifierMode mode, JobType type,
                                          std::optional<std::string> callback_payload) {
  auto found = find_member(user, member, mode);
  if (!found) return found.error();
  Member& m = **found;
  const Institution& inst = institution_of(m);
  if (!supports(inst, type)) {
    return refuse(ErrorCode::kBadRequest, Reason::kPremiumUnsupported);
  }
  // MX echoes X-CALLBACK-PAYLOAD on the webhooks the request causes, so each job request sets
  // (or clears) it; background jobs below clear it.
  m.callback_payload = std::move(callback_payload);
  if (m.job) {
    if (m.job->type != type) {
      return refuse(ErrorCode::kConflict, Reason::kJobRunning,
                    {std::string(to_string(m.job->type))});
    }
    return JobAcceptance{&m, JobDisposition::kAlreadyRunning};
  }
  if (type == JobType::kBalance && m.last_balance_check_at &&
      now_ - *m.last_balance_check_at < options_.balance_check_window) {
    return refuse(ErrorCode::kTooManyRequests, Reason::kBalanceWindow);
  }
  // MX "is preventing aggregation until the member's credentials have been updated": like a
  // throttled request, 202 with the member as it is and no job, so no login is attempted.
  if (m.status() == ConnectionStatus::kPrevented) {
    return JobAcceptance{&m, JobDisposition::kPrevented};
  }
  if (type == JobType::kAggregate && inst.throttle_window.count() > 0 &&
      !info(m.status()).exempt_from_throttle) {
    const std::optional<TimePoint> since =
        options_.throttle_after_success_only ? m.successfully_aggregated_at : m.aggregated_at;
    if (since && now_ - *since < inst.throttle_window) {
      return JobAcceptance{&m, JobDisposition::kThrottled};
    }
  }
  if (auto s = begin_job(m, type, false); !s) return s.error();
  return JobAcceptance{&m, JobDisposition::kStarted};
}

Status Emulator::begin_job(Member& member, JobType type, bool background) {
  if (!accepts(member.machine, MemberEvent::kJobStarted)) {
    const ConnectionStatus s = member.status();
    return refuse(ErrorCode::kConflict, Reason::kNotAggregatable,
                  {std::string(s == ConnectionStatus::kNone ? "null" : to_wire(s)),
                   info(s).needs_user ? "user" : ""});
  }
  if (auto s = transition(member, {MemberEvent::kJobStarted}); !s) return s;
  Job job;
  job.guid = guids_.next("JOB");
  job.type = type;
  job.phase = JobPhase::kAuthenticating;
  job.started_at = now_;
  job.is_background = background;
  const StormPolicy& storm = storm_policy(institution_of(member));
  if (storm.enabled()) {
    job.refused_by_storm = !storm_gates_[member.institution_code].admit(storm, now_);
  }
  if (background) member.callback_payload.reset();
  member.job = job;
  member.challenges.clear();
  member.aggregated_at = now_;  // "the most recent aggregation-type job was started"
  member.most_recent_job_guid = job.guid;
  if (type == JobType::kBalance) member.last_balance_check_at = now_;
  schedule_job_step(member, fraction(options_.job_duration, 40));
  emit(DomainEventKind::kMemberUpdated, member);
  return ok_status();
}

void Emulator::schedule_job_step(Member& member, Seconds delay) {
  member.job->timer = timers_.schedule(now_ + delay, TimerKind::kJobStep, member.guid);
}

void Emulator::schedule_background(const Member& member) {
  if (!options_.background_aggregation) return;
  timers_.schedule(now_ + options_.background_interval, TimerKind::kBackgroundAggregation,
                   member.guid);
}

void Emulator::on_timer(const Timer& timer) {
  if (timer.kind == TimerKind::kMicrodepositStep) return on_microdeposit_timer(timer);
  Member* member = store_.find_member(timer.member_guid);
  if (member == nullptr) return;  // deleted since
  switch (timer.kind) {
    case TimerKind::kJobStep:
      if (member->job && member->job->timer == timer.id) on_job_step(*member);
      break;
    case TimerKind::kChallengeExpiry:
      if (member->job && member->job->timer == timer.id) on_challenge_expiry(*member);
      break;
    case TimerKind::kOAuthExpiry:
      on_oauth_expiry(*member);
      break;
    case TimerKind::kBackgroundAggregation:
      on_background_aggregation(*member);
      break;
    case TimerKind::kSuccessOverdue:
      on_success_overdue(*member);
      break;
    case TimerKind::kMicrodepositStep:
      break;  // handled above: it names a microdeposit, not a member
  }
}

void Emulator::on_job_step(Member& member) {
  const Institution& inst = institution_of(member);
  switch (member.job->phase) {
    case JobPhase::kAuthenticating:
      authenticate(member, inst);
      break;
    case JobPhase::kCheckingAnswer:
      judge_mfa(member, inst);
      break;
    case JobPhase::kPullingData:
      finish_job(member, inst);
      break;
    case JobPhase::kAwaitingAnswer:
      break;  // only resume or expiry move it
  }
}

namespace {

ScriptVerdict outage_verdict(AuthOutcome outcome, const Institution& institution) {
  return {outcome, institution.challenge_type, "The institution is unavailable."};
}

}  // namespace

void Emulator::authenticate(Member& member, const Institution& institution) {
  ScriptVerdict verdict;
  // The delayed and OAuth branches both connect, but they cannot merge: queued outcomes,
  // institution faults and storms must win over OAuth, and not over a delayed member.
  // NOLINTNEXTLINE(bugprone-branch-clone): order of the checks matters, see above
  if (member.status() == ConnectionStatus::kDelayed) {
    verdict.outcome = AuthOutcome::kConnect;  // the slow institution finally answered
  } else if (auto q = queued_outcomes_.find(member.guid);
             q != queued_outcomes_.end() && !q->second.empty()) {
    verdict.outcome = q->second.front();
    verdict.challenge_type = institution.challenge_type;
    q->second.pop_front();
  } else if (auto f = institution_faults_.find(institution.code); f != institution_faults_.end()) {
    verdict = outage_verdict(f->second, institution);
  } else if (member.job->refused_by_storm) {
    verdict.outcome = AuthOutcome::kFail;
    verdict.detail = "The institution is receiving too many connections; please try again later.";
  } else if (institution.script == CredentialScript::kOAuth) {
    verdict.outcome = AuthOutcome::kConnect;
  } else {
    verdict = judge_login(institution, member.credentials);
  }
  apply_verdict(member, institution, verdict);
}

void Emulator::apply_verdict(Member& member, const Institution& institution,
                             const ScriptVerdict& verdict) {
  member.most_recent_job_detail_text =
      verdict.detail.empty() ? std::nullopt : std::optional<std::string>(verdict.detail);
  auto settle = [&](MachineEvent event) {
    end_job(member);  // the job is over before the status changes, so events see it settled
    (void)transition(member, event);
  };
  switch (verdict.outcome) {
    case AuthOutcome::kConnect:
      (void)transition(member, {MemberEvent::kAuthenticated});
      member.job->phase = JobPhase::kPullingData;
      member.challenges.clear();
      schedule_job_step(member, fraction(options_.job_duration, 60));
      return;
    case AuthOutcome::kChallenge: {
      ++member.job->challenge_round;
      member.challenges = make_challenges(institution, verdict.challenge_type,
                                          mix64(member.data_seed ^ mix64(guids_.issued())),
                                          member.job->challenge_round);
      member.job->phase = JobPhase::kAwaitingAnswer;
      member.job->timer = timers_.schedule(now_ + institution.mfa_timeout,
                                           TimerKind::kChallengeExpiry, member.guid);
      (void)transition(member, {MemberEvent::kChallengeIssued});
      return;
    }
    case AuthOutcome::kDelay:
      (void)transition(member, {MemberEvent::kAggregationDelayed});
      member.job->phase = JobPhase::kAuthenticating;  // also after an MFA answer
      schedule_job_step(member, Seconds{options_.job_duration.count() * 3});
      return;
    case AuthOutcome::kDeny:
      settle({MemberEvent::kCredentialsDenied});
      return;
    case AuthOutcome::kLock:
      settle({MemberEvent::kInstitutionLocked});
      return;
    case AuthOutcome::kImpede:
      settle({MemberEvent::kUserActionRequired});
      return;
    case AuthOutcome::kImpair:
      settle({MemberEvent::kCredentialsIncomplete});
      return;
    case AuthOutcome::kReject:
      settle({MemberEvent::kAnswerRejected});
      return;
    case AuthOutcome::kFail: {
      end_job(member);
      (void)transition(member, record_failure(member));
      return;
    }
  }
}

Result<const Member*> Emulator::resume(std::string_view user, std::string_view member,
                                       IdentifierMode mode,
                                       const std::vector<CredentialValue>& answers) {
  auto found = find_member(user, member, mode);
  if (!found) return found.error();
  Member& m = **found;
  if (m.status() != ConnectionStatus::kChallenged || !m.job) {
    return refuse(ErrorCode::kConflict, Reason::kNotChallenged);
  }
  if (answers.empty()) {
    return refuse(ErrorCode::kBadRequest, Reason::kAnswersRequired);
  }
  for (const auto& challenge : m.challenges) {
    const bool answered =
        std::any_of(answers.begin(), answers.end(),
                    [&](const CredentialValue& a) { return a.guid == challenge.guid; });
    if (!answered) {
      return refuse(ErrorCode::kBadRequest, Reason::kAnswerMissing, {challenge.guid});
    }
  }
  for (const auto& a : answers) {
    const bool asked = std::any_of(m.challenges.begin(), m.challenges.end(),
                                   [&](const Challenge& c) { return c.guid == a.guid; });
    if (!asked) return refuse(ErrorCode::kBadRequest, Reason::kUnknownChallenge, {a.guid});
  }
  if (auto s = transition(m, {MemberEvent::kChallengeAnswered}); !s) return s.error();
  m.job->phase = JobPhase::kCheckingAnswer;
  // The answers travel with the job until the institution judges them.
  pending_answers_[m.guid] = answers;
  schedule_job_step(m, fraction(options_.job_duration, 40));
  return &m;
}

// An outage answers the MFA answer as it answers logins. Otherwise the script judges it:
// scripted outcomes (queue_outcomes) drive logins only.
void Emulator::judge_mfa(Member& member, const Institution& institution) {
  auto f = institution_faults_.find(institution.code);
  const ScriptVerdict verdict =
      f != institution_faults_.end()
          ? outage_verdict(f->second, institution)
          : judge_answers(institution, member.challenges, pending_answers_[member.guid],
                          member.job->challenge_round);
  pending_answers_.erase(member.guid);
  apply_verdict(member, institution, verdict);
}

void Emulator::on_challenge_expiry(Member& member) {
  end_job(member);
  (void)transition(member, {MemberEvent::kChallengeExpired});
}

void Emulator::finish_job(Member& member, const Institution& institution) {
  const JobType type = member.job->type;
  const JobYield yield = produce_data(member, institution, type);
  record_success(member);
  member.most_recent_job_detail_code = 0;
  member.most_recent_job_detail_text.reset();
  DomainEventKind kind = DomainEventKind::kAggregation;
  switch (type) {
    case JobType::kAggregate:
      kind = DomainEventKind::kAggregation;
      break;
    case JobType::kBalance:
      kind = DomainEventKind::kBalance;
      break;
    case JobType::kIdentify:
      kind = DomainEventKind::kIdentification;
      break;
    case JobType::kVerify:
      kind = DomainEventKind::kVerification;
      break;
    case JobType::kHistory:
      kind = DomainEventKind::kHistory;
      break;
    case JobType::kStatements:
      kind = DomainEventKind::kStatement;
      break;
    case JobType::kRewards:
      kind = DomainEventKind::kReward;
      break;
  }
  DomainEvent& done = emit(kind, member);  // while the job guid is still known
  done.created_count = yield.counts.created;
  done.updated_count = yield.counts.updated;
  done.account_guids = yield.account_guids;
  end_job(member);
  (void)transition(member, {MemberEvent::kDataAggregated});
  emit(DomainEventKind::kMemberUpdated, member);
}

void Emulator::end_job(Member& member) {
  member.job.reset();
  member.challenges.clear();
  pending_answers_.erase(member.guid);
}

void Emulator::on_oauth_expiry(Member& member) {
  if (member.status() != ConnectionStatus::kPending) return;
  emit(DomainEventKind::kMemberDeleted, member);
  store_.remove_member(member.guid);
}

void Emulator::on_background_aggregation(Member& member) {
  schedule_background(member);
  const ConnectionStatus s = member.status();
  const bool eligible = s == ConnectionStatus::kConnected || s == ConnectionStatus::kCreated ||
                        s == ConnectionStatus::kUpdated;
  // MX: only members that have not aggregated in the last 20 hours.
  const bool recent = member.aggregated_at && now_ - *member.aggregated_at < Seconds{20 * 3600};
  if (!eligible || member.background_aggregation_is_disabled || member.job || recent) return;
  (void)begin_job(member, JobType::kAggregate, true);
}

}  // namespace mxemu::domain
