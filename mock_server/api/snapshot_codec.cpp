// One field list per struct (`fields`), walked by a writer to encode and by a reader to decode,
// so the two directions cannot disagree.
#include "api/snapshot_codec.h"

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

namespace mxemu::api {
namespace {

using nlohmann::json;
namespace d = mxemu::domain;

// ---- enum names
std::string_view name_of(d::JobType e) { return d::to_string(e); }
std::string_view name_of(d::AuthOutcome e) { return d::to_string(e); }
std::string_view name_of(Method e) { return to_string(e); }
std::string_view name_of(WebhookOutcome e) { return to_string(e); }
std::string_view name_of(d::ConnectionStatus e) {
  return e == d::ConnectionStatus::kNone ? "null" : d::to_wire(e);
}
std::string_view name_of(d::JobPhase e) {
  static constexpr std::string_view kNames[] = {"authenticating", "awaiting_answer",
                                                "checking_answer", "pulling_data"};
  return kNames[static_cast<int>(e)];
}
std::string_view name_of(d::ChallengeType e) {
  static constexpr std::string_view kNames[] = {"TEXT", "OPTIONS", "TOKEN", "IMAGE_DATA",
                                                "IMAGE_OPTIONS"};
  return kNames[static_cast<int>(e)];
}
std::string_view name_of(d::TimerKind e) {
  static constexpr std::string_view kNames[] = {"job_step",        "challenge_expiry",
                                                "oauth_expiry",    "background_aggregation",
                                                "success_overdue", "microdeposit_step"};
  return kNames[static_cast<int>(e)];
}
std::string_view name_of(d::DomainEventKind e) {
  static constexpr std::string_view kNames[] = {
      "connection_status",   "aggregation",    "balance",        "history",
      "statement",           "verification",   "identification", "member_created",
      "member_updated",      "member_deleted", "reward",         "microdeposit_created",
      "microdeposit_updated"};
  return kNames[static_cast<int>(e)];
}
constexpr int enum_count(d::JobType*) { return 7; }
constexpr int enum_count(d::AuthOutcome*) { return 9; }
constexpr int enum_count(Method*) { return 7; }
constexpr int enum_count(WebhookOutcome*) { return 4; }
constexpr int enum_count(d::ConnectionStatus*) { return d::kConnectionStatusCount; }
constexpr int enum_count(d::JobPhase*) { return 4; }
constexpr int enum_count(d::ChallengeType*) { return 5; }
constexpr int enum_count(d::TimerKind*) { return 6; }
constexpr int enum_count(d::DomainEventKind*) { return 13; }
std::string_view name_of(d::MicrodepositStatus e) { return d::to_wire(e); }
constexpr int enum_count(d::MicrodepositStatus*) { return d::kMicrodepositStatusCount; }

// ---- field lists (declared first: the walkers below find them by ordinary lookup)
template <class V>
void fields(V& v, d::User& x);
template <class V>
void fields(V& v, d::Job& x);
template <class V>
void fields(V& v, d::CredentialValue& x);
template <class V>
void fields(V& v, d::OAuthWindow& x);
template <class V>
void fields(V& v, d::ChallengeOption& x);
template <class V>
void fields(V& v, d::Challenge& x);
template <class V>
void fields(V& v, d::FailureRecord& x);
template <class V>
void fields(V& v, d::MachineState& x);
template <class V>
void fields(V& v, d::Member& x);
template <class V>
void fields(V& v, d::Account& x);
template <class V>
void fields(V& v, d::Transaction& x);
template <class V>
void fields(V& v, d::Holding& x);
template <class V>
void fields(V& v, d::AccountNumber& x);
template <class V>
void fields(V& v, d::AccountOwner& x);
template <class V>
void fields(V& v, d::Statement& x);
template <class V>
void fields(V& v, d::Reward& x);
template <class V>
void fields(V& v, d::Tag& x);
template <class V>
void fields(V& v, d::Tagging& x);
template <class V>
void fields(V& v, d::TransactionRule& x);
template <class V>
void fields(V& v, d::CustomCategory& x);
template <class V>
void fields(V& v, d::Microdeposit& x);
template <class V>
void fields(V& v, d::ProcessorScope& x);
template <class V>
void fields(V& v, d::AuthorizationCode& x);
template <class V>
void fields(V& v, d::ProcessorToken& x);
template <class V>
void fields(V& v, d::StoreSnapshot& x);
template <class V>
void fields(V& v, d::Timer& x);
template <class V>
void fields(V& v, d::QueuedOutcomes& x);
template <class V>
void fields(V& v, d::InstitutionFault& x);
template <class V>
void fields(V& v, d::StormStarts& x);
template <class V>
void fields(V& v, d::WidgetRecord& x);
template <class V>
void fields(V& v, d::PendingAnswers& x);
template <class V>
void fields(V& v, d::DomainEvent& x);
template <class V>
void fields(V& v, d::EmulatorSnapshot& x);
template <class V>
void fields(V& v, ClockSnapshot& x);
template <class V>
void fields(V& v, RateLimits& x);
template <class V>
void fields(V& v, FaultEffect& x);
template <class V>
void fields(V& v, FaultRule& x);
template <class V>
void fields(V& v, WebhookSubscription& x);
template <class V>
void fields(V& v, WebhookDelivery& x);
template <class V>
void fields(V& v, WebhookAttemptResult& x);
template <class V>
void fields(V& v, WebhookAttempt& x);
template <class V>
void fields(V& v, WebhookOutbox::State& x);
template <class V>
void fields(V& v, WorldSnapshot& x);

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_shared : std::false_type {};
template <class T>
struct is_shared<std::shared_ptr<const T>> : std::true_type {};
template <class T>
struct is_sequence : std::false_type {};
template <class T>
struct is_sequence<std::vector<T>> : std::true_type {};
template <class T>
struct is_sequence<std::deque<T>> : std::true_type {};
template <class T>
struct is_string_map : std::false_type {};
template <class T>
struct is_string_map<std::map<std::string, T>> : std::true_type {};

// ---- encoding
template <class T>
json enc(const T& v);

struct Writer {
  json& out;
  template <class T>
  void operator()(const char* key, const T& value) {
    out[key] = enc(value);
  }
  template <class T>
  void later(const char* key, const T& value) {
    (*this)(key, value);
  }
};

template <class T>
json enc(const T& v) {
  if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool> ||
                std::is_same_v<T, int> || std::is_same_v<T, std::uint64_t> ||
                std::is_same_v<T, double>) {
    return json(v);
  } else if constexpr (std::is_same_v<T, d::TimePoint>) {
    return json(static_cast<std::int64_t>(v.time_since_epoch().count()));
  } else if constexpr (std::is_same_v<T, d::Seconds> ||
                       std::is_same_v<T, std::chrono::milliseconds>) {
    return json(static_cast<std::int64_t>(v.count()));
  } else if constexpr (std::is_enum_v<T>) {
    return json(std::string(name_of(v)));
  } else if constexpr (is_optional<T>::value || is_shared<T>::value) {
    return v ? enc(*v) : json(nullptr);
  } else if constexpr (is_sequence<T>::value) {
    json out = json::array();
    for (const auto& item : v) out.push_back(enc(item));
    return out;
  } else if constexpr (is_string_map<T>::value) {
    json out = json::object();
    for (const auto& [key, item] : v) out[key] = enc(item);
    return out;
  } else {
    json out = json::object();
    Writer w{out};
    fields(w, const_cast<T&>(v));  // NOLINT(cppcoreguidelines-pro-type-const-cast): read only
    return out;
  }
}

// ---- decoding
struct Decoder {
  std::optional<d::SnapshotProblem> problem;
  void fail(const std::string& pointer, const std::string& message) {
    if (!problem) problem = d::SnapshotProblem{pointer, message};
  }
};

template <class T>
void dec(const json& in, T& v, const std::string& ptr, Decoder& dc);

struct Reader {
  const json& in;
  const std::string& ptr;
  Decoder& dc;
  std::size_t seen = 0;
  template <class T>
  void operator()(const char* key, T& value) {
    if (dc.problem) return;
    const auto it = in.find(key);
    if (it == in.end()) return dc.fail(ptr + "/" + key, "missing");
    ++seen;
    dec(*it, value, ptr + "/" + key, dc);
  }
  // A field added after "mxemu-snapshot/1" was first written: a snapshot without it (exported
  // by an earlier mxemu, or kept in its data dir) decodes with the field's default.
  template <class T>
  void later(const char* key, T& value) {
    if (dc.problem || in.find(key) == in.end()) return;
    (*this)(key, value);
  }
};

template <class T>
void dec(const json& in, T& v, const std::string& ptr, Decoder& dc) {
  if (dc.problem) return;
  if constexpr (std::is_same_v<T, std::string>) {
    if (!in.is_string()) return dc.fail(ptr, "expected a string");
    v = in.get<std::string>();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!in.is_boolean()) return dc.fail(ptr, "expected true or false");
    v = in.get<bool>();
  } else if constexpr (std::is_same_v<T, int>) {
    if (!in.is_number_integer() || in.get<long long>() < INT32_MIN ||
        in.get<long long>() > INT32_MAX) {
      return dc.fail(ptr, "expected a 32-bit integer");
    }
    v = in.get<int>();
  } else if constexpr (std::is_same_v<T, std::uint64_t>) {
    if (!in.is_number_unsigned()) return dc.fail(ptr, "expected an integer >= 0");
    v = in.get<std::uint64_t>();
  } else if constexpr (std::is_same_v<T, double>) {
    if (!in.is_number()) return dc.fail(ptr, "expected a number");
    v = in.get<double>();
  } else if constexpr (std::is_same_v<T, d::TimePoint>) {
    if (!in.is_number_integer()) return dc.fail(ptr, "expected nanoseconds since 1970 (integer)");
    v = d::TimePoint(d::TimePoint::duration(in.get<std::int64_t>()));
  } else if constexpr (std::is_same_v<T, d::Seconds>) {
    if (!in.is_number_integer()) return dc.fail(ptr, "expected whole seconds");
    v = d::Seconds(in.get<std::int64_t>());
  } else if constexpr (std::is_same_v<T, std::chrono::milliseconds>) {
    if (!in.is_number_integer()) return dc.fail(ptr, "expected whole milliseconds");
    v = std::chrono::milliseconds(in.get<std::int64_t>());
  } else if constexpr (std::is_enum_v<T>) {
    if (in.is_string()) {
      const auto text = in.get<std::string>();
      for (int i = 0; i < enum_count(static_cast<T*>(nullptr)); ++i) {
        if (name_of(static_cast<T>(i)) == text) {
          v = static_cast<T>(i);
          return;
        }
      }
    }
    return dc.fail(ptr, "unknown name");
  } else if constexpr (is_optional<T>::value) {
    if (in.is_null()) {
      v.reset();
      return;
    }
    typename T::value_type inner{};
    dec(in, inner, ptr, dc);
    v = std::move(inner);
  } else if constexpr (is_shared<T>::value) {
    if (in.is_null()) {
      v.reset();
      return;
    }
    std::remove_const_t<typename T::element_type> inner{};
    dec(in, inner, ptr, dc);
    v = std::make_shared<const typename T::element_type>(std::move(inner));
  } else if constexpr (is_sequence<T>::value) {
    if (!in.is_array()) return dc.fail(ptr, "expected an array");
    v.clear();
    for (std::size_t i = 0; i < in.size() && !dc.problem; ++i) {
      typename T::value_type item{};
      dec(in[i], item, ptr + "/" + std::to_string(i), dc);
      v.push_back(std::move(item));
    }
  } else if constexpr (is_string_map<T>::value) {
    if (!in.is_object()) return dc.fail(ptr, "expected an object");
    v.clear();
    for (const auto& [key, item] : in.items()) {
      dec(item, v[key], ptr + "/" + key, dc);
    }
  } else {
    if (!in.is_object()) return dc.fail(ptr, "expected an object");
    Reader r{in, ptr, dc};
    fields(r, v);
    if (!dc.problem && r.seen != in.size()) {
      json probe = json::object();
      Writer w{probe};
      T blank{};
      fields(w, blank);
      for (const auto& [key, item] : in.items()) {
        if (!probe.contains(key)) return dc.fail(ptr + "/" + key, "unknown field");
      }
    }
  }
}

