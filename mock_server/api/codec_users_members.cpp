// UserResponse, MemberResponse, MemberStatusResponse, ChallengeResponse, OAuthWindowResponse.
#include <string>
#include <string_view>

#include "api/codec.h"
#include "domain/connection_status.h"

namespace mxemu::api {
namespace {

using codec_detail::iso_or_null;
using codec_detail::or_null;
using domain::ConnectionStatus;

json status_or_null(ConnectionStatus status) {
  if (status == ConnectionStatus::kNone) return nullptr;
  return std::string(domain::to_wire(status));
}

// The status table's end-user message with every "{institution}" filled in; null when empty.
json status_message(ConnectionStatus status, std::string_view institution_name) {
  std::string text(domain::info(status).message);
  if (text.empty()) return nullptr;
  static constexpr std::string_view kPlaceholder = "{institution}";
  for (std::size_t at = text.find(kPlaceholder); at != std::string::npos;
       at = text.find(kPlaceholder, at + institution_name.size())) {
    text.replace(at, kPlaceholder.size(), institution_name);
  }
  return text;
}

// MX: the field "will be set to false automatically when the member's credentials are
// updated"; these are the statuses it describes as waiting for new credentials.
bool needs_updated_credentials(ConnectionStatus status) {
  switch (status) {
    case ConnectionStatus::kDenied:
    case ConnectionStatus::kPrevented:
    case ConnectionStatus::kImpaired:
    case ConnectionStatus::kImported:
      return true;
    default:
      return false;
  }
}

json oauth_uri(const domain::Member& member, std::string_view base_url) {
  if (!member.oauth_window) return nullptr;
  return oauth_window_url(member, base_url);
}

}  // namespace

std::string oauth_window_url(const domain::Member& member, std::string_view base_url) {
  if (!member.oauth_window) return "";
  const domain::OAuthWindow& w = *member.oauth_window;
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string uri = base + "/oauth/authorize/" + member.guid + "?state=" + w.state;
  uri += "&referral_source=" + w.referral_source;
  uri += std::string("&skip_aggregation=") + (w.skip_aggregation ? "true" : "false");
  if (w.ui_message_webview_url_scheme) {
    uri += "&ui_message_webview_url_scheme=" + *w.ui_message_webview_url_scheme;
  }
  if (w.client_redirect_url) uri += "&client_redirect_url=" + *w.client_redirect_url;
  if (w.enable_app2app) uri += "&enable_app2app=true";
  return uri;
}

json user_json(const domain::User& user, ApiVersion /*version: same shape in both*/) {
  return json{
      {"email", or_null(user.email)},
      {"guid", user.guid},
      {"id", or_null(user.id)},
      {"is_disabled", user.is_disabled},
      {"metadata", or_null(user.metadata)},
  };
}

json member_json(const domain::Member& member, const domain::Institution& institution,
                 const domain::User& user, ApiVersion /*version: same shape in both*/,
                 std::string_view base_url) {
  const ConnectionStatus status = member.status();
  return json{
      {"aggregated_at", iso_or_null(member.aggregated_at)},
      {"background_aggregation_is_disabled", member.background_aggregation_is_disabled},
      {"connection_status", status_or_null(status)},
      {"connection_status_message", status_message(status, institution.name)},
      {"guid", member.guid},
      {"id", or_null(member.id)},
      {"institution_code", member.institution_code},
      {"institution_guid", institution.guid},
      {"is_being_aggregated", member.is_being_aggregated()},
      {"is_managed_by_user", false},
      {"is_manual", member.is_manual},
      {"is_oauth", member.is_oauth},
      {"metadata", or_null(member.metadata)},
      {"most_recent_job_detail_code", or_null(member.most_recent_job_detail_code)},
      {"most_recent_job_detail_text", or_null(member.most_recent_job_detail_text)},
      {"most_recent_job_guid", or_null(member.most_recent_job_guid)},
      {"name", member.name ? json(*member.name) : codec_detail::text_or_null(institution.name)},
      {"needs_updated_credentials", needs_updated_credentials(status)},
      {"oauth_window_uri", oauth_uri(member, base_url)},
      {"successfully_aggregated_at", iso_or_null(member.successfully_aggregated_at)},
      {"use_cases", member.use_cases},
      {"user_guid", member.user_guid},
      {"user_id", or_null(user.id)},
  };
}

json member_status_json(const domain::Member& member) {
  const ConnectionStatus status = member.status();
  json challenges = json::array();
  if (status == ConnectionStatus::kChallenged) {
    for (const auto& c : member.challenges) challenges.push_back(challenge_json(c));
  }
  const bool authenticated =
      status == ConnectionStatus::kConnected && !member.machine.authenticating;
  return json{
      {"aggregated_at", iso_or_null(member.aggregated_at)},
      {"challenges", std::move(challenges)},
      {"connection_status", status_or_null(status)},
      {"guid", member.guid},
      {"has_processed_account_numbers", member.has_processed_account_numbers},
      {"has_processed_accounts", member.has_processed_accounts},
      {"has_processed_transactions", member.has_processed_transactions},
      {"is_authenticated", authenticated},
      {"is_being_aggregated", member.is_being_aggregated()},
      {"successfully_aggregated_at", iso_or_null(member.successfully_aggregated_at)},
  };
}

std::string_view challenge_type_wire(domain::ChallengeType type) {
  switch (type) {
    case domain::ChallengeType::kText:
      return "TEXT";
    case domain::ChallengeType::kOptions:
      return "OPTIONS";
    case domain::ChallengeType::kToken:
      return "TOKEN";
    case domain::ChallengeType::kImageData:
      return "IMAGE_DATA";
    case domain::ChallengeType::kImageOptions:
      return "IMAGE_OPTIONS";
  }
  return "TEXT";
}

json challenge_json(const domain::Challenge& challenge) {
  json out{
      {"field_name", challenge.field_name},
      {"guid", challenge.guid},
      {"label", challenge.label},
      {"type", std::string(challenge_type_wire(challenge.type))},
  };
  switch (challenge.type) {
    case domain::ChallengeType::kImageData:
      out["image_data"] = challenge.image_data;
      break;
    case domain::ChallengeType::kOptions: {
      json options = json::array();
      for (const auto& o : challenge.options) {
        options.push_back(json{{"guid", o.guid}, {"label", o.label}, {"value", o.value}});
      }
      out["options"] = std::move(options);
      break;
    }
    case domain::ChallengeType::kImageOptions: {
      json options = json::array();
      for (const auto& o : challenge.options) {
        options.push_back(json{
            {"data_uri", o.data_uri}, {"guid", o.guid}, {"label", o.label}, {"value", o.value}});
      }
      out["image_options"] = std::move(options);
      break;
    }
    case domain::ChallengeType::kText:
    case domain::ChallengeType::kToken:
      break;
  }
  return out;
}

json oauth_window_json(const domain::Member& member, std::string_view base_url) {
  return json{{"guid", member.guid}, {"oauth_window_uri", oauth_uri(member, base_url)}};
}

}  // namespace mxemu::api
