#include "explore.h"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "invariants.h"

namespace mxemu::replay {
namespace {

using nlohmann::json;

constexpr const char* kStart = "2024-03-01T09:00:00Z";
constexpr std::size_t kPrefix = 3;  // enrol, connect, the first invariant check
constexpr int kMaxShrinkRuns = 400;

// splitmix64: a portable generator, so a seed names the same walks on every platform (the
// standard distributions are implementation-defined).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(below(static_cast<int>(v.size())))];
  }

 private:
  std::uint64_t state_;
};

// `world`: also check is_being_aggregated against the world's job, which reads the whole tenant
// snapshot (about 50 ms in process once a member has its data), so a walk asks it every tenth
// step and at its end.
json invariants_step(bool world = false) {
  json args = {{"member", "{member}"}, {"user", "{user}"}};
  if (world) args["world"] = true;
  return {{"expect_invariants", args}};
}

json request(const std::string& method, const std::string& path, const json& body = nullptr) {
  json r = {{"method", method}, {"path", path}};
  if (!body.is_null()) r["body"] = body;
  return {{"request", r}};
}

// One random thing that can happen to a member: what MX's side does (login outcomes,
// outages, MX-side events), what the user does (MFA answers, new credentials), what the
// client does (aggregate, watch, refresh), and time passing. Every step is one that cannot
// fail by itself (requests carry no expectations), so a walk ends early only when the client
// cannot do what it was asked.
json random_step(Rng& rng) {
  static const std::vector<std::string> outcomes = {"connect", "challenge", "deny",  "lock",
                                                    "impede",  "impair",    "delay", "fail"};
  static const std::vector<std::string> events = {"aggregation_paused", "aggregation_unpaused",
                                                  "data_source_migrated"};
  switch (rng.below(16)) {
    case 0:
    case 1:
    case 2:
      return {{"logins", {{"member", "{member}"}, {"outcomes", {rng.pick(outcomes)}}}}};
    case 3:
    case 4:
      return request("POST", "/users/{user}/members/{member}/aggregate");
    case 5:
      return {{"client_watch", {{"member", "{member}"}, {"answers", {"correct"}}}}};
    case 6:
      return {{"client_watch", {{"member", "{member}"}, {"answers", {"wrong"}}}}};
    case 7:
      return {{"client_watch", {{"member", "{member}"}}}};
    case 8:
      return {{"advance", {{"seconds", 3 + rng.below(60)}}}};
    case 9:
      return {{"advance", {{"minutes", 1 + rng.below(90)}}}};
    case 10:
      return {{"advance", {{"hours", 1 + rng.below(30)}}}};
    case 11:
      return {{"advance", {{"days", 1 + rng.below(15)}}}};
    case 12:
      return {{"outage",
               {{"institution", "{institution}"},
                {"outcome", rng.below(2) == 0 ? json("fail") : json(nullptr)}}}};
    case 13:
      return request("POST", "/_emulator/members/{member}/events", {{"event", rng.pick(events)}});
    case 14:
      return {{"client_refresh", json::object()}};
    default:
      return {{"client_connect_credentials",
               {{"app_user", "walker"}, {"institution", "{institution}"}}}};
  }
}

json step_json(const Step& s) {
  json j = {{s.kind, s.args}};
  if (!s.expect.is_null()) j["expect"] = s.expect;
  if (!s.capture.is_null()) j["capture"] = s.capture;
  return j;
}

json scenario_json(const Scenario& s) {
  json steps = json::array();
  for (const auto& st : s.steps) steps.push_back(step_json(st));
  json doc = {{"format", 1},      {"name", s.name},   {"description", s.description},
              {"start", s.start}, {"setup", s.setup}, {"steps", steps}};
  if (!s.finally_steps.empty()) {
    json fin = json::array();
    for (const auto& st : s.finally_steps) fin.push_back(step_json(st));
    doc["finally"] = fin;
  }
  return doc;
}

