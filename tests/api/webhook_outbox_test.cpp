// The webhook outbox on the virtual clock: which events become deliveries for which
// subscriptions, what they carry, and the retry schedule in emulator time. No sockets.
#include "api/webhook_outbox.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "api/webhook_payloads.h"
#include "domain/timestamps.h"
#include "support/test_emulator.h"

namespace mxemu::api {
namespace {

using domain::Seconds;
using domain::TimePoint;
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::TestEmulator;

constexpr char kUrl[] = "http://127.0.0.1:9/hooks";

WebhookSubscription subscription(std::optional<std::vector<std::string>> types = std::nullopt,
                                 std::string url = kUrl) {
  auto s = make_subscription(std::move(url), std::move(types), std::nullopt, std::nullopt);
  if (!s) throw std::runtime_error(s.error().message);
  return *s;
}

WebhookAttemptResult http(int status) { return WebhookAttemptResult{status, ""}; }

std::vector<std::string> types_of(const std::vector<WebhookDelivery>& deliveries) {
  std::vector<std::string> out;
  for (const auto& d : deliveries) out.push_back(d.type);
  return out;
}

class Outbox : public ::testing::Test {
 protected:
  explicit Outbox(domain::EmulatorOptions options = {}) : emu_(options) {}

  void subscribe(std::vector<WebhookSubscription> subscriptions) {
    outbox_.set_subscriptions(std::move(subscriptions), emu_->last_event_sequence());
  }

  // A member at MX Bank whose first aggregation has run its course.
  std::string settled_member(const std::string& password,
                             std::optional<std::string> callback_payload = std::nullopt) {
    domain::MemberCreate req;
    req.institution_code = "mxbank";
    req.credentials = emu_.credentials("mxbank", password);
    req.callback_payload = std::move(callback_payload);
    auto m = emu_->create_member(emu_.user(), domain::IdentifierMode::kGuidOnly, req);
    if (!m) throw std::runtime_error(m.error().message);
    const std::string guid = (*m)->guid;
    emu_.settle(guid);
    return guid;
  }

  std::vector<WebhookDelivery> due() {
    outbox_.pull(*emu_);
    return outbox_.due(emu_->now());
  }

  const domain::DomainEvent& event(std::uint64_t sequence) {
    for (const auto& e : emu_->events()) {
      if (e.sequence == sequence) return e;
    }
    throw std::runtime_error("no event " + std::to_string(sequence));
  }

  // Moves emulator time to `t` (never backwards).
  void advance_to(TimePoint t) {
    const auto d = std::chrono::duration_cast<Seconds>(t - emu_->now()).count();
    if (d > 0) emu_.advance(d);
  }

