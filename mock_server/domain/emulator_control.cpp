// The control surface (/_emulator/...): deliberate ways around MX's rules, for tests.
#include <utility>

#include "domain/emulator.h"

namespace mxemu::domain {
namespace {

Error unknown_member() { return refuse(ErrorCode::kNotFound, Reason::kRecordNotFound); }

}  // namespace

Result<const Member*> Emulator::force_status(std::string_view member_guid,
                                             ConnectionStatus status) {
  Member* m = store_.find_member(member_guid);
  if (m == nullptr) return unknown_member();
  const ConnectionStatus before = m->status();
  end_job(*m);
  m->machine.status = status;
  m->machine.authenticating = false;
  if (status == ConnectionStatus::kChallenged || status == ConnectionStatus::kResumed) {
    // A challenge needs a paused job to answer into, as if a login had just been challenged.
    const Institution& inst = institution_of(*m);
    Job job;
    job.guid = guids_.next("JOB");
    job.started_at = now_;
    job.challenge_round = 1;
    job.phase = JobPhase::kAwaitingAnswer;
    m->job = job;
    m->challenges =
        make_challenges(inst, inst.challenge_type, mix64(m->data_seed ^ guids_.issued()), 1);
    m->job->timer = timers_.schedule(now_ + inst.mfa_timeout, TimerKind::kChallengeExpiry, m->guid);
    m->most_recent_job_guid = job.guid;
    if (status == ConnectionStatus::kResumed) {
      m->job->phase = JobPhase::kCheckingAnswer;
      pending_answers_[m->guid] = {{m->challenges.front().guid, "correct"}};
      schedule_job_step(*m, Seconds{1});
    }
  }
  m->updated_at = now_;
  emit_status_change(*m, before);
  return m;
}

namespace {

// REJECTED is the verdict on an MFA answer, not on a login: answer a challenge wrongly.
Status check_login_outcome(AuthOutcome o) {
  if (o != AuthOutcome::kReject) return ok_status();
  return refuse(ErrorCode::kBadRequest, Reason::kRejectNotALoginOutcome);
}

}  // namespace

Result<const Member*> Emulator::queue_outcomes(std::string_view member_guid,
                                               const std::vector<AuthOutcome>& outcomes) {
  Member* m = store_.find_member(member_guid);
  if (m == nullptr) return unknown_member();
  for (AuthOutcome o : outcomes) {
    if (auto s = check_login_outcome(o); !s) return s.error();
  }
  auto& queue = queued_outcomes_[m->guid];
  for (AuthOutcome o : outcomes) queue.push_back(o);
  return m;
}

Status Emulator::set_institution_fault(std::string_view code, std::optional<AuthOutcome> outcome) {
  const Institution* inst = find_institution(code);
  if (inst == nullptr) return refuse(ErrorCode::kNotFound, Reason::kUnknownInstitution);
  if (outcome) {
    if (auto s = check_login_outcome(*outcome); !s) return s;
    institution_faults_[inst->code] = *outcome;
  } else {
    institution_faults_.erase(inst->code);
  }
  return ok_status();
}

std::optional<AuthOutcome> Emulator::institution_fault(std::string_view code) const {
  const auto it = institution_faults_.find(std::string(code));
  return it == institution_faults_.end() ? std::nullopt : std::optional<AuthOutcome>(it->second);
}

Result<const Member*> Emulator::apply_control_event(std::string_view member_guid,
                                                    MemberEvent event) {
  Member* m = store_.find_member(member_guid);
  if (m == nullptr) return unknown_member();
  if (event == MemberEvent::kMemberClosed || event == MemberEvent::kInstitutionDiscontinued) {
    end_job(*m);
    m->machine.authenticating = false;
  }
  if (auto s = transition(*m, {event}); !s) return s.error();
  return m;
}

Status Emulator::discontinue_institution(std::string_view code) {
  const Institution* inst = find_institution(code);
  if (inst == nullptr) return refuse(ErrorCode::kNotFound, Reason::kUnknownInstitution);
  discontinued_.insert(inst->code);
  for (const auto& guid : store_.all_member_guids()) {
    Member* m = store_.find_member(guid);
    if (m->institution_code != inst->code) continue;
    if (!accepts(m->machine, MemberEvent::kInstitutionDiscontinued) && !m->job) continue;
    end_job(*m);
    m->machine.authenticating = false;
    (void)transition(*m, {MemberEvent::kInstitutionDiscontinued});
  }
  return ok_status();
}

bool Emulator::is_discontinued(const Institution& institution) const {
  return discontinued_.count(institution.code) != 0;
}

// A member that has just been created at a discontinued institution is DISCONTINUED at once:
// no login, no OAuth window, no background aggregation.
bool Emulator::discontinue_if_needed(Member& member) {
  if (!is_discontinued(institution_of(member))) return false;
  (void)transition(member, {MemberEvent::kInstitutionDiscontinued});
  return true;
}

Result<const Member*> Emulator::import_member(std::string_view user_guid,
                                              std::string_view institution_code) {
  User* u = store_.find_user(user_guid);
  if (u == nullptr) return unknown_member();
  const Institution* inst = find_institution(institution_code);
  if (inst == nullptr) return refuse(ErrorCode::kNotFound, Reason::kUnknownInstitution);
  Member m;
  m.guid = guids_.next("MBR");
  m.user_guid = u->guid;
  m.institution_code = inst->code;
  m.name = inst->name;
  m.data_seed = mix64(options_.seed ^ mix64(guids_.issued()));
  m.created_at = m.updated_at = now_;
  Member& stored = store_.add_member(std::move(m));
  emit(DomainEventKind::kMemberCreated, stored);
  if (auto s = transition(stored, {MemberEvent::kImportedWithoutCredentials}); !s) return s.error();
  discontinue_if_needed(stored);
  return &stored;
}

}  // namespace mxemu::domain