Scenario reparse(const json& doc, const std::string& file) {
  ParseError e;
  auto s = parse_scenario(doc.dump(), file, e);
  if (!s) throw std::logic_error("the explorer built an invalid scenario: " + e.message());
  return *s;
}

// Keeps the prefix and the given random steps (each with its invariant check).
Scenario with_units(const Scenario& walk, const std::vector<std::size_t>& units) {
  Scenario c = walk;
  c.steps.assign(walk.steps.begin(), walk.steps.begin() + kPrefix);
  for (auto u : units) {
    c.steps.push_back(walk.steps[kPrefix + 2 * u]);
    c.steps.push_back(walk.steps[kPrefix + 2 * u + 1]);
  }
  return reparse(scenario_json(c), c.file);
}

bool invariant_failure(const Outcome& o) {
  return o.kind == Outcome::Kind::kFailed && o.failure.find(kInvariantFailure) != std::string::npos;
}

// The index of the first failing step ("step /steps/N"), or -1.
int failing_index(const Outcome& o) {
  const auto at = o.failure.find("step /steps/");
  if (at == std::string::npos) return -1;
  return std::atoi(o.failure.c_str() + at + 12);
}

}  // namespace

Scenario make_walk(std::uint64_t seed, int walk, int steps) {
  Rng rng(seed * 0x100000001b3ULL + static_cast<std::uint64_t>(walk) * 0x9e3779b97f4a7c15ULL + 1);
  static const std::vector<std::string> institutions = {"mxbank", "summit_ridge_bank",
                                                        "pioneer_fcu"};
  const std::string institution = rng.pick(institutions);
  json list = json::array();
  list.push_back(
      {{"client_enrol", {{"app_user", "walker"}}}, {"capture", {{"user", "/user_guid"}}}});
  list.push_back(
      {{"client_connect_credentials", {{"app_user", "walker"}, {"institution", institution}}},
       {"capture", {{"member", "/member_guid"}}}});
  list.push_back(invariants_step());
  for (int i = 0; i < steps; ++i) {
    json st = random_step(rng);
    // {institution} is not a capture: the walk's institution is written in.
    std::string text = st.dump();
    for (auto at = text.find("{institution}"); at != std::string::npos;
         at = text.find("{institution}")) {
      text.replace(at, 13, institution);
    }
    list.push_back(json::parse(text));
    list.push_back(invariants_step(i % 10 == 9 || i == steps - 1));
  }
  const std::string name = "explore/seed-" + std::to_string(seed) + "-walk-" + std::to_string(walk);
  json doc = {{"format", 1},
              {"name", name},
              {"description", "Random walk " + std::to_string(walk) + " of seed " +
                                  std::to_string(seed) + " at " + institution +
                                  ": the client connects a member, then random events, each "
                                  "followed by the explorer's invariants."},
              {"start", kStart},
              {"setup", json::object()},
              {"steps", list},
              {"finally", {{{"outage", {{"institution", institution}, {"outcome", nullptr}}}}}}};
  return reparse(doc, name + ".json");
}

std::string scenario_text(const Scenario& scenario) {
  return scenario_json(scenario).dump(2) + "\n";
}

Scenario shrink_walk(const Scenario& failing,
                     const std::function<bool(const Scenario&)>& still_fails) {
  std::vector<std::size_t> units;
  for (std::size_t u = 0; kPrefix + 2 * u + 1 < failing.steps.size(); ++u) units.push_back(u);
  int runs = 0;
  std::size_t n = 2;
  // ddmin, complements only: drop one of n chunks while the walk still fails.
  while (units.size() >= 2 && runs < kMaxShrinkRuns) {
    const std::size_t chunk = (units.size() + n - 1) / n;
    bool reduced = false;
    for (std::size_t start = 0; start < units.size() && runs < kMaxShrinkRuns; start += chunk) {
      std::vector<std::size_t> rest(units.begin(), units.begin() + static_cast<long>(start));
      rest.insert(rest.end(),
                  units.begin() + static_cast<long>(std::min(start + chunk, units.size())),
                  units.end());
      ++runs;
      if (still_fails(with_units(failing, rest))) {
        units = rest;
        n = std::max<std::size_t>(n - 1, 2);
        reduced = true;
        break;
      }
    }
    if (!reduced) {
      if (n >= units.size()) break;
      n = std::min(n * 2, units.size());
    }
  }
  if (units.size() == 1 && runs < kMaxShrinkRuns && still_fails(with_units(failing, {}))) {
    units.clear();
  }
  return with_units(failing, units);
}

