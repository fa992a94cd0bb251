// WebhookServer over loopback (127.0.0.1, port 0) with httplib's client, and end to end: the
// emulator's own webhook dispatcher delivering MX's payloads to it. Waits are bounded condition
// waits on real events (a request answered, a handler called), never sleeps.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/webhook_outbox.h"
#include "http/webhook_dispatcher.h"
#include "mxclient/webhook_receiver.h"
#include "support/test_emulator.h"

namespace mxclient {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kBound{10000};  // how long a test waits before failing

class FakeClock : public Clock {
 public:
  TimePoint now() const override { return now_; }
  TimePoint now_ = TimePoint(seconds(1709283600));
};

// Records handled events; can hold the handler until released (a slow consumer).
class Consumer {
 public:
  void operator()(const ReceivedWebhook& w) {
    std::unique_lock<std::mutex> lock(mutex_);
    entered_ = true;
    changed_.notify_all();
    changed_.wait_for(lock, kBound, [this] { return !hold_; });
    events_.push_back(w);
    if (throw_next_) {
      throw_next_ = false;
      throw std::runtime_error("consumer bug");
    }
  }
  void hold() {
    std::lock_guard<std::mutex> lock(mutex_);
    hold_ = true;
    entered_ = false;
  }
  void release() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      hold_ = false;
    }
    changed_.notify_all();
  }
  bool wait_entered() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, kBound, [this] { return entered_; });
  }
  void throw_next() {
    std::lock_guard<std::mutex> lock(mutex_);
    throw_next_ = true;
  }
  std::vector<ReceivedWebhook> events() {
    std::lock_guard<std::mutex> lock(mutex_);
    return events_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool hold_ = false;
  bool entered_ = false;
  bool throw_next_ = false;
  std::vector<ReceivedWebhook> events_;
};

std::string balance(const std::string& member, std::int64_t completed_at) {
  return json{{"action", "member_data_updated"},
              {"completed_at", completed_at},
              {"completed_on", "2024-03-01"},
              {"member_guid", member},
              {"type", "BALANCE"},
              {"user_guid", "USR-1"}}
      .dump();
}

class WebhookServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_sqlite_store(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    receiver_ = std::make_unique<WebhookReceiver>(*store_, clock_);
  }
  void TearDown() override {
    consumer_.release();
    if (server_) server_->stop();
  }

  void start(WebhookServerOptions options = {}) {
    options.keep_alive_timeout = seconds(1);
    server_ = std::make_unique<WebhookServer>(
        *receiver_, [this](const ReceivedWebhook& w) { consumer_(w); }, options);
    auto port = server_->start();
    ASSERT_TRUE(port) << port.error().message;
    ASSERT_GT(*port, 0);
    EXPECT_EQ(server_->port(), *port);
  }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_connection_timeout(2, 0);
    c.set_read_timeout(5, 0);
    return c;
  }

  int post(const std::string& body, const std::string& path = "/webhooks/mx",
           const httplib::Headers& headers = {}) {
    auto c = client();
    auto res = c.Post(path.c_str(), headers, body, "application/json; charset=utf-8");
    return res ? res->status : -1;
  }

  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<WebhookReceiver> receiver_;
  Consumer consumer_;
  std::unique_ptr<WebhookServer> server_;
};

TEST_F(WebhookServerTest, TheSameEventTwiceIsProcessedOnce) {
  start();
  EXPECT_EQ(post(balance("MBR-1", 1709283604)), 204);
  EXPECT_EQ(post(balance("MBR-1", 1709283604)), 204);  // MX's retry: still a 2xx
  ASSERT_TRUE(server_->wait_until_idle(kBound));
  ASSERT_EQ(consumer_.events().size(), 1U);
  EXPECT_EQ(consumer_.events()[0].event.type, WebhookType::kBalance);
  const WebhookServerStats stats = server_->stats();
  EXPECT_EQ(stats.requests, 2U);
  EXPECT_EQ(stats.accepted, 1U);
  EXPECT_EQ(stats.duplicates, 1U);
  EXPECT_EQ(stats.handled, 1U);
}