  TestEmulator emu_;
  WebhookOutbox outbox_;
};

class OutboxWithoutBackground : public Outbox {
 protected:
  static domain::EmulatorOptions options() {
    domain::EmulatorOptions o;
    o.background_aggregation = false;
    return o;
  }
  OutboxWithoutBackground() : Outbox(options()) {}
};

// ---- subscriptions -------------------------------------------------------------------------

TEST(WebhookSubscriptionTest, DefaultsToEveryDocumentedTypeButMember) {
  const auto s = make_subscription(kUrl, std::nullopt, std::nullopt, std::nullopt);
  ASSERT_TRUE(s.ok());
  EXPECT_THAT(s->types, ElementsAre("CONNECTION_STATUS", "AGGREGATION", "BALANCE", "HISTORY",
                                    "STATEMENT", "VERIFICATION", "REWARD", "MICRODEPOSIT"));
  EXPECT_THAT(default_webhook_types(), ::testing::Not(::testing::Contains("MEMBER")));
}

TEST(WebhookSubscriptionTest, ValidatesTypesAndCredentials) {
  auto member = make_subscription(kUrl, std::vector<std::string>{"MEMBER", "MEMBER", "BALANCE"},
                                  "user", "pass");
  ASSERT_TRUE(member.ok());
  EXPECT_THAT(member->types, ElementsAre("MEMBER", "BALANCE"));  // duplicates dropped
  EXPECT_EQ(member->username, "user");
  EXPECT_EQ(member->password, "pass");

  auto unknown = make_subscription(kUrl, std::vector<std::string>{"IDENTIFICATION"}, {}, {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, domain::ErrorCode::kBadRequest);
  EXPECT_THAT(unknown.error().message, HasSubstr("IDENTIFICATION"));
  EXPECT_FALSE(make_subscription(kUrl, std::vector<std::string>{}, {}, {}).ok());
  EXPECT_FALSE(make_subscription(kUrl, std::nullopt, std::nullopt, "pass").ok());
  EXPECT_FALSE(make_subscription("ftp://example.com/", std::nullopt, {}, {}).ok());
}

TEST(WebhookUrlTest, SplitsOriginAndTarget) {
  auto u = parse_webhook_url("http://127.0.0.1:8080/hooks/mx?x=1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->origin, "http://127.0.0.1:8080");
  EXPECT_EQ(u->target, "/hooks/mx?x=1");
  u = parse_webhook_url("HTTPS://example.com");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->origin, "https://example.com");
  EXPECT_EQ(u->target, "/");
  u = parse_webhook_url("http://[::1]:9000?q");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->origin, "http://[::1]:9000");
  EXPECT_EQ(u->target, "/?q");
  for (const char* bad : {"", "127.0.0.1:80/x", "http://", "http:///x", "http://u:p@host/",
                          "http://host:0/", "http://host:65536/", "http://host:x/",
                          "http://host/a#frag", "http://host/a b", "ws://host/"}) {
    EXPECT_FALSE(parse_webhook_url(bad)) << bad;
  }
}

// ---- which events become deliveries ----------------------------------------------------------

TEST_F(Outbox, ChallengedMemberGivesExactlyOneConnectionStatusDelivery) {
  subscribe({subscription(std::vector<std::string>{"CONNECTION_STATUS"})});
  const std::string member = settled_member("challenge");
  ASSERT_EQ(emu_.get(member).status(), domain::ConnectionStatus::kChallenged);

  const auto deliveries = due();
  ASSERT_EQ(deliveries.size(), 1U);
  const WebhookDelivery& d = deliveries[0];
  EXPECT_EQ(d.type, "CONNECTION_STATUS");
  EXPECT_EQ(d.url, kUrl);
  EXPECT_EQ(d.attempt, 1);
  const json body = json::parse(d.body);
  EXPECT_EQ(body, *webhook_payload(event(d.event_sequence)));
  EXPECT_EQ(body["action"], "CHANGED");
  EXPECT_EQ(body["connection_status"], "CHALLENGED");
  EXPECT_EQ(body["connection_status_id"], 3);
  EXPECT_EQ(body["member_guid"], member);
  EXPECT_EQ(body["user_guid"], emu_.get(member).user_guid);
  EXPECT_EQ(body["type"], "CONNECTION_STATUS");
  EXPECT_THAT(body["connection_status_message"].get<std::string>(), HasSubstr("MX Bank"));
  EXPECT_EQ(body.size(), 7U);
}

TEST_F(Outbox, ConnectedMemberGivesNoConnectionStatusDelivery) {
  subscribe({subscription()});
  settled_member("password");
  EXPECT_THAT(types_of(due()), ElementsAre("AGGREGATION"));
}

TEST_F(Outbox, SuccessfulAggregationReportsItsCounts) {
  subscribe({subscription(std::vector<std::string>{"AGGREGATION"})});
  const std::string member = settled_member("password");

  const auto deliveries = due();
  ASSERT_EQ(deliveries.size(), 1U);
  const domain::DomainEvent& e = event(deliveries[0].event_sequence);
  EXPECT_EQ(deliveries[0].first_due_at, e.at);
  const json body = json::parse(deliveries[0].body);
  EXPECT_EQ(body["type"], "AGGREGATION");
  EXPECT_EQ(body["action"], "member_data_updated");
  EXPECT_EQ(body["member_guid"], member);
  EXPECT_EQ(body["user_id"], "user-1");
  EXPECT_EQ(body["is_background"], false);
  EXPECT_EQ(body["completed_at"], domain::unix_seconds(e.at));  // Unix seconds, not ISO
  EXPECT_TRUE(body["completed_at"].is_number_integer());
  EXPECT_EQ(body["completed_on"], "2024-03-01");
  EXPECT_GT(body["transactions_created_count"].get<int>(), 0);
  EXPECT_EQ(body["transactions_created_count"], e.created_count);
  EXPECT_EQ(body["transactions_updated_count"], e.updated_count);
  EXPECT_THAT(body["job_guid"].get<std::string>(), ::testing::StartsWith("JOB-"));
}

TEST_F(Outbox, FailedJobGivesNoDataWebhook) {
  subscribe({subscription()});
  settled_member("SERVER_ERROR");  // FAILED: not actionable, and no data
  EXPECT_TRUE(due().empty());
}

TEST_F(Outbox, EachSubscriptionGetsOnlyItsTypes) {
  subscribe({subscription(std::vector<std::string>{"AGGREGATION"}, "http://a.test/"),
             subscription(std::vector<std::string>{"MEMBER"}, "http://b.test/"),
             subscription(std::nullopt, "http://c.test/")});
  settled_member("password");

  std::map<std::string, std::vector<std::string>> by_url;
  for (const auto& d : due()) by_url[d.url].push_back(d.type);
  EXPECT_THAT(by_url["http://a.test/"], ElementsAre("AGGREGATION"));
  ASSERT_FALSE(by_url["http://b.test/"].empty());
  for (const auto& t : by_url["http://b.test/"]) EXPECT_EQ(t, "MEMBER");
  EXPECT_THAT(by_url["http://c.test/"], ElementsAre("AGGREGATION"));  // no MEMBER by default
}

TEST_F(Outbox, DeliveriesComeOutInEventOrder) {
  subscribe({subscription(std::vector<std::string>{"MEMBER", "AGGREGATION"})});
  settled_member("password");
  settled_member("challenge");

  const auto deliveries = due();
  ASSERT_GT(deliveries.size(), 3U);
  for (std::size_t i = 1; i < deliveries.size(); ++i) {
    EXPECT_LT(deliveries[i - 1].event_sequence, deliveries[i].event_sequence);
    EXPECT_LT(deliveries[i - 1].id, deliveries[i].id);
  }
}

TEST_F(Outbox, CarriesTheCallbackPayloadOfTheCausingRequest) {
  subscribe({subscription()});
  settled_member("challenge", "eyJvcmRlciI6NDJ9");
  settled_member("challenge");

  const auto deliveries = due();
  ASSERT_EQ(deliveries.size(), 2U);
  EXPECT_EQ(deliveries[0].callback_payload, "eyJvcmRlciI6NDJ9");
  EXPECT_EQ(deliveries[1].callback_payload, std::nullopt);
}

TEST_F(Outbox, CarriesBasicCredentials) {
  subscribe({*make_subscription(kUrl, std::nullopt, "hook", "s3cret")});
  settled_member("challenge");
  const auto deliveries = due();
  ASSERT_EQ(deliveries.size(), 1U);
  EXPECT_EQ(deliveries[0].username, "hook");
  EXPECT_EQ(deliveries[0].password, "s3cret");
}

TEST_F(Outbox, NewSubscriptionGetsNoHistory) {
  settled_member("challenge");
  subscribe({subscription()});
  EXPECT_TRUE(due().empty());
  settled_member("challenge");
  EXPECT_EQ(due().size(), 1U);
}

TEST_F(Outbox, ReplacingSubscriptionsCancelsPendingDeliveries) {
  subscribe({subscription()});
  settled_member("challenge");
  const auto handed_out = due();
  ASSERT_EQ(handed_out.size(), 1U);
  settled_member("challenge");
  outbox_.pull(*emu_);
  EXPECT_EQ(outbox_.pending().size(), 2U);

  subscribe({subscription(std::nullopt, "http://other.test/")});
  EXPECT_TRUE(outbox_.pending().empty());
  // The attempt that was in flight meanwhile is logged, with nothing scheduled after it.
  const WebhookAttempt& a = outbox_.record(handed_out[0], http(500));
  EXPECT_EQ(a.outcome, WebhookOutcome::kCancelled);
  EXPECT_EQ(a.next_retry_at, std::nullopt);
  EXPECT_TRUE(due().empty());
}

TEST_F(Outbox, NoSubscriptionsNoDeliveries) {
  settled_member("challenge");
  EXPECT_TRUE(due().empty());
  EXPECT_EQ(outbox_.cursor(), emu_->last_event_sequence());
}

// ---- attempts and retries ------------------------------------------------------------------

TEST_F(Outbox, InFlightDeliveriesAreNotHandedOutTwice) {
  subscribe({subscription()});
  settled_member("challenge");
  const auto first = due();
  ASSERT_EQ(first.size(), 1U);
  EXPECT_TRUE(outbox_.pending().at(first[0].id).in_flight);
  EXPECT_TRUE(due().empty());
  outbox_.release(first[0].id);  // put back unattempted
  const auto again = due();
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].attempt, 1);
  EXPECT_TRUE(outbox_.attempts().empty());
}

