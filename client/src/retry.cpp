#include "mxclient/retry.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

namespace mxclient {

bool is_retryable(const Result<HttpResponse>& outcome) {
  if (!outcome.ok()) return outcome.error().kind == ErrorKind::kTransport;
  switch (outcome->status) {
    case 429:
    case 500:
    case 502:
    case 503:
    case 504:
      return true;
    default:
      return false;
  }
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())) != 0) {
    value.remove_prefix(1);
  }
  while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())) != 0) {
    value.remove_suffix(1);
  }
  if (value.empty() || value.size() > 9) return std::nullopt;  // > 9 digits: not a sane wait
  long long seconds = 0;
  for (char c : value) {
    if (std::isdigit(static_cast<unsigned char>(c)) == 0) return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return std::chrono::seconds{seconds};
}

std::chrono::milliseconds backoff_ceiling(const RetryPolicy& policy, int attempt) {
  const double initial =
      static_cast<double>(std::max<long long>(0, policy.initial_backoff.count()));
  const double cap = static_cast<double>(std::max<long long>(0, policy.max_backoff.count()));
  const double multiplier = std::max(1.0, policy.multiplier);
  double ceiling = initial * std::pow(multiplier, std::max(0, attempt - 1));
  if (!std::isfinite(ceiling) || ceiling > cap) ceiling = cap;
  return std::chrono::milliseconds{static_cast<long long>(ceiling)};
}

std::uint64_t next_random(std::uint64_t& state) {
  state += 0x9E3779B97F4A7C15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

std::optional<std::chrono::milliseconds> retry_delay(const RetryPolicy& policy, int attempt,
                                                     const Result<HttpResponse>& outcome,
                                                     std::uint64_t& rng_state) {
  if (!is_retryable(outcome) || attempt >= policy.max_attempts) return std::nullopt;

  const auto ceiling = backoff_ceiling(policy, attempt);
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  // A uniform draw in [0, 1) from the top 53 bits.
  const double u = static_cast<double>(next_random(rng_state) >> 11U) * 0x1.0p-53;
  const double factor = 1.0 - jitter * u;
  std::chrono::milliseconds delay{
      static_cast<long long>(std::floor(static_cast<double>(ceiling.count()) * factor))};

  if (outcome.ok() && (outcome->status == 429 || outcome->status == 503)) {
    if (auto after = parse_retry_after(outcome->header("retry-after"))) {
      delay = std::max<std::chrono::milliseconds>(delay, *after);
    }
  }
  return delay;
}

Result<HttpResponse> send_with_retry(Transport& transport, const HttpRequest& request,
                                     const RetryPolicy& policy, Sleeper& sleeper,
                                     std::uint64_t& rng_state, const RetryObserver& observer) {
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> outcome = transport.send(request);
    const auto delay = retry_delay(policy, attempt, outcome, rng_state);
    if (!delay) return outcome;
    if (observer) observer(attempt, outcome, *delay);
    sleeper.wait(*delay);
    if (sleeper.interrupted()) return outcome;  // asked to stop: the last failure stands
  }
}

}  // namespace mxclient