TEST_F(WebhookServerTest, BadJsonIs400AndNotHandedOn) {
  start();
  auto c = client();
  auto res = c.Post("/webhooks/mx", "{\"type\":\"BALANCE\",", "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("not valid JSON"), std::string::npos) << res->body;
  EXPECT_EQ(post(R"({"member_guid":"MBR-1"})"), 400);  // JSON, but no type
  ASSERT_TRUE(server_->wait_until_idle(kBound));
  EXPECT_TRUE(consumer_.events().empty());
  EXPECT_EQ(server_->stats().malformed, 2U);
  EXPECT_EQ(*store_->count_webhook_events(), 0);
}

TEST_F(WebhookServerTest, OnlyPostsOnThePathWithinTheSizeLimit) {
  WebhookServerOptions options;
  options.path = "/hooks/s3cr3t-token";
  options.max_body_bytes = 1024;
  start(options);
  EXPECT_EQ(post(balance("MBR-1", 1), "/webhooks/mx"), 404);
  EXPECT_EQ(post(balance("MBR-1", 1), "/hooks/s3cr3t-token/x"), 404);
  auto c = client();
  auto get = c.Get("/hooks/s3cr3t-token");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  EXPECT_EQ(get->get_header_value("Allow"), "POST");
  json big = json::parse(balance("MBR-1", 1));
  big["padding"] = std::string(2000, 'x');
  EXPECT_EQ(post(big.dump(), "/hooks/s3cr3t-token"), 413);
  EXPECT_EQ(post(balance("MBR-1", 1), "/hooks/s3cr3t-token"), 204);
  ASSERT_TRUE(server_->wait_until_idle(kBound));
  EXPECT_EQ(consumer_.events().size(), 1U);
}

TEST_F(WebhookServerTest, ChecksBasicCredentialsWhenConfigured) {
  WebhookServerOptions options;
  options.username = "hook";
  options.password = "s3cret:with colon";
  start(options);
  auto c = client();
  auto none = c.Post("/webhooks/mx", balance("MBR-1", 1), "application/json");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_EQ(none->get_header_value("WWW-Authenticate"), "Basic realm=\"mx-webhooks\"");
  auto wrong = client();
  wrong.set_basic_auth("hook", "guess");
  EXPECT_EQ(wrong.Post("/webhooks/mx", balance("MBR-1", 1), "application/json")->status, 401);
  auto right = client();
  right.set_basic_auth("hook", "s3cret:with colon");
  EXPECT_EQ(right.Post("/webhooks/mx", balance("MBR-1", 1), "application/json")->status, 204);
  ASSERT_TRUE(server_->wait_until_idle(kBound));
  EXPECT_EQ(consumer_.events().size(), 1U);
  EXPECT_EQ(server_->stats().unauthorized, 2U);
  EXPECT_EQ(*store_->count_webhook_events(), 1);  // refused deliveries claim nothing
}

TEST_F(WebhookServerTest, ASlowConsumerDoesNotDelayTheAnswer) {
  start();
  consumer_.hold();
  EXPECT_EQ(post(balance("MBR-1", 1)), 204);
  ASSERT_TRUE(consumer_.wait_entered());      // the handler is running, and blocked
  EXPECT_EQ(post(balance("MBR-1", 2)), 204);  // answered while it still blocks
  EXPECT_FALSE(server_->wait_until_idle(milliseconds(0)));
  consumer_.release();
  ASSERT_TRUE(server_->wait_until_idle(kBound));
  ASSERT_EQ(consumer_.events().size(), 2U);
  EXPECT_EQ(consumer_.events()[0].event.completed_at, 1);  // in acceptance order
  EXPECT_EQ(consumer_.events()[1].event.completed_at, 2);
}

TEST_F(WebhookServerTest, AFullQueueAnswers503AndTheRedeliveryIsProcessed) {
  WebhookServerOptions options;
  options.max_pending = 1;
  start(options);
  consumer_.hold();
  EXPECT_EQ(post(balance("MBR-1", 1)), 204);
  ASSERT_TRUE(consumer_.wait_entered());      // taken off the queue, handler blocked
  EXPECT_EQ(post(balance("MBR-1", 2)), 204);  // queued
  EXPECT_EQ(post(balance("MBR-1", 3)), 503);  // no room: MX will deliver it again
  EXPECT_EQ(server_->stats().busy, 1U);
  consumer_.release();
  ASSERT_TRUE(server_->wait_until_idle(kBound));
  EXPECT_EQ(post(balance("MBR-1", 3)), 204);  // the redelivery is new, not a duplicate
  ASSERT_TRUE(server_->wait_until_idle(kBound));
  EXPECT_EQ(consumer_.events().size(), 3U);
  EXPECT_EQ(server_->stats().duplicates, 0U);
}

TEST_F(WebhookServerTest, AThrowingConsumerIsCountedAndTheServerGoesOn) {
  start();
  consumer_.throw_next();
  EXPECT_EQ(post(balance("MBR-1", 1)), 204);
  EXPECT_EQ(post(balance("MBR-1", 2)), 204);
  ASSERT_TRUE(server_->wait_until_idle(kBound));
  EXPECT_EQ(server_->stats().handler_errors, 1U);
  EXPECT_EQ(server_->stats().handled, 2U);
}

TEST_F(WebhookServerTest, StopRefusesNewConnectionsAndIsIdempotent) {
  start();
  const int port = server_->port();
  EXPECT_EQ(post(balance("MBR-1", 1)), 204);
  server_->stop();
  server_->stop();
  EXPECT_EQ(consumer_.events().size(), 1U);  // stop() ran what was queued
  httplib::Client c("127.0.0.1", port);
  c.set_connection_timeout(1, 0);
  EXPECT_FALSE(c.Post("/webhooks/mx", balance("MBR-1", 2), "application/json"));
}

TEST_F(WebhookServerTest, RejectsUnusableOptions) {
  WebhookServerOptions options;
  options.path = "no-slash";
  WebhookServer bad(*receiver_, nullptr, options);
  auto port = bad.start();
  ASSERT_FALSE(port);
  EXPECT_EQ(port.error().kind, ErrorKind::kInvalidInput);
}

// ---- end to end: the emulator's dispatcher → WebhookServer → store

class WebhookEndToEndTest : public WebhookServerTest {
 protected:
  static mxemu::domain::EmulatorOptions emulator_options() {
    mxemu::domain::EmulatorOptions o;
    o.background_aggregation = false;
    return o;
  }

  // An MX Bank member at the emulator, also stored by the client (as enrolment would).
  std::string member(const std::string& password) {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    const std::string user = emu_.user();
    auto created = emu_.member(user, "mxbank", password);
    EXPECT_TRUE(created.ok());
    const std::string guid = (*created)->guid;
    EXPECT_TRUE(store_->upsert_end_user({"app-" + user, user, clock_.now()}));
    MemberRecord m;
    m.member_guid = guid;
    m.user_guid = user;
    m.institution_code = "mxbank";
    m.connection_status = "CREATED";
    m.created_at = m.updated_at = clock_.now();
    EXPECT_TRUE(store_->upsert_member(m));
    emu_.settle(guid);
    return guid;
  }

  void subscribe(std::optional<std::vector<std::string>> types = std::nullopt) {
    auto s = mxemu::api::make_subscription(
        "http://127.0.0.1:" + std::to_string(server_->port()) + "/webhooks/mx", std::move(types),
        std::nullopt, std::nullopt);
    ASSERT_TRUE(s.ok()) << s.error().message;
    std::lock_guard<std::mutex> lock(emu_->mutex());
    emu_.world().state().webhooks.set_subscriptions({*s}, emu_->last_event_sequence());
  }

  mxemu::http::WebhookDispatcher& dispatcher() {
    if (!dispatcher_)
      dispatcher_ = std::make_unique<mxemu::http::WebhookDispatcher>(emu_.tenants());
    return *dispatcher_;
  }

  void TearDown() override {
    dispatcher_.reset();
    WebhookServerTest::TearDown();
  }

  mxemu::testing::TestEmulator emu_{emulator_options()};
  std::unique_ptr<mxemu::http::WebhookDispatcher> dispatcher_;
};

TEST_F(WebhookEndToEndTest, ConnectionStatusAndAggregationReachTheStore) {
  start();
  subscribe();
  const std::string challenged = member("challenge");
  const std::string connected = member("password");
  EXPECT_EQ(dispatcher().deliver_due_once(), 2U);  // CHALLENGED; the AGGREGATION
  ASSERT_TRUE(server_->wait_until_idle(kBound));

  const auto events = consumer_.events();
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].event.type, WebhookType::kConnectionStatus);
  EXPECT_EQ(events[0].event.member_guid, challenged);
  EXPECT_EQ(events[0].event.connection_status, "CHALLENGED");
  EXPECT_TRUE(events[0].status_recorded);
  EXPECT_EQ(events[1].event.type, WebhookType::kAggregation);
  EXPECT_EQ(events[1].event.member_guid, connected);

  auto latest = store_->latest_status(challenged);
  ASSERT_TRUE(latest && latest->has_value());
  EXPECT_EQ((*latest)->connection_status, "CHALLENGED");
  EXPECT_EQ((*latest)->source, StatusSource::kWebhook);
  auto stored = store_->find_member(connected);
  ASSERT_TRUE(stored && stored->has_value());
  ASSERT_TRUE((*stored)->successfully_aggregated_at.has_value());
  EXPECT_EQ((*stored)->successfully_aggregated_at->substr(0, 10), "2024-03-01");
}

TEST_F(WebhookEndToEndTest, MxRetriesWhatWeRefusedAndItIsProcessedOnce) {
  WebhookServerOptions options;
  options.max_pending = 1;
  start(options);
  subscribe(std::vector<std::string>{"AGGREGATION"});
  consumer_.hold();
  member("password");
  ASSERT_EQ(dispatcher().deliver_due_once(), 1U);
  ASSERT_TRUE(consumer_.wait_entered());
  member("password");
  member("password");
  ASSERT_EQ(dispatcher().deliver_due_once(), 2U);  // one queued, one refused with 503
  EXPECT_EQ(server_->stats().busy, 1U);
  consumer_.release();
  ASSERT_TRUE(server_->wait_until_idle(kBound));
  {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    emu_.advance(60);  // MX's first retry is due a minute after the event
  }
  ASSERT_EQ(dispatcher().deliver_due_once(), 1U);
  ASSERT_TRUE(server_->wait_until_idle(kBound));
  EXPECT_EQ(consumer_.events().size(), 3U);
  EXPECT_EQ(server_->stats().accepted, 3U);
  EXPECT_EQ(*store_->count_webhook_events(), 3);
}

}  // namespace
}  // namespace mxclient
