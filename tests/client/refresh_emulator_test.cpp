// The refresh scheduler's key evidence: one pass over 1,000 members against the real emulator
// in process (250 users, the eight credential institutions of fixtures/institutions.json), with
// the emulator's clock moved only by the scheduler's waits. MX's webhooks are fed back through
// WebhookReceiver as the clock moves, so finished jobs free their slots and successful
// aggregations reach the store. Asserts the limits held, counted from outside the scheduler:
// aggregate calls per institution per rolling minute and overall, jobs running at the emulator
// per institution, 429s on the wire; prints the counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "api/service.h"
#include "api/webhook_payloads.h"
#include "domain/timestamps.h"
#include "mxclient/mx_api.h"
#include "mxclient/refresh_scheduler.h"
#include "mxclient/webhook_receiver.h"
#include "support/emulator_transport.h"
#include "support/test_emulator.h"

namespace mxemu::testing {
namespace {

using mxclient::RefreshCall;
using mxclient::RefreshDeferral;
using mxclient::RefreshPassCounts;
using mxclient::RefreshSkip;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const std::vector<std::string> kInstitutions{"mxbank",
                                             "summit_ridge_bank",
                                             "pioneer_fcu",
                                             "cascade_national_bank",
                                             "harborview_savings",
                                             "keystone_card",
                                             "meridian_investments",
                                             "lone_star_community_bank"};
constexpr int kUsers = 250;
constexpr int kMembersPerUser = 4;

// Counts every answer by status: the 429s MX sent, whatever MxApi then did with them.
class CountingTransport final : public mxclient::Transport {
 public:
  explicit CountingTransport(std::shared_ptr<mxclient::Transport> inner)
      : inner_(std::move(inner)) {}
  mxclient::Result<mxclient::HttpResponse> send(const mxclient::HttpRequest& r) override {
    auto out = inner_->send(r);
    std::lock_guard<std::mutex> lock(mutex_);
    ++requests_;
    if (out) ++by_status_[out->status];
    return out;
  }
  int status_count(int status) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = by_status_.find(status);
    return it == by_status_.end() ? 0 : it->second;
  }
  int requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  std::shared_ptr<mxclient::Transport> inner_;
  mutable std::mutex mutex_;
  std::map<int, int> by_status_;
  int requests_ = 0;
};

// Moves emulator time, then delivers MX's webhooks for what happened meanwhile to the
// receiver (in process, as a WebhookServer handler would get them) and tells the scheduler
// which jobs ended.
class WebhookFeedingSleeper final : public mxclient::Sleeper {
 public:
  WebhookFeedingSleeper(TestEmulator& emu, mxclient::WebhookReceiver& receiver)
      : emu_(emu), virtual_(emu), receiver_(receiver) {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    last_sequence_ = emu_->last_event_sequence();
  }
  void set_scheduler(mxclient::RefreshScheduler* s) { scheduler_ = s; }

  void wait(milliseconds d) override {
    virtual_.wait(d);
    feed();
  }

  // Marks everything that happened so far as delivered without delivering it: the store was
  // filled directly, or the webhooks were lost (MX: don't rely on them).
  void skip_pending() {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    last_sequence_ = emu_->last_event_sequence();
  }

  // The default subscription's types: every webhook but MEMBER (docs/webhooks.md).
  void feed() {
    std::vector<std::string> bodies;
    {
      std::lock_guard<std::mutex> lock(emu_->mutex());
      for (const auto& e : emu_->events()) {
        if (e.sequence <= last_sequence_) continue;
        last_sequence_ = e.sequence;
        if (api::webhook_type(e.kind) == "MEMBER") continue;
        if (auto payload = api::webhook_payload(e)) bodies.push_back(payload->dump());
      }
    }
    for (const auto& body : bodies) {
      auto accepted = receiver_.accept(body);
      ASSERT_TRUE(accepted) << accepted.error().message;
      ++webhooks_;
      if (accepted->duplicate) continue;
      const auto& event = accepted->webhook->event;
      const bool job_over = event.type == mxclient::WebhookType::kAggregation ||
                            event.type == mxclient::WebhookType::kConnectionStatus;
      if (job_over && scheduler_ != nullptr)
        released_ += scheduler_->job_finished(event.member_guid);
    }
  }

