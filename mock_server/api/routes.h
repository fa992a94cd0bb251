#pragma once

#include <string_view>
#include <vector>

#include "api/path_pattern.h"
#include "api/route_context.h"

namespace mxemu::api {

// Who may call a route and how its response is framed.
enum class RouteScope {
  kMx,       // MX Platform API: Basic auth, version negotiation, MX error envelope
  kControl,  // /_emulator/...: the emulator's own control API (JSON, no MX auth)
  kPage,     // pages a browser or webview opens: widget and OAuth (no auth)
  // A payment processor's routes (MX's processor token): Bearer auth with an access token;
  // served by the tenant that issued it. Versions and errors as kMx.
  kProcessor,
  // POST /token: the processor's own Basic credentials (any tenant's) and a code; served by
  // the tenant that issued the code.
  kProcessorExchange,
};

// Whether the route is MX's API, by a client (kMx) or a processor: the routes the specs have.
inline bool is_mx_api(RouteScope s) { return s == RouteScope::kMx || s == RouteScope::kProcessor; }
// "mx", "control", "page", "processor", "processor_exchange" (the journal, /_emulator/routes).
std::string_view scope_name(RouteScope scope);

enum class Versions { kBoth, kV1Only, kV2Only };

struct Route {
  Method method;
  PathPattern pattern;
  RouteHandler handler;
  std::string_view operation_id;  // MX's operationId, or the control action's name
  RouteScope scope = RouteScope::kMx;
  Versions versions = Versions::kBoth;
};

// The one table of routes (routes.cpp): the index of the emulated API. First match wins.
const std::vector<Route>& route_table();

// {"member":{…}} in the request's version (routes_members.cpp); shared by the job routes.
Response member_response(RouteContext& ctx, int status, const domain::Member& member);

// Handlers, one file per resource.
// routes_categories.cpp
Response list_default_categories(RouteContext& ctx);
Response read_default_category(RouteContext& ctx);
Response list_default_categories_by_user(RouteContext& ctx);
Response list_categories(RouteContext& ctx);
Response create_category(RouteContext& ctx);
Response read_category(RouteContext& ctx);
Response update_category(RouteContext& ctx);
Response delete_category(RouteContext& ctx);
Response list_merchants(RouteContext& ctx);
Response read_merchant(RouteContext& ctx);
Response read_merchant_location(RouteContext& ctx);
// routes_rewards.cpp (fetch_rewards is in routes_jobs.cpp)
Response list_rewards(RouteContext& ctx);
Response read_reward(RouteContext& ctx);
Response read_credit_card_product(RouteContext& ctx);
// routes_tags.cpp
Response list_tags(RouteContext& ctx);
Response create_tag(RouteContext& ctx);
Response read_tag(RouteContext& ctx);
Response update_tag(RouteContext& ctx);
Response delete_tag(RouteContext& ctx);
Response list_taggings(RouteContext& ctx);
Response create_tagging(RouteContext& ctx);
Response read_tagging(RouteContext& ctx);
Response update_tagging(RouteContext& ctx);
Response delete_tagging(RouteContext& ctx);
// routes_splits.cpp
Response create_split_transactions(RouteContext& ctx);
Response delete_split_transactions(RouteContext& ctx);
Response create_split_transactions_by_account(RouteContext& ctx);
Response delete_split_transactions_by_account(RouteContext& ctx);
// routes_microdeposits.cpp
Response list_microdeposits(RouteContext& ctx);
Response list_account_verifications(RouteContext& ctx);
Response create_microdeposit(RouteContext& ctx);
Response read_microdeposit(RouteContext& ctx);
Response delete_microdeposit(RouteContext& ctx);
Response verify_microdeposit(RouteContext& ctx);
Response control_microdeposit(RouteContext& ctx);
// The {"micro_deposit":{…}} of a create (or the page's completion); a 400 for wrong types.
domain::Result<domain::MicrodepositFields> microdeposit_fields(const nlohmann::json& body);
// verifyMicrodeposit's body ({"micro_deposit":{"deposit_amount_1","deposit_amount_2"}}) applied
// to the microdeposit `guid`; the API's handler and the Connect page's share it.
domain::Result<const domain::Microdeposit*> verify_with_body(RouteContext& ctx,
                                                             std::string_view guid);
// {"micro_deposit": microdeposit_json(…)} with the microdeposit's institution.
nlohmann::json microdeposit_body(const RouteContext& ctx, const domain::Microdeposit& m);
// routes_processor.cpp
Response request_authorization_code(RouteContext& ctx);
Response request_payment_processor_authorization_code(RouteContext& ctx);
Response list_tokens(RouteContext& ctx);
Response exchange_authorization_code(RouteContext& ctx);
Response processor_account_numbers(RouteContext& ctx);
Response processor_check_balance(RouteContext& ctx);
Response processor_payment_account(RouteContext& ctx);
Response processor_account_owners(RouteContext& ctx);
// routes_transaction_rules.cpp
Response list_transaction_rules(RouteContext& ctx);
Response create_transaction_rule(RouteContext& ctx);
Response read_transaction_rule(RouteContext& ctx);
Response update_transaction_rule(RouteContext& ctx);
Response delete_transaction_rule(RouteContext& ctx);
// routes_users.cpp
Response list_users(RouteContext& ctx);
Response create_user(RouteContext& ctx);
Response read_user(RouteContext& ctx);
Response update_user(RouteContext& ctx);
Response delete_user(RouteContext& ctx);
// routes_members.cpp
Response list_members(RouteContext& ctx);
Response create_member(RouteContext& ctx);
Response read_member(RouteContext& ctx);
Response update_member(RouteContext& ctx);
Response delete_member(RouteContext& ctx);
Response read_member_status(RouteContext& ctx);
Response list_member_challenges(RouteContext& ctx);
Response list_member_credentials(RouteContext& ctx);
// routes_jobs.cpp
Response aggregate_member(RouteContext& ctx);
Response check_balances(RouteContext& ctx);
Response identify_member(RouteContext& ctx);
Response verify_member(RouteContext& ctx);
Response extend_history(RouteContext& ctx);
Response fetch_statements(RouteContext& ctx);
Response fetch_rewards(RouteContext& ctx);
Response resume_aggregation(RouteContext& ctx);
// routes_institutions.cpp
Response list_institutions(RouteContext& ctx);
Response list_favorite_institutions(RouteContext& ctx);
Response read_institution(RouteContext& ctx);
Response list_institution_credentials(RouteContext& ctx);
// routes_accounts.cpp
Response merge_accounts(RouteContext& ctx);
Response list_user_accounts(RouteContext& ctx);
Response read_account(RouteContext& ctx);
Response list_member_accounts(RouteContext& ctx);
Response read_account_by_member(RouteContext& ctx);
Response update_account_by_member(RouteContext& ctx);
Response list_account_numbers_by_account(RouteContext& ctx);
Response list_account_numbers_by_member(RouteContext& ctx);
Response list_account_owners_by_member(RouteContext& ctx);
Response list_holdings(RouteContext& ctx);
Response list_holdings_by_member(RouteContext& ctx);
Response list_holdings_by_account(RouteContext& ctx);
Response read_holding(RouteContext& ctx);
Response list_statements_by_member(RouteContext& ctx);
Response read_statement_by_member(RouteContext& ctx);
Response download_statement_pdf(RouteContext& ctx);
// routes_transactions.cpp
Response list_transactions(RouteContext& ctx);
Response list_transactions_by_member(RouteContext& ctx);
Response list_transactions_by_tag(RouteContext& ctx);
Response list_transactions_by_account(RouteContext& ctx);
Response list_transactions_by_account_per_member(RouteContext& ctx);
Response read_transaction(RouteContext& ctx);
Response read_transaction_by_account(RouteContext& ctx);
Response update_transaction(RouteContext& ctx);
Response update_transaction_by_account(RouteContext& ctx);
// routes_widgets.cpp
Response request_widget_url(RouteContext& ctx);
Response request_connect_widget_url(RouteContext& ctx);
Response request_oauth_window_uri(RouteContext& ctx);
Response oauth_page(RouteContext& ctx);
// routes_widget_page.cpp
Response widget_page(RouteContext& ctx);
Response widget_page_session(RouteContext& ctx);
Response widget_page_institutions(RouteContext& ctx);
Response widget_page_credentials(RouteContext& ctx);
Response widget_page_members(RouteContext& ctx);
Response widget_page_create_member(RouteContext& ctx);
Response widget_page_read_member(RouteContext& ctx);
Response widget_page_update_member(RouteContext& ctx);
Response widget_page_resume(RouteContext& ctx);
Response widget_page_verify(RouteContext& ctx);
Response widget_page_oauth_window(RouteContext& ctx);
Response widget_page_create_microdeposit(RouteContext& ctx);
Response widget_page_read_microdeposit(RouteContext& ctx);
Response widget_page_complete_microdeposit(RouteContext& ctx);
Response widget_page_verify_microdeposit(RouteContext& ctx);
Response widget_page_delete_microdeposit(RouteContext& ctx);
Response connect_demo_page(RouteContext& ctx);
// routes_ui.cpp
Response dashboard_page(RouteContext& ctx);
Response control_overview(RouteContext& ctx);
// routes_control.cpp
Response control_state(RouteContext& ctx);
Response control_force_status(RouteContext& ctx);
Response control_queue_outcomes(RouteContext& ctx);
Response control_member_event(RouteContext& ctx);
Response control_oauth(RouteContext& ctx);
Response control_institution_fault(RouteContext& ctx);
Response control_discontinue_institution(RouteContext& ctx);
Response control_import_member(RouteContext& ctx);
Response control_events(RouteContext& ctx);
Response control_routes(RouteContext& ctx);
// routes_faults.cpp
Response control_add_fault(RouteContext& ctx);
Response control_list_faults(RouteContext& ctx);
Response control_clear_faults(RouteContext& ctx);
Response control_delete_fault(RouteContext& ctx);
// routes_journal.cpp
Response control_list_journal(RouteContext& ctx);
Response control_clear_journal(RouteContext& ctx);
Response control_read_journal_entry(RouteContext& ctx);
Response control_conformance(RouteContext& ctx);
// routes_webhooks.cpp
Response control_set_webhooks(RouteContext& ctx);
Response control_list_webhooks(RouteContext& ctx);
Response control_clear_webhooks(RouteContext& ctx);
Response control_webhook_deliveries(RouteContext& ctx);
// routes_tenants.cpp
Response control_create_tenant(RouteContext& ctx);
Response control_list_tenants(RouteContext& ctx);
Response control_delete_tenant(RouteContext& ctx);
Response control_read_limits(RouteContext& ctx);
Response control_set_limits(RouteContext& ctx);
// routes_snapshot.cpp, routes_states.cpp
Response control_export_snapshot(RouteContext& ctx);
Response control_import_snapshot(RouteContext& ctx);
Response control_list_states(RouteContext& ctx);
Response control_set_state(RouteContext& ctx);
// routes_policies.cpp
Response control_read_storm(RouteContext& ctx);
Response control_set_storm(RouteContext& ctx);

// routes_clock.cpp
Response control_read_clock(RouteContext& ctx);
Response control_advance_clock(RouteContext& ctx);
Response control_set_clock(RouteContext& ctx);
Response control_freeze_clock(RouteContext& ctx);
Response control_unfreeze_clock(RouteContext& ctx);
Response control_clock_rate(RouteContext& ctx);
Response control_auto_clock(RouteContext& ctx);
Response control_reset(RouteContext& ctx);
Response control_health(RouteContext& ctx);

// A control-API response: JSON as application/json; charset=utf-8.
Response control_response(int status, const nlohmann::json& value);
// The tenant's clock as the control API shows it: now, offset, next deadline, rate, auto.
nlohmann::json clock_json(RouteContext& ctx);

}  // namespace mxemu::api
