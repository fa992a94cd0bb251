// A fault's dropped connection over real HTTP: the client reads EOF where the answer should be,
// the request is not served, and the next connection is answered normally.
#include <gtest/gtest.h>
#include <httplib.h>

#include "api/service.h"
#include "http/http_server.h"
#include "support/test_emulator.h"

namespace mxemu::http {
namespace {

using nlohmann::json;

class FaultDrop : public ::testing::Test {
 protected:
  void SetUp() override {
    service_ = std::make_unique<api::Service>(emu_.tenants());
    ServerOptions options;
    options.threads = 4;
    options.keep_alive_timeout = std::chrono::seconds(1);
    server_ = std::make_unique<HttpServer>(*service_, options);
    ASSERT_TRUE(server_->start()) << server_->error();
  }
  std::unique_ptr<httplib::Client> client() {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    c->set_connection_timeout(5, 0);
    c->set_read_timeout(5, 0);
    c->set_basic_auth("client", "key");
    c->set_default_headers({{"Accept", "application/vnd.mx.api.v1+json"}});
    return c;
  }
  std::size_t users() {
    auto r = client()->Get("/users");
    EXPECT_TRUE(r);
    return r ? json::parse(r->body)["users"].size() : 0;
  }

  testing::TestEmulator emu_;
  std::unique_ptr<api::Service> service_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(FaultDrop, RuleDropsTheConnectionWithoutAnAnswer) {
  auto c = client();
  auto added =
      c->Post("/_emulator/faults", R"({"operation_id":"createUser","drop_connection":true})",
              "application/json");
  ASSERT_TRUE(added);
  ASSERT_EQ(added->status, 201);
  auto dropped = c->Post("/users", R"({"user":{"id":"lost"}})", "application/json");
  ASSERT_FALSE(dropped);  // no status line at all: EOF or reset where the answer should be
  EXPECT_TRUE(dropped.error() == httplib::Error::Read || dropped.error() == httplib::Error::Write)
      << httplib::to_string(dropped.error());
  EXPECT_EQ(users(), 0U);  // the request was not served
  auto again = client()->Post("/users", R"({"user":{"id":"kept"}})", "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
  auto journal = client()->Get("/_emulator/journal?operation=createUser");
  ASSERT_TRUE(journal);
  const json entries = json::parse(journal->body)["entries"];
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[1]["dropped"], true);
  EXPECT_EQ(entries[1]["fault_id"], "fault-1");
}

TEST_F(FaultDrop, HeaderDropsOneRequestOnly) {
  auto c = client();
  auto dropped = c->Get("/users", {{"X-Mxemu-Fault", "drop"}});
  ASSERT_FALSE(dropped);
  auto fine = client()->Get("/users");
  ASSERT_TRUE(fine);
  EXPECT_EQ(fine->status, 200);
  auto limited = client()->Get("/users", {{"X-Mxemu-Fault", "429; retry-after=12"}});
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->get_header_value("Retry-After"), "12");
}

}  // namespace
}  // namespace mxemu::http
