#pragma once

// What the host page of `mxctl connect --browser` posts to mxctl: each postMessage the widget
// frame sent, as JSON, in order. The types, metadata and order are those of the emulator's
// widget (mock_server/web/connect.js, docs/widget.md) and MX's v4 messages (mx-behavior §7b).
// The browser itself is tested in tests/browser; these tests post what the page would post.

#include <gtest/gtest.h>
#include <httplib.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "mxclient/time.h"

namespace mxemu::testing {

// One widget session's messages, with user_guid and session_guid in every Connect event.
class WidgetMessages {
 public:
  WidgetMessages(std::string user_guid, std::string session_guid = "ANS-host-test")
      : user_guid_(std::move(user_guid)), session_guid_(std::move(session_guid)) {}

  nlohmann::json message(const std::string& type, nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json metadata = nlohmann::json::object();
    if (type != "mx/load") {
      metadata = {{"user_guid", user_guid_}, {"session_guid", session_guid_}};
      metadata.update(extra);
    }
    return {{"mx", true}, {"type", type}, {"metadata", metadata}};
  }

  // The order connect.js sends for a new MX Bank member that connects (search → enterCreds →
  // connecting → connected), memberConnected after the statuses 0 and 6.
  std::vector<nlohmann::json> successful_connect(const std::string& member_guid) {
    const nlohmann::json institution = {{"code", "mxbank"}, {"guid", "INS-mxbank"}};
    return {
        message("mx/load"),
        message("mx/connect/loaded", {{"initial_step", "search"}}),
        message("mx/connect/selectedInstitution",
                {{"code", "mxbank"}, {"guid", "INS-mxbank"}, {"name", "MX Bank"}, {"url", ""}}),
        message("mx/connect/stepChange", {{"previous", "search"}, {"current", "enterCreds"}}),
        message("mx/connect/enterCredentials", {{"institution", institution}}),
        message("mx/connect/stepChange", {{"previous", "enterCreds"}, {"current", "connecting"}}),
        message("mx/connect/memberStatusUpdate",
                {{"member_guid", member_guid}, {"connection_status", 0}}),
        message("mx/ping"),
        message("mx/connect/memberStatusUpdate",
                {{"member_guid", member_guid}, {"connection_status", 6}}),
        message("mx/connect/memberConnected", {{"member_guid", member_guid}}),
        message("mx/connect/stepChange", {{"previous", "connecting"}, {"current", "connected"}}),
    };
  }

 private:
  std::string user_guid_;
  std::string session_guid_;
};

// POSTs each message to a host's messages URL as the page's fetch does; the HTTP statuses.
inline std::vector<int> post_messages(const std::string& messages_url,
                                      const std::vector<nlohmann::json>& messages,
                                      const httplib::Headers& headers = {}) {
  const auto path_at = messages_url.find('/', messages_url.find("//") + 2);
  httplib::Client client(messages_url.substr(0, path_at));
  std::vector<int> statuses;
  for (const auto& m : messages) {
    auto reply =
        client.Post(messages_url.substr(path_at).c_str(), headers, m.dump(), "application/json");
    statuses.push_back(reply ? reply->status : -1);
  }
  return statuses;
}

// A Sleeper that runs `before_first_wait` (the person in the browser) on its first wait, then
// waits on `inner`. The posts complete before the waiting loop reads the host's queue again, so
// nothing depends on timing.
class BrowserActsSleeper final : public mxclient::Sleeper {
 public:
  BrowserActsSleeper(mxclient::Sleeper& inner, std::function<void()> before_first_wait)
      : inner_(inner), act_(std::move(before_first_wait)) {}
  void wait(std::chrono::milliseconds d) override {
    ++waits;
    if (act_) {
      auto act = std::move(act_);
      act_ = nullptr;
      act();
    }
    inner_.wait(d);
  }
  bool interrupted() const override { return inner_.interrupted(); }
  int waits = 0;

 private:
  mxclient::Sleeper& inner_;
  std::function<void()> act_;
};

}  // namespace mxemu::testing
