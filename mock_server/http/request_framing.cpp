#include "http/request_framing.h"

#include <httplib.h>
#include <strings.h>

#include <algorithm>
#include <cctype>

namespace mxemu::http {
namespace {

bool is_decimal(const std::string& text) {
  return !text.empty() && text.size() <= 19 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

bool reads_body(const std::string& method) {
  // The methods httplib 0.11.4 reads a body for (detail::expect_content, minus PRI, which
  // our routes refuse anyway).
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

}  // namespace

std::optional<std::string> framing_problem(const httplib::Request& req) {
  for (const auto& [name, value] : req.headers) {
    if (name.find('\0') != std::string::npos || value.find('\0') != std::string::npos) {
      return "A header may not hold a NUL byte.";
    }
  }
  const std::size_t lengths = req.get_header_value_count("Content-Length");
  const std::size_t encodings = req.get_header_value_count("Transfer-Encoding");
  if (lengths > 0 && encodings > 0) {
    return "A request may not carry both Content-Length and Transfer-Encoding.";
  }
  if (lengths > 1) return "A request may carry only one Content-Length.";
  if (encodings > 1 ||
      (encodings == 1 &&
       ::strcasecmp(req.get_header_value("Transfer-Encoding").c_str(), "chunked") != 0)) {
    return "The only Transfer-Encoding accepted is chunked.";
  }
  const std::string length = req.get_header_value("Content-Length");
  if (lengths == 1 && !is_decimal(length)) return "Content-Length must be a decimal number.";
  const bool announces_body =
      encodings == 1 || (lengths == 1 && length.find_first_not_of('0') != std::string::npos);
  // A GET may carry a Content-Length body, which the server reads itself (server_setup.cpp):
  // MX's SDK sends listTokens' filter so.
  const bool get_with_length = req.method == "GET" && lengths == 1;
  if (announces_body && !reads_body(req.method) && !get_with_length) {
    return "A " + req.method + " request may not carry a body.";
  }
  return std::nullopt;
}

}  // namespace mxemu::http