  int webhooks() const { return webhooks_; }
  int released() const { return released_; }

 private:
  TestEmulator& emu_;
  VirtualSleeper virtual_;
  mxclient::WebhookReceiver& receiver_;
  mxclient::RefreshScheduler* scheduler_ = nullptr;
  std::uint64_t last_sequence_ = 0;
  int webhooks_ = 0;
  int released_ = 0;
};

domain::EmulatorOptions emulator_options() {
  domain::EmulatorOptions o;
  o.background_aggregation = false;  // every aggregation in the run is one the client asked for
  o.initial_history_days = 7;        // the data is not what this test is about; keep it small
  return o;
}

class RefreshEmulatorTest : public ::testing::Test {
 protected:
  RefreshEmulatorTest() {
    emu_.world().state().config.limits.per_minute = 300;
    service_ = std::make_unique<api::Service>(emu_.tenants());
    transport_ =
        std::make_shared<CountingTransport>(std::make_shared<EmulatorTransport>(*service_));
    auto opened = mxclient::open_sqlite_store(":memory:");
    EXPECT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    receiver_ = std::make_unique<mxclient::WebhookReceiver>(*store_, clock_);
    sleeper_ = std::make_unique<WebhookFeedingSleeper>(emu_, *receiver_);
    mxclient::MxApiConfig api_config;
    api_config.client_id = "client";
    api_config.api_key = "key";
    api_config.jitter_seed = 5;
    api_ = std::make_unique<mxclient::MxApi>(transport_, api_config, *sleeper_);
  }

  // 1,000 members connected at the start; some end up needing the user or paused. The client
  // store learns them as enrolment would (status and successful aggregation as MX reports).
  void populate() {
    const mxclient::TimePoint now = clock_.now();
    std::lock_guard<std::mutex> lock(emu_->mutex());
    for (int u = 0; u < kUsers; ++u) {
      const std::string user = emu_.user("app-user-" + std::to_string(u));
      ASSERT_TRUE(store_->upsert_end_user({"app-user-" + std::to_string(u), user, now}));
      for (int k = 0; k < kMembersPerUser; ++k) {
        const int n = u * kMembersPerUser + k;
        const std::string& institution = kInstitutions[(u + 2 * k) % kInstitutions.size()];
        const std::string password = n % 50 == 7 ? "challenge" : n % 50 == 13 ? "INVALID" : "pw";
        auto m = emu_.member(user, institution, password);
        ASSERT_TRUE(m.ok()) << m.error().message;
        members_.push_back((*m)->guid);
        institution_of_[(*m)->guid] = institution;
      }
    }
    emu_.advance(60);                                         // every first aggregation finishes
    for (std::size_t i = 0; i < members_.size(); i += 100) {  // MX pauses a few
      ASSERT_TRUE(
          emu_->apply_control_event(members_[i], domain::MemberEvent::kAggregationPaused).ok());
    }
    emu_.advance(600);  // unanswered challenges expire
    for (const auto& guid : members_) {
      const domain::Member& m = emu_.get(guid);
      mxclient::MemberRecord r;
      r.member_guid = guid;
      r.user_guid = m.user_guid;
      r.institution_code = m.institution_code;
      r.connection_status = std::string(domain::to_wire(m.status()));
      if (m.successfully_aggregated_at) {
        r.successfully_aggregated_at = domain::format_iso8601(*m.successfully_aggregated_at);
      }
      r.watch_state = mxclient::WatchState::kSettled;
      r.created_at = r.updated_at = now;
      ASSERT_TRUE(store_->upsert_member(r));
    }
  }

