#include "api/routes.h"

namespace mxemu::api {
namespace {

constexpr Method kGet = Method::kGet;
constexpr Method kPost = Method::kPost;
constexpr Method kPut = Method::kPut;
constexpr Method kDelete = Method::kDelete;

Route mx(Method m, std::string_view path, RouteHandler h, std::string_view op,
         Versions v = Versions::kBoth) {
  return Route{m, PathPattern(path), h, op, RouteScope::kMx, v};
}
Route control(Method m, std::string_view path, RouteHandler h, std::string_view op) {
  return Route{m, PathPattern(path), h, op, RouteScope::kControl, Versions::kBoth};
}
Route page(Method m, std::string_view path, RouteHandler h, std::string_view op) {
  return Route{m, PathPattern(path), h, op, RouteScope::kPage, Versions::kBoth};
}
Route processor(Method m, std::string_view path, RouteHandler h, std::string_view op,
                RouteScope scope = RouteScope::kProcessor) {
  return Route{m, PathPattern(path), h, op, scope, Versions::kBoth};
}

}  // namespace

std::string_view scope_name(RouteScope scope) {
  switch (scope) {
    case RouteScope::kMx:
      return "mx";
    case RouteScope::kControl:
      return "control";
    case RouteScope::kPage:
      return "page";
    case RouteScope::kProcessor:
      return "processor";
    case RouteScope::kProcessorExchange:
      return "processor_exchange";
  }
  return "";
}

namespace {

std::vector<Route> build_table() {
  // clang-format off
  return {
    // users
    mx(kGet,    "/users",                                        list_users,   "listUsers"),
    mx(kPost,   "/users",                                        create_user,  "createUser"),
    mx(kGet,    "/users/{user}",                                 read_user,    "readUser"),
    mx(kPut,    "/users/{user}",                                 update_user,  "updateUser"),
    mx(kDelete, "/users/{user}",                                 delete_user,  "deleteUser"),
    // members
    mx(kGet,    "/users/{user}/members",                         list_members,  "listMembers"),
    mx(kPost,   "/users/{user}/members",                         create_member, "createMember"),
    mx(kGet,    "/users/{user}/members/{member}",                read_member,   "readMember"),
    mx(kPut,    "/users/{user}/members/{member}",                update_member, "updateMember"),
    mx(kDelete, "/users/{user}/members/{member}",                delete_member, "deleteMember"),
    mx(kGet,    "/users/{user}/members/{member}/status",         read_member_status,      "readMemberStatus"),
    mx(kGet,    "/users/{user}/members/{member}/challenges",     list_member_challenges,  "listMemberChallenges"),
    mx(kGet,    "/users/{user}/members/{member}/credentials",    list_member_credentials, "listMemberCredentials"),
    // member jobs
    mx(kPost,   "/users/{user}/members/{member}/aggregate",        aggregate_member,   "aggregateMember"),
    mx(kPost,   "/users/{user}/members/{member}/check_balance",    check_balances,     "checkBalances"),
    mx(kPost,   "/users/{user}/members/{member}/identify",         identify_member,    "identifyMember"),
    mx(kPost,   "/users/{user}/members/{member}/verify",           verify_member,      "verifyMember"),
    mx(kPost,   "/users/{user}/members/{member}/extend_history",   extend_history,     "extendHistory"),
    mx(kPost,   "/users/{user}/members/{member}/fetch_statements", fetch_statements,   "fetchStatements"),
    mx(kPost,   "/users/{user}/members/{member}/fetch_rewards",    fetch_rewards,      "fetchRewards"),
    mx(kPut,    "/users/{user}/members/{member}/resume",           resume_aggregation, "resumeAggregation"),
    // rewards
    mx(kGet,    "/users/{user}/members/{member}/rewards",          list_rewards,       "listRewards"),
    mx(kGet,    "/users/{user}/members/{member}/rewards/{reward}", read_reward,        "readRewards"),
    mx(kGet,    "/credit_card_products/{credit_card_product}",     read_credit_card_product, "creditCard"),
    // institutions
    mx(kGet,    "/institutions",                                 list_institutions,            "listInstitutions"),
    mx(kGet,    "/institutions/favorites",                       list_favorite_institutions,   "listFavoriteInstitutions"),
    mx(kGet,    "/institutions/{institution}",                   read_institution,             "readInstitution"),
    mx(kGet,    "/institutions/{institution}/credentials",       list_institution_credentials, "listInstitutionCredentials"),
    // accounts and what premium jobs produce
    mx(kGet,    "/users/{user}/accounts",                                    list_user_accounts,              "listUserAccounts"),
    mx(kPost,   "/users/{user}/accounts/merge",                              merge_accounts,                  "mergeAccounts", Versions::kV2Only),
    mx(kGet,    "/users/{user}/accounts/{account}",                          read_account,                    "readAccount"),
    mx(kGet,    "/users/{user}/accounts/{account}/account_numbers",          list_account_numbers_by_account, "listAccountNumbersByAccount"),
    mx(kGet,    "/users/{user}/accounts/{account}/investment_holdings",      list_holdings_by_account,        "listHoldingsByAccount"),
    mx(kGet,    "/users/{user}/accounts/{account}/transactions",             list_transactions_by_account,    "listTransactionsByAccount"),
    mx(kGet,    "/users/{user}/members/{member}/accounts",                   list_member_accounts,            "listMemberAccounts"),
    mx(kGet,    "/users/{user}/members/{member}/accounts/{account}",         read_account_by_member,          "readAccountByMember"),
    mx(kPut,    "/users/{user}/members/{member}/accounts/{account}",         update_account_by_member,        "updateAccountByMember"),
    mx(kGet,    "/users/{user}/members/{member}/accounts/{account}/transactions",
                                                                             list_transactions_by_account_per_member, "listTransactionsByAccountPerMember", Versions::kV2Only),
    mx(kGet,    "/users/{user}/members/{member}/accounts/{account}/transactions/{transaction}",
                                                                             read_transaction_by_account,     "readTransactionByAccount", Versions::kV2Only),
    mx(kPut,    "/users/{user}/members/{member}/accounts/{account}/transactions/{transaction}",
                                                                             update_transaction_by_account,   "updateTransactionByAccount"),
    mx(kGet,    "/users/{user}/members/{member}/account_numbers",            list_account_numbers_by_member,  "listAccountNumbersByMember"),
    mx(kGet,    "/users/{user}/members/{member}/account_owners",             list_account_owners_by_member,   "listAccountOwnersByMember"),
    mx(kGet,    "/users/{user}/members/{member}/investment_holdings",        list_holdings_by_member,         "listHoldingsByMember"),
    mx(kGet,    "/users/{user}/investment_holdings",                         list_holdings,                   "listHoldings"),
    mx(kGet,    "/users/{user}/investment_holdings/{holding}",               read_holding,                    "readHolding"),
    mx(kGet,    "/users/{user}/members/{member}/statements",                 list_statements_by_member,       "listStatementsByMember"),
    mx(kGet,    "/users/{user}/members/{member}/statements/{statement}.pdf", download_statement_pdf,          "downloadStatementPDF"),
    mx(kGet,    "/users/{user}/members/{member}/statements/{statement}",     read_statement_by_member,        "readStatementByMember"),
    // transactions
    mx(kGet,    "/users/{user}/transactions",                    list_transactions,           "listTransactions"),
    mx(kGet,    "/users/{user}/transactions/{transaction}",      read_transaction,            "readTransaction"),
    mx(kPut,    "/users/{user}/transactions/{transaction}",      update_transaction,          "updateTransaction"),
    mx(kGet,    "/users/{user}/members/{member}/transactions",   list_transactions_by_member, "listTransactionsByMember"),
    mx(kPost,   "/users/{user}/transactions/{transaction}/split", create_split_transactions, "createSplitTransactions"),
    mx(kDelete, "/users/{user}/transactions/{transaction}/split", delete_split_transactions, "deleteSplitTransactions"),
    mx(kPost,   "/users/{user}/members/{member}/accounts/{account}/transactions/{transaction}/split",
                                                                 create_split_transactions_by_account, "createSplitTransactionsByAccount", Versions::kV2Only),
    mx(kDelete, "/users/{user}/members/{member}/accounts/{account}/transactions/{transaction}/split",
                                                                 delete_split_transactions_by_account, "deleteSplitTransactionByAccount", Versions::kV2Only),
    // categories (the default taxonomy and each user's own) and merchants
    mx(kGet,    "/categories/default",                           list_default_categories,         "listDefaultCategories"),
    mx(kGet,    "/categories/{category}",                        read_default_category,           "readDefaultCategory"),
    mx(kGet,    "/users/{user}/categories",                      list_categories,                 "listCategories"),
    mx(kPost,   "/users/{user}/categories",                      create_category,                 "createCategory"),
    mx(kGet,    "/users/{user}/categories/default",              list_default_categories_by_user, "listDefaultCategoriesByUser"),
    mx(kGet,    "/users/{user}/categories/{category}",           read_category,                   "readCategory"),
    mx(kPut,    "/users/{user}/categories/{category}",           update_category,                 "updateCategory"),
    mx(kDelete, "/users/{user}/categories/{category}",           delete_category,                 "deleteCategory"),
    mx(kGet,    "/merchants",                                    list_merchants,                  "listMerchants"),
    mx(kGet,    "/merchants/{merchant}",                         read_merchant,                   "readMerchant"),
    mx(kGet,    "/merchant_locations/{merchant_location}",       read_merchant_location,          "readMerchantLocation"),
    // tags and taggings
    mx(kGet,    "/users/{user}/tags",                            list_tags,                "listTags"),
    mx(kPost,   "/users/{user}/tags",                            create_tag,               "createTag"),
    mx(kGet,    "/users/{user}/tags/{tag}",                      read_tag,                 "readTag"),
    mx(kPut,    "/users/{user}/tags/{tag}",                      update_tag,               "updateTag"),
    mx(kDelete, "/users/{user}/tags/{tag}",                      delete_tag,               "deleteTag"),
    mx(kGet,    "/users/{user}/tags/{tag}/transactions",         list_transactions_by_tag, "listTransactionsByTag"),
    mx(kGet,    "/users/{user}/taggings",                        list_taggings,            "listTaggings"),
    mx(kPost,   "/users/{user}/taggings",                        create_tagging,           "createTagging"),
    mx(kGet,    "/users/{user}/taggings/{tagging}",              read_tagging,             "readTagging"),
    mx(kPut,    "/users/{user}/taggings/{tagging}",              update_tagging,           "updateTagging"),
    mx(kDelete, "/users/{user}/taggings/{tagging}",              delete_tagging,           "deleteTagging"),
    // transaction rules
    mx(kGet,    "/users/{user}/transaction_rules",               list_transaction_rules,   "listTransactionRules"),
    mx(kPost,   "/users/{user}/transaction_rules",               create_transaction_rule,  "createTransactionRule"),
    mx(kGet,    "/users/{user}/transaction_rules/{rule}",        read_transaction_rule,    "readTransactionRule"),
    mx(kPut,    "/users/{user}/transaction_rules/{rule}",        update_transaction_rule,  "updateTransactionRule"),
    mx(kDelete, "/users/{user}/transaction_rules/{rule}",        delete_transaction_rule,  "deleteTransactionRule"),
    // microdeposits
    mx(kGet,    "/users/{user}/micro_deposits",                  list_microdeposits,       "listUserMicrodeposits"),
    mx(kPost,   "/users/{user}/micro_deposits",                  create_microdeposit,      "createMicrodeposit"),
    mx(kGet,    "/users/{user}/micro_deposits/{micro_deposit}",  read_microdeposit,        "readUserMicrodeposit"),
    mx(kDelete, "/users/{user}/micro_deposits/{micro_deposit}",  delete_microdeposit,      "deleteMicrodeposit"),
    mx(kPut,    "/micro_deposits/{micro_deposit}/verify",        verify_microdeposit,      "verifyMicrodeposit"),
    // processor tokens: a client's code, the processor's token and what it reads
    mx(kPost,   "/authorization_code",                           request_authorization_code, "requestAuthorizationCode"),
    mx(kPost,   "/payment_processor_authorization_code",         request_payment_processor_authorization_code, "deprecatedRequestPaymentProcessorAuthorizationCode", Versions::kV1Only),
    mx(kGet,    "/tokens",                                       list_tokens,                "listTokens"),
    processor(kPost, "/token",                                   exchange_authorization_code, "requestAccessToken", RouteScope::kProcessorExchange),
    processor(kGet,  "/account/account_numbers",                 processor_account_numbers,  "requestAccountNumber"),
    processor(kPost, "/account/check_balance",                   processor_check_balance,    "checkRealTimeAccountBalance"),
    processor(kGet,  "/payment_account",                         processor_payment_account,  "readAccountBalance"),
    processor(kGet,  "/account/transactions",                    processor_account_owners,   "getAccountOwnerInfo"),
    mx(kGet,    "/users/{user}/account_verifications",           list_account_verifications, "listUserVerifications"),
    // widgets and OAuth
    mx(kPost,   "/users/{user}/widget_urls",                     request_widget_url,          "requestWidgetURL"),
    mx(kPost,   "/users/{user}/connect_widget_url",              request_connect_widget_url,  "requestConnectWidgetURL", Versions::kV1Only),
    mx(kGet,    "/users/{user}/members/{member}/oauth_window_uri", request_oauth_window_uri,  "requestOAuthWindowURI"),
    // pages a browser or webview opens
    page(kGet,  "/connect/{token}",                              widget_page,                 "widgetPage"),
    page(kGet,  "/oauth/authorize/{member}",                     oauth_page,                  "oauthPage"),
    // the widget page's own API, keyed by its session token (routes_widget_page.cpp)
    page(kGet,  "/connect/{token}/api/session",                  widget_page_session,         "widgetSession"),
    page(kGet,  "/connect/{token}/api/institutions",             widget_page_institutions,    "widgetInstitutions"),
    page(kGet,  "/connect/{token}/api/institutions/{institution}/credentials", widget_page_credentials, "widgetCredentials"),
    page(kGet,  "/connect/{token}/api/members",                  widget_page_members,         "widgetMembers"),
    page(kPost, "/connect/{token}/api/members",                  widget_page_create_member,   "widgetCreateMember"),
    page(kGet,  "/connect/{token}/api/members/{member}",         widget_page_read_member,     "widgetReadMember"),
    page(kPut,  "/connect/{token}/api/members/{member}",         widget_page_update_member,   "widgetUpdateMember"),
    page(kPut,  "/connect/{token}/api/members/{member}/resume",  widget_page_resume,          "widgetResume"),
    page(kPost, "/connect/{token}/api/members/{member}/verify",  widget_page_verify,          "widgetVerify"),
    page(kGet,  "/connect/{token}/api/members/{member}/oauth_window_uri", widget_page_oauth_window, "widgetOAuthWindow"),
    page(kPost, "/connect/{token}/api/micro_deposits",           widget_page_create_microdeposit,   "widgetCreateMicrodeposit"),
    page(kGet,  "/connect/{token}/api/micro_deposits/{micro_deposit}", widget_page_read_microdeposit, "widgetReadMicrodeposit"),
    page(kPut,  "/connect/{token}/api/micro_deposits/{micro_deposit}", widget_page_complete_microdeposit, "widgetCompleteMicrodeposit"),
    page(kDelete, "/connect/{token}/api/micro_deposits/{micro_deposit}", widget_page_delete_microdeposit, "widgetDeleteMicrodeposit"),
    page(kPut,  "/connect/{token}/api/micro_deposits/{micro_deposit}/verify", widget_page_verify_microdeposit, "widgetVerifyMicrodeposit"),
    // the emulator's control API
    control(kGet,    "/_emulator/state",                                  control_state,                   "state"),
    control(kGet,    "/_emulator/routes",                                 control_routes,                  "routes"),
    control(kGet,    "/_emulator/health",                                 control_health,                  "health"),
    control(kGet,    "/_emulator/connect-demo",                           connect_demo_page,               "connectDemo"),
    control(kGet,    "/_emulator/ui",                                     dashboard_page,                  "dashboard"),
    control(kGet,    "/_emulator/overview",                               control_overview,                "overview"),
    control(kGet,    "/_emulator/clock",                                  control_read_clock,              "readClock"),
    control(kPost,   "/_emulator/clock/advance",                          control_advance_clock,           "advanceClock"),
    control(kPost,   "/_emulator/clock/set",                              control_set_clock,               "setClock"),
    control(kPost,   "/_emulator/clock/freeze",                           control_freeze_clock,            "freezeClock"),
    control(kPost,   "/_emulator/clock/unfreeze",                         control_unfreeze_clock,          "unfreezeClock"),
    control(kPost,   "/_emulator/clock/rate",                             control_clock_rate,              "setClockRate"),
    control(kPost,   "/_emulator/clock/auto",                             control_auto_clock,              "autoClock"),
    control(kPost,   "/_emulator/reset",                                  control_reset,                   "reset"),
    control(kPost,   "/_emulator/members/{member}/status",                control_force_status,            "forceStatus"),
    control(kPost,   "/_emulator/members/{member}/outcomes",              control_queue_outcomes,          "queueOutcomes"),
    control(kPost,   "/_emulator/members/{member}/events",                control_member_event,            "memberEvent"),
    control(kPost,   "/_emulator/members/{member}/oauth",                 control_oauth,                   "completeOAuth"),
    control(kPost,   "/_emulator/institutions/{institution}/fault",       control_institution_fault,       "institutionFault"),
    control(kPost,   "/_emulator/institutions/{institution}/discontinue", control_discontinue_institution, "discontinueInstitution"),
    control(kPost,   "/_emulator/users/{user}/imported_members",          control_import_member,           "importMember"),
    control(kGet,    "/_emulator/micro_deposits/{micro_deposit}",         control_microdeposit,            "readMicrodepositAmounts"),
    control(kPost,   "/_emulator/faults",                                 control_add_fault,               "addFault"),
    control(kGet,    "/_emulator/faults",                                 control_list_faults,             "listFaults"),
    control(kDelete, "/_emulator/faults",                                 control_clear_faults,            "clearFaults"),
    control(kDelete, "/_emulator/faults/{fault}",                         control_delete_fault,            "deleteFault"),
    control(kGet,    "/_emulator/journal",                                control_list_journal,            "listJournal"),
    control(kDelete, "/_emulator/journal",                                control_clear_journal,           "clearJournal"),
    control(kGet,    "/_emulator/journal/conformance",                    control_conformance,             "conformanceReport"),
    control(kGet,    "/_emulator/journal/{sequence}",                     control_read_journal_entry,      "readJournalEntry"),
    control(kGet,    "/_emulator/events",                                 control_events,                  "events"),
    control(kGet,    "/_emulator/webhooks",                               control_list_webhooks,           "listWebhooks"),
    control(kPut,    "/_emulator/webhooks",                               control_set_webhooks,            "setWebhooks"),
    control(kDelete, "/_emulator/webhooks",                               control_clear_webhooks,          "clearWebhooks"),
    control(kGet,    "/_emulator/webhooks/deliveries",                    control_webhook_deliveries,      "webhookDeliveries"),
    control(kPost,   "/_emulator/tenants",                                control_create_tenant,           "createTenant"),
    control(kGet,    "/_emulator/tenants",                                control_list_tenants,            "listTenants"),
    control(kDelete, "/_emulator/tenants/{client_id}",                    control_delete_tenant,           "deleteTenant"),
    control(kGet,    "/_emulator/limits",                                 control_read_limits,             "readLimits"),
    control(kPut,    "/_emulator/limits",                                 control_set_limits,              "setLimits"),
    control(kGet,    "/_emulator/snapshot",                               control_export_snapshot,         "exportSnapshot"),
    control(kPut,    "/_emulator/snapshot",                               control_import_snapshot,         "importSnapshot"),
    control(kGet,    "/_emulator/states",                                 control_list_states,             "listStates"),
    control(kPost,   "/_emulator/states",                                 control_set_state,               "setState"),
    control(kGet,    "/_emulator/policies/storm",                         control_read_storm,              "readStormPolicy"),
    control(kPut,    "/_emulator/policies/storm",                         control_set_storm,               "setStormPolicy"),
  };
  // clang-format on
}

}  // namespace

const std::vector<Route>& route_table() {
  static const std::vector<Route> kTable = build_table();
  return kTable;
}

}  // namespace mxemu::api
