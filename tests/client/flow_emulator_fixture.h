#pragma once

// The whole flow against the real emulator in process: EmulatorTransport (no sockets), a
// VirtualSleeper (waiting moves the emulator's clock), a Clock that reads the emulator's time,
// and a real SQLite store in a temp file. The emulator's control API (/_emulator/…) goes
// through the same transport, as a test over HTTP would use it.

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "api/service.h"
#include "flow_test_support.h"
#include "mxclient/category_mapper.h"
#include "mxclient/connect.h"
#include "mxclient/enrol.h"
#include "mxclient/mx_api.h"
#include "mxclient/store.h"
#include "mxclient/sync.h"
#include "mxclient/watch.h"
#include "support/emulator_transport.h"
#include "support/test_emulator.h"

namespace mxemu::testing {

// Answers every challenge with `answers[round]` (the last one repeating).
class ScriptedAnswerer final : public mxclient::ChallengeAnswerer {
 public:
  explicit ScriptedAnswerer(std::vector<std::string> answers) : answers_(std::move(answers)) {}
  std::optional<std::vector<mxclient::MxCredentialValue>> answer(
      const mxclient::MemberRecord& /*member*/,
      const std::vector<mxclient::MxChallenge>& challenges) override {
    asked.push_back(challenges);
    const std::string& value = answers_[std::min(asked.size(), answers_.size()) - 1];
    std::vector<mxclient::MxCredentialValue> out;
    for (const auto& c : challenges) out.push_back({c.guid, value});
    return out;
  }
  std::vector<std::vector<mxclient::MxChallenge>> asked;

 private:
  std::vector<std::string> answers_;
};

class FlowEmulatorTest : public ::testing::Test {
 protected:
  FlowEmulatorTest() {
    service_ = std::make_unique<api::Service>(emu_.tenants());
    transport_ = std::make_shared<EmulatorTransport>(*service_);
    mxclient::MxApiConfig api_config;
    api_config.client_id = "client";
    api_config.api_key = "key";
    api_config.jitter_seed = 7;
    api_ = std::make_unique<mxclient::MxApi>(transport_, api_config, sleeper_);
    auto opened = mxclient::open_sqlite_store(dir_.file("flow.sqlite"));
    if (!opened) ADD_FAILURE() << opened.error().message;
    store_ = std::move(*opened);
    enroller_ = std::make_unique<mxclient::Enroller>(*api_, *store_, clock_);
    watcher_ =
        std::make_unique<mxclient::MemberWatcher>(*api_, *store_, clock_, sleeper_, notifier_);
    syncer_ = std::make_unique<mxclient::Syncer>(*api_, *store_, clock_, mapper_);
  }

  mxclient::ConnectFlow connect_flow(mxclient::PlatformConfig platform) {
    return mxclient::ConnectFlow(*api_, *store_, clock_, std::move(platform));
  }

  // An MX Bank member created through the API the way a no-widget integration does (the
  // widget itself is not emulated beyond its URL): username mxuser, the password picks the
  // outcome (docs/institutions.md §3).
  std::string create_mxbank_member(const std::string& user_guid, const std::string& password) {
    auto fields = api_->list_institution_credentials("mxbank");
    EXPECT_TRUE(fields) << fields.error().message;
    std::vector<mxclient::MxCredentialValue> credentials;
    for (const auto& f : *fields) {
      credentials.push_back({f.guid, f.field_name == "LOGIN" ? "mxuser" : password});
    }
    auto member = api_->create_member(user_guid, "mxbank", credentials);
    EXPECT_TRUE(member) << member.error().message;
    return member ? member->guid : std::string();
  }

  // POST to the emulator's control API; returns the HTTP status.
  int control(const std::string& path, const std::string& body) {
    mxclient::HttpRequest r{"POST", path, {{"Content-Type", "application/json"}}, body};
    auto reply = transport_->send(r);
    EXPECT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->status / 100, 2) << path << ": " << reply->body;
    return reply ? reply->status : 0;
  }
  void force_status(const std::string& member_guid, const std::string& status) {
    control("/_emulator/members/" + member_guid + "/status",
            R"({"connection_status":")" + status + R"("})");
  }

  // Requests the client sent with this method and path (query stripped), in order.
  std::vector<mxclient::HttpRequest> sent(const std::string& method, const std::string& path) {
    std::vector<mxclient::HttpRequest> out;
    for (const auto& r : transport_->requests()) {
      if (r.method == method && r.target.substr(0, r.target.find('?')) == path) out.push_back(r);
    }
    return out;
  }

  mxclient::MemberRecord member(const std::string& guid) { return **store_->find_member(guid); }

  TestEmulator emu_;
  std::unique_ptr<api::Service> service_;
  std::shared_ptr<EmulatorTransport> transport_;
  VirtualSleeper sleeper_{emu_};
  EmulatorClock clock_{emu_};
  mxclient::flowtest::TempDir dir_;
  mxclient::flowtest::RecordingNotifier notifier_;
  mxclient::CategoryMapper mapper_ = mxclient::CategoryMapper::default_mapper();
  std::unique_ptr<mxclient::MxApi> api_;
  std::unique_ptr<mxclient::Store> store_;
  std::unique_ptr<mxclient::Enroller> enroller_;
  std::unique_ptr<mxclient::MemberWatcher> watcher_;
  std::unique_ptr<mxclient::Syncer> syncer_;
};

}  // namespace mxemu::testing
