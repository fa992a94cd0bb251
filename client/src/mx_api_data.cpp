// MxApi institutions, widget and OAuth URLs, accounts and transactions.
#include <algorithm>
#include <utility>

#include "mx_api_internal.h"
#include "mxclient/mx_api.h"

namespace mxclient {
namespace {

using internal::Json;

// "?from_date=…&to_date=…" (or "") for a transaction list.
std::string date_query(const TransactionFilter& filter) {
  std::string query;
  auto add = [&](const char* key, const std::optional<std::string>& value) {
    if (!value) return;
    query += query.empty() ? '?' : '&';
    query += std::string(key) + "=" + internal::url_encode(*value);
  };
  add("from_date", filter.from_date);
  add("to_date", filter.to_date);
  return query;
}

std::optional<Error> check_filter(const char* op, const TransactionFilter& filter) {
  if (auto e = internal::require_date(std::string(op) + ": from_date", filter.from_date)) return e;
  return internal::require_date(std::string(op) + ": to_date", filter.to_date);
}

}  // namespace

// ---- institutions

Result<MxInstitution> MxApi::read_institution(const std::string& institution_code) {
  if (auto e = internal::require("read_institution: institution_code", institution_code)) {
    return *e;
  }
  const std::string target = "/institutions" + internal::segment(institution_code);
  auto response = call_ok("GET", target);
  if (!response) return response.error();
  return internal::parse_reply<MxInstitution>(*response, "institution", internal::parse_institution,
                                              internal::describe("GET", target));
}

Result<std::vector<MxCategory>> MxApi::list_default_categories(const ProgressCallback& progress) {
  std::vector<MxCategory> out;
  auto walked = walk_pages("/categories/default",
                           collect_into(out, "categories", internal::parse_category), progress);
  if (!walked) return walked.error();
  return out;
}

Result<std::vector<MxCategory>> MxApi::list_categories(const std::string& user_guid,
                                                       const ProgressCallback& progress) {
  if (auto e = internal::require("list_categories: user_guid", user_guid)) return *e;
  std::vector<MxCategory> out;
  auto walked = walk_pages("/users" + internal::segment(user_guid) + "/categories",
                           collect_into(out, "categories", internal::parse_category), progress);
  if (!walked) return walked.error();
  return out;
}

Result<std::vector<MxCredentialField>> MxApi::list_institution_credentials(
    const std::string& institution_code) {
  if (auto e =
          internal::require("list_institution_credentials: institution_code", institution_code)) {
    return *e;
  }
  std::vector<MxCredentialField> out;
  auto walked =
      walk_pages("/institutions" + internal::segment(institution_code) + "/credentials",
                 collect_into(out, "credentials", internal::parse_credential_field), nullptr);
  if (!walked) return walked.error();
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.display_order < b.display_order; });
  return out;
}

// ---- widget and OAuth

Result<std::string> MxApi::request_widget_url(const std::string& user_guid,
                                              const WidgetUrlRequest& request) {
  if (auto e = internal::require("request_widget_url: user_guid", user_guid)) return *e;
  if (auto e = internal::require("request_widget_url: widget_type", request.widget_type)) {
    return *e;
  }
  Json w{{"widget_type", request.widget_type}};
  auto set = [&w](const char* key, const auto& value) {
    if (value) w[key] = *value;
  };
  set("current_member_guid", request.current_member_guid);
  set("current_institution_code", request.current_institution_code);
  set("update_credentials", request.update_credentials);
  set("disable_institution_search", request.disable_institution_search);
  set("is_mobile_webview", request.is_mobile_webview);
  set("client_redirect_url", request.client_redirect_url);
  set("ui_message_webview_url_scheme", request.ui_message_webview_url_scheme);
  set("ui_message_version", request.ui_message_version);
  set("mode", request.mode);
  set("oauth_referral_source", request.oauth_referral_source);
  set("wait_for_full_aggregation", request.wait_for_full_aggregation);
  set("include_transactions", request.include_transactions);
  set("color_scheme", request.color_scheme);
  std::vector<std::pair<std::string, std::string>> extra;
  if (request.accept_language) extra.emplace_back("Accept-Language", *request.accept_language);

  const std::string target = "/users" + internal::segment(user_guid) + "/widget_urls";
  const std::string what = internal::describe("POST", target);
  auto response = call_ok("POST", target, internal::dump(Json{{"widget_url", w}}), extra);
  if (!response) return response.error();
  auto widget = internal::parse_reply<std::string>(
      *response, "widget_url",
      [](const Json& j) -> Result<std::string> {
        auto url = j.find("url");
        if (url == j.end() || !url->is_string() || url->get_ref<const std::string&>().empty()) {
          return make_error(ErrorKind::kInvalidReply, "widget_url.url is not a non-empty string");
        }
        return url->get<std::string>();
      },
      what);
  return widget;
}

