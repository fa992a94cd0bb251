// The real assembly over loopback: Service behind HttpServer on 127.0.0.1, port 0, spoken to by
// an HTTP client the way an MX integration would. Time still moves only by hand.
#include <gtest/gtest.h>
#include <httplib.h>

#include "api/service.h"
#include "http/http_server.h"
#include "support/test_emulator.h"

namespace mxemu::http {
namespace {

using nlohmann::json;

class Loopback : public ::testing::Test {
 protected:
  void SetUp() override {
    service_ = std::make_unique<api::Service>(emu_.tenants());
    ServerOptions options;
    options.threads = 8;
    options.keep_alive_timeout = std::chrono::seconds(1);
    server_ = std::make_unique<HttpServer>(*service_, options);
    ASSERT_TRUE(server_->start()) << server_->error();
    emu_.tenants().set_base_url("http://127.0.0.1:" + std::to_string(server_->port()));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_connection_timeout(5, 0);
    client_->set_read_timeout(5, 0);
    client_->set_basic_auth("client", "key");
    client_->set_default_headers({{"Accept", "application/vnd.mx.api.v1+json"}});
  }
  void TearDown() override {
    client_.reset();
    server_->stop();
  }

  json post(const std::string& path, const json& body) {
    auto r = client_->Post(path.c_str(), body.dump(), "application/json");
    EXPECT_TRUE(r) << httplib::to_string(r.error());
    return r ? json::parse(r->body) : json();
  }

  testing::TestEmulator emu_;
  std::unique_ptr<api::Service> service_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(Loopback, ConnectsAnMxBankMemberOverHttp) {
  const std::string user = post("/users", {{"user", {{"id", "loop"}}}})["user"]["guid"];
  json creds = json::array();
  for (const auto& c : emu_.credentials("mxbank", "password"))
    creds.push_back({{"guid", c.guid}, {"value", c.value}});
  json created = post("/users/" + user + "/members",
                      {{"member", {{"institution_code", "mxbank"}, {"credentials", creds}}}});
  const std::string member = created["member"]["guid"];
  ASSERT_EQ(created["member"]["connection_status"], "CREATED");
  {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    emu_.advance(10);
  }
  auto status = client_->Get(("/users/" + user + "/members/" + member + "/status").c_str());
  ASSERT_TRUE(status);
  EXPECT_EQ(status->status, 200);
  EXPECT_EQ(status->get_header_value("Content-Type"),
            "application/vnd.mx.api.v1+json; charset=utf-8");
  json s = json::parse(status->body)["member"];
  EXPECT_EQ(s["connection_status"], "CONNECTED");
  EXPECT_EQ(s["is_being_aggregated"], false);
  // A body-less POST as the official Node SDK sends it.
  auto agg = client_->Post(("/users/" + user + "/members/" + member + "/aggregate").c_str(), "",
                           "application/x-www-form-urlencoded");
  ASSERT_TRUE(agg);
  EXPECT_EQ(agg->status, 202);
}

TEST_F(Loopback, RejectsMissingCredentialsWithMxsEnvelope) {
  httplib::Client anonymous("127.0.0.1", server_->port());
  anonymous.set_connection_timeout(5, 0);
  anonymous.set_read_timeout(5, 0);
  auto r = anonymous.Get("/users");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(json::parse(r->body)["error"]["message"],
            "Invalid MX-API-Key or MX-Client-ID provided.");
}

TEST_F(Loopback, ControlApiMovesTheClockOverHttp) {
  auto r = client_->Post("/_emulator/clock/advance", R"({"seconds":7200})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["clock"]["offset_seconds"], 7200);
}

// Issue 7's wire rules with the real service behind the socket: a percent-encoded '/' never
// reaches another resource, a body not declared JSON is 415 and creates nothing.
TEST_F(Loopback, EncodedSlashAndNonJsonBodiesAreRefusedInMxsEnvelope) {
  const std::string user = post("/users", {{"user", {{"id", "wire"}}}})["user"]["guid"];
  client_->set_url_encode(false);  // send the targets exactly as written
  for (const std::string& target :
       {"/users/" + user + "%2Fmembers", "/users/" + user + "%2fmembers"}) {
    auto r = client_->Get(target.c_str());
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 400) << target;
    EXPECT_TRUE(json::parse(r->body)["error"]["message"].is_string()) << r->body;
  }
  auto plain = client_->Post("/users", R"({"user":{"id":"plain"}})", "text/plain");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 415);
  EXPECT_TRUE(json::parse(plain->body)["error"]["message"].is_string()) << plain->body;
  auto form = client_->Post("/users", R"({"user":{"id":"form"}})",
                            "application/x-www-form-urlencoded");  // curl -d's default
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  auto users = client_->Get("/users");
  ASSERT_TRUE(users);
  EXPECT_EQ(json::parse(users->body)["users"].size(), 1u);
}

}  // namespace
}  // namespace mxemu::http
