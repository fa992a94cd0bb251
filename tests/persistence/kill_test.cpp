// kill -9 under concurrent writes (docs/persistence.md): the real mxemu binary with --data-dir,
// eight client threads writing, SIGKILL after a random number of acknowledged writes, restart,
// and then every acknowledged write must be there and every unacknowledged one either wholly
// there or not at all. Many rounds on one data dir, bounded to about a minute.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "domain/timestamps.h"
#include "persistence/persistent_tenants.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

constexpr const char* kStart = "2024-03-01T09:00:00Z";
constexpr int kWriters = 8;
constexpr int kMaxMembers = 24;  // members get ~900 transactions once their job runs: bounded
constexpr int kMaxAdvances = 8;  // 5 s each: the first members' jobs finish
constexpr auto kBudget = std::chrono::seconds(40);  // no new round after this
constexpr int kMaxRounds = 60;

const char* const kMxBank =
    R"({"member":{"institution_code":"mxbank","credentials":[)"
    R"({"guid":"CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1","value":"mxuser"},)"
    R"({"guid":"CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d","value":"password"}]}})";

// A child mxemu on a free loopback port, its URL read from its stdout (bounded wait).
class Server {
 public:
  Server(const std::string& dir, const std::string& log) {
    int out[2];
    if (pipe(out) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      dup2(out[1], STDOUT_FILENO);
      const int err = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (err >= 0) dup2(err, STDERR_FILENO);
      close(out[0]);
      execl(MXEMU_BINARY, MXEMU_BINARY, "--port", "0", "--clock", "manual", "--start-time", kStart,
            "--data-dir", dir.c_str(), "--log-level", "error", "--threads", "32", nullptr);
      _exit(127);
    }
    close(out[1]);
    out_ = out[0];
    std::string seen;
    const auto deadline = SteadyClock::now() + std::chrono::seconds(30);
    while (url_.empty() && SteadyClock::now() < deadline) {
      pollfd p{out_, POLLIN, 0};
      if (poll(&p, 1, 500) <= 0) continue;
      char buf[512];
      const ssize_t n = read(out_, buf, sizeof buf);
      if (n <= 0) break;  // the child exited
      seen.append(buf, static_cast<std::size_t>(n));
      const auto at = seen.find("http://127.0.0.1:");
      const auto end = at == std::string::npos ? at : seen.find('\n', at);
      if (end != std::string::npos) url_ = seen.substr(at, end - at);
    }
    if (url_.empty()) {
      kill_now();
      throw std::runtime_error("mxemu did not start; its stdout: " + seen);
    }
    port_ = std::stoi(url_.substr(url_.rfind(':') + 1));
  }
  ~Server() { kill_now(); }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  int port() const { return port_; }
  void kill_now() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
    close(out_);
  }
  // SIGTERM and the exit status (a clean stop saves every tenant once more).
  int stop() {
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    close(out_);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string url_;
  int port_ = 0;
};

std::unique_ptr<httplib::Client> client(int port) {
  auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
  c->set_basic_auth("mxemu-client-id", "mxemu-api-key");
  c->set_default_headers({{"Accept", "application/vnd.mx.api.v1+json"}});
  c->set_connection_timeout(5);
  c->set_read_timeout(30);
  c->set_keep_alive(true);
  return c;
}

// kInFlight: sent, no answer yet (the kill came first). After the restart that follows, such a
// write is either there (then kAcknowledged: it must stay) or not (kAbsent: it must stay away).
enum class Outcome { kInFlight, kAcknowledged, kAbsent };

// Every write any round sent, keyed by the user's partner id; the same map across rounds.
struct Ledger {
  struct UserWrite {
    std::string metadata;
    Outcome user = Outcome::kInFlight;
    std::string guid;
    bool member_sent = false;
    Outcome member = Outcome::kInFlight;
    std::string member_guid;
  };
  std::mutex mutex;
  std::map<std::string, UserWrite> users;
  int advances_sent = 0;
  int advances_acked = 0;
  int members_sent = 0;
  std::vector<std::string> failures;  // unexpected answers: the test fails on any
};