Result<std::string> MxApi::oauth_window_uri(const std::string& user_guid,
                                            const std::string& member_guid,
                                            const OAuthWindowOptions& options) {
  if (auto e = internal::require("oauth_window_uri: user_guid", user_guid)) return *e;
  if (auto e = internal::require("oauth_window_uri: member_guid", member_guid)) return *e;
  std::string query;
  auto add = [&](const char* key, const std::string& value) {
    query += query.empty() ? '?' : '&';
    query += std::string(key) + "=" + internal::url_encode(value);
  };
  if (options.referral_source) add("referral_source", *options.referral_source);
  if (options.ui_message_webview_url_scheme) {
    add("ui_message_webview_url_scheme", *options.ui_message_webview_url_scheme);
  }
  if (options.client_redirect_url) add("client_redirect_url", *options.client_redirect_url);
  if (options.skip_aggregation)
    add("skip_aggregation", *options.skip_aggregation ? "true" : "false");
  if (options.enable_app2app) add("enable_app2app", *options.enable_app2app ? "true" : "false");

  const std::string target = "/users" + internal::segment(user_guid) + "/members" +
                             internal::segment(member_guid) + "/oauth_window_uri" + query;
  auto response = call_ok("GET", target);
  if (!response) return response.error();
  return internal::parse_reply<std::string>(
      *response, "member",
      [](const Json& j) -> Result<std::string> {
        auto uri = j.find("oauth_window_uri");
        if (uri == j.end() || !uri->is_string() || uri->get_ref<const std::string&>().empty()) {
          return make_error(ErrorKind::kInvalidReply,
                            "member.oauth_window_uri is not a non-empty string");
        }
        return uri->get<std::string>();
      },
      internal::describe("GET", target));
}

// ---- accounts

Result<std::vector<MxAccount>> MxApi::list_member_accounts(const std::string& user_guid,
                                                           const std::string& member_guid,
                                                           const ProgressCallback& progress) {
  if (auto e = internal::require("list_member_accounts: user_guid", user_guid)) return *e;
  if (auto e = internal::require("list_member_accounts: member_guid", member_guid)) return *e;
  std::vector<MxAccount> out;
  auto walked = walk_pages("/users" + internal::segment(user_guid) + "/members" +
                               internal::segment(member_guid) + "/accounts",
                           collect_into(out, "accounts", internal::parse_account), progress);
  if (!walked) return walked.error();
  return out;
}

Result<std::vector<MxAccount>> MxApi::list_user_accounts(const std::string& user_guid,
                                                         const ProgressCallback& progress) {
  if (auto e = internal::require("list_user_accounts: user_guid", user_guid)) return *e;
  std::vector<MxAccount> out;
  auto walked = walk_pages("/users" + internal::segment(user_guid) + "/accounts",
                           collect_into(out, "accounts", internal::parse_account), progress);
  if (!walked) return walked.error();
  return out;
}

// ---- transactions

Result<std::vector<MxTransaction>> MxApi::list_member_transactions(
    const std::string& user_guid, const std::string& member_guid, const TransactionFilter& filter,
    const ProgressCallback& progress) {
  if (auto e = internal::require("list_member_transactions: user_guid", user_guid)) return *e;
  if (auto e = internal::require("list_member_transactions: member_guid", member_guid)) {
    return *e;
  }
  if (auto e = check_filter("list_member_transactions", filter)) return *e;
  std::vector<MxTransaction> out;
  auto walked =
      walk_pages("/users" + internal::segment(user_guid) + "/members" +
                     internal::segment(member_guid) + "/transactions" + date_query(filter),
                 collect_into(out, "transactions", internal::parse_transaction), progress);
  if (!walked) return walked.error();
  return out;
}

Result<std::vector<MxTransaction>> MxApi::list_account_transactions(
    const std::string& user_guid, const std::string& account_guid, const TransactionFilter& filter,
    const ProgressCallback& progress) {
  if (auto e = internal::require("list_account_transactions: user_guid", user_guid)) return *e;
  if (auto e = internal::require("list_account_transactions: account_guid", account_guid)) {
    return *e;
  }
  if (auto e = check_filter("list_account_transactions", filter)) return *e;
  std::vector<MxTransaction> out;
  auto walked =
      walk_pages("/users" + internal::segment(user_guid) + "/accounts" +
                     internal::segment(account_guid) + "/transactions" + date_query(filter),
                 collect_into(out, "transactions", internal::parse_transaction), progress);
  if (!walked) return walked.error();
  return out;
}

Result<std::vector<MxTransaction>> MxApi::list_user_transactions(const std::string& user_guid,
                                                                 const TransactionFilter& filter,
                                                                 const ProgressCallback& progress) {
  if (auto e = internal::require("list_user_transactions: user_guid", user_guid)) return *e;
  if (auto e = check_filter("list_user_transactions", filter)) return *e;
  std::vector<MxTransaction> out;
  auto walked =
      walk_pages("/users" + internal::segment(user_guid) + "/transactions" + date_query(filter),
                 collect_into(out, "transactions", internal::parse_transaction), progress);
  if (!walked) return walked.error();
  return out;
}

}  // namespace mxclient
