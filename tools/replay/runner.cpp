#include "runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "accepted_writes.h"
#include "client_steps.h"
#include "domain/timestamps.h"
#include "explore.h"
#include "invariants.h"
#include "json_match.h"
#include "timeline.h"

namespace mxemu::replay {
namespace {

using nlohmann::json;

// An expectation that did not hold, or a call the target refused: ends the scenario's steps.
struct StepFailure {
  std::string text;
};

std::string indent(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += "    " + l + "\n";
  return out;
}

json parse_body(const std::string& body) {
  if (body.empty()) return nullptr;
  try {
    return json::parse(body);
  } catch (const json::exception&) {  // parse_error, or out_of_range for 1e999
    return body;                      // not JSON: compared as a string
  }
}

long long duration_seconds(const json& d) {
  const std::string unit = d.begin().key();
  const auto& n = d.begin().value();
  const long long v = n.get<long long>();
  if (unit == "minutes") return v * 60;
  if (unit == "hours") return v * 3600;
  if (unit == "days") return v * 86400;
  return v;
}

// Runs the steps of one scenario against one session.
class Executor {
 public:
  Executor(const Scenario& scenario, Session& session, const AcceptedWrites& writes, Trace* trace,
           const RunOptions& options)
      : sc_(scenario),
        s_(session),
        writes_(writes),
        trace_(trace),
        options_(options),
        now_(normalize(scenario.start)) {}

  // Invariant violations let pass (RunOptions::tolerated), each counted once.
  int tolerated() const { return tolerated_; }

  // The webhooks MX would have sent, onto the timeline (after the last step).
  void trace_webhooks() {
    if (trace_ == nullptr) return;
    const auto r = s_.send("GET", "/_emulator/events", "");
    if (r.status != 200) return;
    for (const auto& e : parse_body(r.body).value("events", json::array())) {
      std::string label = e.value("type", "");
      if (e.contains("payload") && e["payload"].contains("connection_status")) {
        label += " " + e["payload"]["connection_status"].get<std::string>();
      }
      lane(e.value("member_guid", ""), "");
      trace_->marks.push_back({Mark::Kind::kWebhook, normalize(e.value("at", now_)),
                               e.value("member_guid", ""), label});
    }
  }

  void setup() {
    const auto& st = sc_.setup;
    if (st.contains("limits")) control("PUT", "/_emulator/limits", st["limits"], "/setup/limits");
    if (st.contains("storm"))
      control("PUT", "/_emulator/policies/storm", st["storm"], "/setup/storm");
    if (st.contains("webhooks")) {
      control("PUT", "/_emulator/webhooks", {{"subscriptions", render(st["webhooks"], captures_)}},
              "/setup/webhooks");
    }
    if (st.contains("users")) {
      for (std::size_t i = 0; i < st["users"].size(); ++i) {
        const auto& u = st["users"][i];
        const std::string as = u["as"];
        const auto r = control("POST", "/users", {{"user", {{"id", u.value("id", as)}}}},
                               "/setup/users/" + std::to_string(i));
        captures_[as] = parse_body(r.body)["user"]["guid"];
      }
    }
    if (st.contains("members")) {
      for (std::size_t i = 0; i < st["members"].size(); ++i) member(st["members"][i], i);
    }
  }

