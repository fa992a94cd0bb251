// Members: creation, identity rules, credential updates, OAuth and deletion.
#include <algorithm>
#include <utility>

#include "domain/emulator.h"
#include "domain/timestamps.h"

namespace mxemu::domain {
namespace {

Error not_found() { return refuse(ErrorCode::kNotFound, Reason::kRecordNotFound); }

}  // namespace

Status Emulator::transition(Member& member, MachineEvent event) {
  auto next = apply(member.machine, event);
  if (!next) return next.error();
  const ConnectionStatus before = member.status();
  member.machine = *next;
  member.updated_at = now_;
  emit_status_change(member, before);
  return ok_status();
}

std::string Emulator::login_of(const Institution& inst,
                               const std::vector<CredentialValue>& values) const {
  for (const auto& field : inst.credentials) {
    if (!field.is_login) continue;
    for (const auto& v : values) {
      if (v.guid == field.guid) return v.value;
    }
  }
  return {};
}

Status Emulator::validate_credentials(const Institution& inst,
                                      const std::vector<CredentialValue>& values,
                                      bool require_all) const {
  for (const auto& v : values) {
    const bool known = std::any_of(inst.credentials.begin(), inst.credentials.end(),
                                   [&](const CredentialField& f) { return f.guid == v.guid; });
    if (!known) {
      return refuse(ErrorCode::kBadRequest, Reason::kCredentialForeign, {v.guid, inst.code});
    }
  }
  if (!require_all) return ok_status();
  for (const auto& field : inst.credentials) {
    const bool given = std::any_of(values.begin(), values.end(),
                                   [&](const CredentialValue& v) { return v.guid == field.guid; });
    if (!given) {
      return refuse(ErrorCode::kBadRequest, Reason::kCredentialValueMissing,
                    {field.guid, field.label});
    }
  }
  return ok_status();
}

Result<const Member*> Emulator::create_member(std::string_view user, IdentifierMode mode,
                                              const MemberCreate& request) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  const std::string user_guid = (*u)->guid;
  if (request.institution_code.empty()) {
    return refuse(ErrorCode::kBadRequest, Reason::kInstitutionCodeRequired);
  }
  const Institution* inst = find_institution(request.institution_code);
  if (inst == nullptr) return refuse(ErrorCode::kNotFound, Reason::kUnknownInstitution);
  if (request.is_oauth && !inst->supports_oauth) {
    return refuse(ErrorCode::kBadRequest, Reason::kOAuthNotSupported);
  }
  if (!request.is_oauth && inst->script == CredentialScript::kOAuth) {
    return refuse(ErrorCode::kBadRequest, Reason::kOAuthOnly);
  }
  if (!request.is_oauth) {
    if (request.credentials.empty())
      return refuse(ErrorCode::kBadRequest, Reason::kCredentialsRequired);
    if (auto s = validate_credentials(*inst, request.credentials, true); !s) return s.error();
  }
  if (request.id) {
    if (request.id->rfind("MBR-", 0) == 0) {
      return refuse(ErrorCode::kBadRequest, Reason::kMemberIdReserved);
    }
    for (const Member* m : store_.members_of(user_guid)) {
      if (m->id == request.id) {
        return refuse(ErrorCode::kConflict, Reason::kAlreadyExists);
      }
    }
  }
  // One member per user, institution and login (MX answers 409 even with another password).
  const std::string login = login_of(*inst, request.credentials);
  for (const Member* m : store_.members_of(user_guid)) {
    if (m->institution_code != inst->code) continue;
    if (request.is_oauth ? m->is_oauth
                         : (!login.empty() && login_of(*inst, m->credentials) == login)) {
      return refuse(ErrorCode::kConflict, Reason::kMemberAlreadyExists, {m->guid});
    }
  }
  if (store_.member_count(user_guid) >= static_cast<std::size_t>(options_.max_members_per_user)) {
    return refuse(ErrorCode::kUnprocessable, Reason::kMemberLimit,
                  {std::to_string(options_.max_members_per_user)});
  }

