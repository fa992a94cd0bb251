#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "mxclient/time.h"
#include "mxclient/transport.h"

// mxctl: the MX integration's command line. `run` is the whole program minus the process: the
// environment it touches (variables, transport, clock, sleeper, streams, a stop signal) comes
// in through Environment, so tests drive it in process against the emulator in virtual time.
namespace mxctl {

// Exit codes scripts branch on. Stable: documented in `mxctl --help` and docs/client.md.
enum ExitCode : int {
  kExitOk = 0,          // done; for watch: CONNECTED and idle
  kExitError = 1,       // MX, transport or storage error
  kExitUsage = 2,       // bad command line
  kExitNeedsUser = 3,   // the member needs the end user (MFA, credentials, OAuth, the bank's site)
  kExitRetryLater = 4,  // MX-side or temporary trouble (DEGRADED, FAILED, DISABLED, …)
  kExitGaveUp = 5,      // the connection cannot come back (CLOSED, DISCONTINUED)
  kExitTimedOut = 6,    // watch reached its poll cap or timeout while MX was still working
  kExitNotFound = 7,    // an app user, member or record that does not exist
  kExitIncomplete = 8,  // categories: the mapping leaves some of MX's categories uncovered
  // A wait (watch, a refresh pass) ended by SIGINT: 128 + SIGINT, as a shell reports a
  // process killed by it, so scripts see the same code either way.
  kExitInterrupted = 130,
};

struct Environment {
  // Environment variables (MX_CLIENT_ID, MX_API_KEY, MX_BASE_URL, MXCTL_DB); "" when unset.
  std::function<std::string(const std::string& name)> getenv;
  // The transport for a base URL and per-request timeout.
  std::function<std::shared_ptr<mxclient::Transport>(const std::string& base_url,
                                                     std::chrono::milliseconds timeout)>
      make_transport;
  const mxclient::Clock* clock = nullptr;
  mxclient::Sleeper* sleeper = nullptr;
  std::istream* in = nullptr;   // `callback -` reads the payload here
  std::ostream* out = nullptr;  // results (human or --json)
  std::ostream* err = nullptr;  // progress lines, warnings, errors
  // `webhooks serve` returns once this is true (checked every `stop_poll`). Waits inside
  // commands end through the sleeper (Sleeper::interrupted), which main wires to the same
  // signal.
  std::function<bool()> stop_requested;
  // `connect --browser --open`: shows `url` to the person (main: xdg-open). False when it could
  // not; unset counts as false.
  std::function<bool(const std::string& url)> open_url;
  std::chrono::milliseconds stop_poll{200};
};

// Runs one command line (without the program name). Never throws; returns an ExitCode.
int run(const std::vector<std::string>& args, Environment& env);

}  // namespace mxctl