// One round of writers until `stop`; counts acknowledged writes into `acked`.
void write_until_stopped(int round, int thread, int port, Ledger& ledger, std::atomic<int>& acked,
                         std::atomic<bool>& stop, std::condition_variable& progress) {
  auto c = client(port);
  auto ack = [&] {
    acked.fetch_add(1);
    progress.notify_all();
  };
  for (int i = 0; !stop.load(); ++i) {
    if (thread == 0) {  // the clock writer
      {
        std::lock_guard<std::mutex> lock(ledger.mutex);
        if (ledger.advances_sent >= kMaxAdvances) return;
        ++ledger.advances_sent;
      }
      auto r = c->Post("/_emulator/clock/advance", R"({"seconds":5})", "application/json");
      if (!r) return;  // killed: the advance is in flight
      std::lock_guard<std::mutex> lock(ledger.mutex);
      if (r->status != 200) {
        ledger.failures.push_back("advance answered " + std::to_string(r->status) + r->body);
        return;
      }
      ++ledger.advances_acked;
      ack();
      continue;
    }
    const std::string id =
        "r" + std::to_string(round) + "-t" + std::to_string(thread) + "-" + std::to_string(i);
    const std::string metadata =
        "{\"writer\":\"" + id + "\",\"pad\":\"" + std::string(64, 'x') + "\"}";
    {
      std::lock_guard<std::mutex> lock(ledger.mutex);
      ledger.users[id].metadata = metadata;
    }
    const json body = {{"user", {{"id", id}, {"metadata", metadata}}}};
    auto r = c->Post("/users", body.dump(), "application/json");
    if (!r) return;
    std::string guid;
    {
      std::lock_guard<std::mutex> lock(ledger.mutex);
      if (r->status != 200) {
        ledger.failures.push_back("POST /users answered " + std::to_string(r->status) + r->body);
        return;
      }
      guid = json::parse(r->body)["user"]["guid"];
      auto& w = ledger.users[id];
      w.user = Outcome::kAcknowledged;
      w.guid = guid;
    }
    ack();
    if (thread != 7) continue;  // one thread also connects its users, up to kMaxMembers
    {
      std::lock_guard<std::mutex> lock(ledger.mutex);
      if (ledger.members_sent >= kMaxMembers) continue;
      ++ledger.members_sent;
      ledger.users[id].member_sent = true;
    }
    auto m = c->Post("/users/" + guid + "/members", kMxBank, "application/json");
    if (!m) return;
    std::lock_guard<std::mutex> lock(ledger.mutex);
    if (m->status != 202) {
      ledger.failures.push_back("POST members answered " + std::to_string(m->status) + m->body);
      return;
    }
    auto& w = ledger.users[id];
    w.member = Outcome::kAcknowledged;
    w.member_guid = json::parse(m->body)["member"]["guid"];
    ack();
  }
}

struct Counts {
  int acknowledged_users = 0;
  int acknowledged_members = 0;
  int in_flight_present = 0;  // unacknowledged at the kill, found whole after the restart
  int in_flight_absent = 0;   // unacknowledged at the kill, not there
};

