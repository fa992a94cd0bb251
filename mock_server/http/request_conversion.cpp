#include "http/request_conversion.h"

#include <httplib.h>

#include <array>
#include <string_view>
#include <utility>

#include "api/errors.h"
#include "api/request_target.h"

namespace mxemu::http {
namespace {

// Headers httplib 0.11.4 adds to every server-side request; the client never sent them.
bool is_httplib_pseudo_header(const std::string& name) {
  return name == "REMOTE_ADDR" || name == "REMOTE_PORT" || name == "LOCAL_ADDR" ||
         name == "LOCAL_PORT";
}

bool status_has_no_body(int status) { return status < 200 || status == 204 || status == 304; }

void append_escaped(std::string& out, std::string_view text) {
  // Backslash too, so an escaped line stays unambiguous.
  static constexpr std::string_view kHex = "0123456789abcdef";
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f || c == '\\') {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
}

}  // namespace

std::optional<api::Method> parse_method(std::string_view method) {
  static constexpr std::array<std::pair<std::string_view, api::Method>, 7> kMethods{{
      {"GET", api::Method::kGet},
      {"POST", api::Method::kPost},
      {"PUT", api::Method::kPut},
      {"PATCH", api::Method::kPatch},
      {"DELETE", api::Method::kDelete},
      {"OPTIONS", api::Method::kOptions},
      {"HEAD", api::Method::kHead},
  }};
  for (const auto& [name, value] : kMethods) {
    if (name == method) return value;
  }
  return std::nullopt;
}

domain::Result<api::Request> to_api_request(const httplib::Request& from, api::Method method) {
  api::Request to;
  to.method = method;
  // httplib's req.path is already percent-decoded ("/users/USR-1%2Fmembers" would look like
  // "/users/USR-1/members"), and its params mix in a form-encoded body: route on the raw target
  // (the fragment is already stripped), with the conversion the in-process transport uses.
  if (auto parsed = api::parse_request_target(from.target, to); !parsed) return parsed.error();
  for (const auto& [name, value] : from.headers) {
    if (!is_httplib_pseudo_header(name)) to.headers.emplace(name, value);
  }
  to.body = from.body;
  return to;
}

void apply_api_response(const api::Response& from, httplib::Response& to) {
  to.status = from.status;
  for (const auto& [name, value] : from.headers) to.set_header(name, value);
  if (status_has_no_body(from.status)) return;
  if (from.content_type.empty()) {
    to.body = from.body;
  } else {
    to.set_content(from.body, from.content_type);
  }
}

std::string message_for_status(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 404:
      return "Not found";
    case 405:
      return "Method not allowed";
    case 408:
      return "Request timeout";
    case 413:
      return "Request body too large";
    case 414:
      return "URI too long";
    case 416:
      return "Range not satisfiable";
    case 500:
      return "Internal error";
    case 503:
      return "Service unavailable";
    default:
      break;
  }
  return status >= 500 ? "Internal error" : "HTTP error " + std::to_string(status);
}

void set_error_response(httplib::Response& res, int status, std::string_view message) {
  res.headers.clear();
  res.body.clear();
  apply_api_response(api::error_response(status, message), res);
}

std::string escape_for_log(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text);
  return out;
}

std::string format_access_line(std::string_view method, std::string_view path, int status,
                               std::size_t body_bytes,
                               std::optional<std::chrono::microseconds> duration) {
  std::string line;
  line.reserve(method.size() + path.size() + 32);
  append_escaped(line, method.empty() ? std::string_view("-") : method);
  line += ' ';
  append_escaped(line, path.empty() ? std::string_view("-") : path);
  line += ' ';
  line += std::to_string(status);
  line += ' ';
  line += std::to_string(body_bytes);
  line += "B ";
  line += duration ? std::to_string(duration->count()) : std::string("-");
  line += "us";
  return line;
}

}  // namespace mxemu::http