TEST_F(Outbox, AnyTwoHundredIsSuccess) {
  for (int status : {200, 202, 204, 299}) {
    WebhookOutbox box;
    box.set_subscriptions({subscription()}, emu_->last_event_sequence());
    settled_member("challenge");
    box.pull(*emu_);
    const auto deliveries = box.due(emu_->now());
    ASSERT_EQ(deliveries.size(), 1U);
    EXPECT_EQ(box.record(deliveries[0], http(status)).outcome, WebhookOutcome::kDelivered)
        << status;
    EXPECT_TRUE(box.pending().empty()) << status;
  }
  for (int status : {199, 301, 400, 404, 410, 500, 503}) {
    WebhookOutbox box;
    box.set_subscriptions({subscription()}, emu_->last_event_sequence());
    settled_member("challenge");
    box.pull(*emu_);
    const auto deliveries = box.due(emu_->now());
    ASSERT_EQ(deliveries.size(), 1U);
    EXPECT_EQ(box.record(deliveries[0], http(status)).outcome, WebhookOutcome::kRetrying) << status;
  }
}

TEST_F(OutboxWithoutBackground, SuccessStopsTheRetries) {
  subscribe({subscription(std::vector<std::string>{"AGGREGATION"})});
  settled_member("password");
  auto deliveries = due();
  ASSERT_EQ(deliveries.size(), 1U);
  const std::string first_body = deliveries[0].body;
  const WebhookAttempt failed =
      outbox_.record(deliveries[0], WebhookAttemptResult{std::nullopt, "read_failed"});
  EXPECT_EQ(failed.outcome, WebhookOutcome::kRetrying);
  EXPECT_EQ(failed.result.error, "read_failed");
  EXPECT_EQ(failed.result.http_status, std::nullopt);

  advance_to(*failed.next_retry_at);
  deliveries = due();
  ASSERT_EQ(deliveries.size(), 1U);
  EXPECT_EQ(deliveries[0].attempt, 2);
  EXPECT_EQ(deliveries[0].body, first_body);  // MX resends the same payload
  const WebhookAttempt ok = outbox_.record(deliveries[0], http(204));
  EXPECT_EQ(ok.outcome, WebhookOutcome::kDelivered);
  EXPECT_EQ(ok.next_retry_at, std::nullopt);
  EXPECT_TRUE(outbox_.pending().empty());

  emu_.advance(2 * 24 * 3600);
  EXPECT_TRUE(due().empty());
  EXPECT_EQ(outbox_.attempts().size(), 2U);
}

