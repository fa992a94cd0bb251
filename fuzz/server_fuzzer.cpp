// libFuzzer target: scripts of requests (request_script.h) through the in-process transport into
// a fresh world per input, the same routing, auth, versioning and handlers as HTTP.
//
// MXEMU_FUZZ_CONTROL unset (mx_request_fuzzer): MX routes only; targets under /_emulator/ are
// skipped, so no fault can be injected and any 5xx is a bug.
// MXEMU_FUZZ_CONTROL set (control_fuzzer): control and MX routes mixed; a 5xx is a bug unless
// this input injected a fault first.
// Every input: no crash, no sanitizer report, every answer a status in [100, 600), and a body
// declared JSON parses as JSON.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "api/fixture_loader.h"
#include "api/in_process_transport.h"
#include "api/service.h"
#include "api/tenants.h"
#include "api/world.h"
#include "domain/clock.h"
#include "domain/timestamps.h"
#include "request_script.h"

namespace {

using namespace mxemu;

constexpr std::size_t kMaxRequests = 16;

const api::FixtureSet& fixtures() {
  static const api::FixtureSet set = [] {
    auto loaded = api::load_embedded_fixtures();
    if (!loaded) std::abort();
    return std::move(*loaded);
  }();
  return set;
}

[[noreturn]] void bug(const char* what, const fuzz::ScriptedRequest& r, const api::Response& res) {
  std::fprintf(stderr, "%s: %s %s -> %d %s\n", what, std::string(api::to_string(r.method)).c_str(),
               r.target.c_str(), res.status, res.body.substr(0, 500).c_str());
  std::abort();
}

bool is_fault_call(const std::string& target) {
  return target.rfind("/_emulator/faults", 0) == 0 ||
         (target.rfind("/_emulator/institutions/", 0) == 0 &&
          target.find("/fault") != std::string::npos) ||
         target.rfind("/_emulator/members/", 0) == 0 ||  // queued outcomes: SERVER_ERROR logins
         target.rfind("/_emulator/limits", 0) == 0 || target.rfind("/_emulator/policies", 0) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto script = fuzz::parse_script(input, kMaxRequests);
  if (script.empty()) return 0;

  const domain::TimePoint start = *domain::parse_iso8601("2024-03-01T09:00:00Z");
  domain::ManualClock clock(start);
  api::WorldConfig config;
  config.client_id = "client";
  config.api_key = "key";
  api::Tenants tenants(clock, fixtures(), config);
  api::Service service(tenants);
  api::InProcessTransport transport(service);
  fuzz::GuidMemory guids;
  bool fault_injected = false;
  // Emulated time an input may move, in all: each emulated day costs every connected member a
  // background aggregation (about 0.5 ms, ten times that under ASan), so a century of them is
  // minutes of honest work, not a hang. Calls that would go further are skipped. The control
  // API's own bounds (at most 100 years a call, never past 2260) have unit tests.
  constexpr std::int64_t kMaxMovedSeconds = 400LL * 86400;
  std::int64_t horizon = domain::unix_seconds(start);

  for (const auto& r : script) {
    const std::string target = guids.substitute(r.target);
    const bool control = target.rfind("/_emulator", 0) == 0;
#ifndef MXEMU_FUZZ_CONTROL
    if (control) continue;
#endif
    if (control) {
      const std::int64_t moved = fuzz::clock_move(target, guids.substitute(r.body), horizon);
      if (horizon + moved > domain::unix_seconds(start) + kMaxMovedSeconds) continue;
      horizon += std::max<std::int64_t>(moved, 0);
    }
    if (control && is_fault_call(target)) fault_injected = true;
    api::Headers headers;
    for (const auto& [name, value] : r.headers) headers.emplace(name, guids.substitute(value));
    if (!control && headers.count("Authorization") == 0) {
      headers.emplace("Authorization", api::basic_authorization("client", "key"));
    }
    if (headers.count("Accept") == 0) headers.emplace("Accept", "application/vnd.mx.api.v1+json");
    if (!r.body.empty() && headers.count("Content-Type") == 0) {
      headers.emplace("Content-Type", "application/json");
    }
    const api::Response res =
        transport.send(r.method, target, std::move(headers), guids.substitute(r.body));
    if (res.status < 100 || res.status >= 600) bug("status out of range", r, res);
    if (res.status >= 500 && !fault_injected) bug("5xx without an injected fault", r, res);
    if (res.content_type.find("json") != std::string::npos && !res.body.empty() &&
        !nlohmann::json::accept(res.body)) {
      bug("a body declared JSON does not parse", r, res);
    }
    guids.learn(res.body);
  }
  return 0;
}
