#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "mxclient/mx_api.h"
#include "mxclient/mx_types.h"
#include "mxclient/result.h"
#include "mxclient/transport.h"

// Internal to mxclient: the wire helpers the mx_api*.cpp files share. Nothing here throws:
// nlohmann's exceptions are caught at the parse boundary and become ErrorKind::kInvalidReply.
namespace mxclient::internal {

using Json = nlohmann::json;

// ---- encoding (mx_api.cpp)
std::string base64_encode(std::string_view bytes);
// Percent-encodes everything but RFC 3986 unreserved characters: for a path segment or a
// query value.
std::string url_encode(std::string_view text);
// "/users/" + url_encode(user_guid) …: builds a path from literal parts and encoded segments.
std::string segment(std::string_view value);

// The JSON text of a request body. Strings that are not UTF-8 are repaired (U+FFFD), never
// thrown about.
std::string dump(const Json& body);
// "GET /users/USR-1/members": the method and the target without its query, for messages.
std::string describe(std::string_view method, std::string_view target);
// kInvalidInput naming `what` if `value` is empty.
std::optional<Error> require(std::string_view what, const std::string& value);
// kInvalidInput unless `date` looks like YYYY-MM-DD.
std::optional<Error> require_date(std::string_view what, const std::optional<std::string>& date);

// ---- replies (mx_api_json.cpp)
// The body as JSON; kInvalidReply (naming `what`) if it is not.
Result<Json> parse_body(const HttpResponse& response, std::string_view what);
// A non-2xx reply as ErrorKind::kHttp: MX's error.message when the body is MX's envelope
// {"error":{"message":…}}, else "HTTP <status>"; `what` names the call.
Error http_error(const HttpResponse& response, std::string_view what);
// The object under `key` of a JSON body ({"member":{…}} → {…}); kInvalidReply if missing.
Result<const Json*> object_at(const Json& body, const char* key, std::string_view what);

// Each parser reads one MX object (the inner object, not the {"member":…} wrapper). Absent and
// null fields take the type's default; a present field of the wrong type, or a missing guid,
// is kInvalidReply.
Result<MxUser> parse_user(const Json& j);
Result<MxMember> parse_member(const Json& j);
Result<MxMemberStatus> parse_member_status(const Json& j);
Result<MxChallenge> parse_challenge(const Json& j);
Result<MxCredentialField> parse_credential_field(const Json& j);
Result<MxAccount> parse_account(const Json& j);
Result<MxTransaction> parse_transaction(const Json& j);
Result<MxInstitution> parse_institution(const Json& j);
Result<MxCategory> parse_category(const Json& j);

// MX's pagination object of a list body; zeros when absent.
struct Pagination {
  int current_page = 0;
  int per_page = 0;
  int total_pages = 0;
  std::size_t total_entries = 0;
};
Pagination parse_pagination(const Json& body);

// The guid MX's duplicate-member 409 names ("… Existing member: MBR-…"), if any.
std::optional<std::string> existing_member_guid(std::string_view message);

// The body of a 2xx reply as one typed object: parse the JSON, take the object under `key`
// ({"member":{…}}), hand it to `parse`. Any failure is kInvalidReply naming `what`.
template <class T, class Parse>
Result<T> parse_reply(const HttpResponse& response, const char* key, Parse parse,
                      std::string_view what) {
  try {
    auto body = parse_body(response, what);
    if (!body) return body.error();
    auto object = object_at(*body, key, what);
    if (!object) return object.error();
    Result<T> parsed = parse(**object);
    if (!parsed) {
      return make_error(ErrorKind::kInvalidReply,
                        std::string(what) + ": " + parsed.error().message);
    }
    return parsed;
  } catch (const Json::exception& e) {  // the parse boundary: nothing escapes the library
    return make_error(ErrorKind::kInvalidReply, std::string(what) + ": " + e.what());
  }
}

}  // namespace mxclient::internal

namespace mxclient {

template <class T, class Parse>
MxApi::PageSink MxApi::collect_into(std::vector<T>& out, const char* key, Parse parse) {
  auto seen = std::make_shared<std::unordered_set<std::string>>();
  for (const T& record : out) seen->insert(record.guid);
  return [&out, key, parse, seen](const HttpResponse& response) -> Result<PageInfo> {
    try {
      auto body = internal::parse_body(response, key);
      if (!body) return body.error();
      auto items = body->is_object() ? body->find(key) : body->end();
      if (!body->is_object() || items == body->end() || !items->is_array()) {
        return make_error(ErrorKind::kInvalidReply,
                          std::string("MX list reply has no \"") + key + "\" array");
      }
      for (const internal::Json& item : *items) {
        Result<T> parsed = parse(item);
        if (!parsed) return parsed.error();
        // Offset pages shift when MX adds records mid-walk: keep the first copy of each.
        if (seen->insert(parsed->guid).second) out.push_back(std::move(*parsed));
      }
      const internal::Pagination pagination = internal::parse_pagination(*body);
      PageInfo info;
      info.total_pages = pagination.total_pages;
      info.total_entries = pagination.total_entries;
      info.records_on_page = items->size();
      info.records_kept = out.size();
      return info;
    } catch (const internal::Json::exception& e) {
      return make_error(ErrorKind::kInvalidReply, std::string("MX list reply: ") + e.what());
    }
  };
}

}  // namespace mxclient
