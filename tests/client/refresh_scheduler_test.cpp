// RefreshScheduler against a fake MX (a Transport that plays MX's aggregate rules on a fake
// clock) and a real in-memory store: SLA selection, throttling recognised and waited out, the
// attempt cap and backoff, 429, skipped statuses, the limits, and jitter determinism.
#include "mxclient/refresh_scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mxclient {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

const TimePoint kT0 = TimePoint(seconds(1709283600));  // 2024-03-01T09:00:00Z

std::string iso(TimePoint t) {
  const std::time_t s = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class FakeClock : public Clock {
 public:
  TimePoint now() const override { return now_; }
  void advance(milliseconds d) { now_ += d; }
  TimePoint now_ = kT0;
};

// Waits by moving the fake clock; `after_wait` lets a test act while a pass waits (a webhook
// arriving).
class FakeSleeper : public Sleeper {
 public:
  explicit FakeSleeper(FakeClock& clock) : clock_(clock) {}
  void wait(milliseconds d) override {
    waits.push_back(d);
    clock_.advance(d);
    if (after_wait) after_wait();
  }
  bool interrupted() const override { return stop; }
  std::vector<milliseconds> waits;
  std::function<void()> after_wait;
  bool stop = false;  // SIGINT: what interrupted() reports

 private:
  FakeClock& clock_;
};

// MX's aggregate rules, enough for the scheduler: a job runs job_seconds; a standard
// aggregation inside the throttle window (from the last job start) or while a job runs
// answers 202 with the member unchanged. `script` makes the next POSTs answer other statuses.
class FakeMx : public Transport {
 public:
  struct Member {
    std::string user;
    std::string institution = "bank_a";
    std::string status = "CONNECTED";
    std::optional<TimePoint> job_started;
    std::optional<TimePoint> succeeded;
    std::deque<int> script;  // statuses for the next POST …/aggregate
  };
  struct Call {
    TimePoint at;
    std::string member;
    int status;
  };

  explicit FakeMx(FakeClock& clock) : clock_(clock) {}

  Result<HttpResponse> send(const HttpRequest& request) override {
    // /users/{u}/members/{m}[/aggregate]
    const std::string& t = request.target;
    const auto m = t.find("/members/") + 9;
    const auto end = t.find('/', m);
    const std::string guid = t.substr(m, end == std::string::npos ? end : end - m);
    Member& member = members.at(guid);
    if (request.method == "GET") return reply(200, guid, member);
    int status = 202;
    if (!member.script.empty()) {
      status = member.script.front();
      member.script.pop_front();
    }
    calls.push_back({clock_.now(), guid, status});
    if (status != 202) {
      HttpResponse r;
      r.status = status;
      r.body = R"({"error":{"message":"scripted"}})";
      if (status == 429) r.headers["retry-after"] = "1";
      return r;
    }
    const bool throttled = member.job_started && clock_.now() < *member.job_started + throttle;
    if (!running(member) && !throttled) {
      member.job_started = clock_.now();
      member.succeeded = clock_.now() + job;  // known in advance; shown once the job ends
    }
    return reply(202, guid, member);
  }

  bool running(const Member& m) const {
    return m.job_started && clock_.now() < *m.job_started + job;
  }
  int started() const {
    int n = 0;
    for (const auto& c : calls) n += c.status == 202 ? 1 : 0;
    return n;
  }

  std::map<std::string, Member> members;
  std::vector<Call> calls;
  seconds throttle = hours(3);
  seconds job = seconds(10);

 private:
  Result<HttpResponse> reply(int status, const std::string& guid, const Member& m) const {
    json j = {{"guid", guid},
              {"user_guid", m.user},
              {"institution_code", m.institution},
              {"connection_status", m.status},
              {"is_being_aggregated", running(m)},
              {"is_oauth", false},
              {"aggregated_at", m.job_started ? json(iso(*m.job_started)) : json()},
              {"successfully_aggregated_at",
               m.succeeded && !running(m) ? json(iso(*m.succeeded)) : json()}};
    HttpResponse r;
    r.status = status;
    r.headers["content-type"] = "application/vnd.mx.api.v1+json";
    r.body = json{{"member", j}}.dump();
    return r;
  }
  FakeClock& clock_;
};

class RefreshSchedulerTest : public ::testing::Test {
 protected:
  RefreshSchedulerTest() {
    auto opened = open_sqlite_store(":memory:");
    EXPECT_TRUE(opened) << opened.error().message;
    store_ = std::move(*opened);
    MxApiConfig config;
    config.client_id = "c";
    config.api_key = "k";
    config.retry.max_attempts = 1;  // the scheduler's own rules, not MxApi's retries
    api_ = std::make_unique<MxApi>(mx_, config, sleeper_);
    options_.limits.max_calls = 0;
    options_.limits.max_calls_per_institution = 0;
    options_.limits.max_in_flight = 0;
    options_.limits.max_in_flight_per_institution = 0;
    options_.limits.max_in_flight_per_user = 0;
  }

  // A member at MX and in the store, last successfully aggregated `age` ago (nullopt: never).
  void add(const std::string& guid, std::optional<hours> age = hours(25),
           const std::string& status = "CONNECTED", const std::string& institution = "bank_a",
           const std::string& user = "") {
    const std::string u = user.empty() ? "USR-" + guid : user;
    if (!store_->find_end_user_by_guid(u)->has_value()) {
      ASSERT_TRUE(store_->upsert_end_user({"app-" + u, u, kT0 - hours(48)}));
    }
    MemberRecord m;
    m.member_guid = guid;
    m.user_guid = u;
    m.institution_code = institution;
    m.connection_status = status;
    if (age) m.successfully_aggregated_at = iso(clock_.now() - *age);
    m.watch_state = WatchState::kSettled;
    m.created_at = m.updated_at = kT0 - hours(48);
    ASSERT_TRUE(store_->upsert_member(m));
    FakeMx::Member at_mx;
    at_mx.user = u;
    at_mx.institution = institution;
    at_mx.status = status;
    mx_->members[guid] = at_mx;
  }

  RefreshScheduler& scheduler() {
    if (!scheduler_) {
      options_.on_call = [this](const RefreshCall& c) { calls_.push_back(c); };
      scheduler_ = std::make_unique<RefreshScheduler>(*api_, *store_, clock_, sleeper_, options_);
    }
    return *scheduler_;
  }

  RefreshPassCounts pass() {
    auto counts = scheduler().run_due();
    EXPECT_TRUE(counts) << counts.error().message;
    return counts ? *counts : RefreshPassCounts{};
  }

  std::vector<RefreshAttempt> attempts(const std::string& guid) {
    return *store_->list_refresh_attempts(guid);
  }

  FakeClock clock_;
  FakeSleeper sleeper_{clock_};
  std::shared_ptr<FakeMx> mx_ = std::make_shared<FakeMx>(clock_);
  std::unique_ptr<Store> store_;
  std::unique_ptr<MxApi> api_;
  RefreshSchedulerOptions options_;
  std::unique_ptr<RefreshScheduler> scheduler_;
  std::vector<RefreshCall> calls_;
};

TEST_F(RefreshSchedulerTest, RefreshesOnlyMembersOlderThanTheSla) {
  add("MBR-stale", hours(25));
  add("MBR-fresh", hours(23));
  add("MBR-never", std::nullopt);
  const RefreshPassCounts c = pass();
  EXPECT_EQ(c.considered, 2);
  EXPECT_EQ(c.started, 2);
  ASSERT_EQ(mx_->calls.size(), 2U);
  EXPECT_EQ(mx_->calls[0].member, "MBR-never");  // never aggregated first, then oldest
  EXPECT_EQ(mx_->calls[1].member, "MBR-stale");
  const auto recorded = attempts("MBR-stale");
  ASSERT_EQ(recorded.size(), 1U);
  EXPECT_EQ(recorded[0].outcome, RefreshOutcome::kStarted);
  EXPECT_EQ(recorded[0].next_allowed_at, kT0 + hours(3));
  // The reply was remembered: a job runs, and a second pass leaves the member alone.
  EXPECT_TRUE((*store_->find_member("MBR-stale"))->is_being_aggregated);
  EXPECT_EQ((*store_->latest_status("MBR-stale"))->source, StatusSource::kPoll);
  const RefreshPassCounts again = pass();
  EXPECT_EQ(again.calls(), 0);
  EXPECT_EQ(again.skipped_for(RefreshSkip::kAggregating), 2);
}

TEST_F(RefreshSchedulerTest, AThrottledAggregateIsRecognisedAndNotRetriedUntilTheWindowPasses) {
  add("MBR-1");
  mx_->members["MBR-1"].job_started = kT0 - hours(1);  // a job MX ran an hour ago
  RefreshPassCounts c = pass();
  EXPECT_EQ(c.throttled, 1);
  EXPECT_EQ(c.started, 0);
  auto recorded = attempts("MBR-1");
  ASSERT_EQ(recorded.size(), 1U);
  EXPECT_EQ(recorded[0].outcome, RefreshOutcome::kThrottled);
  EXPECT_EQ(recorded[0].detail, "202, no job started: throttled");
  EXPECT_EQ(recorded[0].next_allowed_at, kT0 + hours(3));  // options_.throttle_window

  clock_.advance(hours(2) + minutes(59));
  c = pass();
  EXPECT_EQ(c.calls(), 0);
  EXPECT_EQ(c.skipped_for(RefreshSkip::kWaiting), 1);
  EXPECT_EQ(mx_->calls.size(), 1U);

  clock_.advance(minutes(1));
  c = pass();
  EXPECT_EQ(c.started, 1);
  EXPECT_EQ(mx_->calls.size(), 2U);
}

TEST_F(RefreshSchedulerTest, ARepeatedThrottleDoublesTheWaitUpToTheCap) {
  options_.institution_throttle_windows["bank_a"] = hours(1);  // MX's is really 3 h here
  add("MBR-1");
  mx_->members["MBR-1"].job_started = kT0 - minutes(1);
  pass();
  EXPECT_EQ(attempts("MBR-1").back().next_allowed_at, clock_.now() + hours(1));
  clock_.advance(hours(1));
  pass();  // still throttled at MX
  EXPECT_EQ(attempts("MBR-1").back().next_allowed_at, clock_.now() + hours(2));
  EXPECT_EQ(scheduler().throttle_window_for("bank_a"), hours(1));
  EXPECT_EQ(scheduler().throttle_window_for("other"), hours(3));
}

TEST_F(RefreshSchedulerTest, FailuresBackOffExponentiallyAndAttemptsAreCapped) {
  options_.max_attempts_per_member = 3;
  add("MBR-1");
  mx_->members["MBR-1"].script = {500, 503, 500, 500};
  std::vector<TimePoint> next;
  for (int i = 0; i < 3; ++i) {
    const RefreshPassCounts c = pass();
    EXPECT_EQ(c.failed, 1) << i;
    next.push_back(*attempts("MBR-1").back().next_allowed_at);
    clock_.now_ = next.back();
  }
  EXPECT_EQ(next[0], kT0 + minutes(15));
  EXPECT_EQ(next[1], next[0] + minutes(30));
  EXPECT_EQ(next[2], next[1] + minutes(60));
  const RefreshPassCounts capped = pass();
  EXPECT_EQ(capped.calls(), 0);
  EXPECT_EQ(capped.skipped_for(RefreshSkip::kAttemptCap), 1);
  EXPECT_EQ(mx_->calls.size(), 3U);
  EXPECT_EQ(attempts("MBR-1")[0].outcome, RefreshOutcome::kFailed);
  EXPECT_NE(attempts("MBR-1")[0].detail.find("scripted"), std::string::npos);
  // A day after the first attempt the window has room again.
  clock_.now_ = kT0 + hours(24) + seconds(1);
  EXPECT_EQ(pass().failed, 1);
}

TEST_F(RefreshSchedulerTest, A429PausesThePass) {
  options_.rate_limit_pause = seconds(60);
  add("MBR-1");
  add("MBR-2");
  add("MBR-3");
  mx_->members["MBR-1"].script = {429};
  RefreshPassCounts c = pass();
  EXPECT_EQ(c.rate_limited, 1);
  EXPECT_EQ(c.deferred_for(RefreshDeferral::kRateLimited), 2);
  EXPECT_EQ(mx_->calls.size(), 1U);
  EXPECT_EQ(attempts("MBR-1")[0].outcome, RefreshOutcome::kThrottled);
  EXPECT_EQ(attempts("MBR-1")[0].detail.rfind("429", 0), 0U);

  // A pass allowed to last longer waits the pause out instead.
  clock_.advance(seconds(30));
  mx_->members["MBR-2"].script = {429};
  options_.max_pass_duration = minutes(5);
  scheduler_.reset();
  c = pass();
  EXPECT_EQ(c.rate_limited, 1);
  EXPECT_EQ(c.started, 1);  // MBR-3, after the pause
  EXPECT_EQ(mx_->calls.back().member, "MBR-3");
  EXPECT_EQ(mx_->calls.back().at - mx_->calls[mx_->calls.size() - 2].at, seconds(60));
}

TEST_F(RefreshSchedulerTest, SkipsWhatOnlyTheUserCanFixAndWhatMxPaused) {
  for (const char* s : {"DENIED", "PREVENTED", "CHALLENGED", "EXPIRED", "REJECTED", "LOCKED",
                        "IMPEDED", "IMPAIRED", "IMPORTED", "PENDING"}) {
    add(std::string("MBR-") + s, hours(25), s);
  }
  add("MBR-DISABLED", hours(25), "DISABLED");
  add("MBR-CLOSED", hours(25), "CLOSED");
  add("MBR-DISCONTINUED", hours(25), "DISCONTINUED");
  add("MBR-RESUMED", hours(25), "RESUMED");
  add("MBR-DEGRADED", hours(25), "DEGRADED");
  add("MBR-FAILED", hours(25), "FAILED");
  add("MBR-CONNECTED", hours(25), "CONNECTED");
  const RefreshPassCounts c = pass();
  EXPECT_EQ(c.considered, 17);
  EXPECT_EQ(c.skipped_for(RefreshSkip::kNeedsUser), 10);
  EXPECT_EQ(c.skipped_for(RefreshSkip::kPaused), 1);
  EXPECT_EQ(c.skipped_for(RefreshSkip::kGivenUp), 2);
  EXPECT_EQ(c.skipped_for(RefreshSkip::kAggregating), 1);  // RESUMED: MX is working
  EXPECT_EQ(c.started, 3);
  std::vector<std::string> called;
  for (const auto& call : mx_->calls) called.push_back(call.member);
  std::sort(called.begin(), called.end());
  EXPECT_EQ(called, (std::vector<std::string>{"MBR-CONNECTED", "MBR-DEGRADED", "MBR-FAILED"}));
}

TEST_F(RefreshSchedulerTest, AStaleAggregatingFlagIsIgnored) {
  add("MBR-1");
  auto m = **store_->find_member("MBR-1");
  m.is_being_aggregated = true;
  m.updated_at = clock_.now() - minutes(10);
  ASSERT_TRUE(store_->upsert_member(m));
  EXPECT_EQ(pass().skipped_for(RefreshSkip::kAggregating), 1);
  m.updated_at = clock_.now() - hours(2);  // a failed job never said it ended
  ASSERT_TRUE(store_->upsert_member(m));
  EXPECT_EQ(pass().started, 1);
}

TEST_F(RefreshSchedulerTest, HonoursInstitutionRateAndInFlightLimits) {
  options_.limits.max_calls_per_institution = 3;
  options_.limits.institution_window = seconds(60);
  options_.limits.max_in_flight_per_institution = 2;
  options_.limits.assumed_job_duration = seconds(30);
  options_.max_pass_duration = minutes(2);
  for (int i = 0; i < 10; ++i) add("MBR-" + std::to_string(i));
  add("MBR-other", hours(25), "CONNECTED", "bank_b");
  const RefreshPassCounts c = pass();

  std::vector<TimePoint> bank_a;
  for (const auto& call : calls_) {
    if (call.institution_code == "bank_a") bank_a.push_back(call.at);
    EXPECT_LE(call.institution_in_flight, 2) << call.member_guid;
  }
  // Two in flight, three per rolling minute: 0 s, 0 s, 30 s, 60 s, 60 s, 90 s, 120 s, 120 s.
  const std::vector<seconds> expected{seconds(0),  seconds(0),  seconds(30),  seconds(60),
                                      seconds(60), seconds(90), seconds(120), seconds(120)};
  ASSERT_EQ(bank_a.size(), expected.size());
  for (std::size_t i = 0; i < bank_a.size(); ++i) {
    EXPECT_EQ(bank_a[i] - kT0, expected[i]) << i;
    int in_window = 0;
    for (std::size_t j = 0; j <= i; ++j) in_window += bank_a[j] > bank_a[i] - seconds(60);
    EXPECT_LE(in_window, 3) << i;
  }
  // bank_b is not held up behind bank_a's limits: it goes while bank_a waits.
  ASSERT_GE(calls_.size(), 3U);
  EXPECT_EQ(calls_[2].institution_code, "bank_b");
  EXPECT_EQ(calls_[2].at, kT0);
  EXPECT_EQ(c.max_in_flight, 3);  // two at bank_a plus bank_b's
  EXPECT_EQ(c.started, 9);
  EXPECT_EQ(c.deferred_for(RefreshDeferral::kInstitutionInFlight) +
                c.deferred_for(RefreshDeferral::kInstitutionRate),
            2);
  EXPECT_GT(c.waited, milliseconds(0));
  EXPECT_LE(clock_.now(), kT0 + minutes(2));  // the pass ended by its deadline
}

TEST_F(RefreshSchedulerTest, OneJobPerUserAndAFinishedJobFreesItsSlotEarly) {
  options_.limits.max_in_flight_per_user = 1;
  options_.limits.assumed_job_duration = seconds(120);
  options_.limit_recheck = seconds(5);
  options_.max_pass_duration = minutes(10);
  add("MBR-a", hours(25), "CONNECTED", "bank_a", "USR-1");
  add("MBR-b", hours(26), "CONNECTED", "bank_b", "USR-1");
  add("MBR-c", hours(27), "CONNECTED", "bank_c", "USR-1");
  pass();
  ASSERT_EQ(mx_->calls.size(), 3U);
  EXPECT_EQ(mx_->calls[1].at - mx_->calls[0].at, seconds(120));  // assumed duration

  // Now the jobs' webhooks arrive: the scheduler hears of each end while it waits.
  clock_.advance(hours(24));
  mx_->calls.clear();
  RefreshScheduler& s = scheduler();
  sleeper_.after_wait = [&] {
    for (const auto& [guid, m] : mx_->members) {
      if (!mx_->running(m)) s.job_finished(guid);
    }
  };
  for (auto& [guid, m] : mx_->members) m.succeeded.reset();  // stale again
  for (const char* g : {"MBR-a", "MBR-b", "MBR-c"}) {
    auto r = **store_->find_member(g);
    r.successfully_aggregated_at = iso(clock_.now() - hours(30));
    r.is_being_aggregated = false;
    ASSERT_TRUE(store_->upsert_member(r));
  }
  pass();
  ASSERT_EQ(mx_->calls.size(), 3U);
  EXPECT_EQ(mx_->calls[1].at - mx_->calls[0].at, seconds(10));  // the job's real length
  EXPECT_EQ(s.in_flight(), 1);
}

TEST_F(RefreshSchedulerTest, NewsThatArrivesDuringThePassDecidesNotThePlan) {
  options_.spread = minutes(10);
  options_.jitter_seed = 1;
  add("MBR-1");
  add("MBR-2");
  add("MBR-3");
  RefreshScheduler& s = scheduler();
  ASSERT_GT(s.jitter_offset("MBR-1"), milliseconds(0));
  ASSERT_GT(s.jitter_offset("MBR-2"), milliseconds(0));
  ASSERT_GT(s.jitter_offset("MBR-3"), milliseconds(0));
  // While the pass waits for the first slot: MBR-1's background aggregation webhook arrives,
  // MBR-2 turns out to be CHALLENGED, MBR-3 is deleted.
  bool once = false;
  sleeper_.after_wait = [&] {
    if (once) return;
    once = true;
    auto m1 = **store_->find_member("MBR-1");
    m1.successfully_aggregated_at = iso(clock_.now());
    ASSERT_TRUE(store_->upsert_member(m1));
    auto m2 = **store_->find_member("MBR-2");
    m2.connection_status = "CHALLENGED";
    ASSERT_TRUE(store_->upsert_member(m2));
    ASSERT_TRUE(store_->delete_member("MBR-3"));
  };
  const RefreshPassCounts c = pass();
  EXPECT_EQ(c.considered, 3);
  EXPECT_EQ(c.calls(), 0);
  EXPECT_EQ(c.skipped_for(RefreshSkip::kFresh), 2);
  EXPECT_EQ(c.skipped_for(RefreshSkip::kNeedsUser), 1);
  EXPECT_TRUE(mx_->calls.empty());
}

TEST_F(RefreshSchedulerTest, AnInterruptedWaitEndsThePassAndDefersTheRest) {
  options_.spread = minutes(10);
  for (int i = 0; i < 20; ++i) add("MBR-" + std::to_string(i));
  sleeper_.after_wait = [this] { sleeper_.stop = sleeper_.waits.size() >= 3; };
  const RefreshPassCounts c = pass();
  EXPECT_EQ(sleeper_.waits.size(), 3U);  // no wait after the interrupted one
  EXPECT_LE(c.calls(), 3);
  EXPECT_EQ(c.calls() + c.deferred_for(RefreshDeferral::kInterrupted), 20);
  EXPECT_NE(describe(c).find("interrupted="), std::string::npos) << describe(c);
}

TEST_F(RefreshSchedulerTest, JitterIsDeterministicForASeedAndSpreadsTheCalls) {
  options_.spread = minutes(10);
  options_.jitter_seed = 42;
  for (int i = 0; i < 20; ++i) add("MBR-" + std::to_string(i));
  pass();
  ASSERT_EQ(mx_->calls.size(), 20U);
  std::vector<std::string> order;
  for (const auto& c : mx_->calls) {
    order.push_back(c.member);
    EXPECT_GE(c.at, kT0);
    EXPECT_LT(c.at, kT0 + minutes(10));
  }
  EXPECT_GT(mx_->calls.back().at - mx_->calls.front().at, minutes(5));  // spread out

  RefreshScheduler same(*api_, *store_, clock_, sleeper_, options_);
  RefreshSchedulerOptions other_options = options_;
  other_options.jitter_seed = 43;
  RefreshScheduler other(*api_, *store_, clock_, sleeper_, other_options);
  std::vector<std::pair<milliseconds, std::string>> by_offset;
  std::vector<std::pair<milliseconds, std::string>> by_other;
  for (const auto& guid : order) {
    EXPECT_EQ(same.jitter_offset(guid), scheduler().jitter_offset(guid));
    EXPECT_EQ(mx_->calls[by_offset.size()].at - kT0, scheduler().jitter_offset(guid));
    by_offset.emplace_back(scheduler().jitter_offset(guid), guid);
    by_other.emplace_back(other.jitter_offset(guid), guid);
  }
  EXPECT_TRUE(std::is_sorted(by_offset.begin(), by_offset.end()));
  std::sort(by_other.begin(), by_other.end());
  std::vector<std::string> other_order;
  for (const auto& [offset, guid] : by_other) other_order.push_back(guid);
  EXPECT_NE(other_order, order);
}

TEST_F(RefreshSchedulerTest, OnePassAtATime) {
  add("MBR-1");
  Result<RefreshPassCounts> nested = make_error(ErrorKind::kStorage, "not called");
  options_.on_call = nullptr;
  scheduler_ = std::make_unique<RefreshScheduler>(*api_, *store_, clock_, sleeper_, [&] {
    RefreshSchedulerOptions o = options_;
    o.on_call = [&](const RefreshCall&) { nested = scheduler_->run_due(); };
    return o;
  }());
  ASSERT_TRUE(scheduler_->run_due());
  ASSERT_FALSE(nested);
  EXPECT_EQ(nested.error().kind, ErrorKind::kInvalidInput);
}

TEST_F(RefreshSchedulerTest, DescribesAPass) {
  add("MBR-1");
  add("MBR-2", hours(25), "DENIED");
  const std::string line = describe(pass());
  EXPECT_EQ(line,
            "considered=2 calls=1 started=1 throttled=0 rate_limited=0 failed=0 skipped=1 "
            "[needs_user=1] deferred=0 max_in_flight=1 waited_s=0");
}

}  // namespace
}  // namespace mxclient
