#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api/version.h"
#include "domain/catalog.h"
#include "domain/credit_card_product.h"
#include "domain/institution.h"
#include "domain/records.h"
#include "domain/timestamps.h"

// The JSON rendering of every MX resource, in MX's exact field sets per API version
// (components/schemas/*Response in MX's OpenAPI files; mx-behavior.md §2d, §4, §5a, §7a, §10).
// Each function returns the inner object (`{"guid":…}`), never the envelope (`{"member":…}`):
// the caller wraps it under the singular or plural root key.
//
// Conventions, shared by every function here:
//  - Key order: nlohmann::json (std::map), so keys are alphabetical. MX's documented examples
//    are alphabetical too, and JSON clients must not depend on order; one ordering everywhere
//    keeps responses byte-stable for golden tests.
//  - Every key the spec lists is always present. A value the emulator does not know (the record
//    has no field for it, or an optional is empty) is JSON null, never an omitted key. The only
//    omissions are challenge_json's type-specific arrays (MX: "a challenge with the type OPTIONS
//    includes the options array, whereas one with the type TEXT does not").
//  - Descriptive strings that a record stores as "" when unknown (URLs, names, addresses)
//    render null; identifiers (guids, codes) render as stored.
//  - Timestamps are ISO-8601 "2016-10-13T17:57:37.000Z" (domain::format_iso8601); dates are
//    "YYYY-MM-DD". Amounts are JSON numbers.
// Thread safety: pure functions of their arguments.
namespace mxemu::api {

// The string, or JSON null when there is none.
nlohmann::json string_or_null(const std::optional<std::string>& value);

using nlohmann::json;

// Partner-defined ids and MX guids of the records a resource belongs to, which the resource's
// own record does not store. Empty optionals render null.
struct OwnerIds {
  std::optional<std::string> user_id;           // User::id
  std::optional<std::string> member_id;         // Member::id
  std::optional<std::string> institution_guid;  // Institution::guid (v20111101 accounts only)
};

// --- users and members (codec_users_members.cpp)

// UserResponse: email, guid, id, is_disabled, metadata (same in both versions).
json user_json(const domain::User& user, ApiVersion version);

// MemberResponse (same 23 fields in both versions):
//  - connection_status: the wire string, JSON null for kNone.
//  - connection_status_message: the status table's message with "{institution}" replaced by
//    institution.name; null when the table has no message (null status, PENDING).
//  - name: member.name, else the institution's name (MX names members after the institution).
//  - is_being_aggregated: a job is running. is_managed_by_user: always false (no managed
//    members in the emulator).
//  - needs_updated_credentials: true iff status is DENIED, PREVENTED, IMPAIRED or IMPORTED —
//    the statuses MX describes as blocked until the user supplies credentials ("When set to
//    true, MX will not attempt to aggregate the member. It will be set to false automatically
//    when the member's credentials are updated").
//  - oauth_window_uri: oauth_window_url(member, base_url); null when no window is open.
//  - user_id: user.id. `user` must be the member's owner.
// The emulator's OAuth page for the member's open window, under base_url, with the window's
// facts as MX's query parameters ("" when none is open).
std::string oauth_window_url(const domain::Member& member, std::string_view base_url);

json member_json(const domain::Member& member, const domain::Institution& institution,
                 const domain::User& user, ApiVersion version, std::string_view base_url);

// MemberStatusResponse (GET …/status): aggregated_at, challenges, connection_status, guid,
// has_processed_account_numbers, has_processed_accounts, has_processed_transactions,
// is_authenticated, is_being_aggregated, successfully_aggregated_at.
//  - challenges: member.challenges while CHALLENGED, [] otherwise.
//  - is_authenticated: true iff the latest login was accepted and still stands: status
//    CONNECTED and no job is waiting for the institution's answer (machine.authenticating).
//    CONNECTED with is_being_aggregated (pulling data) is authenticated; CREATED, RESUMED,
//    DELAYED, errors and a re-authenticating CONNECTED member are not.
json member_status_json(const domain::Member& member);

// ChallengeResponse: guid, type ("TEXT", "OPTIONS", "TOKEN", "IMAGE_DATA", "IMAGE_OPTIONS"),
// label, field_name; plus image_data only for IMAGE_DATA, options [{guid,label,value}] only for
// OPTIONS, image_options [{data_uri,guid,label,value}] only for IMAGE_OPTIONS.
json challenge_json(const domain::Challenge& challenge);

// The challenge type's wire string ("IMAGE_DATA").
std::string_view challenge_type_wire(domain::ChallengeType type);

// OAuthWindowResponse (GET …/oauth_window_uri): guid, oauth_window_uri (as in member_json).
json oauth_window_json(const domain::Member& member, std::string_view base_url);

// --- institutions and credentials (codec_institutions.cpp)

// InstitutionResponse. Common: code, forgot_password_url, forgot_username_url,
// instructional_text, instructional_text_steps (null), is_disabled_by_client (false),
// iso_country_code, medium_logo_url, name, small_logo_url, supports_oauth,
// supports_tax_document, trouble_signing_in_url, url.
// v20111101 adds supports_account_identification, supports_account_statement,
// supports_account_verification, supports_transaction_history.
// v20250224 adds created_at (null: not recorded), guid, is_hidden (false: every catalog
// institution accepts new members), supported_products (Institution::supported_products()).
json institution_json(const domain::Institution& institution, ApiVersion version);

// CredentialResponse: display_order, field_name, field_type, guid, label, type (= field_type;
// the spec's example gives both the same value).
json credential_json(const domain::CredentialField& field);

// --- accounts (codec_accounts.cpp)

// AccountResponse: 123 fields in v20111101, 58 in v20250224 (which drops every feed_* and
// *_set_by field, calculated_apr, holdings_value and institution_guid).
//  - account_number: the stored masked number. minimum_payment: payment_due_amount.
//    payment_due_at: the due date at 00:00 UTC, ISO-8601. day_payment_is_due: its day of month.
//  - user_id, member_id, institution_guid: from `owners`.
//  - v20111101 feed_* fields: the value as aggregated from the institution — the same as the
//    account's own value for aggregated accounts (the emulator has no user overrides), null
//    for manual accounts. feed_account_type/feed_account_subtype (MX-internal integer codes)
//    and every *_set_by (undocumented integer enum) are null.
json account_json(const domain::Account& account, ApiVersion version, const OwnerIds& owners = {});

// AccountNumberResponse: account_guid, account_number, guid, institution_number, loan_guarantor,
// loan_reference_number, member_guid, passed_validation, routing_number, sequence_number,
// transit_number, user_guid. The Canadian and loan fields are null.
json account_number_json(const domain::AccountNumber& number);

// AccountOwnerResponse: account_guid, address, city, country, email, first_name, guid,
// last_name, member_guid, owner_name, phone, postal_code, state, user_guid.
json account_owner_json(const domain::AccountOwner& owner);

// --- transactions (codec_transactions.cpp)

// TransactionResponse (same 44 fields in both versions; mx-behavior.md §10).
//  - amount: positive JSON number; direction is `type`.
//  - transacted_at / posted_at / created_at / updated_at ISO-8601 (posted_at null while
//    PENDING); date YYYY-MM-DD.
//  - merchant_category_code: integer (the record's digits), null when absent or not numeric.
//  - user_id / account_id: partner ids of the owner user and account (null when unset).
//  - Not modelled, always null: check_number_string, extended_transaction_type,
//    localized_description, localized_memo. merchant_location_guid names the store of an
//    in-person merchant (domain::find_merchant_location), null otherwise.
//    is_international false and member_is_managed_by_user false (domestic, unmanaged data).
//  - has_been_split and parent_guid, which the specs' split operations describe but their
//    TransactionResponse lacks: true for a split parent; a split part's parent guid, else null.
json transaction_json(const domain::Transaction& transaction, ApiVersion version,
                      const std::optional<std::string>& user_id,
                      const std::optional<std::string>& account_id = std::nullopt);

// The `merchant` object of TransactionIncludesResponse (`includes=merchants`): guid, logo_url,
// name, website_url from the catalog (fixtures/merchants.json); null without a merchant.
json transaction_merchant_json(const domain::Merchant* merchant);

// --- categories, merchants, tags and rewards (codec_catalog.cpp)

// CategoryResponse (same 8 fields in both versions): created_at, guid, is_default, is_income,
// metadata, name, parent_guid, updated_at.
//  - A default category (the catalog): is_default true, metadata null, the fixture's dates;
//    is_income: its nature is income. parent_guid null for a top-level category.
//  - A user's category: is_default false, its parent's is_income, its own dates and metadata.
json category_json(const domain::Category& category);
json category_json(const domain::CustomCategory& category, const domain::Category& parent);

// MerchantResponse (same 6 fields in both versions): created_at, guid, logo_url, name,
// updated_at, website_url, from the catalog (fixtures/merchants.json).
json merchant_json(const domain::Merchant& merchant);

// MerchantLocationResponse (both versions): city, country, created_at, guid, latitude,
// longitude, merchant_guid, phone_number, postal_code, state, street_address, updated_at.
json merchant_location_json(const domain::MerchantLocation& location);

// RewardElements (both versions): balance, balance_type, created_at, description, expires_on
// (null when nothing expires), guid, unit_type, updated_at. The account it belongs to is not on
// MX's wire.
json reward_json(const domain::Reward& reward, ApiVersion version);
// CreditCardProduct (both versions): every field of MX's schema; the durations null when the card
// has no introductory rate.
json credit_card_product_json(const domain::CreditCardProduct& product);

// TagResponse: guid, name, user_guid. TaggingResponse: guid, member_is_managed_by_user (false:
// no managed members), tag_guid, transaction_guid, user_guid. The same in both versions.
json tag_json(const domain::Tag& tag);
json tagging_json(const domain::Tagging& tagging);

// MicrodepositElements + MicrodepositResponse (both versions): the request's fields, created_at,
// error_code (null), error_message, guid, institution_code and institution_name (null for a
// routing number no fixture institution has), status (name), updated_at, verified_at. MX's field
// reference lists created_at and error_code, which the specs lack. `institution` is the
// microdeposit's, or nullptr (codec_microdeposits.cpp).
json microdeposit_json(const domain::Microdeposit& m, const domain::Institution* institution);
// The MICRODEPOSIT webhook's micro_deposit: account_number, account_type (1 CHECKING,
// 2 SAVINGS), created_at, guid, institution_guid, routing_number, status (number), status_name,
// updated_at, user_guid, user_id, verified_at.
json microdeposit_webhook_json(const domain::Microdeposit& m,
                               const std::optional<std::string>& user_id);

// TransactionRuleResponse (both versions): category_guid, created_at, description (null when
// the rule sets none), guid, match_description, updated_at, user_guid.
json transaction_rule_json(const domain::TransactionRule& rule);

// --- holdings, statements, widgets, pagination, errors (codec_other.cpp)

// InvestmentHoldingResponse (37 fields, same in both versions; it carries no member_guid).
//  - quantity: the share count as a decimal STRING ("5000.0"), as the spec types it.
//  - current_price: market_value / shares (2 decimals); total_ugl_amount: market_value -
//    cost_basis; total_ugl_percentage: that over cost_basis × 100 (2 decimals). Null when the
//    divisor is 0.
//  - Options, bonds, vesting and daily-change fields are null.
json holding_json(const domain::Holding& holding);

// StatementResponse: account_guid, content_hash, created_at, guid, member_guid, updated_at,
// uri, user_guid. uri is the base-url-free path of the PDF route,
// "/users/{user_guid}/members/{member_guid}/statements/{guid}.pdf" (MX: "A URI for accessing
// the byte payload of the statement"; the spec example "uri/to/statement" is a placeholder).
json statement_json(const domain::Statement& statement);
std::string statement_uri(const domain::Statement& statement);

// WidgetResponse (POST …/widget_urls): type, url, user_id (the partner user id, not the guid).
json widget_url_json(std::string_view widget_type, std::string_view url,
                     const std::optional<std::string>& user_id);

// ConnectWidgetResponse (v20111101 only, POST …/connect_widget_url): connect_widget_url, guid.
json connect_widget_json(const domain::User& user, std::string_view url);

// PaginationResponse: current_page, per_page, total_entries, total_pages.
json pagination_json(std::size_t total_entries, int current_page, int per_page, int total_pages);

// MX's error envelope: {"error":{"message":…}} (the whole body, not an inner object).
json error_envelope(std::string_view message);

// Helpers shared by the codec_*.cpp files; not for other callers.
namespace codec_detail {

template <class T>
json or_null(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}
// "" → null: for descriptive strings a record stores empty when unknown.
inline json text_or_null(const std::string& value) {
  return value.empty() ? json(nullptr) : json(value);
}
inline json iso_or_null(const std::optional<domain::TimePoint>& t) {
  return t ? json(domain::format_iso8601(*t)) : json(nullptr);
}

}  // namespace codec_detail

}  // namespace mxemu::api
