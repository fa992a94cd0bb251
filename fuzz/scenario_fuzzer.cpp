// libFuzzer target: one input is the text of a scenario file (scenarios/README.md). It is parsed
// and validated as mxemu-replay parses a file; when it is a valid scenario, it is run, as the
// runner runs it, against a fresh in-process world (the same target as `mxemu-replay` without
// --target: api::Tenants through api::InProcessTransport, on a manual clock).
//
// A finding is a crash, an uncaught exception or a sanitizer report. A scenario that fails its
// own expectations is an ordinary outcome. Two bounds keep each input short, as in the server
// fuzzers: clock calls that would take the input more than 400 days past its start are answered
// 400 here, without reaching the world, and a session's 400th call ends the scenario as an
// unreachable target (a client step that waits for a status the world never reaches would
// otherwise poll until its own limits, which are generous on purpose).
// Golden files are read relative to a directory that does not exist, and never written.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domain/timestamps.h"
#include "request_script.h"
#include "runner.h"
#include "scenario.h"
#include "target.h"

namespace {

using namespace mxemu;

constexpr std::int64_t kMaxMovedSeconds = 400LL * 86400;
constexpr int kMaxCalls = 400;

class BoundedSession final : public replay::Session {
 public:
  BoundedSession(std::unique_ptr<replay::Session> inner, std::int64_t start_seconds)
      : inner_(std::move(inner)), start_(start_seconds), horizon_(start_seconds) {}

  replay::Reply send(const std::string& method, const std::string& target,
                     const std::string& body) override {
    if (auto refused = admit(target, body)) return *refused;
    return inner_->send(method, target, body);
  }
  std::string curl(const std::string& method, const std::string& target,
                   const std::string& body) const override {
    return inner_->curl(method, target, body);
  }
  replay::Reply exchange(const std::string& method, const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& headers,
                         const std::string& body) override {
    if (auto refused = admit(target, body)) return *refused;
    return inner_->exchange(method, target, headers, body);
  }
  std::pair<std::string, std::string> credentials() const override { return inner_->credentials(); }

 private:
  // A refusal for a call past the bounds, or nothing when the call may reach the world.
  std::unique_ptr<replay::Reply> admit(const std::string& target, const std::string& body) {
    if (++calls_ > kMaxCalls) throw replay::Unreachable("the fuzz harness's call budget is spent");
    const std::int64_t moved = fuzz::clock_move(target, body, horizon_);
    if (horizon_ + moved > start_ + kMaxMovedSeconds) {
      auto refused = std::make_unique<replay::Reply>();
      refused->status = 400;
      refused->headers.emplace_back("Content-Type", "application/json");
      refused->body = R"({"error":{"message":"past the fuzz harness's 400 days"}})";
      return refused;
    }
    if (moved > 0) horizon_ += moved;
    return nullptr;
  }

  std::unique_ptr<replay::Session> inner_;
  std::int64_t start_;
  std::int64_t horizon_;
  int calls_ = 0;
};

// The in-process target parses the embedded fixtures once, when it is made, and gives each
// session a fresh world of its own; one per process, as mxemu-replay makes one per run (parsing
// them per input was a fifth of this target's time).
replay::Target& in_process_target() {
  static const std::unique_ptr<replay::Target> target = replay::make_in_process_target();
  return *target;
}

class BoundedTarget final : public replay::Target {
 public:
  std::unique_ptr<replay::Session> open(const std::string& start) override {
    const auto at = domain::parse_iso8601(start);
    auto inner = in_process_target().open(start);  // refuses a start it cannot use, as runs do
    return std::make_unique<BoundedSession>(std::move(inner), at ? domain::unix_seconds(*at) : 0);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  replay::ParseError error;
  const auto scenario =
      replay::parse_scenario(text, "/nonexistent/mxemu-fuzz/scenario.json", error);
  if (!scenario) {
    (void)error.message();
    return 0;
  }
  BoundedTarget target;
  std::chrono::steady_clock::time_point fake{};
  const replay::Outcome outcome = replay::run_scenario(*scenario, target, [&fake] {
    fake += std::chrono::milliseconds(1);
    return fake;
  });
  (void)outcome;
  return 0;
}