  void step(const Step& step) {
    pointer_ = step.pointer;
    const json a = render(step.args, captures_);
    const std::string& k = step.kind;
    if (k == "request") {
      request(step, a);
    } else if (k == "advance") {
      control("POST", "/_emulator/clock/advance", a, step.pointer);
    } else if (k == "set_clock") {
      control("POST", "/_emulator/clock/set", {{"time", a}}, step.pointer);
    } else if (k == "force_status") {
      control("POST", "/_emulator/members/" + a["member"].get<std::string>() + "/status",
              {{"connection_status", a["status"]}}, step.pointer);
    } else if (k == "logins") {
      control("POST", "/_emulator/members/" + a["member"].get<std::string>() + "/outcomes",
              {{"outcomes", a["outcomes"]}}, step.pointer);
    } else if (k == "outage") {
      control("POST", "/_emulator/institutions/" + a["institution"].get<std::string>() + "/fault",
              {{"outcome", a["outcome"]}}, step.pointer);
    } else if (k == "discontinue") {
      control("POST", "/_emulator/institutions/" + a.get<std::string>() + "/discontinue", nullptr,
              step.pointer);
    } else if (k == "fault") {
      control("POST", "/_emulator/faults", a, step.pointer);
    } else if (k == "member_event") {
      control("POST", "/_emulator/members/" + a["member"].get<std::string>() + "/events",
              {{"event", a["event"]}}, step.pointer);
    } else if (k == "oauth") {
      control("POST", "/_emulator/members/" + a["member"].get<std::string>() + "/oauth",
              {{"authorized", a["authorized"]}}, step.pointer);
    } else if (k == "expect_status") {
      expect_status(a);
    } else if (k == "expect_webhooks") {
      expect_webhooks(a);
    } else if (k == "expect_conformance") {
      expect_conformance(a);
    } else if (k == "expect_invariants") {
      expect_invariants(a);
    } else if (k.rfind("client_", 0) == 0) {
      client_step(step, a);
    } else {
      // A kind in scenario.cpp's table without a case here (the journal's conformance step will
      // be added in both places).
      throw StepFailure{"the runner does not implement step kind \"" + k + "\""};
    }
  }

 private:
  Reply call(const std::string& method, const std::string& path, const json& body,
             bool traced = true) {
    last_curl_ = s_.curl(method, path, body.is_null() ? "" : body.dump());
    auto r = s_.send(method, path, body.is_null() ? "" : body.dump());
    if (trace_ != nullptr) trace_call(method, path, r, traced);
    return r;
  }