TEST_F(OutboxWithoutBackground, TwelveRetriesOnTheScheduleThenGivesUp) {
  subscribe({subscription(std::vector<std::string>{"AGGREGATION"})});
  settled_member("password");
  outbox_.pull(*emu_);
  ASSERT_EQ(outbox_.pending().size(), 1U);
  const TimePoint event_at = outbox_.pending().begin()->second.first_due_at;

  // Retry k is due at the event time plus the first k delays: 1, 3, 7, 15, 31, 63 min,
  // 2 h 3 min, 4 h 3 min, 7 h 3 min, 11 h 3 min, 16 h 3 min, 24 h 3 min.
  const std::vector<long long> offsets_min = {0,   1,   3,   7,   15,  31,  63,
                                              123, 243, 423, 663, 963, 1443};
  for (int attempt = 1; attempt <= 13; ++attempt) {
    const TimePoint expected_due = event_at + Seconds{offsets_min[attempt - 1] * 60};
    if (attempt > 1) {
      advance_to(expected_due - Seconds{1});
      EXPECT_TRUE(due().empty()) << "attempt " << attempt << " came early";
      advance_to(expected_due);
    }
    const auto deliveries = due();
    ASSERT_EQ(deliveries.size(), 1U) << "attempt " << attempt;
    EXPECT_EQ(deliveries[0].attempt, attempt);
    EXPECT_EQ(deliveries[0].due_at, expected_due);
    const WebhookAttempt& a = outbox_.record(deliveries[0], http(500));
    EXPECT_EQ(a.attempt, attempt);
    EXPECT_EQ(a.at, emu_->now());  // emulator time, not wall time
    EXPECT_EQ(a.result.http_status, 500);
    if (attempt < 13) {
      EXPECT_EQ(a.outcome, WebhookOutcome::kRetrying);
      EXPECT_EQ(a.next_retry_at, event_at + Seconds{offsets_min[attempt] * 60});
    } else {
      EXPECT_EQ(a.outcome, WebhookOutcome::kFailed);
      EXPECT_EQ(a.next_retry_at, std::nullopt);
    }
  }
  EXPECT_TRUE(outbox_.pending().empty());
  emu_.advance(7 * 24 * 3600);
  EXPECT_TRUE(due().empty());
  EXPECT_EQ(outbox_.attempts().size(), 13U);
  EXPECT_EQ(offsets_min.back() * 60, [] {
    long long total = 0;
    for (Seconds d : webhook_retry_delays()) total += d.count();
    return total;
  }());
}

