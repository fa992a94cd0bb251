#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mxclient/callback.h"
#include "mxclient/result.h"

// Internal to mxclient: what callback.cpp (JSON payloads) and callback_url.cpp (URLs) share.
namespace mxclient::callback_internal {

// The event named `event` ("mx/connect/memberConnected") with its metadata object, checked
// and classified. kInvalidInput when a field the event needs is missing or mistyped.
Result<WidgetCallback> from_event(std::string event, const nlohmann::json& metadata);

// `text` parsed as a JSON object (a metadata string, a postMessage body); kInvalidInput naming
// `what` otherwise. Never throws.
Result<nlohmann::json> parse_object(std::string_view text, std::string_view what);

// kInvalidInput unless `guid` looks like an MX guid with `prefix` ("MBR-"): the prefix, then
// letters, digits and dashes only (it becomes a path segment of MX calls).
std::optional<Error> check_guid(std::string_view what, std::string_view guid,
                                std::string_view prefix);

// A URL split the way the widget's own parser splits it (scheme://host/path?query#fragment).
struct Url {
  std::string scheme;  // lower-cased
  std::string host;    // as written (MX's webview events use it as the namespace)
  std::string path;    // "" or starting with '/'
  std::vector<std::pair<std::string, std::string>> query;  // percent-decoded, in order
};
Result<Url> parse_url(std::string_view text);
// The first value of `key` in the query; "amp;<key>" (an HTML-escaped '&') counts too.
const std::string* query_value(const Url& url, std::string_view key);

}  // namespace mxclient::callback_internal