// ---- field lists
template <class V>
void fields(V& v, d::User& x) {
  v("guid", x.guid), v("id", x.id), v("email", x.email), v("metadata", x.metadata);
  v("is_disabled", x.is_disabled), v("created_at", x.created_at), v("updated_at", x.updated_at);
}
template <class V>
void fields(V& v, d::Job& x) {
  v("guid", x.guid), v("type", x.type), v("phase", x.phase), v("started_at", x.started_at);
  v("is_background", x.is_background), v("timer", x.timer);
  v("challenge_round", x.challenge_round), v("refused_by_storm", x.refused_by_storm);
}
template <class V>
void fields(V& v, d::CredentialValue& x) {
  v("guid", x.guid), v("value", x.value);
}
template <class V>
void fields(V& v, d::OAuthWindow& x) {
  v("state", x.state), v("referral_source", x.referral_source);
  v("skip_aggregation", x.skip_aggregation);
  v("ui_message_webview_url_scheme", x.ui_message_webview_url_scheme);
  v("client_redirect_url", x.client_redirect_url), v("enable_app2app", x.enable_app2app);
}
template <class V>
void fields(V& v, d::ChallengeOption& x) {
  v("guid", x.guid), v("label", x.label), v("value", x.value), v("data_uri", x.data_uri);
}
template <class V>
void fields(V& v, d::Challenge& x) {
  v("guid", x.guid), v("type", x.type), v("label", x.label), v("field_name", x.field_name);
  v("image_data", x.image_data), v("options", x.options);
}
template <class V>
void fields(V& v, d::FailureRecord& x) {
  v("recent", x.recent), v("since_success", x.since_success);
  v("degraded_since_success", x.degraded_since_success);
}
template <class V>
void fields(V& v, d::MachineState& x) {
  v("status", x.status), v("authenticating", x.authenticating);
  v("consecutive_denials", x.consecutive_denials);
}
template <class V>
void fields(V& v, d::Member& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("id", x.id);
  v("institution_code", x.institution_code), v("name", x.name), v("metadata", x.metadata);
  v("is_oauth", x.is_oauth), v("is_manual", x.is_manual);
  v("background_aggregation_is_disabled", x.background_aggregation_is_disabled);
  v("use_cases", x.use_cases), v("credentials", x.credentials);
  v("oauth_window", x.oauth_window), v("callback_payload", x.callback_payload);
  v("machine", x.machine), v("job", x.job), v("challenges", x.challenges);
  v("aggregated_at", x.aggregated_at);
  v("successfully_aggregated_at", x.successfully_aggregated_at);
  v("last_balance_check_at", x.last_balance_check_at), v("failures", x.failures);
  v("most_recent_job_guid", x.most_recent_job_guid);
  v("most_recent_job_detail_code", x.most_recent_job_detail_code);
  v("most_recent_job_detail_text", x.most_recent_job_detail_text);
  v("has_processed_accounts", x.has_processed_accounts);
  v("has_processed_transactions", x.has_processed_transactions);
  v("has_processed_account_numbers", x.has_processed_account_numbers);
  v("has_processed_account_owners", x.has_processed_account_owners);
  v("has_processed_statements", x.has_processed_statements);
  v("has_processed_holdings", x.has_processed_holdings);
  v("data_seed", x.data_seed), v("data_pulled_through", x.data_pulled_through);
  v("history_pulled_from", x.history_pulled_from);
  v("created_at", x.created_at), v("updated_at", x.updated_at);
}
template <class V>
void fields(V& v, d::Account& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("member_guid", x.member_guid);
  v("institution_code", x.institution_code), v("id", x.id), v("name", x.name);
  v("type", x.type), v("subtype", x.subtype);
  v("account_number_masked", x.account_number_masked), v("balance", x.balance);
  v("available_balance", x.available_balance), v("credit_limit", x.credit_limit);
  v("apr", x.apr), v("interest_rate", x.interest_rate);
  v("original_balance", x.original_balance), v("payment_due_amount", x.payment_due_amount);
  v("payment_due_at", x.payment_due_at), v("currency_code", x.currency_code);
  v("metadata", x.metadata), v("is_closed", x.is_closed), v("is_hidden", x.is_hidden);
  v("is_manual", x.is_manual), v("created_at", x.created_at), v("updated_at", x.updated_at);
}
template <class V>
void fields(V& v, d::Transaction& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("member_guid", x.member_guid);
  v("account_guid", x.account_guid), v("id", x.id), v("amount", x.amount), v("type", x.type);
  v("status", x.status), v("date", x.date), v("transacted_at", x.transacted_at);
  v("posted_at", x.posted_at), v("original_description", x.original_description);
  v("description", x.description), v("category", x.category);
  v("category_guid", x.category_guid), v("top_level_category", x.top_level_category);
  v("merchant_guid", x.merchant_guid), v("merchant_category_code", x.merchant_category_code);
  v("memo", x.memo), v("metadata", x.metadata), v("currency_code", x.currency_code);
  v("is_bill_pay", x.is_bill_pay), v("is_direct_deposit", x.is_direct_deposit);
  v("is_expense", x.is_expense), v("is_fee", x.is_fee), v("is_income", x.is_income);
  v("is_overdraft_fee", x.is_overdraft_fee), v("is_payroll_advance", x.is_payroll_advance);
  v("is_recurring", x.is_recurring), v("is_subscription", x.is_subscription);
  v("is_manual", x.is_manual), v("latitude", x.latitude), v("longitude", x.longitude);
  v("created_at", x.created_at), v("updated_at", x.updated_at);
  v.later("parent_guid", x.parent_guid), v.later("has_been_split", x.has_been_split);
  v.later("merchant_location_guid", x.merchant_location_guid);
}
template <class V>
void fields(V& v, d::Holding& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("member_guid", x.member_guid);
  v("account_guid", x.account_guid), v("symbol", x.symbol), v("description", x.description);
  v("holding_type", x.holding_type), v("shares", x.shares), v("cost_basis", x.cost_basis);
  v("market_value", x.market_value), v("purchase_price", x.purchase_price);
  v("currency_code", x.currency_code), v("cusip", x.cusip);
  v("created_at", x.created_at), v("updated_at", x.updated_at);
}
template <class V>
void fields(V& v, d::AccountNumber& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("member_guid", x.member_guid);
  v("account_guid", x.account_guid), v("account_number", x.account_number);
  v("routing_number", x.routing_number), v("passed_validation", x.passed_validation);
}
template <class V>
void fields(V& v, d::AccountOwner& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("member_guid", x.member_guid);
  v("account_guid", x.account_guid), v("owner_name", x.owner_name);
  v("first_name", x.first_name), v("last_name", x.last_name), v("address", x.address);
  v("city", x.city), v("state", x.state), v("postal_code", x.postal_code);
  v("country", x.country), v("email", x.email), v("phone", x.phone);
}
template <class V>
void fields(V& v, d::Statement& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("member_guid", x.member_guid);
  v("account_guid", x.account_guid), v("content_hash", x.content_hash);
  v("period_end", x.period_end), v("created_at", x.created_at), v("updated_at", x.updated_at);
}
template <class V>
void fields(V& v, d::Microdeposit& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("status", x.status);
  v("account_name", x.account_name), v("account_number", x.account_number);
  v("account_type", x.account_type), v("routing_number", x.routing_number), v("email", x.email);
  v("first_name", x.first_name), v("last_name", x.last_name);
  v("institution_guid", x.institution_guid), v("error_message", x.error_message);
  v("deposit_cents_1", x.deposit_cents_1), v("deposit_cents_2", x.deposit_cents_2);
  v("failed_attempts", x.failed_attempts), v("timer", x.timer), v("created_at", x.created_at);
  v("updated_at", x.updated_at), v("verified_at", x.verified_at);
}
template <class V>
void fields(V& v, d::Reward& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("member_guid", x.member_guid);
  v("account_guid", x.account_guid), v("balance_type", x.balance_type), v("balance", x.balance);
  v("unit_type", x.unit_type), v("description", x.description), v("expires_on", x.expires_on);
  v("created_at", x.created_at), v("updated_at", x.updated_at);
}
template <class V>
void fields(V& v, d::Tag& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("name", x.name);
}
template <class V>
void fields(V& v, d::Tagging& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("tag_guid", x.tag_guid);
  v("transaction_guid", x.transaction_guid);
}
template <class V>
void fields(V& v, d::TransactionRule& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("match_description", x.match_description);
  v("category_guid", x.category_guid), v("description", x.description);
  v("created_at", x.created_at), v("updated_at", x.updated_at);
}
template <class V>
void fields(V& v, d::CustomCategory& x) {
  v("guid", x.guid), v("user_guid", x.user_guid), v("name", x.name);
  v("parent_guid", x.parent_guid), v("metadata", x.metadata);
  v("created_at", x.created_at), v("updated_at", x.updated_at);
}
template <class V>
void fields(V& v, d::ProcessorScope& x) {
  v("user_guid", x.user_guid), v("member_guid", x.member_guid);
  v("account_guid", x.account_guid), v("read_protected", x.read_protected);
}
template <class V>
void fields(V& v, d::AuthorizationCode& x) {
  v("code", x.code), v("scope", x.scope), v("created_at", x.created_at);
}
template <class V>
void fields(V& v, d::ProcessorToken& x) {
  v("access_token", x.access_token), v("processor_id", x.processor_id);
  v("processor_guid", x.processor_guid), v("scope", x.scope), v("created_at", x.created_at);
  v("expires_at", x.expires_at);
}
template <class V>
void fields(V& v, d::StoreSnapshot& x) {
  v("users", x.users), v("members", x.members), v("accounts", x.accounts);
  v("transactions", x.transactions), v("holdings", x.holdings);
  v("account_numbers", x.account_numbers), v("account_owners", x.account_owners);
  v("statements", x.statements);
  v.later("categories", x.categories), v.later("rewards", x.rewards);
  v.later("tags", x.tags), v.later("taggings", x.taggings), v.later("rules", x.rules);
  v.later("microdeposits", x.microdeposits), v.later("merged_accounts", x.merged_accounts);
  v.later("authorization_codes", x.authorization_codes);
  v.later("processor_tokens", x.processor_tokens);
}
template <class V>
void fields(V& v, d::Timer& x) {
  v("due", x.due), v("id", x.id), v("kind", x.kind), v("member_guid", x.member_guid);
}
template <class V>
void fields(V& v, d::QueuedOutcomes& x) {
  v("member_guid", x.member_guid), v("outcomes", x.outcomes);
}
template <class V>
void fields(V& v, d::InstitutionFault& x) {
  v("institution_code", x.institution_code), v("outcome", x.outcome);
}
template <class V>
void fields(V& v, d::StormStarts& x) {
  v("institution_code", x.institution_code), v("starts", x.starts);
}
template <class V>
void fields(V& v, d::WidgetRecord& x) {
  v("token", x.token), v("user_guid", x.user_guid), v("widget_type", x.widget_type);
  v("current_member_guid", x.current_member_guid);
  v("update_credentials", x.update_credentials);
  v("current_institution", x.current_institution);
  v("disable_institution_search", x.disable_institution_search), v("mode", x.mode);
  v("is_mobile_webview", x.is_mobile_webview), v("webview_url_scheme", x.webview_url_scheme);
  v("wait_for_full_aggregation", x.wait_for_full_aggregation), v("products", x.products);
  v("issued_at", x.issued_at), v("used", x.used);
  v.later("current_microdeposit_guid", x.current_microdeposit_guid);
}
template <class V>
void fields(V& v, d::PendingAnswers& x) {
  v("member_guid", x.member_guid), v("answers", x.answers);
}
template <class V>
void fields(V& v, d::DomainEvent& x) {
  v("sequence", x.sequence), v("kind", x.kind), v("at", x.at), v("user_guid", x.user_guid);
  v("user_id", x.user_id), v("member_guid", x.member_guid), v("job_guid", x.job_guid);
  v("status", x.status), v("status_message", x.status_message);
  v("is_background", x.is_background), v("is_being_aggregated", x.is_being_aggregated);
  v("created_count", x.created_count), v("updated_count", x.updated_count);
  v("account_guids", x.account_guids), v("callback_payload", x.callback_payload);
  v.later("micro_deposit", x.micro_deposit);
}
template <class V>
void fields(V& v, d::EmulatorSnapshot& x) {
  v("now", x.now), v("offset", x.offset), v("guids_issued", x.guids_issued);
  v("store", x.store), v("timers", x.timers), v("next_timer_id", x.next_timer_id);
  v("queued_outcomes", x.queued_outcomes), v("institution_faults", x.institution_faults);
  v("storm_gates", x.storm_gates), v("discontinued", x.discontinued);
  v("widgets", x.widgets);
  v("pending_answers", x.pending_answers), v("events", x.events);
  v("next_event_sequence", x.next_event_sequence);
  v("current_callback_payload", x.current_callback_payload);
}
template <class V>
void fields(V& v, ClockSnapshot& x) {
  v("reading", x.reading), v("rate", x.rate), v("auto", x.auto_time);
}
template <class V>
void fields(V& v, RateLimits& x) {
  v("per_minute", x.per_minute), v("per_user_per_minute", x.per_user_per_minute);
  v("per_member_per_minute", x.per_member_per_minute);
}
template <class V>
void fields(V& v, FaultEffect& x) {
  v("status", x.status), v("message", x.message), v("retry_after_seconds", x.retry_after_seconds);
  v("latency_seconds", x.latency_seconds), v("real_delay_ms", x.real_delay);
  v("drop_connection", x.drop_connection);
}
template <class V>
void fields(V& v, FaultRule& x) {
  v("id", x.id), v("method", x.method), v("path_prefix", x.path_prefix), v("route", x.route);
  v("operation_id", x.operation_id), v("user", x.user), v("member", x.member);
  v("from", x.from), v("until", x.until), v("remaining", x.remaining);
  v("probability", x.probability), v("seed", x.seed), v("draws", x.draws), v("hits", x.hits);
  v("effect", x.effect);
}
template <class V>
void fields(V& v, WebhookSubscription& x) {
  v("url", x.url), v("types", x.types), v("username", x.username), v("password", x.password);
}
template <class V>
void fields(V& v, WebhookDelivery& x) {
  v("id", x.id), v("event_sequence", x.event_sequence), v("type", x.type), v("url", x.url);
  v("username", x.username), v("password", x.password), v("body", x.body);
  v("callback_payload", x.callback_payload), v("attempt", x.attempt);
  v("first_due_at", x.first_due_at), v("due_at", x.due_at), v("in_flight", x.in_flight);
  v("sent_at", x.sent_at);
}
template <class V>
void fields(V& v, WebhookAttemptResult& x) {
  v("http_status", x.http_status), v("error", x.error);
}
template <class V>
void fields(V& v, WebhookAttempt& x) {
  v("id", x.id), v("delivery_id", x.delivery_id), v("event_sequence", x.event_sequence);
  v("type", x.type), v("url", x.url), v("attempt", x.attempt), v("at", x.at);
  v("result", x.result), v("outcome", x.outcome), v("next_retry_at", x.next_retry_at);
}
template <class V>
void fields(V& v, WebhookOutbox::State& x) {
  v("subscriptions", x.subscriptions), v("cursor", x.cursor), v("pending", x.pending);
  v("attempts", x.attempts), v("next_delivery_id", x.next_delivery_id);
  v("next_attempt_id", x.next_attempt_id);
}
template <class V>
void fields(V& v, WorldSnapshot& x) {
  v("emulator", x.emulator), v("clock", x.clock), v("limits", x.limits);
  v("rate_windows", x.rate_windows), v("faults", x.faults);
  v("next_fault_id", x.next_fault_id), v("webhooks", x.webhooks);
}

}  // namespace

json encode_snapshot(const WorldSnapshot& snapshot) {
  json out = enc(snapshot);
  out["format"] = kSnapshotFormat;
  return out;
}

std::variant<WorldSnapshot, domain::SnapshotProblem> decode_snapshot(const json& value) {
  if (!value.is_object()) return domain::SnapshotProblem{"", "expected a JSON object"};
  const auto format = value.find("format");
  if (format == value.end() || *format != kSnapshotFormat) {
    return domain::SnapshotProblem{"/format", std::string("expected \"") + kSnapshotFormat + "\""};
  }
  json body = value;
  body.erase("format");
  WorldSnapshot s;
  Decoder dc;
  dec(body, s, "", dc);
  if (dc.problem) return *dc.problem;
  return s;
}

}  // namespace mxemu::api
