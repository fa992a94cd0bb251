// WebhookReceiver over a real (in-memory SQLite) store: deduplication, out-of-order events,
// repeats of untimed payloads, what it records; and members_to_poll, the polling fallback.
#include "mxclient/webhook_receiver.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace mxclient {
namespace {

using nlohmann::json;
using std::chrono::seconds;

constexpr std::int64_t kT0 = 1709283600;  // 2024-03-01T09:00:00Z

TimePoint at(std::int64_t unix_seconds) { return TimePoint(seconds(unix_seconds)); }

class FakeClock : public Clock {
 public:
  TimePoint now() const override { return now_; }
  void set(TimePoint t) { now_ = t; }
  void advance(seconds d) { now_ += d; }

 private:
  TimePoint now_ = at(kT0);
};

std::string connection_status(const std::string& member, const std::string& status) {
  return json{{"action", "CHANGED"},       {"connection_status", status},
              {"connection_status_id", 3}, {"connection_status_message", "…"},
              {"member_guid", member},     {"type", "CONNECTION_STATUS"},
              {"user_guid", "USR-1"}}
      .dump();
}

std::string aggregation(const std::string& member, std::int64_t completed_at) {
  return json{{"action", "member_data_updated"},
              {"completed_at", completed_at},
              {"completed_on", "2024-03-01"},
              {"is_background", false},
              {"job_guid", "JOB-1"},
              {"member_guid", member},
              {"transactions_created_count", 1},
              {"transactions_updated_count", 0},
              {"type", "AGGREGATION"},
              {"user_guid", "USR-1"},
              {"user_id", "u1"}}
      .dump();
}

std::string member_updated(const std::string& member, const std::string& status,
                           std::int64_t updated_at) {
  return json{{"action", "updated"},
              {"member",
               {{"guid", member},
                {"user_guid", "USR-1"},
                {"connection_status", status},
                {"connection_status_id", 6},
                {"is_being_aggregated", false},
                {"updated_at", updated_at}}},
              {"type", "MEMBER"}}
      .dump();
}

class WebhookReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = open_sqlite_store(":memory:");
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    ASSERT_TRUE(store_->upsert_end_user({"u1", "USR-1", at(kT0 - 86400)}));
    add_member("MBR-1");
    receiver_ = std::make_unique<WebhookReceiver>(*store_, clock_);
  }

  void add_member(const std::string& guid, WatchState watch = WatchState::kWatching,
                  TimePoint updated = at(kT0 - 86400)) {
    MemberRecord m;
    m.member_guid = guid;
    m.user_guid = "USR-1";
    m.institution_code = "mxbank";
    m.connection_status = "CONNECTED";
    m.successfully_aggregated_at = "2024-02-29T09:00:00Z";
    m.watch_state = watch;
    m.created_at = at(kT0 - 86400);
    m.updated_at = updated;
    ASSERT_TRUE(store_->upsert_member(m));
  }

  void poll(const std::string& member, const std::string& status, TimePoint when) {
    ASSERT_TRUE(store_->record_status({member, status, false, when, StatusSource::kPoll}));
  }

  ReceivedWebhook accepted(const std::string& body) {
    auto a = receiver_->accept(body);
    EXPECT_TRUE(a) << a.error().message;
    if (!a) return {};
    EXPECT_FALSE(a->duplicate) << body;
    return a->webhook.value_or(ReceivedWebhook{});
  }

  bool duplicate(const std::string& body) {
    auto a = receiver_->accept(body);
    EXPECT_TRUE(a) << a.error().message;
    return a && a->duplicate && !a->webhook;
  }

  MemberRecord member(const std::string& guid) { return **store_->find_member(guid); }

  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<WebhookReceiver> receiver_;
};

TEST_F(WebhookReceiverTest, TheSameEventTwiceIsProcessedOnce) {
  const ReceivedWebhook first = accepted(aggregation("MBR-1", kT0));
  EXPECT_EQ(first.event.type, WebhookType::kAggregation);
  EXPECT_EQ(first.event_id.rfind("sha256:", 0), 0U);
  clock_.advance(seconds(60));  // MX's first retry, re-serialised differently
  EXPECT_TRUE(duplicate(json::parse(aggregation("MBR-1", kT0)).dump(2)));
  EXPECT_EQ(*store_->count_webhook_events(), 1);
  auto stored = store_->find_webhook_event(first.event_id);
  ASSERT_TRUE(stored && stored->has_value());
  EXPECT_EQ((*stored)->type, "AGGREGATION");
  EXPECT_EQ((*stored)->member_guid, "MBR-1");
  EXPECT_EQ((*stored)->received_at, at(kT0));
}