  // A request with the step's own headers: they replace the defaults of the same name (Accept,
  // Content-Type, even Authorization); the tenant's credentials and MX's v1 Accept stay
  // otherwise.
  Reply call_with_headers(const std::string& method, const std::string& path, const json& body,
                          const json& headers) {
    const auto lower = [](std::string x) {
      for (char& c : x) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return x;
    };
    std::vector<std::pair<std::string, std::string>> h;
    const auto [user, key] = s_.credentials();
    for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"Authorization", "Basic " + base64(user + ":" + key)},
             {"Accept", "application/vnd.mx.api.v1+json"},
             {"Content-Type", body.is_null() ? "" : "application/json"}}) {
      bool replaced = false;
      for (const auto& [n, v] : headers.items()) replaced = replaced || lower(n) == lower(name);
      if (!replaced && !value.empty()) h.emplace_back(name, value);
    }
    for (const auto& [n, v] : headers.items()) {
      h.emplace_back(n, v.is_string() ? v.get<std::string>() : v.dump());
    }
    last_curl_ = s_.curl(method, path, body.is_null() ? "" : body.dump());
    auto r = s_.exchange(method, path, h, body.is_null() ? "" : body.dump());
    if (trace_ != nullptr) trace_call(method, path, r, true);
    return r;
  }

  static std::string normalize(const std::string& at) {
    const auto t = domain::parse_iso8601(at);
    return t ? domain::format_iso8601(*t) : at;
  }

  void lane(const std::string& guid, const std::string& name) {
    if (trace_ == nullptr || guid.empty()) return;
    auto it = std::find(trace_->lanes.begin(), trace_->lanes.end(), guid);
    if (it == trace_->lanes.end()) {
      trace_->lanes.push_back(guid);
      trace_->lane_names.push_back(name);
    } else if (!name.empty()) {
      trace_->lane_names[static_cast<std::size_t>(it - trace_->lanes.begin())] = name;
    }
  }

  void status_seen(const std::string& guid, const std::string& status) {
    if (trace_ == nullptr || guid.empty() || status.empty()) return;
    lane(guid, "");
    std::string& last = last_status_[guid];
    if (last == status) return;
    last = status;
    trace_->marks.push_back({Mark::Kind::kStatus, now_, guid, status});
  }

  // Keeps the emulated time every reply reveals, the statuses members show, and the requests.
  void trace_call(const std::string& method, const std::string& path, const Reply& r, bool traced) {
    const json b = parse_body(r.body);
    if (b.is_object() && b.contains("clock") && b["clock"].is_object() &&
        b["clock"].contains("now")) {
      const std::string now = normalize(b["clock"]["now"].get<std::string>());
      if (now != now_) trace_->marks.push_back({Mark::Kind::kClock, now, "", ""});
      now_ = now;
    }
    if (b.is_object() && b.contains("member") && b["member"].is_object()) {
      const auto& m = b["member"];
      if (m.contains("guid") && m["guid"].is_string() && m.contains("connection_status") &&
          m["connection_status"].is_string()) {
        status_seen(m["guid"], m["connection_status"]);
      }
    }
    if (traced && path.rfind("/_emulator/clock", 0) != 0 &&
        path.rfind("/_emulator/events", 0) != 0) {
      trace_->marks.push_back({Mark::Kind::kRequest, now_, "",
                               method + " " + path + " -> " + std::to_string(r.status)});
    }
  }

  Reply control(const std::string& method, const std::string& path, const json& body,
                const std::string& where) {
    auto r = call(method, path, body);
    if (r.status / 100 != 2) {
      throw StepFailure{where + ": " + method + " " + path + " answered " +
                        std::to_string(r.status) + ": " + r.body +
                        "\n    reproduce: " + last_curl_};
    }
    return r;
  }

  void member(const json& m, std::size_t i) {
    const std::string where = "/setup/members/" + std::to_string(i);
    const std::string user = render(m["user"], captures_).get<std::string>();
    const std::string code = m["institution"];
    const auto fields =
        parse_body(control("GET", "/institutions/" + code + "/credentials", nullptr, where).body);
    json creds = json::array();
    for (const auto& f : fields["credentials"]) {
      const bool password =
          f.value("field_type", "") == "PASSWORD" || f.value("field_name", "") == "PASSWORD";
      const bool login =
          f.value("field_type", "") == "LOGIN" || f.value("field_name", "") == "LOGIN";
      creds.push_back({{"guid", f["guid"]},
                       {"value", password ? m.value("password", "password")
                                 : login  ? m.value("username", "mxuser")
                                          : std::string("1234")}});
    }
    json body = {{"member", {{"institution_code", code}}}};
    if (creds.empty())
      body["member"]["is_oauth"] = true;
    else
      body["member"]["credentials"] = creds;
    const auto r = control("POST", "/users/" + user + "/members", body, where);
    const std::string guid = parse_body(r.body)["member"]["guid"];
    captures_[m["as"].get<std::string>()] = guid;
    lane(guid, m["as"].get<std::string>());
    member_user_[guid] = user;
    if (m.contains("outcomes")) {
      control("POST", "/_emulator/members/" + guid + "/outcomes", {{"outcomes", m["outcomes"]}},
              where);
    }
  }

  void request(const Step& step, const json& a) {
    const std::string method = a["method"];
    const std::string path = a["path"];
    const json body = a.value("body", json(nullptr));
    const auto r = a.contains("headers") ? call_with_headers(method, path, body, a["headers"])
                                         : call(method, path, body);
    const json actual = parse_body(r.body);
    std::vector<std::string> diff;
    json expect = render(step.expect, captures_);
    if (expect.contains("status") && expect["status"] != r.status) {
      diff.push_back("status: expected " + expect["status"].dump() + ", got " +
                     std::to_string(r.status));
    }
    if (expect.contains("headers")) {
      for (const auto& [name, value] : expect["headers"].items()) {
        const std::string got = r.header(name);
        const std::string want = value.is_string() ? value.get<std::string>() : value.dump();
        if (got != want)
          diff.push_back("header " + name + ": expected \"" + want + "\", got \"" + got + "\"");
      }
    }
    if (expect.contains("body")) {
      auto d = subset_diff(expect["body"], actual);
      diff.insert(diff.end(), d.begin(), d.end());
    }
    if (expect.contains("golden")) {
      auto d = golden(step, expect, actual);
      diff.insert(diff.end(), d.begin(), d.end());
    }
    if (!diff.empty()) {
      throw StepFailure{step.pointer + ": " + method + " " + path + " expected " +
                        step.expect.dump() + "\n" + indent(diff) +
                        "    response: " + std::to_string(r.status) + " " + r.body.substr(0, 2000) +
                        (r.body.size() > 2000 ? "…" : "") + "\n    reproduce: " + last_curl_};
    }
    if (!step.capture.is_null()) {
      for (const auto& [name, ptr] : step.capture.items()) {
        const json::json_pointer p(ptr.get<std::string>());
        if (!actual.is_object() && !actual.is_array()) {
          throw StepFailure{step.pointer + "/capture/" + name + ": the response has no JSON body"};
        }
        if (!actual.contains(p)) {
          throw StepFailure{step.pointer + "/capture/" + name + ": nothing at " +
                            ptr.get<std::string>() + " in " + actual.dump()};
        }
        captures_[name] = actual.at(p);
      }
    }
  }

  json member_status(const std::string& user, const std::string& member) {
    const auto r = call("GET", "/users/" + user + "/members/" + member + "/status", nullptr, false);
    if (r.status / 100 != 2) {
      throw StepFailure{pointer_ + ": GET /users/" + user + "/members/" + member +
                        "/status answered " + std::to_string(r.status) + ": " + r.body +
                        "\n    reproduce: " + last_curl_};
    }
    return parse_body(r.body)["member"];
  }

  json clock() {
    return parse_body(control("GET", "/_emulator/clock", nullptr, pointer_).body)["clock"];
  }

  void expect_status(const json& a) {
    const std::string member = a["member"];
    std::string user = a.value("user", "");
    if (user.empty()) {
      auto it = member_user_.find(member);
      if (it == member_user_.end()) {
        throw StepFailure{pointer_ +
                          "/expect_status/user: expected the member's user guid (the member was "
                          "not made in setup)"};
      }
      user = it->second;
    }
    json want = {{"connection_status", a["status"]}};
    if (a.contains("is_being_aggregated")) want["is_being_aggregated"] = a["is_being_aggregated"];
    const long long span = a.contains("within") ? duration_seconds(a["within"]) : 0;
    const auto start = domain::parse_iso8601(clock()["now"].get<std::string>());
    const auto deadline = *start + std::chrono::seconds(span);
    std::vector<std::string> seen;  // the statuses passed through, for the failure message
    // Polling in emulated time: each round moves the clock to the emulator's next deadline (or
    // the span's end), so everything the emulator would do inside the span happens, and nothing
    // sleeps. Bounded: the emulator's deadlines are finite within any span, but a bug must not
    // hang CI.
    for (int round = 0; round < 100000; ++round) {
      const json got = member_status(user, member);
      if (seen.empty() || seen.back() != got.value("connection_status", "")) {
        seen.push_back(got.value("connection_status", ""));
      }
      auto diff = subset_diff(want, got);
      const json c = clock();
      const auto now = *domain::parse_iso8601(c["now"].get<std::string>());
      if (diff.empty()) return;
      if (now >= deadline) {
        std::string path;
        for (const auto& st : seen) path += (path.empty() ? "" : " -> ") + st;
        throw StepFailure{pointer_ + ": expected member " + member + " " + want.dump() +
                          (span > 0 ? " within " + a["within"].dump() : " now") + "\n" +
                          indent(diff) + "    statuses seen: " + path + "\n    reproduce: " +
                          s_.curl("GET", "/users/" + user + "/members/" + member + "/status", "")};
      }
      auto next = deadline;
      if (c.contains("next_due")) {
        const auto due = domain::parse_iso8601(c["next_due"].get<std::string>());
        if (due && *due < next) next = *due;
      }
      if (next <= now) next = now + std::chrono::seconds(1);
      control("POST", "/_emulator/clock/set", {{"time", domain::format_iso8601(next)}}, pointer_);
    }
    throw StepFailure{pointer_ +
                      ": the emulator kept scheduling deadlines; gave up after 100000 rounds"};
  }

  // A golden file: the whole body, compared for equality after templating, except at the
  // expectation's volatile pointers (present, any value). With options_.update_golden the file
  // is rewritten from the response instead: captured strings become their {name} templates
  // again and volatile values become null, so the file stays stable across runs and targets.
  std::vector<std::string> golden(const Step& step, const json& expect, const json& actual) {
    const auto path_of =
        std::filesystem::path(sc_.file).parent_path() / expect["golden"].get<std::string>();
    std::vector<std::string> vol;
    for (const auto& v : expect.value("volatile", json::array())) vol.push_back(v);
    if (options_.update_golden) {
      std::ofstream out(path_of);
      if (!out)
        throw StepFailure{step.pointer + "/expect/golden: cannot write " + path_of.string()};
      out << golden_from_response(actual, vol, captures_).dump(2) << "\n";
      return {};
    }
    std::ifstream in(path_of);
    if (!in) throw StepFailure{step.pointer + "/expect/golden: cannot read " + path_of.string()};
    std::stringstream ss;
    ss << in.rdbuf();
    json want;
    try {
      want = json::parse(ss.str(), nullptr, true, true);
    } catch (const json::exception& e) {  // parse_error, or out_of_range for 1e999
      throw StepFailure{step.pointer + "/expect/golden: " + path_of.string() +
                        " is not JSON: " + e.what()};
    }
    auto d = golden_diff(render(want, captures_), actual, vol);
    if (!d.empty()) {
      d.push_back("(golden file " + path_of.string() +
                  "; rewrite it with --update-golden or MXEMU_UPDATE_GOLDEN=1)");
    }
    return d;
  }

  // A client step: run it, then match its outcome with "expect" (a subset) and capture from it.
  void client_step(const Step& step, const json& a) {
    if (!client_) client_ = std::make_unique<ClientSteps>(s_);
    json outcome;
    try {
      outcome = client_->run(step.kind, a);
    } catch (const ClientStepError& e) {
      throw StepFailure{pointer_ + ": " + e.what()};
    }
    if (trace_ != nullptr) {
      trace_->marks.push_back({Mark::Kind::kRequest, now_, "", step.kind});
    }
    if (!step.expect.is_null()) {
      const json want = render(step.expect, captures_);
      auto diff = subset_diff(want, outcome);
      if (!diff.empty()) {
        throw StepFailure{pointer_ + ": expected the client's outcome to include " + want.dump() +
                          "\n" + indent(diff) + "    outcome: " + outcome.dump()};
      }
    }
    if (!step.capture.is_null()) {
      for (const auto& [name, ptr] : step.capture.items()) {
        const json::json_pointer p(ptr.get<std::string>());
        if (!outcome.contains(p)) {
          throw StepFailure{pointer_ + "/capture/" + name + ": nothing at " +
                            ptr.get<std::string>() + " in " + outcome.dump()};
        }
        captures_[name] = outcome.at(p);
      }
    }
  }

  // The journal's conformance report (GET /_emulator/journal/conformance): clean, or exactly
  // the given findings (subsets, in the report's order), rules in "ignore" left out of both.
  void expect_conformance(const json& a) {
    const json report =
        parse_body(control("GET", "/_emulator/journal/conformance", nullptr, pointer_).body);
    std::vector<std::string> ignore;
    for (const auto& r : a.value("ignore", json::array())) ignore.push_back(r.dump());
    json found = json::array();
    for (const auto& f : report.value("findings", json::array())) {
      if (std::find(ignore.begin(), ignore.end(), f.value("rule", json("")).dump()) ==
          ignore.end()) {
        found.push_back(f);
      }
    }
    std::vector<std::string> diff;
    if (a.value("clean", false) && !found.empty()) {
      diff.push_back("clean: expected no findings, got " + std::to_string(found.size()));
    }
    if (a.contains("findings")) {
      auto d = subset_diff(a["findings"], found, "/findings");
      diff.insert(diff.end(), d.begin(), d.end());
    }
    if (!diff.empty()) {
      json rules = json::array();
      for (const auto& f : found)
        rules.push_back(f.value("rule", "") + ": " + f.value("message", ""));
      throw StepFailure{pointer_ + ": expected the conformance report " + a.dump() + "\n" +
                        indent(diff) + "    findings: " + rules.dump() +
                        "\n    reproduce: " + s_.curl("GET", "/_emulator/journal/conformance", "")};
    }
  }

  // The explorer's invariants (invariants.h) for one member, emulator side and client side.
  void expect_invariants(const json& a) {
    const std::string member = a["member"];
    std::string user = a.value("user", "");
    if (user.empty()) {
      auto it = member_user_.find(member);
      if (it != member_user_.end()) user = it->second;
    }
    const json status = member_status(user, member);
    // Only the events since the last check: a walk's checks stay linear in its length.
    const json more = parse_body(
        control("GET", "/_emulator/events?after=" + std::to_string(events_seen_), nullptr, pointer_)
            .body)["events"];
    for (const auto& e : more) {
      events_seen_ = std::max(events_seen_, e.value("sequence", events_seen_));
      events_.push_back(e);
    }
    auto broken = check_member_invariants(member, status, events_);
    if (a.value("world", false)) {
      // Read right after the status: no step runs between them, and the clock does not move.
      const json world = parse_body(control("GET", "/_emulator/snapshot", nullptr, pointer_).body);
      auto job = check_job_invariants(member, status, world);
      broken.insert(broken.end(), job.begin(), job.end());
      auto lost = writes_.check(world, events_);
      broken.insert(broken.end(), lost.begin(), lost.end());
    }
    if (client_) {
      auto c = client_->invariant_violations();
      broken.insert(broken.end(), c.begin(), c.end());
    }
    std::vector<std::string> kept;
    for (auto& line : broken) {
      bool known = false;
      for (const auto& t : options_.tolerated) known = known || line.find(t) != std::string::npos;
      if (!known) {
        kept.push_back(std::move(line));
      } else if (reported_.insert(line).second) {
        ++tolerated_;
      }
    }
    broken = std::move(kept);
    if (!broken.empty()) {
      throw StepFailure{pointer_ + ": " + std::string(kInvariantFailure) + " for member " + member +
                        "\n" + indent(broken)};
    }
  }

  void expect_webhooks(const json& a) {
    const json events =
        parse_body(control("GET", "/_emulator/events", nullptr, pointer_).body)["events"];
    json picked = json::array();
    for (const auto& e : events) {
      if (a.contains("type") && e.value("type", "") != a["type"]) continue;
      if (a.contains("member") && e.value("member_guid", "") != a["member"]) continue;
      picked.push_back(e["payload"]);
    }
    std::vector<std::string> diff;
    if (a.contains("count") && a["count"] != picked.size()) {
      diff.push_back("count: expected " + a["count"].dump() + ", got " +
                     std::to_string(picked.size()));
    }
    if (a.contains("payloads")) {
      const auto& want = a["payloads"];
      if (want.size() > picked.size()) {
        diff.push_back("payloads: expected at least " + std::to_string(want.size()) + ", got " +
                       std::to_string(picked.size()));
      } else {
        for (std::size_t i = 0; i < want.size(); ++i) {
          auto d = subset_diff(want[i], picked[i], "/payloads/" + std::to_string(i));
          diff.insert(diff.end(), d.begin(), d.end());
        }
      }
    }
    if (!diff.empty()) {
      throw StepFailure{pointer_ + ": expected webhooks " + a.dump() + "\n" + indent(diff) +
                        "    webhooks seen: " + picked.dump() +
                        "\n    reproduce: " + s_.curl("GET", "/_emulator/events", "")};
    }
  }

  const Scenario& sc_;
  Session& s_;
  const AcceptedWrites& writes_;  // what s_ had answered 2xx, for expect_invariants' world check
  std::unique_ptr<ClientSteps> client_;  // made by the first client step
  Captures captures_;
  std::map<std::string, std::string> member_user_;
  std::string pointer_;
  std::string last_curl_;
  Trace* trace_;
  RunOptions options_;
  int tolerated_ = 0;
  json events_ = json::array();     // every event so far (expect_invariants)
  long long events_seen_ = 0;       // the last one's sequence
  std::set<std::string> reported_;  // tolerated violations, each counted once
  std::string now_;                 // the emulated time last seen (for the timeline)
  std::map<std::string, std::string> last_status_;
};

