#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "mxclient/time.h"

// The CLI's Sleeper around the environment's: a wait longer than `every` (a Retry-After, a
// refresh pass's spread, a throttle backoff) is cut into slices of at most `every`, and after
// each slice but the last `report` gets the elapsed time and the whole wait, so a person sees a
// line at least every 10 s. Shorter waits (watch's polls, which beat on their own) pass through.
// An interruption ends the wait at the next slice.
namespace mxctl {

class ProgressSleeper final : public mxclient::Sleeper {
 public:
  using Report =
      std::function<void(std::chrono::milliseconds elapsed, std::chrono::milliseconds total)>;
  ProgressSleeper(mxclient::Sleeper& inner, Report report,
                  std::chrono::milliseconds every = std::chrono::seconds(10))
      : inner_(inner), report_(std::move(report)), every_(every) {}

  void wait(std::chrono::milliseconds duration) override;
  bool interrupted() const override { return inner_.interrupted(); }

 private:
  mxclient::Sleeper& inner_;
  Report report_;
  std::chrono::milliseconds every_;
};

}  // namespace mxctl
