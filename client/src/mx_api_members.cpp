// MxApi members: create (idempotent), read, status, list, update, delete, aggregate, MFA.
#include <utility>

#include "mx_api_internal.h"
#include "mxclient/mx_api.h"

namespace mxclient {
namespace {

using internal::Json;

std::string member_path(const std::string& user_guid, const std::string& member_guid) {
  return "/users" + internal::segment(user_guid) + "/members" + internal::segment(member_guid);
}

Json credential_array(const std::vector<MxCredentialValue>& values) {
  Json out = Json::array();
  for (const auto& v : values) out.push_back(Json{{"guid", v.guid}, {"value", v.value}});
  return out;
}

std::optional<Error> require_pair(const char* op, const std::string& user_guid,
                                  const std::string& member_guid) {
  if (auto e = internal::require(std::string(op) + ": user_guid", user_guid)) return e;
  return internal::require(std::string(op) + ": member_guid", member_guid);
}

}  // namespace

Result<MxMember> MxApi::create_member(const std::string& user_guid,
                                      const std::string& institution_code,
                                      const std::vector<MxCredentialValue>& credentials,
                                      const std::optional<std::string>& partner_member_id,
                                      bool skip_aggregation) {
  if (auto e = internal::require("create_member: user_guid", user_guid)) return *e;
  if (auto e = internal::require("create_member: institution_code", institution_code)) return *e;
  if (credentials.empty()) {
    return make_error(ErrorKind::kInvalidInput, "create_member: credentials must not be empty");
  }
  Json member{{"institution_code", institution_code},
              {"credentials", credential_array(credentials)}};
  if (partner_member_id) member["id"] = *partner_member_id;
  if (skip_aggregation) member["skip_aggregation"] = true;
  return create_member_with(user_guid, institution_code, partner_member_id,
                            internal::dump(Json{{"member", member}}));
}

Result<MxMember> MxApi::create_oauth_member(const std::string& user_guid,
                                            const std::string& institution_code,
                                            const std::optional<std::string>& partner_member_id,
                                            const OAuthWindowOptions& oauth) {
  if (auto e = internal::require("create_oauth_member: user_guid", user_guid)) return *e;
  if (auto e = internal::require("create_oauth_member: institution_code", institution_code)) {
    return *e;
  }
  Json member{{"institution_code", institution_code}, {"is_oauth", true}};
  if (partner_member_id) member["id"] = *partner_member_id;
  if (oauth.skip_aggregation) member["skip_aggregation"] = *oauth.skip_aggregation;
  // MX: the OAuth options are siblings of "member", not nested in it.
  Json body{{"member", member}};
  if (oauth.referral_source) body["referral_source"] = *oauth.referral_source;
  if (oauth.ui_message_webview_url_scheme) {
    body["ui_message_webview_url_scheme"] = *oauth.ui_message_webview_url_scheme;
  }
  if (oauth.client_redirect_url) body["client_redirect_url"] = *oauth.client_redirect_url;
  if (oauth.enable_app2app) body["enable_app2app"] = *oauth.enable_app2app;
  return create_member_with(user_guid, institution_code, partner_member_id, internal::dump(body));
}

Result<MxMember> MxApi::create_member_with(const std::string& user_guid,
                                           const std::string& institution_code,
                                           const std::optional<std::string>& partner_member_id,
                                           const std::string& body) {
  const std::string target = "/users" + internal::segment(user_guid) + "/members";
  const std::string what = internal::describe("POST", target);
  auto response = call("POST", target, body);
  if (!response) return response.error();
  if (response->status == 409) {
    return resolve_member_conflict(user_guid, institution_code, partner_member_id,
                                   internal::http_error(*response, what));
  }
  if (response->status < 200 || response->status > 299) {
    return internal::http_error(*response, what);
  }
  return internal::parse_reply<MxMember>(*response, "member", internal::parse_member, what);
}

Result<MxMember> MxApi::resolve_member_conflict(const std::string& user_guid,
                                                const std::string& institution_code,
                                                const std::optional<std::string>& partner_member_id,
                                                const Error& conflict) {
  auto members = list_members(user_guid);
  if (!members) return members.error();
  // 1. Our own partner id: an earlier attempt of this very create succeeded.
  if (partner_member_id) {
    for (MxMember& m : *members) {
      if (m.id == partner_member_id) return std::move(m);
    }
  }
  // 2. MX's duplicate-login 409 may name the member it collided with.
  if (auto guid = internal::existing_member_guid(conflict.message)) {
    for (MxMember& m : *members) {
      if (m.guid == *guid) return std::move(m);
    }
    auto named = read_member(user_guid, *guid);
    if (named) return named;
  }
  // 3. The only member at the institution, unless it belongs to another partner id.
  MxMember* only = nullptr;
  int at_institution = 0;
  for (MxMember& m : *members) {
    if (m.institution_code != institution_code) continue;
    ++at_institution;
    only = &m;
  }
  if (at_institution == 1 && (!partner_member_id || !only->id || only->id == partner_member_id)) {
    return std::move(*only);
  }
  return make_error(ErrorKind::kConflict,
                    conflict.message + " (no existing member of the user matches it)", 409);
}

Result<MxMember> MxApi::read_member(const std::string& user_guid, const std::string& member_guid) {
  if (auto e = require_pair("read_member", user_guid, member_guid)) return *e;
  const std::string target = member_path(user_guid, member_guid);
  auto response = call_ok("GET", target);
  if (!response) return response.error();
  return internal::parse_reply<MxMember>(*response, "member", internal::parse_member,
                                         internal::describe("GET", target));
}

Result<MxMemberStatus> MxApi::read_member_status(const std::string& user_guid,
                                                 const std::string& member_guid) {
  if (auto e = require_pair("read_member_status", user_guid, member_guid)) return *e;
  const std::string target = member_path(user_guid, member_guid) + "/status";
  auto response = call_ok("GET", target);
  if (!response) return response.error();
  return internal::parse_reply<MxMemberStatus>(*response, "member", internal::parse_member_status,
                                               internal::describe("GET", target));
}

Result<std::vector<MxMember>> MxApi::list_members(const std::string& user_guid,
                                                  const ProgressCallback& progress) {
  if (auto e = internal::require("list_members: user_guid", user_guid)) return *e;
  std::vector<MxMember> out;
  auto walked = walk_pages("/users" + internal::segment(user_guid) + "/members",
                           collect_into(out, "members", internal::parse_member), progress);
  if (!walked) return walked.error();
  return out;
}

Result<MxMember> MxApi::update_member_credentials(
    const std::string& user_guid, const std::string& member_guid,
    const std::vector<MxCredentialValue>& credentials) {
  if (auto e = require_pair("update_member_credentials", user_guid, member_guid)) return *e;
  if (credentials.empty()) {
    return make_error(ErrorKind::kInvalidInput,
                      "update_member_credentials: credentials must not be empty");
  }
  const std::string target = member_path(user_guid, member_guid);
  const Json body{{"member", {{"credentials", credential_array(credentials)}}}};
  auto response = call_ok("PUT", target, internal::dump(body));
  if (!response) return response.error();
  return internal::parse_reply<MxMember>(*response, "member", internal::parse_member,
                                         internal::describe("PUT", target));
}

Status MxApi::delete_member(const std::string& user_guid, const std::string& member_guid) {
  if (auto e = require_pair("delete_member", user_guid, member_guid)) return *e;
  const std::string target = member_path(user_guid, member_guid);
  int attempts = 0;
  auto response = call("DELETE", target, std::nullopt, {}, &attempts);
  if (!response) return response.error();
  // A retried DELETE that finds nothing: an earlier attempt deleted it and its reply was lost.
  if (response->status == 404 && attempts > 1) return Done{};
  if (response->status < 200 || response->status > 299) {
    return internal::http_error(*response, internal::describe("DELETE", target));
  }
  return Done{};
}

Result<AggregateResult> MxApi::aggregate_member(const std::string& user_guid,
                                                const std::string& member_guid,
                                                const AggregateGuard& guard) {
  if (auto e = require_pair("aggregate_member", user_guid, member_guid)) return *e;
  auto before = read_member(user_guid, member_guid);
  if (!before) return before.error();
  if (guard && !guard(*before)) {
    AggregateResult held;
    held.member = std::move(*before);
    held.outcome = AggregateOutcome::kHeld;
    return held;
  }
  const std::string target = member_path(user_guid, member_guid) + "/aggregate";
  auto response = call_ok("POST", target);  // body-less, as MX's own SDK sends it
  if (!response) return response.error();
  auto after = internal::parse_reply<MxMember>(*response, "member", internal::parse_member,
                                               internal::describe("POST", target));
  if (!after) return after.error();
  // aggregated_at is the start of the latest job: a new value means a job started. A member
  // that went from idle to aggregating started one too (covers a same-second restart).
  const bool started = after->aggregated_at != before->aggregated_at ||
                       (!before->is_being_aggregated && after->is_being_aggregated);
  AggregateResult result;
  result.member = std::move(*after);
  result.outcome = started ? AggregateOutcome::kStarted : AggregateOutcome::kNotStarted;
  return result;
}

Result<MxMember> MxApi::resume_member(const std::string& user_guid, const std::string& member_guid,
                                      const std::vector<MxCredentialValue>& answers) {
  if (auto e = require_pair("resume_member", user_guid, member_guid)) return *e;
  if (answers.empty()) {
    return make_error(ErrorKind::kInvalidInput, "resume_member: answers must not be empty");
  }
  const std::string target = member_path(user_guid, member_guid) + "/resume";
  const Json body{{"member", {{"challenges", credential_array(answers)}}}};
  auto response = call_ok("PUT", target, internal::dump(body));
  if (!response) return response.error();
  return internal::parse_reply<MxMember>(*response, "member", internal::parse_member,
                                         internal::describe("PUT", target));
}

Result<std::vector<MxChallenge>> MxApi::list_challenges(const std::string& user_guid,
                                                        const std::string& member_guid) {
  if (auto e = require_pair("list_challenges", user_guid, member_guid)) return *e;
  std::vector<MxChallenge> out;
  auto walked = walk_pages(member_path(user_guid, member_guid) + "/challenges",
                           collect_into(out, "challenges", internal::parse_challenge), nullptr);
  if (!walked) return walked.error();
  return out;
}

}  // namespace mxclient
