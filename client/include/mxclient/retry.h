#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "mxclient/result.h"
#include "mxclient/time.h"
#include "mxclient/transport.h"

// When and how long to wait before sending a request again. The decision is a pure function
// (retry_delay) so that it can be tested as a table; the loop (send_with_retry) only adds the
// injected Sleeper. Nothing here reads a clock or sleeps on its own.
namespace mxclient {

struct RetryPolicy {
  // Attempts in all, the first one included: 1 means "never retry".
  int max_attempts = 5;
  // Ceiling of the wait after the first failed attempt; it grows by `multiplier` per attempt
  // up to `max_backoff`.
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30000};
  double multiplier = 2.0;
  // Proportional jitter in [0, 1]: the wait is drawn uniformly from
  // [ceiling * (1 - jitter), ceiling]. 0 waits exactly the ceiling; 1 is "full jitter"
  // ([0, ceiling]). Jitter only ever shortens a wait, so max_backoff stays a true maximum.
  double jitter = 0.2;
};

// True for the outcomes worth another attempt: no HTTP answer (ErrorKind::kTransport), 429,
// and 500/502/503/504. Never for other statuses (2xx, 3xx, 4xx other than 429, 501, 505...)
// nor for errors of another kind (an unusable base URL does not heal).
bool is_retryable(const Result<HttpResponse>& outcome);

// The delta-seconds form of a Retry-After header value ("120"); nullopt when absent or in
// another form. The HTTP-date form is not supported: the library reads no clock.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value);

// The ceiling of the wait after failed attempt `attempt` (1-based):
// initial_backoff * multiplier^(attempt-1), capped at max_backoff.
std::chrono::milliseconds backoff_ceiling(const RetryPolicy& policy, int attempt);

// The next number of the explicitly seeded generator behind the jitter (splitmix64: advances
// `state`, returns a well-mixed 64-bit value). Any seed, 0 included, is fine.
std::uint64_t next_random(std::uint64_t& state);

// How long to wait before attempt `attempt + 1`, or nullopt to stop and report `outcome`.
//   - nullopt when `outcome` is not retryable (see is_retryable) or `attempt` >= max_attempts.
//   - otherwise a jittered exponential backoff (backoff_ceiling with `jitter`), drawn from
//     `rng_state`, which it advances; the same state gives the same delays.
//   - on 429 (and 503, where HTTP defines it too) with a Retry-After in seconds, never less
//     than Retry-After. A Retry-After above max_backoff is still honoured in full: the server
//     said when it will serve again, and asking sooner only spends an attempt on a certain
//     429. Callers that cannot wait that long lower max_attempts (1: no retry at all).
// `attempt` is 1-based and names the attempt that just failed.
std::optional<std::chrono::milliseconds> retry_delay(const RetryPolicy& policy, int attempt,
                                                     const Result<HttpResponse>& outcome,
                                                     std::uint64_t& rng_state);

// Told about every retry before its wait: the attempt that failed, its outcome, the delay.
using RetryObserver = std::function<void(int attempt, const Result<HttpResponse>& outcome,
                                         std::chrono::milliseconds delay)>;

// Sends `request` until retry_delay says stop, sleeping between attempts with `sleeper`.
// Returns the last outcome as it is: an HTTP error status is a response here, not an Error;
// the caller decides what a status means. An interrupted `sleeper` ends the retries: the
// outcome before the interrupted wait is returned. Thread safety: as safe as `transport`, `sleeper`
// and `observer` are; `rng_state` must not be shared between concurrent calls.
//
// Retrying replays non-idempotent requests (POST, PUT) after a transport error whose request
// may have reached the server; callers make such requests idempotent (MxApi resolves the
// resulting 409s).
Result<HttpResponse> send_with_retry(Transport& transport, const HttpRequest& request,
                                     const RetryPolicy& policy, Sleeper& sleeper,
                                     std::uint64_t& rng_state,
                                     const RetryObserver& observer = nullptr);

}  // namespace mxclient
