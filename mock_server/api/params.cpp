#include <charconv>
#include <string>
#include <utility>

#include "api/route_context.h"

namespace mxemu::api {
namespace {

std::string string_at(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<long> to_long(const std::string& text) {
  long v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return v;
}

// The member or user `document` is about (AnswerSubject), noted in `response`.
void note_subject(const nlohmann::json& document, Response& response) {
  if (!document.is_object()) return;
  if (const auto m = document.find("member"); m != document.end() && m->is_object()) {
    AnswerSubject s;
    s.is_member = true;
    s.member_guid = string_at(*m, "guid");
    s.user_guid = string_at(*m, "user_guid");
    s.connection_status = string_at(*m, "connection_status");
    if (const auto a = m->find("is_being_aggregated"); a != m->end() && a->is_boolean()) {
      s.is_being_aggregated = a->get<bool>();
    }
    response.subject = std::move(s);
  } else if (const auto u = document.find("user"); u != document.end() && u->is_object()) {
    AnswerSubject s;
    s.user_guid = string_at(*u, "guid");
    response.subject = std::move(s);
  }
}

}  // namespace

Response no_content() {
  Response r;
  r.status = 204;
  return r;
}

Response json_response(int status, std::string content_type, const nlohmann::json& value) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = value.dump();
  note_subject(value, r);
  return r;
}

Response RouteContext::json(int status, const nlohmann::json& value) const {
  return json_response(status, std::string(json_content_type(version)), value);
}

domain::PageRequest page_request(const Request& request, int max_per_page) {
  domain::PageRequest page;
  if (auto p = to_long(request.query_param("page")); p && *p >= 1) {
    page.page = static_cast<int>(std::min<long>(*p, 1'000'000'000L));
  }
  if (auto n = to_long(request.query_param("records_per_page"))) {
    if (*n > max_per_page) {
      page.per_page = 25;  // MX: "the default value of 25 will be used instead"
    } else {
      page.per_page = static_cast<int>(std::max<long>(*n, 10));
    }
  }
  return page;
}

domain::Result<std::optional<std::string>> optional_string(const nlohmann::json& object,
                                                           std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              std::string(key) + " must be a string.");
  }
  return std::optional<std::string>(it->get<std::string>());
}

domain::Result<std::optional<bool>> optional_bool(const nlohmann::json& object,
                                                  std::string_view key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::optional<bool>();
  if (it->is_boolean()) return std::optional<bool>(it->get<bool>());
  if (it->is_string() && (*it == "true" || *it == "false"))
    return std::optional<bool>(*it == "true");
  return domain::make_error(domain::ErrorCode::kBadRequest,
                            std::string(key) + " must be a boolean.");
}

domain::Result<const nlohmann::json*> required_object(const nlohmann::json& body,
                                                      std::string_view key) {
  if (!body.is_object()) {
    return domain::make_error(
        domain::ErrorCode::kBadRequest,
        "A JSON body with a \"" + std::string(key) + "\" object is required.");
  }
  auto it = body.find(key);
  if (it == body.end() || !it->is_object()) {
    return domain::make_error(
        domain::ErrorCode::kBadRequest,
        "A JSON body with a \"" + std::string(key) + "\" object is required.");
  }
  return &*it;
}

domain::Result<std::vector<domain::CredentialValue>> credential_values(const nlohmann::json& array,
                                                                       std::string_view what) {
  if (!array.is_array()) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              std::string(what) + " must be an array.");
  }
  std::vector<domain::CredentialValue> out;
  for (const auto& item : array) {
    if (!item.is_object() || !item.contains("guid") || !item["guid"].is_string() ||
        !item.contains("value") || !item["value"].is_string()) {
      return domain::make_error(
          domain::ErrorCode::kBadRequest,
          "Each entry of " + std::string(what) + " needs a string guid and a string value.");
    }
    out.push_back({item["guid"].get<std::string>(), item["value"].get<std::string>()});
  }
  return out;
}

}  // namespace mxemu::api
