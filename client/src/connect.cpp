// ConnectFlow: widget URLs for new members and repairs, and completing a member from the
// widget's callback.
#include "mxclient/connect.h"

namespace mxclient {
namespace {

Error invalid(std::string message) {
  return make_error(ErrorKind::kInvalidInput, std::move(message));
}

// Why a callback cannot complete a connection, or nullopt when it can.
std::optional<Error> refuse(const WidgetCallback& callback) {
  switch (callback.kind) {
    case CallbackKind::kOAuthError:
      return invalid("OAuth at the institution did not complete" +
                     (callback.error_reason ? " (" + *callback.error_reason + ")" : std::string()) +
                     (callback.member_guid.empty() ? "" : " for " + callback.member_guid));
    case CallbackKind::kMemberDeleted:
      return invalid("the widget reports member " + callback.member_guid +
                     " deleted; there is nothing to connect");
    default:
      break;
  }
  if (callback.member_guid.empty()) {
    return invalid("widget event " + callback.event + " names no member");
  }
  return std::nullopt;
}

}  // namespace

Result<std::string> ConnectFlow::connect(const std::string& app_user_id,
                                         const std::optional<std::string>& institution_code) {
  if (auto ok = validate(config_); !ok) return ok.error();
  auto user = store_.find_end_user_by_app_id(app_user_id);
  if (!user) return user.error();
  if (!user->has_value()) {
    return make_error(ErrorKind::kNotFound, "app user " + app_user_id + " is not enrolled");
  }
  WidgetUrlRequest request = widget_request_for(config_);
  request.current_institution_code = institution_code;
  return api_.request_widget_url((*user)->user_guid, request);
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
  auto member = store_.find_member(member_guid);
  if (!member) return member.error();
  if (!member->has_value()) {
    return make_error(ErrorKind::kNotFound, "member " + member_guid + " is not stored");
  }
  WidgetUrlRequest request = widget_request_for(config_);
  request.current_member_guid = member_guid;
  // MX: update_credentials "should be used sparingly"; send it only when asked for.
  if (update_credentials) request.update_credentials = true;
  return api_.request_widget_url((*member)->user_guid, request);
}

Result<std::string> ConnectFlow::widget_url_for(const std::string& member_guid, Action action) {
  switch (action) {
    case Action::kAnswerMfa:
    case Action::kRepairInWidget:
      return resume_mfa(member_guid);
    case Action::kReconnectWithCredentials:
      return reconnect(member_guid);
    case Action::kCompleteOAuth: {
      auto member = store_.find_member(member_guid);
      if (!member) return member.error();
      if (!member->has_value()) {
        return make_error(ErrorKind::kNotFound, "member " + member_guid + " is not stored");
      }
      OAuthWindowOptions options;
      options.referral_source = config_.oauth_referral_source;
      if (config_.oauth_referral_source == "APP") {  // MX: only available with APP
        options.ui_message_webview_url_scheme = config_.ui_message_webview_url_scheme;
        options.client_redirect_url = config_.client_redirect_url;
      }
      return api_.oauth_window_uri((*member)->user_guid, member_guid, options);
    }
    default:
      return invalid("action " + std::string(to_string(action)) + " needs no widget");
  }
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
    return invalid("widget event " + callback.event + " deletes no member");
  }
  auto user = store_.find_end_user_by_app_id(app_user_id);
  if (!user) return user.error();
  if (!user->has_value()) {
    return make_error(ErrorKind::kNotFound, "app user " + app_user_id + " is not enrolled");
  }
  auto member = store_.find_member(callback.member_guid);
  if (!member) return member.error();
  if (!member->has_value()) return false;
  if ((*member)->user_guid != (**user).user_guid) {
    return invalid("member " + callback.member_guid + " is not app user " + app_user_id + "'s");
  }
  return store_.delete_member(callback.member_guid);
}

Result<MemberRecord> ConnectFlow::complete(const std::string& app_user_id,
                                           const WidgetCallback& callback) {
  if (auto refusal = refuse(callback)) return *refusal;
  auto user = store_.find_end_user_by_app_id(app_user_id);
  if (!user) return user.error();
  if (!user->has_value()) {
    return make_error(ErrorKind::kNotFound, "app user " + app_user_id + " is not enrolled");
  }
  const EndUserRecord& end_user = **user;
  if (callback.user_guid && *callback.user_guid != end_user.user_guid) {
    return invalid("widget event " + callback.event + " is for MX user " + *callback.user_guid +
                   ", not app user " + app_user_id + "'s " + end_user.user_guid);
  }
  auto mx = api_.read_member(end_user.user_guid, callback.member_guid);
  if (!mx) return mx.error();

  const TimePoint now = clock_.now();
  auto existing = store_.find_member(mx->guid);
  if (!existing) return existing.error();
  MemberRecord record = existing->value_or(MemberRecord{});
  record.member_guid = mx->guid;
  record.user_guid = end_user.user_guid;
  record.app_user_id = end_user.app_user_id;
  record.institution_code = mx->institution_code;
  record.connection_status = mx->connection_status;
  record.is_being_aggregated = mx->is_being_aggregated;
  record.aggregated_at = mx->aggregated_at;
  record.successfully_aggregated_at = mx->successfully_aggregated_at;
  record.watch_state = WatchState::kWatching;
  if (!existing->has_value()) record.created_at = now;
  record.updated_at = now;

  Status saved = store_.run_in_transaction([&](Store& store) -> Status {
    if (auto s = store.upsert_member(record); !s) return s.error();
    auto recorded = store.record_status({record.member_guid, record.connection_status,
                                         record.is_being_aggregated, now, StatusSource::kCallback});
    if (!recorded) return recorded.error();
    return Done{};
  });
  if (!saved) return saved.error();
  auto stored = store_.find_member(record.member_guid);
  if (!stored) return stored.error();
  if (!stored->has_value()) {
    return make_error(ErrorKind::kStorage, "member " + record.member_guid + " vanished");
  }
  return **stored;
}

}  // namespace mxclient
