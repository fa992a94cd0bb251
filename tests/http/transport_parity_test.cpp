// The in-process transport and HTTP are one service: the same flow, replayed against two fresh
// worlds (one over loopback, one in process), gives the same statuses, content types and bytes.
#include <gtest/gtest.h>
#include <httplib.h>

#include <string>
#include <vector>

#include "api/in_process_transport.h"
#include "api/service.h"
#include "http/http_server.h"
#include "support/test_emulator.h"

namespace mxemu::http {
namespace {

using nlohmann::json;

struct Reply {
  int status = 0;
  std::string content_type;
  std::string body;
};

struct Step {
  api::Method method;
  std::string target;  // {user} and {member} are filled from earlier replies
  json body;
};

constexpr const char* kBase = "http://127.0.0.1:1";  // widget URLs: the same on both sides

class Side {
 public:
  virtual ~Side() = default;
  virtual Reply send(const Step& step, const std::string& target) = 0;
  testing::TestEmulator emu;
  api::Service service{emu.tenants()};
};

class InProcessSide final : public Side {
 public:
  InProcessSide() { emu.tenants().set_base_url(kBase); }
  Reply send(const Step& step, const std::string& target) override {
    api::Headers headers{{"Authorization", api::basic_authorization("client", "key")},
                         {"Accept", "application/vnd.mx.api.v1+json"}};
    std::string body;
    if (!step.body.is_null()) {
      headers.emplace("Content-Type", "application/json");
      body = step.body.dump();
    }
    const api::Response r =
        api::InProcessTransport(service).send(step.method, target, headers, body);
    return {r.status, r.content_type, r.body};
  }
};

class HttpSide final : public Side {
 public:
  HttpSide() : server(service, ServerOptions{}) {
    EXPECT_TRUE(server.start()) << server.error();
    emu.tenants().set_base_url(kBase);
    client = std::make_unique<httplib::Client>("127.0.0.1", server.port());
    client->set_basic_auth("client", "key");
    client->set_default_headers({{"Accept", "application/vnd.mx.api.v1+json"}});
  }
  ~HttpSide() override { server.stop(); }
  Reply send(const Step& step, const std::string& target) override {
    const std::string body = step.body.is_null() ? "" : step.body.dump();
    auto call = [&]() -> httplib::Result {
      switch (step.method) {
        case api::Method::kPost:
          return client->Post(target.c_str(), body, "application/json");
        case api::Method::kPut:
          return client->Put(target.c_str(), body, "application/json");
        case api::Method::kDelete:
          return client->Delete(target.c_str());
        default:
          return client->Get(target.c_str());
      }
    };
    const httplib::Result r = call();
    if (!r) return {0, "", httplib::to_string(r.error())};
    return {r->status, r->get_header_value("Content-Type"), r->body};
  }
  HttpServer server;
  std::unique_ptr<httplib::Client> client;
};

std::string fill(std::string target, const json& vars) {
  for (const auto& [name, value] : vars.items()) {
    const std::string key = "{" + name + "}";
    for (auto at = target.find(key); at != std::string::npos; at = target.find(key)) {
      target.replace(at, key.size(), value.get<std::string>());
    }
  }
  return target;
}

// Runs the flow on `side`, advancing its clock where the flow waits; returns every reply.
std::vector<Reply> run_flow(Side& side) {
  json creds = json::array();
  for (const auto& c : side.emu.credentials("mxbank", "challenge")) {
    creds.push_back({{"guid", c.guid}, {"value", c.value}});
  }
  const std::vector<Step> steps = {
      {api::Method::kPost, "/users", {{"user", {{"id", "parity"}}}}},
      {api::Method::kGet, "/institutions/mxbank/credentials", nullptr},
      {api::Method::kPost,
       "/users/{user}/members",
       {{"member", {{"institution_code", "mxbank"}, {"credentials", creds}}}}},
      {api::Method::kGet, "/users/{user}/members/{member}/status", nullptr},
      {api::Method::kGet, "/users/{user}/members/{member}/challenges", nullptr},
      {api::Method::kPut, "/users/{user}/members/{member}/resume", nullptr},  // answers below
      {api::Method::kGet, "/users/{user}/members/{member}", nullptr},
      {api::Method::kGet, "/users/{user}/members/{member}/accounts", nullptr},
      {api::Method::kGet, "/users/{user}/transactions?records_per_page=50&page=2", nullptr},
      {api::Method::kPost,
       "/users/{user}/widget_urls",
       {{"widget_url", {{"widget_type", "connect_widget"}}}}},
      {api::Method::kGet, "/users/{user}/members/NOT-A-MEMBER", nullptr},
      {api::Method::kPost, "/users", {{"user", "not an object"}}},
      {api::Method::kDelete, "/users/{user}/members/{member}", nullptr},
  };
  std::vector<Reply> replies;
  json vars = json::object();
  for (Step step : steps) {
    if (step.target.size() > 7 && step.target.substr(step.target.size() - 7) == "/resume") {
      const json challenges = json::parse(replies.back().body)["challenges"];
      json answers = json::array();
      for (const auto& c : challenges)
        answers.push_back({{"guid", c["guid"]}, {"value", "correct"}});
      step.body = {{"member", {{"challenges", answers}}}};
    }
    replies.push_back(side.send(step, fill(step.target, vars)));
    const json body = json::parse(replies.back().body, nullptr, false);
    if (body.contains("user") && body["user"].contains("guid")) vars["user"] = body["user"]["guid"];
    if (body.contains("member") && body["member"].contains("guid") && !vars.contains("member")) {
      vars["member"] = body["member"]["guid"];
    }
    std::lock_guard<std::mutex> lock(side.emu->mutex());
    side.emu.advance(5);  // each job phase finishes between steps
  }
  return replies;
}

TEST(TransportParity, InProcessAndHttpGiveTheSameBytes) {
  InProcessSide in_process;
  HttpSide http;
  const std::vector<Reply> a = run_flow(in_process);
  const std::vector<Reply> b = run_flow(http);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("step " + std::to_string(i));
    EXPECT_EQ(a[i].status, b[i].status);
    if (a[i].status != 204) {
      EXPECT_EQ(a[i].content_type, b[i].content_type);
    }
    EXPECT_EQ(a[i].body, b[i].body);
  }
  EXPECT_EQ(a[2].status, 202);                                                    // member created
  EXPECT_EQ(json::parse(a[6].body)["member"]["connection_status"], "CONNECTED");  // after MFA
  EXPECT_EQ(a[10].status, 404);
  EXPECT_EQ(a[11].status, 400);
}

}  // namespace
}  // namespace mxemu::http
