// ConnectFlow: widget URLs for new members and repairs, and completing a member from the
// widget's callback.
#include "mxclient/connect.h"

#include "invalid_input.h"
#include "mxclient/watch.h"  // record_member_status

namespace mxclient {
namespace {

// Why a callback cannot complete a connection, or nullopt when it can.
std::optional<Error> refuse(const WidgetCallback& callback) {
  switch (callback.kind) {
    case CallbackKind::kOAuthError:
      return internal::invalid_input(
          "OAuth at the institution did not complete" +
          (callback.error_reason ? " (" + *callback.error_reason + ")" : std::string()) +
          (callback.member_guid.empty() ? "" : " for " + callback.member_guid));
    case CallbackKind::kMemberDeleted:
      return internal::invalid_input("the widget reports member " + callback.member_guid +
                                     " deleted; there is nothing to connect");
    default:
      break;
  }
  if (callback.member_guid.empty()) {
    return internal::invalid_input("widget event " + callback.event + " names no member");
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> ConnectFlow::connect(const std::string& app_user_id,
                                         const std::optional<std::string>& institution_code) {
  if (auto ok = validate(config_); !ok) return ok.error();
  auto user = enrolled(app_user_id);
  if (!user) return user.error();
  WidgetUrlRequest request = widget_request_for(config_);
  request.current_institution_code = institution_code;
  return api_.request_widget_url(user->user_guid, request);
}

Result<std::string> ConnectFlow::reconnect(const std::string& member_guid) {
  return repair_url(member_guid, true);
}

Result<std::string> ConnectFlow::resume_mfa(const std::string& member_guid) {
  return repair_url(member_guid, false);
}

Result<std::string> ConnectFlow::repair_url(const std::string& member_guid,
                                            bool update_credentials) {
  if (auto ok = validate(config_); !ok) return ok.error();
  auto member = stored(member_guid);
  if (!member) return member.error();
  WidgetUrlRequest request = widget_request_for(config_);
  request.current_member_guid = member_guid;
  // MX: update_credentials "should be used sparingly"; send it only when asked for.
  if (update_credentials) request.update_credentials = true;
  return api_.request_widget_url(member->user_guid, request);
}

Result<std::string> ConnectFlow::widget_url_for(const std::string& member_guid, RepairLink link) {
  switch (link) {
    case RepairLink::kWidget:
      return resume_mfa(member_guid);
    case RepairLink::kWidgetWithCredentials:
      return reconnect(member_guid);
    case RepairLink::kOAuthWindow: {
      auto member = stored(member_guid);
      if (!member) return member.error();
      OAuthWindowOptions options;
      options.referral_source = config_.oauth_referral_source;
      if (config_.oauth_referral_source == "APP") {  // MX: only available with APP
        options.ui_message_webview_url_scheme = config_.ui_message_webview_url_scheme;
        options.client_redirect_url = config_.client_redirect_url;
      }
      return api_.oauth_window_uri(member->user_guid, member_guid, options);
    }
    case RepairLink::kNone:
      break;
  }
  return internal::invalid_input("member " + member_guid + ": no widget repairs this (link none)");
}

Result<MemberRecord> ConnectFlow::stored(const std::string& member_guid) {
  auto member = store_.find_member(member_guid);
  if (!member) return member.error();
  if (!member->has_value()) {
    return make_error(ErrorKind::kNotFound, "member " + member_guid + " is not stored");
  }
  return std::move(**member);
}

Result<CredentialConnection> ConnectFlow::connect_with_credentials(
    const std::string& app_user_id, const std::string& institution_code,
    const std::vector<MxCredentialValue>& credentials) {
  auto user = enrolled(app_user_id);
  if (!user) return user.error();
  auto created = api_.create_member(user->user_guid, institution_code, credentials);
  if (!created) return created.error();
  CredentialConnection out;
  // A new member starts CREATED and aggregating. Any other answer is the member MX already
  // has for this login (its 409, resolved by MxApi), with the credentials it had: if the policy
  // says those are the problem, these are the user's new ones.
  out.existing = parse_connection_status(created->connection_status) != ConnectionStatus::kCreated;
  if (out.existing && decide(*created).action == Action::kReconnectWithCredentials) {
    out.previous_status = created->connection_status;
    auto updated = api_.update_member_credentials(user->user_guid, created->guid, credentials);
    if (!updated) return updated.error();
    created = std::move(updated);
    out.credentials_updated = true;
  }
  auto member = store_member(*user, *created, StatusSource::kPoll);
  if (!member) return member.error();
  out.member = std::move(*member);
  return out;
}

Result<MemberRecord> ConnectFlow::update_credentials(
    const std::string& member_guid, const std::vector<MxCredentialValue>& credentials) {
  auto member = stored(member_guid);
  if (!member) return member.error();
  auto user = store_.find_end_user_by_guid(member->user_guid);
  if (!user) return user.error();
  if (!user->has_value()) {
    return make_error(ErrorKind::kNotFound, "MX user " + member->user_guid + " is not stored");
  }
  auto updated = api_.update_member_credentials(member->user_guid, member_guid, credentials);
  if (!updated) return updated.error();
  return store_member(**user, *updated, StatusSource::kPoll);
}

Result<MemberRecord> ConnectFlow::complete(const std::string& app_user_id,
                                           std::string_view raw_callback) {
  auto callback = parse_widget_callback(raw_callback);
  if (!callback) return callback.error();
  return complete(app_user_id, *callback);
}

Result<bool> ConnectFlow::forget_deleted(const std::string& app_user_id,
                                         const WidgetCallback& callback) {
  if (callback.kind != CallbackKind::kMemberDeleted || callback.member_guid.empty()) {
    return internal::invalid_input("widget event " + callback.event + " deletes no member");
  }
  auto user = enrolled(app_user_id);
  if (!user) return user.error();
  auto member = store_.find_member(callback.member_guid);
  if (!member) return member.error();
  if (!member->has_value()) return false;
  if ((*member)->user_guid != user->user_guid) {
    return internal::invalid_input("member " + callback.member_guid + " is not app user " +
                                   app_user_id + "'s");
  }
  return store_.delete_member(callback.member_guid);
}

Result<EndUserRecord> ConnectFlow::enrolled(const std::string& app_user_id) {
  auto user = store_.find_end_user_by_app_id(app_user_id);
  if (!user) return user.error();
  if (!user->has_value()) {
    return make_error(ErrorKind::kNotFound, "app user " + app_user_id + " is not enrolled");
  }
  return std::move(**user);
}

Result<MemberRecord> ConnectFlow::complete(const std::string& app_user_id,
                                           const WidgetCallback& callback) {
  if (auto refusal = refuse(callback)) return *refusal;
  auto user = enrolled(app_user_id);
  if (!user) return user.error();
  if (callback.user_guid && *callback.user_guid != user->user_guid) {
    return internal::invalid_input("widget event " + callback.event + " is for MX user " +
                                   *callback.user_guid + ", not app user " + app_user_id + "'s " +
                                   user->user_guid);
  }
  auto mx = api_.read_member(user->user_guid, callback.member_guid);
  if (!mx) return mx.error();
  return store_member(*user, *mx, StatusSource::kCallback);
}

Result<MemberRecord> ConnectFlow::store_member(const EndUserRecord& user, const MxMember& mx,
                                               StatusSource source) {
  const TimePoint now = clock_.now();
  MemberRecord stored;
  Status saved = store_.run_in_transaction([&](Store& store) -> Status {
    // The member's own fields here; its status through the one writer, record_member_status.
    // A new member's row starts with no status (""), replaced before the transaction ends.
    auto existing = store.find_member(mx.guid);
    if (!existing) return existing.error();
    MemberRecord record = existing->value_or(MemberRecord{});
    record.member_guid = mx.guid;
    record.user_guid = user.user_guid;
    record.app_user_id = user.app_user_id;
    record.institution_code = mx.institution_code;
    if (!existing->has_value()) record.created_at = now;
    record.updated_at = now;
    if (auto s = store.upsert_member(record); !s) return s.error();
    auto recorded = record_member_status(store, status_of(mx), source, now, now);
    if (!recorded) return recorded.error();
    stored = std::move(recorded->member);
    return Done{};
  });
  if (!saved) return saved.error();
  return stored;
}

}  // namespace mxclient
