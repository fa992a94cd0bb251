#pragma once

#include <chrono>

// Time seams for the client: nothing in the library reads the real clock or sleeps on its own.
// The CLI passes real ones; tests pass ones that move the emulator's virtual clock.
namespace mxclient {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint now() const = 0;
};

// Waits. Tests implement it by advancing a virtual clock, so backoff and polling cost nothing.
//
// Interruption: a Sleeper may be told to stop (the CLI's SIGINT). From then on wait() returns
// at once and interrupted() is true, and every loop that waits in the library (watching,
// retries, refresh passes) stops instead of carrying on without waiting. Sleepers that cannot
// be interrupted keep the default.
class Sleeper {
 public:
  virtual ~Sleeper() = default;
  virtual void wait(std::chrono::milliseconds duration) = 0;
  virtual bool interrupted() const { return false; }
};

}  // namespace mxclient
