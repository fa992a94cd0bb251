// Webhook delivery over loopback: the dispatcher POSTs to a real receiver (an HttpServer on
// 127.0.0.1, port 0). Tests drive deliver_due_once() on the test thread, so each attempt has
// happened when the call returns; only the background-thread tests wait, on a condition
// variable with a bound, never on a sleep.
#include "http/webhook_dispatcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api/service.h"
#include "api/webhook_payloads.h"
#include "http/http_server.h"
#include "support/test_emulator.h"

namespace mxemu::http {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TestEmulator;

constexpr auto kBound = std::chrono::seconds(10);  // how long a test waits before failing

// Records every request; answers with the next scripted status (204 once the script is empty).
// A "hold" makes the next request wait until release() (or a 10 s bound).
class Receiver : public api::Handler {
 public:
  api::Response handle(const api::Request& request) override {
    std::unique_lock lock(mutex_);
    requests_.push_back(request);
    arrived_.notify_all();
    if (hold_) {
      released_.wait_for(lock, kBound, [this] { return !hold_; });
    }
    int status = 204;
    if (!script_.empty()) {
      status = script_.front();
      script_.pop_front();
    }
    return api::Response{
        status, status == 204 ? "" : "application/json", status == 204 ? "" : "{}", {}};
  }

  void script(std::vector<int> statuses) {
    std::lock_guard lock(mutex_);
    script_.assign(statuses.begin(), statuses.end());
  }
  void hold() {
    std::lock_guard lock(mutex_);
    hold_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      hold_ = false;
    }
    released_.notify_all();
  }
  std::vector<api::Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // Waits (bounded) until at least `n` requests have arrived.
  bool wait_for_requests(std::size_t n) {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, kBound, [&] { return requests_.size() >= n; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::condition_variable released_;
  std::vector<api::Request> requests_;
  std::deque<int> script_;
  bool hold_ = false;
};

ServerOptions receiver_options(int port = 0) {
  ServerOptions o;
  o.port = port;
  o.threads = 4;
  o.keep_alive_timeout = std::chrono::seconds(1);
  return o;
}

class Dispatch : public ::testing::Test {
 protected:
  static domain::EmulatorOptions emulator_options() {
    domain::EmulatorOptions o;
    o.background_aggregation = false;  // clock jumps add no aggregations of their own
    return o;
  }

  Dispatch() : emu_(emulator_options()) {}

  void SetUp() override {
    receiver_server_ = std::make_unique<HttpServer>(receiver_, receiver_options());
    ASSERT_TRUE(receiver_server_->start()) << receiver_server_->error();
  }
  void TearDown() override {
    receiver_.release();
    dispatcher_.reset();
    receiver_server_.reset();
  }

  std::string url(const std::string& target = "/hooks/mx") const {
    return "http://127.0.0.1:" + std::to_string(receiver_server_->port()) + target;
  }

  void subscribe(const std::string& to,
                 std::optional<std::vector<std::string>> types = std::nullopt,
                 std::optional<std::string> username = std::nullopt,
                 std::optional<std::string> password = std::nullopt) {
    auto s = api::make_subscription(to, std::move(types), std::move(username), std::move(password));
    ASSERT_TRUE(s.ok()) << s.error().message;
    std::lock_guard lock(emu_->mutex());
    emu_.world().state().webhooks.set_subscriptions({*s}, emu_->last_event_sequence());
  }

  WebhookDispatcher& dispatcher(WebhookDispatcherOptions options = {}) {
    if (!dispatcher_)
      dispatcher_ = std::make_unique<WebhookDispatcher>(emu_.tenants(), std::move(options));
    return *dispatcher_;
  }

  // A settled MX Bank member; returns its guid.
  std::string member(const std::string& password,
                     std::optional<std::string> callback_payload = std::nullopt) {
    std::lock_guard lock(emu_->mutex());
    domain::MemberCreate req;
    req.institution_code = "mxbank";
    req.credentials = emu_.credentials("mxbank", password);
    req.callback_payload = std::move(callback_payload);
    auto m = emu_->create_member(emu_.user(), domain::IdentifierMode::kGuidOnly, req);
    EXPECT_TRUE(m.ok());
    const std::string guid = (*m)->guid;
    emu_.settle(guid);
    return guid;
  }

  void advance(long long seconds) {
    std::lock_guard lock(emu_->mutex());
    emu_.advance(seconds);
  }

  std::vector<api::WebhookAttempt> attempts() {
    std::lock_guard lock(emu_->mutex());
    return {emu_.world().state().webhooks.attempts().begin(), emu_.world().state().webhooks.attempts().end()};
  }

  json payload_of(std::uint64_t sequence) {
    std::lock_guard lock(emu_->mutex());
    for (const auto& e : emu_->events()) {
      if (e.sequence == sequence) return *api::webhook_payload(e);
    }
    return nullptr;
  }

  TestEmulator emu_;
  Receiver receiver_;
  std::unique_ptr<HttpServer> receiver_server_;
  std::unique_ptr<WebhookDispatcher> dispatcher_;
};

TEST_F(Dispatch, PostsWhatMxSendsWithMxHeaders) {
  subscribe(url("/hooks/mx?source=emulator"));
  member("challenge", "eyJvcmRlciI6NDJ9");

  EXPECT_EQ(dispatcher().deliver_due_once(), 1U);

  const auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 1U);
  const api::Request& r = requests[0];
  EXPECT_EQ(r.method, api::Method::kPost);
  EXPECT_EQ(r.path, "/hooks/mx");
  EXPECT_EQ(r.query_param("source"), "emulator");
  EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.header("Accept"), "application/json");
  EXPECT_EQ(r.header("User-Agent"), "MX-Emulator-Webhooks/0.1");
  EXPECT_EQ(r.header("X-CALLBACK-PAYLOAD"), "eyJvcmRlciI6NDJ9");
  EXPECT_FALSE(r.has_header("Authorization"));  // no credentials configured
  for (const auto& header : r.headers) {        // MX documents no signature header
    std::string name = header.first;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_THAT(name, ::testing::Not(HasSubstr("signature")));
  }

