// The retry decision as a table, and the loop around it with a scripted transport.
#include "mxclient/retry.h"

#include <gtest/gtest.h>

#include <deque>
#include <set>
#include <vector>

namespace mxclient {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

Result<HttpResponse> status(int code, std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = code;
  r.headers = std::move(headers);
  return r;
}

Result<HttpResponse> transport_error() { return make_error(ErrorKind::kTransport, "Read timeout"); }

RetryPolicy no_jitter() {
  RetryPolicy p;
  p.jitter = 0;
  return p;
}

TEST(RetryDelayTest, NeverRetriesSuccessOrRedirects) {
  std::uint64_t rng = 1;
  for (int code : {200, 201, 202, 204, 301, 302, 304}) {
    EXPECT_FALSE(retry_delay(RetryPolicy{}, 1, status(code), rng)) << code;
  }
}

TEST(RetryDelayTest, NeverRetriesClientErrorsOtherThan429) {
  std::uint64_t rng = 1;
  for (int code : {400, 401, 403, 404, 405, 406, 409, 410, 422}) {
    EXPECT_FALSE(retry_delay(RetryPolicy{}, 1, status(code), rng)) << code;
  }
}

TEST(RetryDelayTest, RetriesGatewayAndServerErrorsButNotUnimplemented) {
  std::uint64_t rng = 1;
  for (int code : {500, 502, 503, 504}) {
    EXPECT_TRUE(retry_delay(RetryPolicy{}, 1, status(code), rng)) << code;
  }
  for (int code : {501, 505}) {
    EXPECT_FALSE(retry_delay(RetryPolicy{}, 1, status(code), rng)) << code;
  }
}

TEST(RetryDelayTest, RetriesTransportErrorsOnly) {
  std::uint64_t rng = 1;
  EXPECT_TRUE(retry_delay(RetryPolicy{}, 1, transport_error(), rng));
  for (ErrorKind kind : {ErrorKind::kInvalidInput, ErrorKind::kInvalidReply, ErrorKind::kHttp}) {
    EXPECT_FALSE(retry_delay(RetryPolicy{}, 1, make_error(kind, "x"), rng));
  }
}

TEST(RetryDelayTest, Retries429WithBackoffWhenNoRetryAfter) {
  std::uint64_t rng = 1;
  auto delay = retry_delay(no_jitter(), 1, status(429), rng);
  ASSERT_TRUE(delay);
  EXPECT_EQ(*delay, milliseconds{500});
}

TEST(RetryDelayTest, HonoursRetryAfterOn429) {
  std::uint64_t rng = 1;
  auto delay = retry_delay(RetryPolicy{}, 1, status(429, {{"retry-after", "7"}}), rng);
  ASSERT_TRUE(delay);
  EXPECT_EQ(*delay, milliseconds{7000});
}

TEST(RetryDelayTest, HonoursRetryAfterAboveMaxBackoff) {
  std::uint64_t rng = 1;
  RetryPolicy p;
  p.max_backoff = milliseconds{30000};
  auto delay = retry_delay(p, 1, status(429, {{"retry-after", "120"}}), rng);
  ASSERT_TRUE(delay);
  EXPECT_EQ(*delay, milliseconds{120000});
}

TEST(RetryDelayTest, BackoffLongerThanRetryAfterWins) {
  std::uint64_t rng = 1;
  // Attempt 4: ceiling 500 * 2^3 = 4000 ms, no jitter; Retry-After says 1 s.
  auto delay = retry_delay(no_jitter(), 4, status(429, {{"retry-after", "1"}}), rng);
  ASSERT_TRUE(delay);
  EXPECT_EQ(*delay, milliseconds{4000});
}

TEST(RetryDelayTest, HonoursRetryAfterOn503Too) {
  std::uint64_t rng = 1;
  auto delay = retry_delay(RetryPolicy{}, 1, status(503, {{"retry-after", "3"}}), rng);
  ASSERT_TRUE(delay);
  EXPECT_EQ(*delay, milliseconds{3000});
}

TEST(RetryDelayTest, Retries503WithBackoff) {
  std::uint64_t rng = 1;
  auto delay = retry_delay(no_jitter(), 2, status(503), rng);
  ASSERT_TRUE(delay);
  EXPECT_EQ(*delay, milliseconds{1000});
}

TEST(RetryDelayTest, StopsWhenAttemptsAreExhausted) {
  std::uint64_t rng = 1;
  RetryPolicy p;
  p.max_attempts = 3;
  EXPECT_TRUE(retry_delay(p, 2, status(503), rng));
  EXPECT_FALSE(retry_delay(p, 3, status(503), rng));
  EXPECT_FALSE(retry_delay(p, 4, transport_error(), rng));
  EXPECT_FALSE(retry_delay(p, 3, status(429, {{"retry-after", "1"}}), rng));
  p.max_attempts = 1;
  EXPECT_FALSE(retry_delay(p, 1, status(503), rng));
}

TEST(RetryDelayTest, BackoffGrowsExponentiallyUpToTheCap) {
  RetryPolicy p;
  EXPECT_EQ(backoff_ceiling(p, 1), milliseconds{500});
  EXPECT_EQ(backoff_ceiling(p, 2), milliseconds{1000});
  EXPECT_EQ(backoff_ceiling(p, 3), milliseconds{2000});
  EXPECT_EQ(backoff_ceiling(p, 6), milliseconds{16000});
  EXPECT_EQ(backoff_ceiling(p, 7), milliseconds{30000});
  EXPECT_EQ(backoff_ceiling(p, 1000), milliseconds{30000});  // no overflow
}

TEST(RetryDelayTest, JitterStaysWithinItsProportionalBand) {
  RetryPolicy p;
  p.jitter = 0.2;
  std::uint64_t rng = 42;
  std::set<long long> distinct;
  for (int i = 0; i < 2000; ++i) {
    const int attempt = 1 + i % 4;
    const auto ceiling = backoff_ceiling(p, attempt).count();
    auto delay = retry_delay(p, attempt, status(503), rng);
    ASSERT_TRUE(delay);
    EXPECT_GE(delay->count(), static_cast<long long>(static_cast<double>(ceiling) * 0.8));
    EXPECT_LE(delay->count(), ceiling);
    if (attempt == 3) distinct.insert(delay->count());
  }
  EXPECT_GT(distinct.size(), 100U);  // it does vary
}

TEST(RetryDelayTest, FullJitterSpansZeroToCeiling) {
  RetryPolicy p;
  p.jitter = 1.0;
  std::uint64_t rng = 7;
  milliseconds::rep lo = 1 << 30;
  milliseconds::rep hi = 0;
  for (int i = 0; i < 2000; ++i) {
    auto delay = retry_delay(p, 1, transport_error(), rng);
    ASSERT_TRUE(delay);
    lo = std::min(lo, delay->count());
    hi = std::max(hi, delay->count());
  }
  EXPECT_GE(lo, 0);
  EXPECT_LT(lo, 50);
  EXPECT_LE(hi, 500);
  EXPECT_GT(hi, 450);
}

TEST(RetryDelayTest, SameSeedSameDelays) {
  auto sequence = [](std::uint64_t seed) {
    std::vector<long long> out;
    for (int attempt = 1; attempt < 5; ++attempt) {
      out.push_back(retry_delay(RetryPolicy{}, attempt, status(503), seed)->count());
    }
    return out;
  };
  EXPECT_EQ(sequence(1234), sequence(1234));
  EXPECT_NE(sequence(1234), sequence(1235));
}

TEST(RetryDelayTest, ParsesDeltaSecondsRetryAfterOnly) {
  EXPECT_EQ(parse_retry_after("120"), seconds{120});
  EXPECT_EQ(parse_retry_after(" 5 "), seconds{5});
  EXPECT_EQ(parse_retry_after("0"), seconds{0});
  EXPECT_FALSE(parse_retry_after(""));
  EXPECT_FALSE(parse_retry_after("-1"));
  EXPECT_FALSE(parse_retry_after("1.5"));
  EXPECT_FALSE(parse_retry_after("soon"));
  EXPECT_FALSE(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"));
  EXPECT_FALSE(parse_retry_after("99999999999999999999"));
}

TEST(RetryDelayTest, UnparsableRetryAfterFallsBackToBackoff) {
  std::uint64_t rng = 1;
  auto delay = retry_delay(no_jitter(), 1, status(429, {{"retry-after", "later"}}), rng);
  ASSERT_TRUE(delay);
  EXPECT_EQ(*delay, milliseconds{500});
}

// ---- the loop

class ScriptedTransport : public Transport {
 public:
  explicit ScriptedTransport(std::deque<Result<HttpResponse>> script)
      : script_(std::move(script)) {}
  Result<HttpResponse> send(const HttpRequest&) override {
    ++calls;
    Result<HttpResponse> next = script_.front();
    if (script_.size() > 1) script_.pop_front();
    return next;
  }
  int calls = 0;

 private:
  std::deque<Result<HttpResponse>> script_;
};

class RecordingSleeper : public Sleeper {
 public:
  void wait(milliseconds d) override {
    delays.push_back(d);
    stop = stop || interrupt_on_wait;
  }
  bool interrupted() const override { return stop; }
  std::vector<milliseconds> delays;
  bool interrupt_on_wait = false;  // SIGINT arrives during the first wait
  bool stop = false;
};

TEST(SendWithRetryTest, RetriesUntilSuccessAndReportsEachRetry) {
  ScriptedTransport transport({status(503), transport_error(), status(200)});
  RecordingSleeper sleeper;
  std::vector<int> observed;
  std::uint64_t rng = 9;
  auto result = send_with_retry(
      transport, HttpRequest{"GET", "/users", {}, ""}, no_jitter(), sleeper, rng,
      [&](int attempt, const Result<HttpResponse>&, milliseconds) { observed.push_back(attempt); });
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(transport.calls, 3);
  EXPECT_EQ(sleeper.delays, (std::vector<milliseconds>{milliseconds{500}, milliseconds{1000}}));
  EXPECT_EQ(observed, (std::vector<int>{1, 2}));
}

TEST(SendWithRetryTest, ReturnsTheLastOutcomeWhenAttemptsRunOut) {
  ScriptedTransport transport({status(503)});
  RecordingSleeper sleeper;
  std::uint64_t rng = 9;
  auto result =
      send_with_retry(transport, HttpRequest{"GET", "/users", {}, ""}, RetryPolicy{}, sleeper, rng);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 503);
  EXPECT_EQ(transport.calls, 5);
  EXPECT_EQ(sleeper.delays.size(), 4U);
}

TEST(SendWithRetryTest, AnInterruptedWaitEndsTheRetries) {
  ScriptedTransport transport({status(503)});
  RecordingSleeper sleeper;
  sleeper.interrupt_on_wait = true;
  std::uint64_t rng = 9;
  auto result =
      send_with_retry(transport, HttpRequest{"GET", "/users", {}, ""}, RetryPolicy{}, sleeper, rng);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 503);  // the outcome before the wait stands
  EXPECT_EQ(transport.calls, 1);
  EXPECT_EQ(sleeper.delays.size(), 1U);
}

TEST(SendWithRetryTest, DoesNotSleepForAFinalAnswer) {
  ScriptedTransport transport({status(404)});
  RecordingSleeper sleeper;
  std::uint64_t rng = 9;
  auto result =
      send_with_retry(transport, HttpRequest{"GET", "/users", {}, ""}, RetryPolicy{}, sleeper, rng);
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, 404);
  EXPECT_EQ(transport.calls, 1);
  EXPECT_TRUE(sleeper.delays.empty());
}

}  // namespace
}  // namespace mxclient