  Member m;
  m.guid = guids_.next("MBR");
  m.user_guid = user_guid;
  m.id = request.id;
  m.institution_code = inst->code;
  m.name = request.name ? request.name : std::optional<std::string>(inst->name);
  m.metadata = request.metadata;
  m.is_oauth = request.is_oauth;
  m.background_aggregation_is_disabled = request.background_aggregation_is_disabled;
  m.use_cases = request.use_cases;
  m.credentials = request.credentials;
  m.callback_payload = request.callback_payload;
  m.data_seed = mix64(options_.seed ^ mix64(guids_.issued()));
  m.created_at = m.updated_at = now_;
  Member& stored = store_.add_member(std::move(m));
  emit(DomainEventKind::kMemberCreated, stored);

  if (request.is_oauth) {
    (void)transition(stored, {MemberEvent::kCreatedForOAuth});
    if (discontinue_if_needed(stored)) return &stored;
    timers_.schedule(now_ + options_.pending_oauth_ttl, TimerKind::kOAuthExpiry, stored.guid);
    auto windowed = oauth_window(user_guid, stored.guid, IdentifierMode::kGuidOnly, request.oauth,
                                 request.skip_aggregation);
    if (!windowed) return windowed.error();
    return &stored;
  }
  (void)transition(stored, {MemberEvent::kCreatedWithCredentials});
  if (discontinue_if_needed(stored)) return &stored;
  schedule_background(stored);
  if (!request.skip_aggregation) {
    if (auto s = begin_job(stored, JobType::kAggregate, false); !s) return s.error();
  }
  return &stored;
}

Result<Member*> Emulator::find_member(std::string_view user, std::string_view member,
                                      IdentifierMode mode) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (Member* m = store_.find_member(member); m != nullptr && m->user_guid == (*u)->guid) return m;
  if (mode == IdentifierMode::kGuidOrId) {
    for (Member* m : store_.members_of((*u)->guid)) {
      if (m->id && *m->id == member) return m;
    }
  }
  return not_found();
}

Result<std::vector<const Member*>> Emulator::list_members(std::string_view user,
                                                          IdentifierMode mode) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  std::vector<const Member*> out;
  for (const Member* m : store_.members_of((*u)->guid)) out.push_back(m);
  return out;
}

Result<const Member*> Emulator::update_member(std::string_view user, std::string_view member,
                                              IdentifierMode mode, const MemberUpdate& update) {
  auto found = find_member(user, member, mode);
  if (!found) return found.error();
  Member& m = **found;
  if (!update.credentials && !update.id && !update.metadata && !update.name &&
      !update.background_aggregation_is_disabled) {
    return refuse(ErrorCode::kBadRequest, Reason::kMemberEmpty);
  }
  const Institution& inst = institution_of(m);
  if (update.credentials) {
    if (m.is_oauth) return refuse(ErrorCode::kBadRequest, Reason::kOAuthNoCredentials);
    if (auto s = validate_credentials(inst, *update.credentials, false); !s) return s.error();
    if (!accepts(m.machine, MemberEvent::kCredentialsUpdated)) {
      return refuse(ErrorCode::kConflict, Reason::kCredentialsNotUpdatable,
                    {std::string(to_wire(m.status()))});
    }
  }
  if (update.id && update.id != m.id) {
    for (const Member* other : store_.members_of(m.user_guid)) {
      if (other->id == update.id) {
        return refuse(ErrorCode::kConflict, Reason::kAlreadyExists);
      }
    }
    m.id = update.id;
  }
  if (update.name) m.name = update.name;
  if (update.metadata) m.metadata = update.metadata;
  if (update.background_aggregation_is_disabled) {
    m.background_aggregation_is_disabled = *update.background_aggregation_is_disabled;
  }
  m.callback_payload = update.callback_payload;  // this request's, for the webhooks it causes
  m.updated_at = now_;
  if (!update.credentials) return &m;

  // New credentials replace the old ones field by field; a running job is abandoned, the member
  // becomes UPDATED and (unless told not to) aggregates again, unthrottled.
  for (const auto& v : *update.credentials) {
    auto it = std::find_if(m.credentials.begin(), m.credentials.end(),
                           [&](const CredentialValue& c) { return c.guid == v.guid; });
    if (it == m.credentials.end()) {
      m.credentials.push_back(v);
    } else {
      it->value = v.value;
    }
  }
  m.job.reset();
  m.challenges.clear();
  if (auto s = transition(m, {MemberEvent::kCredentialsUpdated}); !s) return s.error();
  if (!update.skip_aggregation) {
    if (auto s = begin_job(m, JobType::kAggregate, false); !s) return s.error();
  }
  return &m;
}

