#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mxclient/result.h"
#include "mxclient/time.h"

// MX's webhook payloads as typed values: a pure parser (no I/O, no clock) and the key that
// identifies a delivery for deduplication.
//
// What MX sends (mx-behavior.md §6, docs/webhooks.md):
//   CONNECTION_STATUS  {"action":"CHANGED","connection_status","connection_status_id",
//                       "connection_status_message","member_guid","type","user_guid"}
//                      Only for the end-user-actionable statuses. It carries NO timestamp.
//   AGGREGATION, HISTORY  "member_data_updated", completed_at (Unix s), completed_on
//                       (YYYY-MM-DD), is_background, job_guid, member_guid, transaction counts,
//                       user_guid, user_id
//   BALANCE            action, completed_at, completed_on, member_guid, type, user_guid
//   STATEMENT          as BALANCE plus statements_created_count
//   VERIFICATION       as BALANCE plus accounts, job_guid, user_id
//   MEMBER             {"action":"created"|"updated"|"deleted","member":{…},"type":"MEMBER"};
//                       the member's times (aggregated_at, created_at, updated_at, …) are Unix
//                       seconds.
// The vocabulary of the seed task's "member_status_updated" webhook maps to CONNECTION_STATUS
// and MEMBER "updated" (mx-behavior.md §11).
//
// MX: "existing fields won't be removed, new fields may be added, and the order of fields isn't
// guaranteed". So unknown fields and unknown types are kept, not errors; only a body that is not
// a JSON object, has no string "type", or has a known field of the wrong type is malformed.
namespace mxclient {

enum class WebhookType {
  kConnectionStatus,  // "CONNECTION_STATUS"
  kAggregation,       // "AGGREGATION"
  kBalance,           // "BALANCE"
  kHistory,           // "HISTORY"
  kStatement,         // "STATEMENT"
  kVerification,      // "VERIFICATION"
  kMember,            // "MEMBER" (the Members webhook: created / updated / deleted)
  kOther,             // a type this build does not know (REWARD, …); see type_name
};

// One webhook delivery, parsed. Fields a type does not carry stay empty / nullopt.
struct WebhookEvent {
  WebhookType type = WebhookType::kOther;
  std::string type_name;  // "type" exactly as sent
  std::string action;     // "CHANGED", "member_data_updated", "created", … ("" when absent)

  std::string user_guid;    // "" when absent
  std::string member_guid;  // "" when absent; for MEMBER, member.guid
  std::optional<std::string> user_id;

  // CONNECTION_STATUS and MEMBER. "" when MX sent JSON null.
  std::optional<std::string> connection_status;
  std::optional<int> connection_status_id;
  std::optional<std::string> connection_status_message;
  std::optional<bool> is_being_aggregated;  // MEMBER only

  // Data webhooks (AGGREGATION, BALANCE, HISTORY, STATEMENT, VERIFICATION).
  std::optional<std::int64_t> completed_at;  // Unix seconds, as MX sends it
  std::optional<std::string> completed_on;   // YYYY-MM-DD, as MX sends it
  std::optional<bool> is_background;
  std::optional<std::string> job_guid;
  std::optional<std::int64_t> transactions_created_count;
  std::optional<std::int64_t> transactions_updated_count;
  std::optional<std::int64_t> statements_created_count;
  std::vector<std::string> accounts;  // VERIFICATION

  // MEMBER: the member's times, Unix seconds as MX sends them (an ISO-8601 string is accepted
  // too and converted, in case a payload uses the REST spelling).
  std::optional<std::int64_t> aggregated_at;
  std::optional<std::int64_t> successfully_aggregated_at;
  std::optional<std::int64_t> created_at;
  std::optional<std::int64_t> updated_at;

  // A delivery id, when the payload carries one at top level ("event_guid" or "event_id"). MX's
  // documented payloads carry none [INF: accepted in case a provisioned family adds one].
  std::optional<std::string> event_id;

  // When the event happened at MX, as far as the payload says: completed_at for data
  // webhooks, the member's updated_at (else aggregated_at) for MEMBER. nullopt when the
  // payload carries no time (CONNECTION_STATUS): its order can only be guessed from arrival.
  std::optional<TimePoint> occurred_at;

  std::string raw_body;        // the body exactly as received
  std::string canonical_json;  // the body re-serialised with sorted keys, no whitespace
};

// Parses one webhook body. Errors are kInvalidInput with a message naming the problem
// ("not JSON: …", "no string \"type\"", "completed_at: expected an integer"). Pure.
Result<WebhookEvent> parse_webhook_event(std::string_view body);

// The key a receiver deduplicates deliveries on: "id:<event_id>" when the payload has an id,
// else "sha256:<hex>" of canonical_json, so a redelivery of the same payload (MX retries a
// delivery it thinks failed, up to 12 times over ~24 h) maps to the same key whatever its
// whitespace or key order.
std::string webhook_dedupe_key(const WebhookEvent& event);

// The lower-case hex SHA-256 of `bytes` (FIPS 180-4). Exposed for tests and tools.
std::string sha256_hex(std::string_view bytes);

// "CONNECTION_STATUS", "AGGREGATION", …; "OTHER" for kOther (use type_name for the real one).
std::string_view to_string(WebhookType type);
// The wire name's type; kOther for names this build does not know. Exact match (MX's case).
WebhookType parse_webhook_type(std::string_view name);

}  // namespace mxclient