void write_junit(const std::string& path, const std::vector<Outcome>& outcomes) {
  std::ofstream out(path);
  int failures = 0;
  for (const auto& o : outcomes) failures += o.kind != Outcome::Kind::kPassed ? 1 : 0;
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"mxemu-replay\" tests=\""
      << outcomes.size() << "\" failures=\"" << failures << "\">\n";
  for (const auto& o : outcomes) {
    out << "  <testcase classname=\"" << xml_escape(o.file) << "\" name=\"" << xml_escape(o.name)
        << "\" time=\"" << o.milliseconds / 1000.0 << "\"";
    if (o.kind == Outcome::Kind::kPassed) {
      out << "/>\n";
    } else {
      out << ">\n    <failure message=\"" << xml_escape(o.failure.substr(0, o.failure.find('\n')))
          << "\">" << xml_escape(o.failure) << "</failure>\n  </testcase>\n";
    }
  }
  out << "</testsuite>\n";
}

std::vector<std::string> expand(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const auto& in : inputs) {
    if (std::filesystem::is_directory(in)) {
      std::vector<std::string> found;
      for (const auto& e : std::filesystem::recursive_directory_iterator(in)) {
        if (e.is_regular_file() && e.path().extension() == ".json")
          found.push_back(e.path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(in);
    }
  }
  return files;
}

}  // namespace