int run_explore(const ExploreOptions& options, Target& target, const Stopwatch& stopwatch,
                std::ostream& out) {
  const auto t0 = stopwatch();
  long long explored = 0;
  int cut_short = 0;
  int failures = 0;
  int known_failures = 0;  // known violations let pass (each counted once per walk)
  int known_walks = 0;
  std::set<std::string> reached;  // statuses the walks' responses showed
  for (int w = 0; w < options.walks; ++w) {
    const Scenario walk = make_walk(options.seed, w, options.steps);
    Trace trace;
    RunOptions run_options;
    run_options.tolerated = options.known_failures;
    const Outcome o = run_scenario(walk, target, stopwatch, &trace, run_options);
    if (o.tolerated > 0) {
      known_failures += o.tolerated;
      ++known_walks;
    }
    for (const auto& m : trace.marks) {
      if (m.kind == Mark::Kind::kStatus) reached.insert(m.label);
    }
    if (o.kind == Outcome::Kind::kPassed) {
      explored += options.steps;
      continue;
    }
    const int at = failing_index(o);
    const int random_done = at < 0 ? 0 : std::max(0, (at - 2) / 2);
    explored += random_done;
    if (!invariant_failure(o)) {
      ++cut_short;
      out << "CUT   " << walk.name << " after " << random_done << " steps\n" << o.failure;
      continue;
    }
    bool known = false;
    for (const auto& k : options.known_failures)
      known = known || o.failure.find(k) != std::string::npos;
    ++(known ? known_failures : failures);
    // Everything after the failing check is irrelevant; then ddmin.
    Scenario head = walk;
    head.steps.resize(static_cast<std::size_t>(std::max(at + 1, static_cast<int>(kPrefix))));
    if (head.steps.size() % 2 == 0) head.steps.pop_back();
    const auto fails = [&](const Scenario& c) {
      return invariant_failure(run_scenario(c, target, stopwatch, nullptr, run_options));
    };
    Scenario small = shrink_walk(reparse(scenario_json(head), walk.file), fails);
    const Outcome again = run_scenario(small, target, stopwatch, nullptr, run_options);
    small.description =
        "Found by mxemu-replay --explore --seed " + std::to_string(options.seed) + " (walk " +
        std::to_string(w) + "), shrunk from " + std::to_string(random_done) + " to " +
        std::to_string((small.steps.size() - kPrefix) / 2) + " random steps. It breaks: " +
        again.failure.substr(0, again.failure.find('\n', again.failure.find(kInvariantFailure)));
    std::error_code ec;
    std::filesystem::create_directories(options.out_dir, ec);
    const auto file =
        std::filesystem::path(options.out_dir) /
        ("seed-" + std::to_string(options.seed) + "-walk-" + std::to_string(w) + ".json");
    std::ofstream(file) << scenario_text(small);
    out << "FAIL  " << walk.name << " after " << random_done << " steps; shrunk to "
        << (small.steps.size() - kPrefix) / 2 << ": " << file.string() << "\n"
        << again.failure;
  }
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(stopwatch() - t0).count();
  out << "explored " << options.walks << " walks, " << explored << " steps (seed " << options.seed
      << "); " << cut_short << " cut short, " << failures << " broke an invariant; "
      << known_failures << " known violations let pass in " << known_walks << " walks  (" << ms
      << " ms)\n";
  out << "statuses seen (" << reached.size() << "):";
  for (const auto& s : reached) out << " " << s;
  out << "\n";
  return failures == 0 ? kAllPassed : kExpectationFailed;
}

}  // namespace mxemu::replay
