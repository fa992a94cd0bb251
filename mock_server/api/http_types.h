#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// Plain request/response values: the only things that cross between the HTTP adapter
// (http/, the one place that knows httplib) and the API layer. Nothing here knows a socket.
namespace mxemu::api {

enum class Method { kGet, kPost, kPut, kPatch, kDelete, kOptions, kHead };

std::string_view to_string(Method m);
// `s` with ASCII letters lower-cased (header names, search terms).
std::string ascii_lower(std::string_view s);
// The method a journal filter or fault rule names ("GET", "POST", "PUT", "DELETE", "PATCH"),
// exactly so, or nullopt.
std::optional<Method> method_named(std::string_view name);

// Header names compare case-insensitively, as HTTP requires.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::multimap<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  Method method = Method::kGet;
  std::string path;  // percent-decoded, without the query string
  std::multimap<std::string, std::string> query;
  Headers headers;
  std::string body;

  // First value of a header or query parameter; empty when absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
  std::string query_param(std::string_view name) const;
  bool has_query_param(std::string_view name) const;
};

// The member or user an answer is about ({"member":{...}} or {"user":{...}}), as the answer shows
// it: noted where the body is made (json_response, route_context.h), so that the journal never
// parses a body back to learn it.
struct AnswerSubject {
  bool is_member = false;  // else a user
  std::string user_guid;
  std::string member_guid;
  std::string connection_status;  // empty when the answer does not show one
  std::optional<bool> is_being_aggregated;
};

struct Response {
  int status = 200;
  std::string content_type;  // empty when there is no body (204)
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Retry-After...)
  // Faults (api/fault_rules.h): the HTTP adapter closes the connection without writing anything
  // (status is 0 then), or waits this long in real time before answering. In process, nothing
  // waits and a dropped answer is just this flag.
  bool drop_connection = false;
  std::chrono::milliseconds real_delay{0};
  // When set, World::serve makes the body by calling this after the tenant's lock is released,
  // so that encoding a large answer does not hold up the tenant's other requests. It owns
  // copies of what it reads, or reads only what never changes (the fixtures' catalog).
  std::function<std::string()> deferred_body{};
  std::optional<AnswerSubject> subject{};
};

// What the HTTP adapter serves. Implementations must be safe to call from many threads at once.
class Handler {
 public:
  virtual ~Handler() = default;
  virtual Response handle(const Request& request) = 0;
};

}  // namespace mxemu::api