  const auto log = attempts();
  ASSERT_EQ(log.size(), 1U);
  const json body = json::parse(r.body);
  EXPECT_EQ(body, payload_of(log[0].event_sequence));
  EXPECT_EQ(body["type"], "CONNECTION_STATUS");
  EXPECT_EQ(body["connection_status"], "CHALLENGED");
  EXPECT_EQ(log[0].result.http_status, 204);
  EXPECT_EQ(log[0].outcome, api::WebhookOutcome::kDelivered);

  EXPECT_EQ(dispatcher().deliver_due_once(), 0U);  // delivered once, not again
  EXPECT_EQ(receiver_.requests().size(), 1U);
}

TEST_F(Dispatch, NoCallbackPayloadHeaderWhenTheRequestHadNone) {
  subscribe(url());
  member("challenge");
  ASSERT_EQ(dispatcher().deliver_due_once(), 1U);
  ASSERT_EQ(receiver_.requests().size(), 1U);
  EXPECT_FALSE(receiver_.requests()[0].has_header("X-CALLBACK-PAYLOAD"));
}

TEST_F(Dispatch, SendsBasicCredentials) {
  subscribe(url(), std::nullopt, "hook-user", "s3cret:with colon");
  member("challenge");
  ASSERT_EQ(dispatcher().deliver_due_once(), 1U);
  ASSERT_EQ(receiver_.requests().size(), 1U);
  EXPECT_EQ(receiver_.requests()[0].header("Authorization"),
            "Basic " + api::base64_encode("hook-user:s3cret:with colon"));
}

