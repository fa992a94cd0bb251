#include "api/request_body.h"

#include <cctype>
#include <string>

namespace mxemu::api {
namespace {

// Without HTTP's optional whitespace around it (RFC 9110 OWS: spaces and tabs).
std::string_view trim_ows(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool carries_document(Method method) {
  return method == Method::kPost || method == Method::kPut || method == Method::kPatch;
}

}  // namespace

bool is_json_media_type(std::string_view content_type) {
  const std::string_view media = trim_ows(content_type.substr(0, content_type.find(';')));
  constexpr std::string_view kApplication = "application/";
  constexpr std::string_view kJsonSuffix = "+json";
  if (media.size() <= kApplication.size() ||
      !iequals(media.substr(0, kApplication.size()), kApplication)) {
    return false;
  }
  const std::string_view subtype = media.substr(kApplication.size());
  if (iequals(subtype, "json")) return true;
  return subtype.size() > kJsonSuffix.size() &&
         iequals(subtype.substr(subtype.size() - kJsonSuffix.size()), kJsonSuffix);
}

domain::Result<nlohmann::json> parse_request_body(const Request& request) {
  if (!carries_document(request.method)) return nlohmann::json();
  return parse_document(request);
}

domain::Result<nlohmann::json> parse_document(const Request& request) {
  if (request.body.empty()) return nlohmann::json();
  if (!is_json_media_type(request.header("Content-Type"))) {
    return domain::make_error(domain::ErrorCode::kUnsupportedMedia,
                              "The request body must be JSON: send Content-Type: "
                              "application/json.");
  }
  // parse() refuses anything but whitespace after the document, except after a NUL: its lexer
  // takes '\0' for the end of the input. JSON has no raw NUL anywhere (in a string it is
  // \u0000), so a body holding one is invalid whatever follows.
  const bool has_nul = request.body.find('\0') != std::string::npos;
  nlohmann::json body = has_nul ? nlohmann::json(nlohmann::json::value_t::discarded)
                                : nlohmann::json::parse(request.body, nullptr,
                                                        /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return domain::make_error(domain::ErrorCode::kBadRequest,
                              "The request body is not valid JSON.");
  }
  return body;
}

}  // namespace mxemu::api