  // An hour before the pass, MX ran a job for some members that failed at the institution (a
  // widget opened on them, say): their data is as old as the others', and MX's throttle,
  // which starts after any job attempt, now covers them. The client's store knows nothing.
  int fail_some_behind_the_clients_back() {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    int n = 0;
    for (std::size_t i = 3; i < members_.size(); i += 20) {
      const domain::Member& m = emu_.get(members_[i]);
      if (m.status() != domain::ConnectionStatus::kConnected) continue;
      const auto throttle = emu_->find_institution(m.institution_code)->throttle_window;
      if (throttle < std::chrono::hours(2)) continue;
      EXPECT_TRUE(emu_->queue_outcomes(m.guid, {domain::AuthOutcome::kFail}).ok());
      auto job = emu_->start_job(m.user_guid, m.guid, domain::IdentifierMode::kGuidOnly,
                                 domain::JobType::kAggregate);
      EXPECT_TRUE(job.ok());
      behind_back_.insert(m.guid);
      ++n;
    }
    return n;
  }

  // Jobs running at the emulator right now, per institution, among the members started.
  std::map<std::string, int> running_at_mx() {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    std::map<std::string, int> out;
    for (auto it = started_.begin(); it != started_.end();) {
      if (emu_.get(*it).job) {
        ++out[institution_of_[*it]];
        ++it;
      } else {
        it = started_.erase(it);
      }
    }
    return out;
  }

