// Per-platform widget configuration (mx-behavior §7a).
#include "mxclient/connect.h"
#include "url_scheme.h"

namespace mxclient {
namespace {

PlatformConfig mobile(Platform platform, std::string url_scheme, std::string redirect) {
  PlatformConfig c;
  c.platform = platform;
  c.is_mobile_webview = true;
  c.ui_message_webview_url_scheme = std::move(url_scheme);
  c.client_redirect_url = std::move(redirect);
  // MX defaults to APP with is_mobile_webview; say it, so the OAuth return is never a popup.
  c.oauth_referral_source = "APP";
  return c;
}

}  // namespace

PlatformConfig web_platform(std::optional<std::string> client_redirect_url) {
  PlatformConfig c;
  c.platform = Platform::kWeb;
  c.is_mobile_webview = false;
  c.client_redirect_url = std::move(client_redirect_url);
  c.oauth_referral_source = "BROWSER";
  return c;
}

PlatformConfig ios_platform(std::string url_scheme, std::string client_redirect_url) {
  return mobile(Platform::kIos, std::move(url_scheme), std::move(client_redirect_url));
}

PlatformConfig android_platform(std::string url_scheme, std::string client_redirect_url) {
  return mobile(Platform::kAndroid, std::move(url_scheme), std::move(client_redirect_url));
}

Status validate(const PlatformConfig& config) {
  const std::string where = std::string(to_string(config.platform)) + " widget config: ";
  if (config.oauth_referral_source != "APP" && config.oauth_referral_source != "BROWSER") {
    return make_error(ErrorKind::kInvalidInput, where + "oauth_referral_source \"" +
                                                    config.oauth_referral_source +
                                                    "\" is neither APP nor BROWSER");
  }
  if (config.ui_message_version < 4) {
    return make_error(ErrorKind::kInvalidInput,
                      where + "ui_message_version must be 4 or more (MX deprecated the others)");
  }
  if (config.ui_message_webview_url_scheme &&
      !internal::valid_scheme(*config.ui_message_webview_url_scheme)) {
    return make_error(ErrorKind::kInvalidInput, where + "URL scheme \"" +
                                                    *config.ui_message_webview_url_scheme +
                                                    "\" is not a valid scheme");
  }
  if (config.is_mobile_webview && !config.ui_message_webview_url_scheme) {
    return make_error(ErrorKind::kInvalidInput,
                      where + "a webview needs ui_message_webview_url_scheme (the app's scheme)");
  }
  if (config.client_redirect_url && config.client_redirect_url->empty()) {
    return make_error(ErrorKind::kInvalidInput, where + "client_redirect_url is empty");
  }
  return Done{};
}

WidgetUrlRequest widget_request_for(const PlatformConfig& config) {
  WidgetUrlRequest r;
  r.widget_type = "connect_widget";
  r.is_mobile_webview = config.is_mobile_webview;
  r.client_redirect_url = config.client_redirect_url;
  r.ui_message_webview_url_scheme = config.ui_message_webview_url_scheme;
  r.ui_message_version = config.ui_message_version;
  r.oauth_referral_source = config.oauth_referral_source;
  r.wait_for_full_aggregation = config.wait_for_full_aggregation;
  r.color_scheme = config.color_scheme;
  r.accept_language = config.accept_language;
  return r;
}

std::string_view to_string(Platform platform) {
  switch (platform) {
    case Platform::kWeb:
      return "web";
    case Platform::kIos:
      return "ios";
    case Platform::kAndroid:
      return "android";
  }
  return "web";
}

}  // namespace mxclient