TEST_F(OutboxWithoutBackground, ClockJumpMakesEveryRetryDueInTurn) {
  subscribe({subscription(std::vector<std::string>{"AGGREGATION"})});
  settled_member("password");
  auto deliveries = due();
  ASSERT_EQ(deliveries.size(), 1U);
  outbox_.record(deliveries[0], http(503));

  emu_.advance(25 * 3600);
  std::vector<int> attempts;
  for (int step = 0; step < 20; ++step) {  // one attempt per delivery per step
    deliveries = due();
    if (deliveries.empty()) break;
    ASSERT_EQ(deliveries.size(), 1U);
    attempts.push_back(deliveries[0].attempt);
    outbox_.record(deliveries[0], http(503));
  }
  EXPECT_THAT(attempts, ElementsAre(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13));
  EXPECT_EQ(outbox_.attempts().back().outcome, WebhookOutcome::kFailed);
}

TEST_F(Outbox, AttemptLogIsBoundedAndIdsKeepGrowing) {
  WebhookOutbox box(3);
  box.set_subscriptions({subscription()}, emu_->last_event_sequence());
  for (int i = 0; i < 5; ++i) settled_member("challenge");
  box.pull(*emu_);
  for (const auto& d : box.due(emu_->now())) box.record(d, http(204));
  ASSERT_EQ(box.attempts().size(), 3U);
  EXPECT_EQ(box.attempts().front().id, 3U);
  EXPECT_EQ(box.attempts().back().id, 5U);
}

}  // namespace
}  // namespace mxemu::api