std::string Reply::header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char x, char y) {
          return std::tolower(static_cast<unsigned char>(x)) ==
                 std::tolower(static_cast<unsigned char>(y));
        })) {
      return v;
    }
  }
  return "";
}

std::string curl_command(const std::string& base_url, const std::string& user,
                         const std::string& method, const std::string& target,
                         const std::string& body) {
  auto quote = [](const std::string& s) {
    std::string out = "'";
    for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
  };
  std::string cmd = "curl -s -X " + method;
  if (!user.empty()) cmd += " -u " + quote(user);
  cmd += " -H 'Accept: application/vnd.mx.api.v1+json'";
  if (!body.empty()) cmd += " -H 'Content-Type: application/json' -d " + quote(body);
  return cmd + " " + quote(base_url + target);
}

Outcome run_scenario(const Scenario& scenario, Target& target, const Stopwatch& stopwatch,
                     Trace* trace, const RunOptions& options) {
  Outcome o;
  o.name = scenario.name;
  o.file = scenario.file;
  const auto t0 = stopwatch();
  std::string failure;
  try {
    auto opened = target.open(scenario.start);
    AcceptedWrites writes;
    RecordingSession session(*opened, writes);
    if (trace != nullptr) trace->name = scenario.name;
    Executor ex(scenario, session, writes, trace, options);
    const auto run = [&](const Step& st) {
      try {
        ex.step(st);
      } catch (const StepFailure& f) {
        failure += "  step " + st.pointer + " (" + st.kind + "): " + f.text + "\n";
        return false;
      } catch (const TemplateError& e) {
        failure += "  step " + st.pointer + " (" + st.kind + "): " + e.what() + "\n";
        return false;
      }
      return true;
    };
    try {
      ex.setup();
      for (const auto& st : scenario.steps) {
        if (!run(st)) break;
      }
    } catch (const StepFailure& f) {
      failure += "  setup: " + f.text + "\n";
    } catch (const TemplateError& e) {
      failure += "  setup: " + std::string(e.what()) + "\n";
    }
    for (const auto& st : scenario.finally_steps) run(st);
    ex.trace_webhooks();
    o.tolerated = ex.tolerated();
  } catch (const Unreachable& e) {
    o.kind = Outcome::Kind::kUnreachable;
    failure += std::string("  ") + e.what() + "\n";
  } catch (const std::exception& e) {
    failure += std::string("  ") + e.what() + "\n";
  }
  if (o.kind == Outcome::Kind::kPassed && !failure.empty()) o.kind = Outcome::Kind::kFailed;
  o.failure = failure;
  o.milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(stopwatch() - t0).count();
  return o;
}

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            const Stopwatch& stopwatch, const std::string& update_golden_env) {
  std::vector<std::string> inputs;
  bool list = false;
  RunOptions options;
  options.update_golden = !update_golden_env.empty() && update_golden_env != "0";
  ExploreOptions explore;
  bool exploring = false;
  std::string filter;
  std::string junit;
  std::string target_url;
  std::string timeline_dir;
  int jobs = 1;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const auto& a = args[i];
    const auto value = [&](const char* flag) -> std::string {
      if (i + 1 >= args.size()) throw std::invalid_argument(std::string(flag) + " needs a value");
      return args[++i];
    };
    try {
      if (a == "--list")
        list = true;
      else if (a == "--filter")
        filter = value("--filter");
      else if (a == "--junit")
        junit = value("--junit");
      else if (a == "--target")
        target_url = value("--target");
      else if (a == "--timeline")
        timeline_dir = value("--timeline");
      else if (a == "--jobs")
        jobs = std::stoi(value("--jobs"));
      else if (a == "--update-golden")
        options.update_golden = true;
      else if (a == "--explore")
        exploring = true;
      else if (a == "--seed")
        explore.seed = std::stoull(value("--seed"));
      else if (a == "--walks")
        explore.walks = std::stoi(value("--walks"));
      else if (a == "--steps")
        explore.steps = std::stoi(value("--steps"));
      else if (a == "--out")
        explore.out_dir = value("--out");
      else if (a == "--known-failure")
        explore.known_failures.push_back(value("--known-failure"));
      else if (a == "--help" || a == "-h") {
        out << "usage: mxemu-replay FILES|DIRS... [--list] [--filter REGEX] [--junit FILE] "
               "[--target URL] [--jobs N] [--timeline DIR] [--update-golden]\n"
               "       mxemu-replay --explore --seed N --walks K --steps L [--out DIR] "
               "[--known-failure TEXT]... [--target URL]\n";
        return kAllPassed;
      } else if (!a.empty() && a[0] == '-')
        throw std::invalid_argument("unknown flag " + a);
      else
        inputs.push_back(a);
    } catch (const std::exception& e) {
      err << "mxemu-replay: " << e.what() << "\n";
      return kInvalidFile;
    }
  }
  // In process by default, else --target; nullptr (said on err) when it cannot be reached.
  const auto open_target = [&]() -> std::unique_ptr<Target> {
    try {
      return target_url.empty() ? make_in_process_target() : make_http_target(target_url);
    } catch (const std::exception& e) {
      err << "mxemu-replay: " << e.what() << "\n";
      return nullptr;
    }
  };
  if (exploring) {
    if (explore.walks < 1 || explore.steps < 1) {
      err << "mxemu-replay: --explore needs --walks K and --steps L (both >= 1)\n";
      return kInvalidFile;
    }
    auto target = open_target();
    if (!target) return kUnreachableTarget;
    return run_explore(explore, *target, stopwatch, out);
  }
  if (inputs.empty() || jobs < 1) {
    err << "mxemu-replay: give scenario files or directories (and --jobs N with N >= 1)\n";
    return kInvalidFile;
  }
  std::regex re;
  try {
    re = std::regex(filter.empty() ? std::string(".*") : filter);
  } catch (const std::regex_error& e) {
    err << "mxemu-replay: --filter: not a regular expression: " << e.what() << "\n";
    return kInvalidFile;
  }
  int code = kAllPassed;
  std::vector<Scenario> scenarios;
  for (const auto& f : expand(inputs)) {
    ParseError pe;
    auto s = load_scenario(f, pe);
    if (!s) {
      err << "INVALID " << pe.message() << "\n";
      code = kInvalidFile;
      continue;
    }
    if (std::regex_search(s->name, re)) scenarios.push_back(std::move(*s));
  }
  if (list) {
    for (const auto& s : scenarios) out << s.name << "  " << s.file << "\n";
    return code;
  }
  auto target = open_target();
  if (!target) return kUnreachableTarget;
  std::vector<Outcome> outcomes(scenarios.size());
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t i = next++; i < scenarios.size(); i = next++) {
      Trace trace;
      outcomes[i] = run_scenario(scenarios[i], *target, stopwatch,
                                 timeline_dir.empty() ? nullptr : &trace, options);
      if (!timeline_dir.empty()) {
        std::string file = scenarios[i].name;
        for (char& c : file) {
          if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '-' && c != '_') c = '_';
        }
        std::error_code ec;
        std::filesystem::create_directories(timeline_dir, ec);
        std::ofstream(std::filesystem::path(timeline_dir) / (file + ".svg")) << render_svg(trace);
      }
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < std::min<int>(jobs, static_cast<int>(scenarios.size())); ++j)
    pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  bool failed = false;
  bool unreachable = false;
  for (const auto& o : outcomes) {
    const char* word = o.kind == Outcome::Kind::kPassed   ? "PASS"
                       : o.kind == Outcome::Kind::kFailed ? "FAIL"
                                                          : "UNREACHABLE";
    out << word << "  " << o.name << "  (" << o.milliseconds << " ms)\n";
    if (o.kind != Outcome::Kind::kPassed) out << o.failure;
    failed = failed || o.kind == Outcome::Kind::kFailed;
    unreachable = unreachable || o.kind == Outcome::Kind::kUnreachable;
  }
  if (!junit.empty()) write_junit(junit, outcomes);
  if (unreachable) return kUnreachableTarget;
  if (code != kAllPassed) return code;
  return failed ? kExpectationFailed : kAllPassed;
}

}  // namespace mxemu::replay
