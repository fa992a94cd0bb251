#include "domain/emulator.h"

#include <algorithm>
#include <utility>

#include "domain/timestamps.h"

namespace mxemu::domain {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

Emulator::Emulator(const Clock& clock, std::shared_ptr<const std::vector<Institution>> institutions,
                   std::shared_ptr<const DataCatalog> catalog, EmulatorOptions options)
    : clock_(clock),
      now_(clock.now()),
      options_(options),
      institutions_(std::move(institutions)),
      catalog_(std::move(catalog)),
      guids_(options.seed) {}

// ---------------------------------------------------------------- time

void Emulator::catch_up() {
  const TimePoint target = clock_.now() + offset_;
  while (auto timer = timers_.pop_due(target)) {
    now_ = std::max(now_, timer->due);
    on_timer(*timer);
  }
  now_ = std::max(now_, target);
}

void Emulator::advance(Seconds d) {
  if (d.count() > 0) offset_ += d;
  catch_up();
}

bool Emulator::skip_to_job_step(std::string_view user, std::string_view member,
                                IdentifierMode mode) {
  auto found = find_member(user, member, mode);
  if (!found) return false;
  const Member& m = **found;
  if (!m.job || m.job->phase == JobPhase::kAwaitingAnswer || m.job->timer == 0) return false;
  const std::optional<TimePoint> due = timers_.due_of(m.job->timer);
  if (!due || *due <= now_) return false;
  // Whole seconds, as advance() counts; rounding up may only land on more job steps.
  const auto gap = std::chrono::ceil<Seconds>(*due - now_);
  if (!timers_.only_kind_due_by(now_ + gap, TimerKind::kJobStep)) return false;
  advance(gap);
  return true;
}

void Emulator::reset(std::shared_ptr<const std::vector<Institution>> institutions) {
  offset_ = Seconds{0};
  now_ = clock_.now();
  institutions_ = std::move(institutions);
  guids_ = GuidGenerator(options_.seed);
  store_.clear();
  timers_.clear();
  queued_outcomes_.clear();
  institution_faults_.clear();
  storm_gates_.clear();
  discontinued_.clear();
  widgets_.clear();
  pending_answers_.clear();
  events_.clear();
  next_event_sequence_ = 1;
  current_callback_payload_.reset();
  prepared_.clear();
}

// ---------------------------------------------------------------- institutions

const Institution* Emulator::find_institution(std::string_view code_or_guid) const {
  for (const auto& inst : *institutions_) {
    if (inst.code == code_or_guid || inst.guid == code_or_guid) return &inst;
  }
  return nullptr;
}

const Institution& Emulator::institution_of(const Member& member) const {
  // Members are only created for known institutions and institutions are never removed.
  return *find_institution(member.institution_code);
}

// ---------------------------------------------------------------- users

Result<User*> Emulator::user_or_error(std::string_view identifier, IdentifierMode mode) {
  if (User* u = store_.find_user(identifier)) return u;
  if (mode == IdentifierMode::kGuidOrId) {
    if (User* u = store_.find_user_by_id(identifier)) return u;
  }
  return refuse(ErrorCode::kNotFound, Reason::kRecordNotFound);
}

Result<User*> Emulator::find_user(std::string_view identifier, IdentifierMode mode) {
  return user_or_error(identifier, mode);
}

Result<const User*> Emulator::create_user(const UserFields& fields) {
  if (!fields.id && !fields.email && !fields.metadata && !fields.is_disabled) {
    return refuse(ErrorCode::kBadRequest, Reason::kUserEmpty);
  }
  if (fields.id) {
    if (fields.id->empty()) return refuse(ErrorCode::kBadRequest, Reason::kUserIdBlank);
    if (starts_with(*fields.id, "USR-")) {
      return refuse(ErrorCode::kBadRequest, Reason::kUserIdReserved);
    }
    if (store_.find_user_by_id(*fields.id) != nullptr) {
      return refuse(ErrorCode::kConflict, Reason::kAlreadyExists);
    }
  }
  if (options_.max_users > 0 &&
      store_.user_guids().size() >= static_cast<std::size_t>(options_.max_users)) {
    return refuse(ErrorCode::kUnprocessable, Reason::kUserLimit,
                  {std::to_string(options_.max_users)});
  }
  User u;
  u.guid = guids_.next("USR");
  u.id = fields.id;
  u.email = fields.email;
  u.metadata = fields.metadata;
  u.is_disabled = fields.is_disabled.value_or(false);
  u.created_at = u.updated_at = now_;
  const User& added = store_.add_user(std::move(u));
  store_.add_tag(business_tag(added.guid));  // "Each user includes the Business tag by default"
  return &added;
}

Result<const User*> Emulator::update_user(std::string_view identifier, IdentifierMode mode,
                                          const UserFields& fields) {
  auto user = user_or_error(identifier, mode);
  if (!user) return user.error();
  if (!fields.id && !fields.email && !fields.metadata && !fields.is_disabled) {
    return refuse(ErrorCode::kBadRequest, Reason::kUserEmpty);
  }
  User& u = **user;
  if (fields.id && fields.id != u.id) {
    if (starts_with(*fields.id, "USR-")) {
      return refuse(ErrorCode::kBadRequest, Reason::kUserIdReserved);
    }
    if (store_.find_user_by_id(*fields.id) != nullptr) {
      return refuse(ErrorCode::kConflict, Reason::kAlreadyExists);
    }
    store_.rename_user_id(u, fields.id);
  }
  if (fields.email) u.email = fields.email;
  if (fields.metadata) u.metadata = fields.metadata;
  if (fields.is_disabled) u.is_disabled = *fields.is_disabled;
  u.updated_at = now_;
  return &u;
}

Status Emulator::delete_user(std::string_view identifier, IdentifierMode mode) {
  auto user = user_or_error(identifier, mode);
  if (!user) return user.error();
  const std::string guid = (*user)->guid;
  for (Member* m : store_.members_of(guid)) {
    emit(DomainEventKind::kMemberDeleted, *m);
    queued_outcomes_.erase(m->guid);
  }
  store_.remove_user(guid);
  return ok_status();
}

std::vector<const User*> Emulator::list_users(const UserFilter& filter) {
  std::vector<const User*> out;
  for (const auto& guid : store_.user_guids()) {
    const User* u = store_.find_user(guid);
    if (filter.id && u->id != filter.id) continue;
    if (filter.email && u->email != filter.email) continue;
    if (filter.is_disabled && u->is_disabled != *filter.is_disabled) continue;
    out.push_back(u);
  }
  return out;
}

// ---------------------------------------------------------------- widgets

Result<WidgetSession> Emulator::issue_widget(std::string_view user, IdentifierMode mode,
                                             WidgetSession request) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (request.current_member_guid) {
    const Member* m = store_.find_member(*request.current_member_guid);
    if (m == nullptr || m->user_guid != (*u)->guid) {
      return refuse(ErrorCode::kNotFound, Reason::kRecordNotFound);
    }
  }
  if (request.current_microdeposit_guid &&
      store_.find_microdeposit((*u)->guid, *request.current_microdeposit_guid) == nullptr) {
    return refuse(ErrorCode::kNotFound, Reason::kRecordNotFound);
  }
  WidgetSession s = std::move(request);
  s.token = guids_.next("WID").substr(4);
  s.user_guid = (*u)->guid;
  s.issued_at = now_;
  s.used = false;
  widgets_[s.token] = s;
  return s;
}

