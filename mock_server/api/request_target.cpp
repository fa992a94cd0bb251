#include "api/request_target.h"

namespace mxemu::api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The byte an escape at text[i] stands for, or -1 when text[i] does not start one.
int escaped_byte(std::string_view text, std::size_t i) {
  if (text[i] != '%' || i + 2 >= text.size()) return -1;
  const int high = hex_value(text[i + 1]);
  const int low = hex_value(text[i + 2]);
  return high < 0 || low < 0 ? -1 : high * 16 + low;
}

}  // namespace

std::string percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (const int byte = escaped_byte(text, i); byte >= 0) {
      out += static_cast<char>(byte);
      i += 2;
    } else if (plus_is_space && text[i] == '+') {
      out += ' ';
    } else {
      out += text[i];
    }
  }
  return out;
}

domain::Status parse_request_target(std::string_view target, Request& request) {
  if (const auto hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  const auto question = target.find('?');
  const std::string_view raw_path = target.substr(0, question);
  if (raw_path.empty() || raw_path.front() != '/') {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "The request target must be an absolute path.");
  }
  for (std::size_t i = 0; i < raw_path.size(); ++i) {
    const int byte = escaped_byte(raw_path, i);
    if (byte == '/' || byte == 0) {
      return domain::make_error(domain::ErrorCode::kBadRequest,
                                "A path segment may not contain an encoded '/' or NUL.");
    }
  }
  request.path = percent_decode(raw_path, false);
  request.query.clear();
  if (question == std::string_view::npos) return domain::ok_status();
  std::string_view rest = target.substr(question + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    if (!pair.empty()) {
      const auto eq = pair.find('=');
      request.query.emplace(
          percent_decode(pair.substr(0, eq), true),
          eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true));
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
  return domain::ok_status();
}

}  // namespace mxemu::api