Status Emulator::delete_member(std::string_view user, std::string_view member,
                               IdentifierMode mode) {
  auto found = find_member(user, member, mode);
  if (!found) return found.error();
  const std::string guid = (*found)->guid;
  emit(DomainEventKind::kMemberDeleted, **found);
  queued_outcomes_.erase(guid);
  store_.remove_member(guid);
  return ok_status();
}

// ---------------------------------------------------------------- OAuth

Result<const Member*> Emulator::oauth_window(std::string_view user, std::string_view member,
                                             IdentifierMode mode, const OAuthOptions& options,
                                             std::optional<bool> skip_aggregation) {
  auto found = find_member(user, member, mode);
  if (!found) return found.error();
  Member& m = **found;
  if (!m.is_oauth) return refuse(ErrorCode::kBadRequest, Reason::kOAuthNotSupported);
  if (options.referral_source && *options.referral_source != "APP" &&
      *options.referral_source != "BROWSER") {
    return refuse(ErrorCode::kBadRequest, Reason::kReferralSourceInvalid);
  }
  // A fresh one-time state; the emulator's OAuth page (api/routes_widgets.cpp) consumes it.
  OAuthWindow window;
  window.state = guids_.next("OAS").substr(4);
  window.referral_source = options.referral_source.value_or("BROWSER");
  window.skip_aggregation = skip_aggregation.value_or(false);
  window.ui_message_webview_url_scheme = options.ui_message_webview_url_scheme;
  window.client_redirect_url = options.client_redirect_url;
  window.enable_app2app = options.enable_app2app;
  m.oauth_window = std::move(window);
  return &m;
}

Result<const Member*> Emulator::complete_oauth(std::string_view member_guid, std::string_view state,
                                               bool authorized) {
  Member* m = store_.find_member(member_guid);
  if (m == nullptr) return not_found();
  if (!state.empty() && (!m->oauth_window || m->oauth_window->state != state)) {
    return refuse(ErrorCode::kNotFound, Reason::kOAuthWindowUsed);
  }
  const bool skip = m->oauth_window && m->oauth_window->skip_aggregation;
  m->oauth_window.reset();
  if (m->status() != ConnectionStatus::kPending) {
    // Re-authorising an existing OAuth member (token revoked or expired): it re-aggregates.
    if (!authorized) return m;
    // MX lifts PREVENTED only on new credentials; an OAuth member's are the new authorisation.
    if (m->status() == ConnectionStatus::kPrevented) {
      if (auto s = transition(*m, {MemberEvent::kCredentialsUpdated}); !s) return s.error();
    }
    if (auto s = begin_job(*m, JobType::kAggregate, false); !s) return s.error();
    return m;
  }
  if (!authorized) {
    if (auto s = transition(*m, {MemberEvent::kOAuthDenied}); !s) return s.error();
    return m;
  }
  if (auto s = transition(*m, {MemberEvent::kOAuthAuthorized}); !s) return s.error();
  schedule_background(*m);
  if (!skip) {
    if (auto s = begin_job(*m, JobType::kAggregate, false); !s) return s.error();
  }
  return m;
}

}  // namespace mxemu::domain
