// Processor tokens (docs/api-coverage.md, "Processor tokens"): a client asks for a one-time code
// scoped to a verified member's account and hands it to a payment processor, which exchanges it
// (POST /token, with its own credentials) for a 60-day bearer token, then reads the account's
// numbers, balance and owners with that token.
#include <array>
#include <memory>
#include <string>
#include <utility>

#include "api/codec.h"
#include "api/errors.h"
#include "api/request_body.h"
#include "api/routes.h"
#include "api/tenants.h"
#include "api/world.h"

namespace mxemu::api {
namespace {

using json = nlohmann::json;
using domain::ErrorCode;
using domain::Reason;

// Both specs declare the processor's answers application/json, in either version.
Response processor_json(const json& value) {
  return json_response(200, std::string(json_content_type(ApiVersion::kV20250224)), value);
}

// The grant of the request's bearer token. The service found this tenant by the token, but it
// may have expired since, or been deleted with its member.
domain::Result<const domain::ProcessorToken*> grant(RouteContext& ctx) {
  constexpr std::string_view kBearer = "Bearer ";
  const std::string& authorization = ctx.request.header("Authorization");
  if (authorization.compare(0, kBearer.size(), kBearer) != 0) {
    return domain::refuse(ErrorCode::kUnauthorized, Reason::kAccessTokenInvalid);
  }
  return ctx.emulator.processor_grant(std::string_view(authorization).substr(kBearer.size()));
}

// What a processor route reads: protected data (read-protected) or not, and a member's or one
// account's.
enum class Reach { kMember, kProtectedMember, kProtectedAccount };

// The scope of the request's token, when it reaches what the route reads; else the answer
// (401 for the token, 403 for its scope).
domain::Result<const domain::ProcessorScope*> scope_for(RouteContext& ctx, Reach reach) {
  auto g = grant(ctx);
  if (!g) return g.error();
  const domain::ProcessorScope& scope = (*g)->scope;
  const auto refuse = [](Reason reason) { return domain::refuse(ErrorCode::kForbidden, reason); };
  if (reach != Reach::kMember && !scope.read_protected) {
    return refuse(Reason::kProcessorScopeNotProtected);
  }
  if (scope.member_guid.empty()) return refuse(Reason::kProcessorScopeNoMember);
  if (reach == Reach::kProtectedAccount && scope.account_guid.empty()) {
    return refuse(Reason::kProcessorScopeNoAccount);
  }
  return &scope;
}

// The scope's guids by the JSON names MX's request bodies give them (MemberElements).
std::array<std::pair<const char*, std::string*>, 3> guid_fields(domain::ProcessorScope& scope) {
  return {{{"user_guid", &scope.user_guid},
           {"member_guid", &scope.member_guid},
           {"account_guid", &scope.account_guid}}};
}

// listTokens' scope: {"scope":{user_guid, member_guid, account_guid}} in the body, or the same
// names as query parameters. The user is found from the member, the member from the account.
domain::Result<domain::ProcessorScope> token_filter(RouteContext& ctx) {
  auto body = parse_document(ctx.request);
  if (!body) return body.error();
  const json empty = json::object();
  const json* scope = &empty;
  if (body->is_object() && body->contains("scope")) {
    scope = &(*body)["scope"];
    if (!scope->is_object()) {
      return domain::make_error(ErrorCode::kBadRequest, "scope must be an object.");
    }
  } else if (!body->is_null() && !body->is_object()) {
    return domain::make_error(ErrorCode::kBadRequest, "The request body must be an object.");
  }
  domain::ProcessorScope filter;
  for (const auto& [name, slot] : guid_fields(filter)) {
    auto value = optional_string(*scope, name);
    if (!value) return value.error();
    *slot = value->value_or(ctx.request.query_param(name));
  }
  if (!filter.account_guid.empty()) {
    const domain::Account* account = ctx.emulator.store().find_account(filter.account_guid);
    if (account == nullptr || account->member_guid.empty() ||
        (!filter.member_guid.empty() && account->member_guid != filter.member_guid)) {
      return domain::record_not_found();
    }
    filter.member_guid = account->member_guid;
  }
  if (!filter.member_guid.empty()) {
    const domain::Member* member = ctx.emulator.member_by_guid(filter.member_guid);
    if (member == nullptr || (!filter.user_guid.empty() && member->user_guid != filter.user_guid)) {
      return domain::record_not_found();
    }
    filter.user_guid = member->user_guid;
  }
  if (filter.user_guid.empty()) {
    return domain::make_error(ErrorCode::kBadRequest,
                              "scope must name a user_guid, member_guid or account_guid.");
  }
  return filter;
}

// A processor's account owner: MX's ProcessorOwner has no first or last name.
json processor_owner_json(const domain::AccountOwner& owner) {
  json out = account_owner_json(owner);
  out.erase("first_name");
  out.erase("last_name");
  return out;
}

}  // namespace

Response request_authorization_code(RouteContext& ctx) {
  auto object = required_object(ctx.body, "authorization_code");
  if (!object) return error_response(object.error());
  auto text = optional_string(**object, "scope");
  if (!text) return error_response(text.error());
  if (!*text) {
    return error_response(400,
                          "authorization_code.scope is required: \"user-guid:USR-… "
                          "member-guid:MBR-… account-guid:ACT-… read-protected\".");
  }
  auto scope = domain::parse_processor_scope(**text);
  if (!scope) return error_response(scope.error());
  auto code = ctx.emulator.request_authorization_code(*scope);
  if (!code) return error_response(code.error());
  return ctx.json(200, {{"authorization_code", {{"code", code->code}}}});
}

Response request_payment_processor_authorization_code(RouteContext& ctx) {
  constexpr std::string_view kKey = "payment_processor_authorization_code";
  auto object = required_object(ctx.body, kKey);
  if (!object) return error_response(object.error());
  domain::ProcessorScope scope;
  for (const auto& [name, slot] : guid_fields(scope)) {
    auto value = optional_string(**object, name);
    if (!value) return error_response(value.error());
    if (!*value || (*value)->empty()) {
      return error_response(400, std::string(kKey) + "." + name + " is required.");
    }
    *slot = **value;
  }
  // The old route granted one account's payment details, numbers included.
  scope.read_protected = true;
  auto code = ctx.emulator.request_authorization_code(scope);
  if (!code) return error_response(code.error());
  return ctx.json(200, {{std::string(kKey), {{"authorization_code", code->code}}}});
}

Response list_tokens(RouteContext& ctx) {
  auto filter = token_filter(ctx);
  if (!filter) return error_response(filter.error());
  auto tokens = ctx.emulator.list_processor_tokens(*filter);
  if (!tokens) return error_response(tokens.error());
  json out = json::array();
  for (const domain::ProcessorToken& t : *tokens) {
    out.push_back({{"access_token", t.access_token},
                   {"active", t.active(ctx.emulator.now())},
                   {"expires_at", domain::format_iso8601(t.expires_at)},
                   {"payment_processor_guid", t.processor_guid}});
  }
  return ctx.json(200, {{"tokens", std::move(out)}});
}

Response exchange_authorization_code(RouteContext& ctx) {
  if (ctx.request.query_param("grant_type") != "authorization_code") {
    return error_response(400, "grant_type must be authorization_code.");
  }
  const std::string code = ctx.request.query_param("code");
  if (code.empty()) {
    return error_response(400, "code is required: the authorization code the client requested.");
  }
  // The service let the request in on a tenant's Basic credentials: the processor's own. (Lock
  // order: this world's lock, then the directory's, as tenants.h allows.)
  const std::shared_ptr<World> processor =
      ctx.tenants == nullptr
          ? nullptr
          : ctx.tenants->find_by_authorization(ctx.request.header("Authorization"));
  if (!processor) return error_response(401, "Invalid MX-API-Key or MX-Client-ID provided.");
  auto token = ctx.emulator.redeem_authorization_code(code, processor->client_id());
  if (!token) return error_response(token.error());
  // MX's example answers expires_at null although the token lasts 60 days; listTokens says when.
  return processor_json({{"access_token", token->access_token},
                         {"expires_at", nullptr},
                         {"scope", domain::to_text(token->scope)},
                         {"token_type", "Bearer"}});
}

Response processor_account_numbers(RouteContext& ctx) {
  auto reached = scope_for(ctx, Reach::kProtectedMember);
  if (!reached) return error_response(reached.error());
  const domain::ProcessorScope& scope = **reached;
  json out = json::array();
  for (const auto& n : ctx.emulator.store().account_numbers_of_member(scope.member_guid)) {
    if (scope.account_guid.empty() || n.account_guid == scope.account_guid) {
      out.push_back(account_number_json(n));
    }
  }
  return processor_json({{"account_numbers", std::move(out)}});
}

Response processor_check_balance(RouteContext& ctx) {
  auto reached = scope_for(ctx, Reach::kMember);
  if (!reached) return error_response(reached.error());
  const domain::ProcessorScope& scope = **reached;
  auto accepted =
      ctx.emulator.start_job(scope.user_guid, scope.member_guid, domain::IdentifierMode::kGuidOnly,
                             domain::JobType::kBalance);
  if (!accepted) return error_response(accepted.error());
  Response response = member_response(ctx, 200, *accepted->member);
  response.content_type = std::string(json_content_type(ApiVersion::kV20250224));
  return response;
}

Response processor_payment_account(RouteContext& ctx) {
  auto reached = scope_for(ctx, Reach::kProtectedAccount);
  if (!reached) return error_response(reached.error());
  const domain::ProcessorScope& scope = **reached;
  const domain::Account* account = ctx.emulator.store().find_account(scope.account_guid);
  if (account == nullptr) return error_response(domain::record_not_found());
  json number = nullptr;
  json routing = nullptr;
  for (const auto& n : ctx.emulator.store().account_numbers_of_member(scope.member_guid)) {
    if (n.account_guid == account->guid) {
      number = codec_detail::text_or_null(n.account_number);
      routing = codec_detail::text_or_null(n.routing_number);
    }
  }
  return processor_json(
      {{"payment_account",
        {{"account_guid", account->guid},
         {"account_name", account->name},
         {"account_number", number},
         {"account_type", account->type},
         {"available_balance",
          account->available_balance ? json(*account->available_balance) : json(nullptr)},
         {"balance", account->balance},
         {"created_at", domain::format_iso8601(account->created_at)},
         {"member_guid", account->member_guid},
         {"routing_number", routing},
         {"transit_number", nullptr},
         {"updated_at", domain::format_iso8601(account->updated_at)},
         {"user_guid", account->user_guid}}}});
}

Response processor_account_owners(RouteContext& ctx) {
  auto reached = scope_for(ctx, Reach::kProtectedMember);
  if (!reached) return error_response(reached.error());
  const domain::ProcessorScope& scope = **reached;
  std::vector<const domain::AccountOwner*> owners;
  for (const auto& o : ctx.emulator.store().account_owners_of_member(scope.member_guid)) {
    if (scope.account_guid.empty() || o.account_guid == scope.account_guid) owners.push_back(&o);
  }
  const auto page = domain::slice_page(owners, page_request(ctx.request, 1000));
  json items = json::array();
  for (const auto* o : page.items) items.push_back(processor_owner_json(*o));
  return processor_json({{"account_owners", std::move(items)},
                         {"pagination", pagination_json(page.total_entries, page.current_page,
                                                        page.per_page, page.total_pages)}});
}

}  // namespace mxemu::api