  TestEmulator emu_{emulator_options()};
  std::unique_ptr<api::Service> service_;
  std::shared_ptr<CountingTransport> transport_;
  EmulatorClock clock_{emu_};
  std::unique_ptr<mxclient::Store> store_;
  std::unique_ptr<mxclient::WebhookReceiver> receiver_;
  std::unique_ptr<WebhookFeedingSleeper> sleeper_;
  std::unique_ptr<mxclient::MxApi> api_;
  std::vector<std::string> members_;
  std::map<std::string, std::string> institution_of_;
  std::set<std::string> started_;
  std::set<std::string> behind_back_;
};

TEST_F(RefreshEmulatorTest, AThousandMemberPassStaysWithinTheLimits) {
  populate();
  sleeper_->skip_pending();  // enrolment stored what happened so far
  {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    emu_.advance(24 * 3600);  // a day on: everything is stale
  }
  const int behind_back = fail_some_behind_the_clients_back();
  {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    emu_.advance(3600);
  }

  mxclient::RefreshSchedulerOptions options;
  options.sla = hours(24);
  options.spread = minutes(20);
  options.max_pass_duration = minutes(30);
  options.jitter_seed = 2024;
  options.limits.max_in_flight = 20;
  options.limits.max_in_flight_per_institution = 4;
  options.limits.max_in_flight_per_user = 1;
  options.limits.assumed_job_duration = seconds(60);
  options.limits.max_calls_per_institution = 12;
  options.limits.institution_window = seconds(60);
  options.limits.max_calls = 60;  // 120 requests a minute against the emulator's 300
  options.limits.window = seconds(60);
  std::vector<RefreshCall> calls;
  std::map<std::string, int> max_running_at_mx;
  options.on_call = [&](const RefreshCall& c) {
    calls.push_back(c);
    if (c.outcome == mxclient::RefreshOutcome::kStarted) started_.insert(c.member_guid);
    for (const auto& [institution, n] : running_at_mx()) {
      max_running_at_mx[institution] = std::max(max_running_at_mx[institution], n);
    }
  };
  mxclient::RefreshScheduler scheduler(*api_, *store_, clock_, *sleeper_, options);
  sleeper_->set_scheduler(&scheduler);

  const mxclient::TimePoint pass_start = clock_.now();
  auto pass = scheduler.run_due();
  ASSERT_TRUE(pass) << pass.error().message;
  const RefreshPassCounts& c = *pass;
  const auto pass_length = clock_.now() - pass_start;

  // Counted from the calls themselves: per institution per rolling minute, and overall.
  std::map<std::string, std::vector<mxclient::TimePoint>> by_institution;
  std::vector<mxclient::TimePoint> all;
  for (const auto& call : calls) {
    by_institution[call.institution_code].push_back(call.at);
    all.push_back(call.at);
  }
  const auto max_in_window = [](const std::vector<mxclient::TimePoint>& times,
                                std::chrono::seconds window) {
    int best = 0;
    for (std::size_t i = 0, j = 0; i < times.size(); ++i) {
      while (times[j] <= times[i] - window) ++j;
      best = std::max(best, static_cast<int>(i - j + 1));
    }
    return best;
  };
  std::cout << "[refresh 1000] " << mxclient::describe(c) << "\n";
  std::cout << "[refresh 1000] pass " << std::chrono::duration_cast<seconds>(pass_length).count()
            << " s emulated; " << calls.size() << " aggregate calls, " << transport_->requests()
            << " requests, 429s " << transport_->status_count(429) << ", webhooks fed "
            << sleeper_->webhooks() << ", slots freed by webhooks " << sleeper_->released()
            << ", failed jobs behind the client's back " << behind_back << "\n";
  std::cout << "[refresh 1000] max calls per 60 s overall: " << max_in_window(all, seconds(60))
            << " (limit 60)\n";
  for (const auto& [institution, times] : by_institution) {
    std::cout << "[refresh 1000]   " << institution << ": " << times.size()
              << " calls, max per 60 s " << max_in_window(times, seconds(60))
              << " (limit 12), max jobs running at MX " << max_running_at_mx[institution]
              << " (limit 4)\n";
  }
  ::testing::Test::RecordProperty("considered", c.considered);
  ::testing::Test::RecordProperty("started", c.started);
  ::testing::Test::RecordProperty("throttled", c.throttled);
  ::testing::Test::RecordProperty("http_429", transport_->status_count(429));

  EXPECT_EQ(c.considered, 1000);
  EXPECT_EQ(transport_->status_count(429), 0);
  EXPECT_EQ(c.rate_limited, 0);
  EXPECT_EQ(c.failed, 0);
  EXPECT_LE(max_in_window(all, seconds(60)), 60);
  for (const auto& [institution, times] : by_institution) {
    EXPECT_LE(max_in_window(times, seconds(60)), 12) << institution;
    EXPECT_LE(max_running_at_mx[institution], 4) << institution;
  }
  EXPECT_LE(c.max_in_flight, 20);
  EXPECT_GE(behind_back, 20);
  EXPECT_EQ(c.throttled, behind_back);                    // each one recognised: 202 without a job
  EXPECT_EQ(c.skipped_for(RefreshSkip::kNeedsUser), 40);  // 20 EXPIRED + 20 DENIED
  EXPECT_EQ(c.skipped_for(RefreshSkip::kPaused), 10);     // DISABLED
  EXPECT_EQ(c.started + c.throttled + c.skipped_total() + c.deferred_total(), 1000);
  EXPECT_GT(c.started, 900);
  EXPECT_GT(sleeper_->released(), 800);  // slots came back with the webhooks
  EXPECT_LE(pass_length, minutes(30));

  // The next pass, an hour on: the started ones are fresh (their AGGREGATION webhooks reached
  // the store); the throttled ones are still due but wait out the window.
  {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    emu_.advance(3600);
  }
  sleeper_->feed();
  auto second = scheduler.run_due();
  ASSERT_TRUE(second) << second.error().message;
  std::cout << "[refresh 1000] an hour later: " << mxclient::describe(*second) << "\n";
  EXPECT_EQ(second->calls(), c.deferred_total());
  EXPECT_EQ(second->skipped_for(RefreshSkip::kWaiting), behind_back);

  // Past the configured 3 h they are tried again. MX starts the jobs where its window has
  // passed (2 h to 4 h institutions); keystone_card (6 h) and meridian_investments (8 h)
  // throttle once more, and those members back off twice as long.
  {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    emu_.advance(3 * 3600);
  }
  sleeper_->feed();
  calls.clear();
  const mxclient::TimePoint third_start = clock_.now();
  auto third = scheduler.run_due();
  ASSERT_TRUE(third) << third.error().message;
  std::cout << "[refresh 1000] past the throttle window: " << mxclient::describe(*third) << "\n";
  EXPECT_EQ(third->started + third->throttled, behind_back);
  EXPECT_GT(third->started, 0);
  EXPECT_GT(third->throttled, 0);
  for (const auto& call : calls) {
    ASSERT_EQ(behind_back_.count(call.member_guid), 1U) << call.member_guid;
    const bool long_window =
        call.institution_code == "keystone_card" || call.institution_code == "meridian_investments";
    EXPECT_EQ(call.outcome, long_window ? mxclient::RefreshOutcome::kThrottled
                                        : mxclient::RefreshOutcome::kStarted)
        << call.institution_code;
    if (long_window) {
      EXPECT_GE(*call.next_allowed_at, third_start + hours(6));
    }
  }
  EXPECT_EQ(transport_->status_count(429), 0);
}

// MX changed a member's status behind the client's back (a background aggregation met an
// impairment): the store still says CONNECTED, so the member passes screening, but the
// scheduler judges the member MX shows just before the POST, posts nothing, and keeps the
// status it saw (found by mxemu-replay --explore; scenarios/README.md).
TEST_F(RefreshEmulatorTest, AMemberImpairedBehindTheClientsBackIsNotAggregated) {
  std::string guid;
  std::string user;
  {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    user = emu_.user("app-user-impaired");
    auto m = emu_.member(user, kInstitutions[0], "pw");
    ASSERT_TRUE(m.ok()) << m.error().message;
    guid = (*m)->guid;
    emu_.advance(60);
    ASSERT_EQ(emu_.get(guid).status(), domain::ConnectionStatus::kConnected);
  }
  const mxclient::TimePoint now = clock_.now();
  ASSERT_TRUE(store_->upsert_end_user({"app-user-impaired", user, now}));
  mxclient::MemberRecord r;
  r.member_guid = guid;
  r.user_guid = user;
  r.institution_code = kInstitutions[0];
  r.connection_status = "CONNECTED";
  r.successfully_aggregated_at = domain::format_iso8601(*emu_.get(guid).successfully_aggregated_at);
  r.watch_state = mxclient::WatchState::kSettled;
  r.created_at = r.updated_at = now;
  ASSERT_TRUE(store_->upsert_member(r));
  {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    emu_.advance(24 * 3600);
    ASSERT_TRUE(emu_->queue_outcomes(guid, {domain::AuthOutcome::kImpair}).ok());
    ASSERT_TRUE(
        emu_->start_job(user, guid, domain::IdentifierMode::kGuidOnly, domain::JobType::kAggregate)
            .ok());
    emu_.advance(60);
    ASSERT_EQ(emu_.get(guid).status(), domain::ConnectionStatus::kImpaired);
  }
  sleeper_->skip_pending();  // the client missed the webhook

  mxclient::RefreshSchedulerOptions options;
  options.sla = hours(24);
  std::vector<RefreshCall> calls;
  options.on_call = [&](const RefreshCall& c) { calls.push_back(c); };
  mxclient::RefreshScheduler scheduler(*api_, *store_, clock_, *sleeper_, options);
  const int requests_before = transport_->requests();
  auto pass = scheduler.run_due();
  ASSERT_TRUE(pass) << pass.error().message;

  EXPECT_EQ(pass->calls(), 0);
  EXPECT_EQ(pass->skipped_for(RefreshSkip::kNeedsUser), 1);
  EXPECT_EQ(transport_->requests() - requests_before, 1);  // the GET, no POST
  ASSERT_EQ(calls.size(), 1U);
  EXPECT_EQ(calls[0].outcome, mxclient::RefreshOutcome::kSkipped);
  EXPECT_NE(calls[0].detail.find("IMPAIRED"), std::string::npos) << calls[0].detail;
  {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    EXPECT_FALSE(emu_.get(guid).job);
    EXPECT_EQ(emu_.get(guid).status(), domain::ConnectionStatus::kImpaired);
  }
  auto stored = store_->find_member(guid);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->connection_status, "IMPAIRED");
}

}  // namespace
}  // namespace mxemu::testing
