// The /_emulator/webhooks control routes, in process: subscriptions and the delivery log.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "domain/timestamps.h"
#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;
using ::testing::HasSubstr;

class WebhookRoutes : public ::testing::Test {
 protected:
  Response put(const json& body) { return c_.put("/_emulator/webhooks", body); }
  json deliveries(const std::string& query = "") {
    Response r = c_.get("/_emulator/webhooks/deliveries" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return ApiClient::json(r);
  }
  // A CHALLENGED member created over the API; 10 emulated seconds later.
  std::string challenged_member() {
    const std::string user = c_.create_user("u" + std::to_string(++users_));
    const std::string member = c_.create_member(user, "mxbank", "challenge")["member"]["guid"];
    c_.emu().advance(10);
    return member;
  }

  ApiClient c_;
  int users_ = 0;
};

// The event log keeps event_log_capacity events, but not at the cost of a webhook: events the
// outbox has not read yet stay until it has. Two worlds run the same burst, one with a log of 4
// events: both deliver the same webhooks, and the small log is back to its size afterwards.
TEST(WebhookRetention, EventsTheOutboxHasNotReadOutliveTheLogsCapacity) {
  domain::EmulatorOptions small;
  small.event_log_capacity = 4;
  ApiClient tight(small);
  ApiClient roomy;
  json delivered[2];
  std::size_t logged_after[2] = {0, 0};
  int i = 0;
  for (ApiClient* c : {&tight, &roomy}) {
    ASSERT_EQ(c->put("/_emulator/webhooks", {{"subscriptions", {{{"url", "http://127.0.0.1:9/"}}}}})
                  .status,
              200);
    for (int u = 0; u < 5; ++u) {
      c->create_member(c->create_user("burst-" + std::to_string(u)), "mxbank", "password");
    }
    c->emu().advance(60);  // every member connects and aggregates: a burst of events
    Response r = c->get("/_emulator/webhooks/deliveries");
    ASSERT_EQ(r.status, 200) << r.body;
    delivered[i] = ApiClient::json(r)["pending"];
    // The next events trim what the outbox read.
    c->create_member(c->create_user("after-the-read"), "mxbank", "password");
    logged_after[i] = c->emu().world().emulator().events().size();
    ++i;
  }
  ASSERT_GE(delivered[1].size(), 5U);  // one AGGREGATION webhook per member, at least
  ASSERT_EQ(delivered[0].size(), delivered[1].size());
  for (std::size_t k = 0; k < delivered[0].size(); ++k) {
    EXPECT_EQ(delivered[0][k]["type"], delivered[1][k]["type"]) << k;
  }
  EXPECT_LE(logged_after[0], 4U);
  EXPECT_GT(logged_after[1], 4U);
}

TEST_F(WebhookRoutes, PutReplacesTheListAndGetListsIt) {
  Response r = put({{"subscriptions",
                     {{{"url", "http://127.0.0.1:9000/status"}, {"types", {"CONNECTION_STATUS"}}},
                      {{"url", "http://127.0.0.1:9000/data"},
                       {"types", {"AGGREGATION", "MEMBER"}},
                       {"username", "hook"},
                       {"password", "s3cret"}},
                      {{"url", "http://127.0.0.1:9000/all"}}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
  const json listed = ApiClient::json(r);
  ASSERT_EQ(listed["subscriptions"].size(), 3U);
  EXPECT_EQ(listed["subscriptions"][0]["types"], json({"CONNECTION_STATUS"}));
  EXPECT_EQ(listed["subscriptions"][1]["username"], "hook");
  EXPECT_EQ(listed["subscriptions"][1]["has_password"], true);
  EXPECT_THAT(r.body, ::testing::Not(HasSubstr("s3cret")));  // never echoed
  EXPECT_EQ(listed["subscriptions"][2]["types"],
            json({"CONNECTION_STATUS", "AGGREGATION", "BALANCE", "HISTORY", "STATEMENT",
                  "VERIFICATION", "REWARD", "MICRODEPOSIT"}));
  EXPECT_EQ(ApiClient::json(c_.get("/_emulator/webhooks")), listed);

  ASSERT_EQ(put({{"subscriptions", {{{"url", "http://127.0.0.1:9000/only"}}}}}).status, 200);
  EXPECT_EQ(ApiClient::json(c_.get("/_emulator/webhooks"))["subscriptions"].size(), 1U);
}

TEST_F(WebhookRoutes, DeleteClearsSubscriptionsAndPendingDeliveries) {
  ASSERT_EQ(put({{"subscriptions", {{{"url", "http://127.0.0.1:9000/"}}}}}).status, 200);
  challenged_member();
  EXPECT_EQ(deliveries()["pending"].size(), 1U);

  EXPECT_EQ(c_.del("/_emulator/webhooks").status, 204);
  EXPECT_EQ(ApiClient::json(c_.get("/_emulator/webhooks"))["subscriptions"], json::array());
  EXPECT_EQ(deliveries()["pending"], json::array());
  challenged_member();
  EXPECT_EQ(deliveries()["pending"], json::array());
}

TEST_F(WebhookRoutes, RejectsMalformedSubscriptions) {
  const json bad_bodies[] = {
      {{"url", "http://127.0.0.1:9000/"}},  // a bare object: the list shape is required
      json::array(),
      {{"subscriptions", {{{"types", {"AGGREGATION"}}}}}},
      {{"subscriptions", {{{"url", "not a url"}}}}},
      {{"subscriptions", {{{"url", "http://h/"}, {"types", {"NOPE"}}}}}},
      {{"subscriptions", {{{"url", "http://h/"}, {"types", "AGGREGATION"}}}}},
      {{"subscriptions", {{{"url", "http://h/"}, {"secret", "x"}}}}},
      {{"subscriptions", {{{"url", 42}}}}},
  };
  for (const json& body : bad_bodies) {
    Response r = put(body);
    EXPECT_EQ(r.status, 400) << body.dump();
    EXPECT_TRUE(ApiClient::json(r)["error"]["message"].is_string()) << body.dump();
  }
  EXPECT_EQ(ApiClient::json(c_.get("/_emulator/webhooks"))["subscriptions"], json::array());
}

TEST_F(WebhookRoutes, DeliveryLogShowsPendingThenAttempts) {
  ASSERT_EQ(put({{"subscriptions", {{{"url", "http://127.0.0.1:9000/h"}}}}}).status, 200);
  const std::string member = challenged_member();

  json log = deliveries();
  EXPECT_EQ(log["attempts"], json::array());
  ASSERT_EQ(log["pending"].size(), 1U);
  EXPECT_EQ(log["pending"][0]["type"], "CONNECTION_STATUS");
  EXPECT_EQ(log["pending"][0]["attempt"], 1);
  EXPECT_EQ(log["pending"][0]["in_flight"], false);
  EXPECT_EQ(log["pending"][0]["url"], "http://127.0.0.1:9000/h");

  // What the dispatcher does, by hand: take the due delivery and report a 500, then a 204.
  WebhookOutbox& outbox = c_.emu().world().state().webhooks;
  auto sent = outbox.due(c_.emu()->now());
  ASSERT_EQ(sent.size(), 1U);
  outbox.record(sent[0], WebhookAttemptResult{500, ""});
  c_.emu().advance(60);
  sent = outbox.due(c_.emu()->now());
  ASSERT_EQ(sent.size(), 1U);
  outbox.record(sent[0], WebhookAttemptResult{204, ""});

  log = deliveries();
  EXPECT_EQ(log["pending"], json::array());
  ASSERT_EQ(log["attempts"].size(), 2U);
  const json& first = log["attempts"][0];
  EXPECT_EQ(first["attempt"], 1);
  EXPECT_EQ(first["status"], 500);
  EXPECT_EQ(first["error"], nullptr);
  EXPECT_EQ(first["outcome"], "retrying");
  EXPECT_EQ(first["at"], "2024-03-01T09:00:10.000Z");
  // Retry 1 is due a minute after the event, whenever attempt 1 went out.
  std::string event_at;
  const json events = ApiClient::json(c_.get("/_emulator/events"));
  for (const json& e : events["events"]) {
    if (e["sequence"] == first["event_sequence"]) event_at = e["at"];
  }
  ASSERT_FALSE(event_at.empty());
  EXPECT_EQ(first["next_retry_at"],
            domain::format_iso8601(*domain::parse_iso8601(event_at) + domain::Seconds{60}));
  EXPECT_EQ(first["type"], "CONNECTION_STATUS");
  const json& second = log["attempts"][1];
  EXPECT_EQ(second["attempt"], 2);
  EXPECT_EQ(second["outcome"], "delivered");
  EXPECT_EQ(second["next_retry_at"], nullptr);
  EXPECT_EQ(second["event_sequence"], first["event_sequence"]);

  const auto first_id = first["id"].get<std::uint64_t>();
  json after = deliveries("?after=" + std::to_string(first_id));
  ASSERT_EQ(after["attempts"].size(), 1U);
  EXPECT_EQ(after["attempts"][0]["id"], second["id"]);
  EXPECT_EQ(c_.get("/_emulator/webhooks/deliveries?after=x").status, 400);
  EXPECT_EQ(c_.get("/_emulator/webhooks/deliveries?after=-1").status, 400);
}

TEST_F(WebhookRoutes, AreControlRoutesNotMxRoutes) {
  // No MX credentials needed, like every /_emulator route...
  Request r = c_.request(Method::kGet, "/_emulator/webhooks");
  r.headers.erase("Authorization");
  EXPECT_EQ(c_.send(r).status, 200);
  // ...and MX itself has no webhook route.
  EXPECT_EQ(c_.get("/webhooks").status, 404);
}

}  // namespace
}  // namespace mxemu::api