TEST_F(WebhookReceiverTest, RecordsConnectionStatusAsAWebhookObservation) {
  clock_.advance(seconds(30));
  const ReceivedWebhook w = accepted(connection_status("MBR-1", "CHALLENGED"));
  EXPECT_TRUE(w.member_known);
  EXPECT_TRUE(w.status_recorded);
  EXPECT_EQ(w.order, EventOrder::kUntimed);
  EXPECT_EQ(w.event_time, at(kT0 + 30));  // no time in the payload: its arrival
  auto latest = store_->latest_status("MBR-1");
  ASSERT_TRUE(latest && latest->has_value());
  EXPECT_EQ((*latest)->connection_status, "CHALLENGED");
  EXPECT_EQ((*latest)->source, StatusSource::kWebhook);
  EXPECT_TRUE((*latest)->is_being_aggregated);  // the job waits for the answer
  EXPECT_EQ((*latest)->observed_at, at(kT0 + 30));
  const MemberRecord m = member("MBR-1");
  EXPECT_EQ(m.connection_status, "CHALLENGED");
  EXPECT_EQ(m.updated_at, at(kT0 + 30));
  // Recorded by the one writer (record_member_status): the policy's state for CHALLENGED.
  EXPECT_EQ(m.watch_state, WatchState::kNeedsUser);
}

TEST_F(WebhookReceiverTest, AStaleEventIsHandedOnButDoesNotOverwriteNewerNews) {
  poll("MBR-1", "DENIED", at(kT0 + 100));
  clock_.set(at(kT0 + 200));
  // MX's retry of an update from before the poll arrives late.
  const ReceivedWebhook late = accepted(member_updated("MBR-1", "CONNECTED", kT0 + 50));
  EXPECT_EQ(late.order, EventOrder::kStale);
  EXPECT_EQ(late.event_time, at(kT0 + 50));
  EXPECT_FALSE(late.status_recorded);
  EXPECT_EQ((*store_->latest_status("MBR-1"))->connection_status, "DENIED");
  EXPECT_EQ(member("MBR-1").connection_status, "CONNECTED");  // untouched by the stale event

  const ReceivedWebhook fresh = accepted(member_updated("MBR-1", "CONNECTED", kT0 + 150));
  EXPECT_EQ(fresh.order, EventOrder::kNewer);
  EXPECT_TRUE(fresh.status_recorded);
  EXPECT_EQ((*store_->latest_status("MBR-1"))->connection_status, "CONNECTED");
  EXPECT_EQ((*store_->latest_status("MBR-1"))->observed_at, at(kT0 + 150));
}

TEST_F(WebhookReceiverTest, AggregationMovesSuccessfulAggregationForwardOnly) {
  accepted(aggregation("MBR-1", kT0 + 10));
  EXPECT_EQ(member("MBR-1").successfully_aggregated_at, "2024-03-01T09:00:10Z");
  accepted(aggregation("MBR-1", kT0 - 3600));  // an older job's webhook, delivered late
  EXPECT_EQ(member("MBR-1").successfully_aggregated_at, "2024-03-01T09:00:10Z");
}

TEST_F(WebhookReceiverTest, AnUntimedPayloadIsANewOccurrenceOnceTheStatusMovedOn) {
  const std::string challenged = connection_status("MBR-1", "CHALLENGED");
  accepted(challenged);
  EXPECT_TRUE(duplicate(challenged));  // a redelivery
  clock_.advance(seconds(120));
  poll("MBR-1", "CONNECTED", clock_.now());  // the user answered
  clock_.advance(seconds(3600));
  const ReceivedWebhook again = accepted(challenged);  // MFA again on a later aggregation
  EXPECT_TRUE(again.repeat);
  EXPECT_TRUE(again.status_recorded);
  EXPECT_NE(again.event_id.find('#'), std::string::npos);
  EXPECT_TRUE(duplicate(challenged));  // and its redelivery is a duplicate again
  EXPECT_EQ(*store_->count_webhook_events(), 2);
}