TEST_F(Dispatch, RetriesAfterAFailureOnceEmulatorTimeReachesTheRetry) {
  subscribe(url(), std::vector<std::string>{"AGGREGATION"});
  member("password");
  receiver_.script({500});

  EXPECT_EQ(dispatcher().deliver_due_once(), 1U);
  EXPECT_EQ(dispatcher().deliver_due_once(), 0U);  // real time passing changes nothing
  advance(55);
  EXPECT_EQ(dispatcher().deliver_due_once(), 0U);
  advance(5);
  EXPECT_EQ(dispatcher().deliver_due_once(), 1U);
  advance(48 * 3600);
  EXPECT_EQ(dispatcher().deliver_due_once(), 0U);

  const auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(requests[0].body, requests[1].body);  // the same payload again
  const auto log = attempts();
  ASSERT_EQ(log.size(), 2U);
  EXPECT_EQ(log[0].result.http_status, 500);
  EXPECT_EQ(log[0].outcome, api::WebhookOutcome::kRetrying);
  EXPECT_EQ(log[1].attempt, 2);
  EXPECT_EQ(log[1].result.http_status, 204);
  EXPECT_EQ(log[1].outcome, api::WebhookOutcome::kDelivered);
}

TEST_F(Dispatch, ClockJumpSendsTheTwelveRetriesThenGivesUp) {
  subscribe(url(), std::vector<std::string>{"AGGREGATION"});
  member("password");
  receiver_.script(std::vector<int>(20, 503));

  EXPECT_EQ(dispatcher().deliver_due_once(), 1U);
  advance(25 * 3600);
  std::size_t steps = 0;
  while (dispatcher().deliver_due_once() > 0 && steps < 20) ++steps;

  EXPECT_EQ(steps, 12U);
  EXPECT_EQ(receiver_.requests().size(), 13U);
  const auto log = attempts();
  ASSERT_EQ(log.size(), 13U);
  for (std::size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].attempt, static_cast<int>(i) + 1);
  EXPECT_EQ(log.back().outcome, api::WebhookOutcome::kFailed);
  advance(7 * 24 * 3600);
  EXPECT_EQ(dispatcher().deliver_due_once(), 0U);
}

TEST_F(Dispatch, RefusedConnectionIsATransportErrorAndIsRetried) {
  int port = -1;
  {
    Receiver nobody;
    HttpServer reserved(nobody, receiver_options());
    port = reserved.bind();
    ASSERT_GT(port, 0) << reserved.error();
  }  // closed: connecting to `port` is refused now
  const std::string target = "http://127.0.0.1:" + std::to_string(port) + "/late";
  subscribe(target);
  member("challenge");

  EXPECT_EQ(dispatcher().deliver_due_once(), 1U);
  auto log = attempts();
  ASSERT_EQ(log.size(), 1U);
  EXPECT_EQ(log[0].result.http_status, std::nullopt);
  EXPECT_EQ(log[0].result.error, "connection_failed");
  EXPECT_EQ(log[0].outcome, api::WebhookOutcome::kRetrying);

  Receiver late;
  HttpServer late_server(late, receiver_options(port));  // the receiver comes up
  ASSERT_TRUE(late_server.start()) << late_server.error();
  advance(60);
  EXPECT_EQ(dispatcher().deliver_due_once(), 1U);
  ASSERT_EQ(late.requests().size(), 1U);
  EXPECT_EQ(late.requests()[0].path, "/late");
  log = attempts();
  ASSERT_EQ(log.size(), 2U);
  EXPECT_EQ(log[1].outcome, api::WebhookOutcome::kDelivered);
  dispatcher_.reset();
}

TEST_F(Dispatch, SlowReceiverIsAReadFailure) {
  subscribe(url());
  member("challenge");
  receiver_.hold();
  WebhookDispatcherOptions options;
  options.read_timeout = std::chrono::milliseconds(200);

  EXPECT_EQ(dispatcher(options).deliver_due_once(), 1U);
  receiver_.release();
  const auto log = attempts();
  ASSERT_EQ(log.size(), 1U);
  EXPECT_EQ(log[0].result.error, "read_failed");
  EXPECT_EQ(log[0].outcome, api::WebhookOutcome::kRetrying);
}

