// parse_webhook_event: MX's webhook JSON → WebhookEvent. Pure: no I/O, no clock.
#include "mxclient/webhook_event.h"

#include <array>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "sqlite_store_impl.h"  // parse_iso8601_ms: the client's one ISO-8601 reader

namespace mxclient {
namespace {

using Json = nlohmann::json;

struct TypeName {
  WebhookType type;
  std::string_view name;
};

constexpr std::array<TypeName, 7> kTypeNames{{
    {WebhookType::kConnectionStatus, "CONNECTION_STATUS"},
    {WebhookType::kAggregation, "AGGREGATION"},
    {WebhookType::kBalance, "BALANCE"},
    {WebhookType::kHistory, "HISTORY"},
    {WebhookType::kStatement, "STATEMENT"},
    {WebhookType::kVerification, "VERIFICATION"},
    {WebhookType::kMember, "MEMBER"},
}};

Error malformed(const std::string& where, const std::string& what) {
  return make_error(ErrorKind::kInvalidInput, "webhook " + where + ": " + what);
}

// Reads the fields of one JSON object, remembering the first type mismatch. Absent and null
// fields leave the output untouched (MX sends null for unknown values).
class FieldReader {
 public:
  FieldReader(const Json& object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {}

  void text(const char* key, std::string& out) {
    std::optional<std::string> v;
    text(key, v);
    if (v) out = std::move(*v);
  }
  void text(const char* key, std::optional<std::string>& out) {
    const Json* v = find(key);
    if (v == nullptr) return;
    if (!v->is_string()) return fail(key, "expected a string");
    out = v->get<std::string>();
  }
  // A string whose JSON null means "" (connection_status).
  void nullable_text(const char* key, std::optional<std::string>& out) {
    auto it = object_.find(key);
    if (it != object_.end() && it->is_null()) {
      out = std::string();
      return;
    }
    text(key, out);
  }
  void integer(const char* key, std::optional<std::int64_t>& out) {
    const Json* v = find(key);
    if (v == nullptr) return;
    if (!v->is_number_integer()) return fail(key, "expected an integer");
    out = v->get<std::int64_t>();
  }
  void integer(const char* key, std::optional<int>& out) {
    std::optional<std::int64_t> wide;
    integer(key, wide);
    if (!wide) return;
    if (*wide < std::numeric_limits<int>::min() || *wide > std::numeric_limits<int>::max()) {
      return fail(key, "out of range");
    }
    out = static_cast<int>(*wide);
  }
  void boolean(const char* key, std::optional<bool>& out) {
    const Json* v = find(key);
    if (v == nullptr) return;
    if (!v->is_boolean()) return fail(key, "expected true or false");
    out = v->get<bool>();
  }
  // Unix seconds (MX's webhook spelling), a string of digits, or an ISO-8601 string (REST's).
  // Unix seconds, or an ISO-8601 time, that a TimePoint can hold (nanoseconds: until 2262).
  void unix_time(const char* key, std::optional<std::int64_t>& out) {
    const Json* v = find(key);
    if (v == nullptr) return;
    std::optional<std::int64_t> unix_seconds;
    if (v->is_number_integer()) {
      unix_seconds = v->get<std::int64_t>();
    } else if (v->is_string()) {
      const auto& s = v->get_ref<const std::string&>();
      if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() < 16) {
        unix_seconds = std::stoll(s);
      } else if (auto ms = sqlite::parse_iso8601_ms(s)) {
        unix_seconds = *ms / 1000;
      }
    }
    if (!unix_seconds) return fail(key, "expected Unix seconds or an ISO-8601 time");
    constexpr std::int64_t kLimit =
        std::chrono::duration_cast<std::chrono::seconds>(TimePoint::duration::max()).count();
    if (*unix_seconds > kLimit || *unix_seconds < -kLimit) {
      return fail(key, "a time the client cannot represent (after 2262 or before 1677)");
    }
    out = unix_seconds;
  }
  void strings(const char* key, std::vector<std::string>& out) {
    const Json* v = find(key);
    if (v == nullptr) return;
    if (!v->is_array()) return fail(key, "expected an array of strings");
    for (const auto& item : *v) {
      if (!item.is_string()) return fail(key, "expected an array of strings");
      out.push_back(item.get<std::string>());
    }
  }