TEST_F(WebhookReceiverTest, EventsForUnknownMembersAreDedupedButNotRecorded) {
  const ReceivedWebhook w = accepted(connection_status("MBR-unknown", "DENIED"));
  EXPECT_FALSE(w.member_known);
  EXPECT_FALSE(w.status_recorded);
  EXPECT_TRUE(duplicate(connection_status("MBR-unknown", "DENIED")));
}

TEST_F(WebhookReceiverTest, MalformedBodiesAreRejectedAndNotStored) {
  auto bad = receiver_->accept("{\"type\":");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(*store_->count_webhook_events(), 0);
}

TEST_F(WebhookReceiverTest, CarriesTheCallbackPayload) {
  auto a = receiver_->accept(aggregation("MBR-1", kT0), std::string("b3JkZXI9NDI="));
  ASSERT_TRUE(a && a->webhook);
  EXPECT_EQ(a->webhook->callback_payload, "b3JkZXI9NDI=");
}

TEST_F(WebhookReceiverTest, OptionsTurnRecordingOff) {
  WebhookReceiverOptions options;
  options.record_status = false;
  options.update_members = false;
  WebhookReceiver quiet(*store_, clock_, options);
  auto a = quiet.accept(connection_status("MBR-1", "LOCKED"));
  ASSERT_TRUE(a && a->webhook);
  EXPECT_FALSE(a->webhook->status_recorded);
  EXPECT_FALSE(store_->latest_status("MBR-1")->has_value());
  EXPECT_EQ(member("MBR-1").connection_status, "CONNECTED");
}

TEST(WebhookOrder, ComparesEventTimeWithTheLatestObservation) {
  WebhookEvent timed;
  timed.occurred_at = at(kT0);
  WebhookEvent untimed;
  StatusObservation latest;
  latest.observed_at = at(kT0) + std::chrono::milliseconds(400);  // same second
  EXPECT_EQ(order_against(untimed, latest), EventOrder::kUntimed);
  EXPECT_EQ(order_against(untimed, std::nullopt), EventOrder::kUntimed);
  EXPECT_EQ(order_against(timed, std::nullopt), EventOrder::kNewer);
  EXPECT_EQ(order_against(timed, latest), EventOrder::kNewer);
  latest.observed_at = at(kT0 + 1);
  EXPECT_EQ(order_against(timed, latest), EventOrder::kStale);
}

TEST_F(WebhookReceiverTest, MembersToPollAreTheWatchedOnesNotHeardFrom) {
  add_member("MBR-2");  // silent since yesterday
  add_member("MBR-3");
  add_member("MBR-4", WatchState::kSettled);
  add_member("MBR-5", WatchState::kNeedsUser);
  add_member("MBR-6", WatchState::kWatching, at(kT0 - 60));  // a poller touched it a minute ago
  poll("MBR-3", "CONNECTED", at(kT0 - 30));                  // a poll observation
  clock_.set(at(kT0 - 10));
  accepted(connection_status("MBR-1", "CHALLENGED"));  // a webhook

  auto due = members_to_poll(*store_, at(kT0), seconds(600));
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 1U);
  EXPECT_EQ((*due)[0].member_guid, "MBR-2");
  EXPECT_EQ((*due)[0].last_heard, at(kT0 - 86400));

  // An hour later, everything watched has been quiet for longer than ten minutes. MBR-1 is not
  // watched any more: the webhook said CHALLENGED, which waits for the user.
  due = members_to_poll(*store_, at(kT0 + 3600), seconds(600));
  ASSERT_TRUE(due) << due.error().message;
  ASSERT_EQ(due->size(), 3U);
  EXPECT_EQ((*due)[0].member_guid, "MBR-2");  // longest silence first
  EXPECT_EQ((*due)[1].member_guid, "MBR-6");
  EXPECT_EQ((*due)[2].member_guid, "MBR-3");
  EXPECT_EQ(member("MBR-1").watch_state, WatchState::kNeedsUser);
}

}  // namespace
}  // namespace mxclient