TEST_F(Dispatch, OneSubscriptionsDeliveriesGoOutInEventOrder) {
  subscribe(url(), std::vector<std::string>{"MEMBER", "AGGREGATION", "CONNECTION_STATUS"});
  member("password");
  member("challenge");

  const std::size_t sent = dispatcher().deliver_due_once();
  ASSERT_GT(sent, 3U);
  const auto requests = receiver_.requests();
  const auto log = attempts();
  ASSERT_EQ(requests.size(), sent);
  ASSERT_EQ(log.size(), sent);
  for (std::size_t i = 0; i < sent; ++i) {
    if (i > 0) {
      EXPECT_LT(log[i - 1].event_sequence, log[i].event_sequence);
    }
    EXPECT_EQ(json::parse(requests[i].body), payload_of(log[i].event_sequence)) << i;
  }
}

TEST_F(Dispatch, WritesOneLogLinePerAttempt) {
  std::mutex mutex;
  std::vector<std::string> lines;
  WebhookDispatcherOptions options;
  options.log_level = LogLevel::kWarning;  // failures only
  options.log_sink = [&](std::string_view line) {
    std::lock_guard lock(mutex);
    lines.emplace_back(line);
  };
  subscribe(url(), std::vector<std::string>{"AGGREGATION"});
  member("password");
  receiver_.script({500});

  dispatcher(options).deliver_due_once();
  advance(60);
  dispatcher().deliver_due_once();

  std::lock_guard lock(mutex);
  EXPECT_THAT(lines, ElementsAre(HasSubstr("AGGREGATION")));
  EXPECT_THAT(lines[0], HasSubstr("attempt 1: 500 retrying"));
}

// ---- the background thread -----------------------------------------------------------------

TEST_F(Dispatch, BackgroundThreadDeliversWithoutBeingDriven) {
  // The log line is written after the result was recorded: wait for it, not for the request
  // (stopping while the response is on its way would abort the attempt).
  std::mutex mutex;
  std::condition_variable logged;
  std::size_t lines = 0;
  WebhookDispatcherOptions options;
  options.poll_interval = std::chrono::milliseconds(10);
  options.log_sink = [&](std::string_view) {
    std::lock_guard lock(mutex);
    ++lines;
    logged.notify_all();
  };
  ASSERT_TRUE(dispatcher(options).start());
  EXPECT_FALSE(dispatcher().start());  // once

  subscribe(url());
  member("challenge");
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(logged.wait_for(lock, kBound, [&] { return lines >= 1; }));
  }
  dispatcher().stop();
  EXPECT_EQ(receiver_.requests().size(), 1U);
  const auto log = attempts();
  ASSERT_EQ(log.size(), 1U);
  EXPECT_EQ(log[0].outcome, api::WebhookOutcome::kDelivered);
}

TEST_F(Dispatch, StopAbortsARequestInFlight) {
  WebhookDispatcherOptions options;
  options.poll_interval = std::chrono::milliseconds(10);
  options.read_timeout = std::chrono::seconds(60);  // longer than the test may take
  subscribe(url());
  member("challenge");
  receiver_.hold();
  ASSERT_TRUE(dispatcher(options).start());
  ASSERT_TRUE(receiver_.wait_for_requests(1));

  dispatcher().stop();  // cuts the held request off; a hang fails the ctest timeout
  dispatcher().stop();  // idempotent
  receiver_.release();

  const auto log = attempts();
  ASSERT_EQ(log.size(), 1U);
  EXPECT_EQ(log[0].result.http_status, std::nullopt);
  EXPECT_EQ(log[0].outcome, api::WebhookOutcome::kRetrying);  // kept for the next run
  EXPECT_EQ(dispatcher().deliver_due_once(), 0U);             // stopped: attempts nothing
  EXPECT_FALSE(dispatcher().start());
}

}  // namespace
}  // namespace mxemu::http