// Every acknowledged write is there; every unacknowledged one wholly there or not at all;
// nothing that was never sent. Adds to `counts` for the writes of this check.
void verify(int port, Ledger& ledger, Counts& counts) {
  auto c = client(port);
  std::map<std::string, json> present;  // partner id → user
  for (int page = 1;; ++page) {
    auto r = c->Get("/users?records_per_page=1000&page=" + std::to_string(page));
    ASSERT_TRUE(r && r->status == 200);
    const json j = json::parse(r->body);
    for (const auto& u : j["users"]) present[u["id"].get<std::string>()] = u;
    if (page >= j["pagination"]["total_pages"].get<int>()) break;
  }
  std::lock_guard<std::mutex> lock(ledger.mutex);
  Counts now;
  for (const auto& [id, user] : present) {
    ASSERT_TRUE(ledger.users.count(id)) << "a user nobody sent is there: " << id;
  }
  for (auto& [id, w] : ledger.users) {
    const auto it = present.find(id);
    if (w.user == Outcome::kAbsent) {
      ASSERT_EQ(it, present.end()) << "user " << id << ", absent after an earlier kill, came back";
      continue;
    }
    if (w.user == Outcome::kAcknowledged) {
      ASSERT_NE(it, present.end()) << "acknowledged user " << id << " is lost";
      EXPECT_EQ(it->second["guid"], w.guid) << id;
      ++now.acknowledged_users;
    } else if (it == present.end()) {
      ++now.in_flight_absent;
      w.user = Outcome::kAbsent;
      continue;
    } else {
      ++now.in_flight_present;
      w.user = Outcome::kAcknowledged;  // it is durable now: later rounds must keep it
      w.guid = it->second["guid"];
    }
    EXPECT_EQ(it->second["metadata"], w.metadata) << "user " << id << " is only half there";
    if (!w.member_sent) continue;
    auto r = c->Get("/users/" + w.guid + "/members");
    ASSERT_TRUE(r && r->status == 200);
    const json members = json::parse(r->body)["members"];
    ASSERT_LE(members.size(), 1U) << id;
    if (w.member == Outcome::kAbsent) {
      ASSERT_TRUE(members.empty()) << "member of " << id << ", absent after a kill, came back";
    } else if (w.member == Outcome::kAcknowledged) {
      ASSERT_EQ(members.size(), 1U) << "acknowledged member of " << id << " is lost";
      EXPECT_EQ(members[0]["guid"], w.member_guid);
      ++now.acknowledged_members;
    } else if (members.empty()) {
      ++now.in_flight_absent;
      w.member = Outcome::kAbsent;
    } else {
      ++now.in_flight_present;
      w.member = Outcome::kAcknowledged;
      w.member_guid = members[0]["guid"];
    }
    if (!members.empty()) {
      EXPECT_EQ(members[0]["institution_code"], "mxbank");
    }
  }
  // The clock: every acknowledged advance happened, and no more than were sent.
  auto r = c->Get("/_emulator/clock");
  ASSERT_TRUE(r && r->status == 200);
  const auto now_at =
      domain::parse_iso8601(json::parse(r->body)["clock"]["now"].get<std::string>());
  ASSERT_TRUE(now_at.has_value()) << r->body;
  const long long moved =
      std::chrono::duration_cast<std::chrono::seconds>(*now_at - *domain::parse_iso8601(kStart))
          .count();
  EXPECT_GE(moved, 5LL * ledger.advances_acked);
  EXPECT_LE(moved, 5LL * ledger.advances_sent);
  ledger.advances_acked = static_cast<int>(moved / 5);  // what is durable is now acknowledged
  ledger.advances_sent = ledger.advances_acked;
  counts.acknowledged_users = now.acknowledged_users;
  counts.acknowledged_members = now.acknowledged_members;
  counts.in_flight_present += now.in_flight_present;
  counts.in_flight_absent += now.in_flight_absent;
}

TEST(PersistenceKill, EveryAcknowledgedWriteSurvivesKillNine) {
  TempDir dir;
  const std::string data = dir.path() + "/data";
  const std::string log = dir.path() + "/mxemu.err";
  const unsigned seed = std::random_device{}();
  std::mt19937 random(seed);
  std::uniform_int_distribution<int> kill_after(1, 48);
  Ledger ledger;
  Counts counts;
  int rounds = 0;
  long long acked_total = 0;
  const auto started = SteadyClock::now();
  while (rounds < kMaxRounds && SteadyClock::now() - started < kBudget) {
    ++rounds;
    Server server(data, log);
    verify(server.port(), ledger, counts);
    if (::testing::Test::HasFailure()) break;
    std::atomic<int> acked{0};
    std::atomic<bool> stop{false};
    std::mutex progress_mutex;
    std::condition_variable progress;
    std::vector<std::thread> writers;
    for (int t = 0; t < kWriters; ++t) {
      writers.emplace_back(write_until_stopped, rounds, t, server.port(), std::ref(ledger),
                           std::ref(acked), std::ref(stop), std::ref(progress));
    }
    const int target = kill_after(random);
    {
      std::unique_lock<std::mutex> lock(progress_mutex);
      progress.wait_for(lock, std::chrono::seconds(20), [&] { return acked.load() >= target; });
    }
    server.kill_now();  // SIGKILL while the writers are still writing
    stop = true;
    for (auto& w : writers) w.join();
    acked_total += acked.load();
    std::lock_guard<std::mutex> lock(ledger.mutex);
    for (const auto& f : ledger.failures) ADD_FAILURE() << f;
    if (!ledger.failures.empty()) break;
  }
  if (!::testing::Test::HasFailure()) {
    // A last restart checks the last kill; then a clean stop and one more start.
    Server server(data, log);
    verify(server.port(), ledger, counts);
    EXPECT_EQ(server.stop(), 0);
    Server again(data, log);
    verify(again.port(), ledger, counts);
  }
  std::cout << "kill -9 rounds: " << rounds << " (seed " << seed
            << "), acknowledged writes: " << acked_total
            << ", users kept: " << counts.acknowledged_users
            << ", members kept: " << counts.acknowledged_members
            << ", unacknowledged at a kill and then present whole: " << counts.in_flight_present
            << ", absent: " << counts.in_flight_absent << "\n";
  RecordProperty("rounds", rounds);
  RecordProperty("acknowledged_writes", static_cast<int>(acked_total));
  EXPECT_GE(rounds, 5);
}

}  // namespace
}  // namespace mxemu::testing
