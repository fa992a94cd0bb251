// Parsing MX's JSON into mx_types.h. The parse boundary: nothing below throws past here.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <utility>

#include "mx_api_internal.h"

namespace mxclient::internal {
namespace {

// Reads fields of one JSON object, remembering the first problem instead of throwing.
class Reader {
 public:
  Reader(const Json& object, const char* what) : object_(object), what_(what) {
    if (!object_.is_object()) fail("", "an object");
  }

  bool ok() const { return !error_; }
  Error error() const { return *error_; }

  // A non-empty string: "guid" and the like.
  std::string required(const char* key) {
    const Json* v = find(key);
    if (v == nullptr || !v->is_string() || v->get_ref<const std::string&>().empty()) {
      fail(key, "a non-empty string");
      return {};
    }
    return v->get<std::string>();
  }

  std::optional<std::string> opt_string(const char* key) {
    const Json* v = find(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_string()) {
      fail(key, "a string or null");
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  std::string string(const char* key) { return opt_string(key).value_or(""); }

  bool boolean(const char* key) {
    const Json* v = find(key);
    if (v == nullptr || v->is_null()) return false;
    if (!v->is_boolean()) {
      fail(key, "a boolean or null");
      return false;
    }
    return v->get<bool>();
  }

  std::optional<double> opt_number(const char* key) {
    const Json* v = find(key);
    if (v == nullptr || v->is_null()) return std::nullopt;
    if (!v->is_number()) {
      fail(key, "a number or null");
      return std::nullopt;
    }
    return v->get<double>();
  }

  int integer(const char* key) {
    const auto n = opt_number(key);
    if (!n) return 0;
    if (!std::isfinite(*n) || std::abs(*n) > std::numeric_limits<int>::max()) {
      fail(key, "an integer");
      return 0;
    }
    return static_cast<int>(*n);
  }

  // The array under `key` (absent or null: empty), each element parsed by `parse`.
  template <class T, class Parse>
  std::vector<T> array(const char* key, Parse parse) {
    std::vector<T> out;
    const Json* v = find(key);
    if (v == nullptr || v->is_null()) return out;
    if (!v->is_array()) {
      fail(key, "an array or null");
      return out;
    }
    for (const Json& item : *v) {
      Result<T> parsed = parse(item);
      if (!parsed) {
        if (!error_) error_ = parsed.error();
        return out;
      }
      out.push_back(std::move(*parsed));
    }
    return out;
  }

 private:
  const Json* find(const char* key) const {
    if (!object_.is_object()) return nullptr;
    auto it = object_.find(key);
    return it == object_.end() ? nullptr : &*it;
  }

  void fail(const char* key, const char* expected) {
    if (error_) return;
    std::string where = what_;
    if (*key != '\0') where += std::string(".") + key;
    error_ = make_error(ErrorKind::kInvalidReply, "MX reply: " + where + " is not " + expected);
  }

  const Json& object_;
  const char* what_;
  std::optional<Error> error_;
};

template <class T>
Result<T> finish(const Reader& r, T value) {
  if (!r.ok()) return r.error();
  return value;
}

Result<MxChallengeOption> parse_option(const Json& j) {
  Reader r(j, "option");
  MxChallengeOption o;
  o.guid = r.string("guid");
  o.label = r.string("label");
  o.value = r.string("value");
  return finish(r, std::move(o));
}

}  // namespace

Result<Json> parse_body(const HttpResponse& response, std::string_view what) {
  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return make_error(ErrorKind::kInvalidReply, std::string(what) + ": MX answered " +
                                                    std::to_string(response.status) +
                                                    " with a body that is not JSON");
  }
  return body;
}

Error http_error(const HttpResponse& response, std::string_view what) {
  std::string message;
  const Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    auto error = body.find("error");
    if (error != body.end() && error->is_object()) {
      auto m = error->find("message");
      if (m != error->end() && m->is_string()) message = m->get<std::string>();
    }
  }
  if (message.empty()) message = "HTTP " + std::to_string(response.status);
  return make_error(ErrorKind::kHttp, std::string(what) + ": " + message, response.status);
}

Result<const Json*> object_at(const Json& body, const char* key, std::string_view what) {
  if (body.is_object()) {
    auto it = body.find(key);
    if (it != body.end() && it->is_object()) return &*it;
  }
  return make_error(ErrorKind::kInvalidReply,
                    std::string(what) + ": MX reply has no \"" + key + "\" object");
}

Result<MxUser> parse_user(const Json& j) {
  Reader r(j, "user");
  MxUser u;
  u.guid = r.required("guid");
  u.id = r.opt_string("id");
  u.email = r.opt_string("email");
  u.is_disabled = r.boolean("is_disabled");
  return finish(r, std::move(u));
}

Result<MxMember> parse_member(const Json& j) {
  Reader r(j, "member");
  MxMember m;
  m.guid = r.required("guid");
  m.user_guid = r.string("user_guid");
  m.id = r.opt_string("id");
  m.institution_code = r.string("institution_code");
  m.name = r.opt_string("name");
  m.connection_status = r.string("connection_status");
  m.connection_status_message = r.opt_string("connection_status_message");
  m.is_being_aggregated = r.boolean("is_being_aggregated");
  m.is_oauth = r.boolean("is_oauth");
  m.oauth_window_uri = r.opt_string("oauth_window_uri");
  m.aggregated_at = r.opt_string("aggregated_at");
  m.successfully_aggregated_at = r.opt_string("successfully_aggregated_at");
  return finish(r, std::move(m));
}

Result<MxChallenge> parse_challenge(const Json& j) {
  Reader r(j, "challenge");
  MxChallenge c;
  c.guid = r.required("guid");
  c.type = r.string("type");
  c.label = r.string("label");
  c.field_name = r.string("field_name");
  c.image_data = r.opt_string("image_data");
  c.options = r.array<MxChallengeOption>("options", parse_option);
  if (c.options.empty()) {
    // IMAGE_OPTIONS carry theirs as image_options (with a data_uri each).
    c.options = r.array<MxChallengeOption>("image_options", parse_option);
  }
  return finish(r, std::move(c));
}

Result<MxMemberStatus> parse_member_status(const Json& j) {
  Reader r(j, "member");
  MxMemberStatus s;
  s.guid = r.required("guid");
  s.connection_status = r.string("connection_status");
  s.is_being_aggregated = r.boolean("is_being_aggregated");
  s.is_authenticated = r.boolean("is_authenticated");
  s.has_processed_accounts = r.boolean("has_processed_accounts");
  s.has_processed_transactions = r.boolean("has_processed_transactions");
  s.aggregated_at = r.opt_string("aggregated_at");
  s.successfully_aggregated_at = r.opt_string("successfully_aggregated_at");
  s.challenges = r.array<MxChallenge>("challenges", parse_challenge);
  return finish(r, std::move(s));
}

Result<MxCredentialField> parse_credential_field(const Json& j) {
  Reader r(j, "credential");
  MxCredentialField f;
  f.guid = r.required("guid");
  f.field_name = r.string("field_name");
  f.field_type = r.string("field_type");
  f.label = r.string("label");
  f.display_order = r.integer("display_order");
  return finish(r, std::move(f));
}

Result<MxAccount> parse_account(const Json& j) {
  Reader r(j, "account");
  MxAccount a;
  a.guid = r.required("guid");
  a.member_guid = r.string("member_guid");
  a.user_guid = r.string("user_guid");
  a.name = r.string("name");
  a.type = r.string("type");
  a.subtype = r.opt_string("subtype");
  a.balance = r.opt_number("balance").value_or(0);
  a.available_balance = r.opt_number("available_balance");
  if (auto currency = r.opt_string("currency_code")) a.currency_code = *currency;
  a.updated_at = r.opt_string("updated_at");
  return finish(r, std::move(a));
}

Result<MxTransaction> parse_transaction(const Json& j) {
  Reader r(j, "transaction");
  MxTransaction t;
  t.guid = r.required("guid");
  t.account_guid = r.string("account_guid");
  t.member_guid = r.string("member_guid");
  t.user_guid = r.string("user_guid");
  t.amount = r.opt_number("amount").value_or(0);
  t.type = r.string("type");
  t.status = r.string("status");
  t.date = r.string("date");
  t.description = r.string("description");
  t.original_description = r.string("original_description");
  t.category = r.string("category");
  t.top_level_category = r.string("top_level_category");
  t.category_guid = r.opt_string("category_guid");
  t.merchant_guid = r.opt_string("merchant_guid");
  t.transacted_at = r.opt_string("transacted_at");
  t.posted_at = r.opt_string("posted_at");
  t.updated_at = r.opt_string("updated_at");
  return finish(r, std::move(t));
}

Result<MxInstitution> parse_institution(const Json& j) {
  Reader r(j, "institution");
  MxInstitution i;
  i.code = r.required("code");
  i.guid = r.opt_string("guid");
  i.name = r.string("name");
  i.url = r.opt_string("url");
  i.supports_oauth = r.boolean("supports_oauth");
  i.forgot_password_url = r.opt_string("forgot_password_url");
  i.forgot_username_url = r.opt_string("forgot_username_url");
  i.trouble_signing_in_url = r.opt_string("trouble_signing_in_url");
  i.instructional_text = r.opt_string("instructional_text");
  return finish(r, std::move(i));
}

Result<MxCategory> parse_category(const Json& j) {
  Reader r(j, "category");
  MxCategory c;
  c.guid = r.required("guid");
  c.name = r.string("name");
  c.parent_guid = r.opt_string("parent_guid");
  c.is_default = r.boolean("is_default");
  c.is_income = r.boolean("is_income");
  c.metadata = r.opt_string("metadata");
  return finish(r, std::move(c));
}

Pagination parse_pagination(const Json& body) {
  Pagination p;
  if (!body.is_object()) return p;
  auto it = body.find("pagination");
  if (it == body.end() || !it->is_object()) return p;
  auto number = [&](const char* key) -> long long {
    auto v = it->find(key);
    if (v == it->end() || !v->is_number()) return 0;
    const double d = v->get<double>();
    if (!std::isfinite(d) || d < 0 || d > 1e12) return 0;
    return static_cast<long long>(d);
  };
  p.current_page = static_cast<int>(std::min<long long>(number("current_page"), 1 << 30));
  p.per_page = static_cast<int>(std::min<long long>(number("per_page"), 1 << 30));
  p.total_pages = static_cast<int>(std::min<long long>(number("total_pages"), 1 << 30));
  p.total_entries = static_cast<std::size_t>(number("total_entries"));
  return p;
}

std::optional<std::string> existing_member_guid(std::string_view message) {
  static constexpr std::string_view kMarker = "Existing member:";
  auto at = message.find(kMarker);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = message.substr(at + kMarker.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  std::size_t n = 0;
  while (n < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[n])) != 0 ||
                             rest[n] == '-' || rest[n] == '_')) {
    ++n;
  }
  if (n == 0 || rest.substr(0, 4) != "MBR-") return std::nullopt;
  return std::string(rest.substr(0, n));
}

}  // namespace mxclient::internal