  std::optional<Error> error() const { return error_; }

 private:
  const Json* find(const char* key) const {
    auto it = object_.find(key);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  void fail(const char* key, const char* what) {
    if (!error_) error_ = malformed(prefix_ + key, what);
  }

  const Json& object_;
  std::string prefix_;
  std::optional<Error> error_;
};

std::optional<TimePoint> from_unix_seconds(const std::optional<std::int64_t>& s) {
  if (!s) return std::nullopt;
  return TimePoint{std::chrono::seconds{*s}};
}

}  // namespace

std::string_view to_string(WebhookType type) {
  for (const auto& t : kTypeNames) {
    if (t.type == type) return t.name;
  }
  return "OTHER";
}

WebhookType parse_webhook_type(std::string_view name) {
  for (const auto& t : kTypeNames) {
    if (t.name == name) return t.type;
  }
  return WebhookType::kOther;
}

Result<WebhookEvent> parse_webhook_event(std::string_view body) {
  const Json doc = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return malformed("body", "not valid JSON");
  if (!doc.is_object()) return malformed("body", "expected a JSON object");
  auto type = doc.find("type");
  if (type == doc.end() || !type->is_string() || type->get_ref<const std::string&>().empty()) {
    return malformed("type", "expected a non-empty string");
  }

  WebhookEvent e;
  e.type_name = type->get<std::string>();
  e.type = parse_webhook_type(e.type_name);

  FieldReader top(doc, "");
  top.text("action", e.action);
  top.text("user_guid", e.user_guid);
  top.text("member_guid", e.member_guid);
  top.text("user_id", e.user_id);
  top.nullable_text("connection_status", e.connection_status);
  top.integer("connection_status_id", e.connection_status_id);
  top.text("connection_status_message", e.connection_status_message);
  top.unix_time("completed_at", e.completed_at);
  top.text("completed_on", e.completed_on);
  top.boolean("is_background", e.is_background);
  top.text("job_guid", e.job_guid);
  top.integer("transactions_created_count", e.transactions_created_count);
  top.integer("transactions_updated_count", e.transactions_updated_count);
  top.integer("statements_created_count", e.statements_created_count);
  top.strings("accounts", e.accounts);
  top.text("event_guid", e.event_id);
  if (!e.event_id) top.text("event_id", e.event_id);
  if (auto error = top.error()) return *error;
  if (e.event_id && e.event_id->empty()) e.event_id.reset();

  if (e.type == WebhookType::kMember) {
    auto member = doc.find("member");
    if (member == doc.end() || !member->is_object()) {
      return malformed("member", "expected an object");
    }
    FieldReader m(*member, "member.");
    m.text("guid", e.member_guid);
    m.text("user_guid", e.user_guid);
    m.text("user_id", e.user_id);
    m.nullable_text("connection_status", e.connection_status);
    m.integer("connection_status_id", e.connection_status_id);
    m.text("connection_status_message", e.connection_status_message);
    m.boolean("is_being_aggregated", e.is_being_aggregated);
    m.unix_time("aggregated_at", e.aggregated_at);
    m.unix_time("successfully_aggregated_at", e.successfully_aggregated_at);
    m.unix_time("created_at", e.created_at);
    m.unix_time("updated_at", e.updated_at);
    if (auto error = m.error()) return *error;
  }

  if (e.type == WebhookType::kConnectionStatus && !e.connection_status) {
    return malformed("connection_status", "missing");
  }
  if (e.type != WebhookType::kOther && e.member_guid.empty()) {
    return malformed("member_guid", "missing");
  }

  e.occurred_at = from_unix_seconds(e.completed_at);
  if (!e.occurred_at) e.occurred_at = from_unix_seconds(e.updated_at);
  if (!e.occurred_at) e.occurred_at = from_unix_seconds(e.aggregated_at);

  e.raw_body = std::string(body);
  // Sorted keys (nlohmann's object is a std::map), no whitespace; invalid UTF-8 (which the
  // parser already refuses) could not make dump() throw.
  e.canonical_json = doc.dump(-1, ' ', false, Json::error_handler_t::replace);
  return e;
}

std::string webhook_dedupe_key(const WebhookEvent& event) {
  if (event.event_id) return "id:" + *event.event_id;
  return "sha256:" + sha256_hex(event.canonical_json);
}

}  // namespace mxclient
