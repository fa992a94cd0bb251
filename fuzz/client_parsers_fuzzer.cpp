// libFuzzer target: the client's parsers of what arrives from outside its process, a webhook
// body (parse_webhook_event) and a widget callback (postMessage JSON, webview URL, OAuth
// redirect: parse_widget_callback). Either answers a value or an error value: no crash, no
// exception, no sanitizer report.
#include <cstdint>
#include <string_view>

#include "mxclient/callback.h"
#include "mxclient/webhook_event.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  (void)mxclient::parse_webhook_event(input);
  (void)mxclient::parse_widget_callback(input);
  (void)mxclient::parse_post_message(input);
  (void)mxclient::parse_webview_url(input);
  (void)mxclient::parse_oauth_redirect(input);
  return 0;
}