WidgetLoad Emulator::load_widget(std::string_view token, WidgetSession* session_out) {
  auto it = widgets_.find(std::string(token));
  if (it == widgets_.end()) return WidgetLoad::kUnknown;
  if (session_out != nullptr) *session_out = it->second;
  if (it->second.used) return WidgetLoad::kUsed;
  if (now_ - it->second.issued_at > options_.widget_url_ttl) return WidgetLoad::kExpired;
  it->second.used = true;
  return WidgetLoad::kOk;
}

const WidgetSession* Emulator::loaded_widget(std::string_view token) const {
  auto it = widgets_.find(std::string(token));
  return it != widgets_.end() && it->second.used ? &it->second : nullptr;
}

// ---------------------------------------------------------------- events

DomainEvent& Emulator::emit(DomainEventKind kind, const Member& member) {
  DomainEvent e;
  e.sequence = next_event_sequence_++;
  e.kind = kind;
  e.at = now_;
  e.user_guid = member.user_guid;
  if (const User* u = store_.find_user(member.user_guid)) e.user_id = u->id;
  e.member_guid = member.guid;
  if (member.job) {
    e.job_guid = member.job->guid;
    e.is_background = member.job->is_background;
  } else {
    e.job_guid = member.most_recent_job_guid;
  }
  e.status = member.status();
  std::string message(info(member.status()).message);
  if (auto pos = message.find("{institution}"); pos != std::string::npos) {
    message.replace(pos, 13, institution_of(member).name);
  }
  e.status_message = std::move(message);
  e.is_being_aggregated = member.is_being_aggregated();
  e.callback_payload = member.callback_payload;
  return log_event(std::move(e));
}

DomainEvent& Emulator::log_event(DomainEvent e) {
  while (events_.size() >= options_.event_log_capacity && !events_.empty() &&
         events_.front().sequence <= keep_events_after_) {
    events_.pop_front();
  }
  events_.push_back(std::move(e));
  return events_.back();
}

void Emulator::emit_status_change(const Member& member, ConnectionStatus before) {
  if (member.status() == before) return;
  emit(DomainEventKind::kMemberUpdated, member);
  if (info(member.status()).fires_connection_status_webhook) {
    emit(DomainEventKind::kConnectionStatus, member);
  }
}

}  // namespace mxemu::domain
