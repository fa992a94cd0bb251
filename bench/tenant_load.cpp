// tenant_load: many tenants of one mxemu, each running an MX client's loop at once (bench/run.sh).
//
//   tenant_load setup --url http://127.0.0.1:PORT --tenants 100
//       creates tenants bench-t1..bench-tN (api_key bench-kI) through POST /_emulator/tenants
//   tenant_load load --url ... --tenants 100 --seconds 10 [--create-cap 5]
//       one thread per tenant, each on its own keep-alive connection with its tenant's Basic
//       credentials: create a user and an MX Bank member, then poll its status, aggregate, read
//       the member and list transactions, creating another user and member every 50 requests up
//       to --create-cap. Prints one line: requests, req/s, p50/p99/max ms, status counts.
//
// Loopback only; bounded by --seconds and --create-cap. Exit 1 when a tenant could not start.
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kAccept = "application/vnd.mx.api.v1+json";
constexpr const char* kMember =
    R"({"member":{"institution_code":"mxbank","credentials":[)"
    R"({"guid":"CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1","value":"mxuser"},)"
    R"({"guid":"CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d","value":"password"}]}})";

struct Args {
  std::string mode;
  std::string host = "127.0.0.1";
  int port = 0;
  int tenants = 100;
  int seconds = 10;
  int create_cap = 5;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr, "tenant_load: %s\n", why.c_str());
  std::exit(2);
}

Args parse(int argc, char** argv) {
  Args a;
  if (argc < 2) usage("usage: tenant_load setup|load --url URL [--tenants N] [--seconds S]");
  a.mode = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--url") {
      const auto colon = value.rfind(':');
      if (value.rfind("http://127.0.0.1:", 0) != 0 || colon == std::string::npos) {
        usage("--url must be http://127.0.0.1:PORT");
      }
      a.port = std::atoi(value.c_str() + colon + 1);
    } else if (flag == "--tenants") {
      a.tenants = std::atoi(value.c_str());
    } else if (flag == "--seconds") {
      a.seconds = std::atoi(value.c_str());
    } else if (flag == "--create-cap") {
      a.create_cap = std::atoi(value.c_str());
    } else {
      usage("unknown flag " + flag);
    }
  }
  if (a.port <= 0 || a.tenants <= 0 || a.tenants > 1000 || a.seconds <= 0 || a.seconds > 600) {
    usage("--url, --tenants (1..1000) and --seconds (1..600) are required");
  }
  return a;
}

std::string client_id(int i) { return "bench-t" + std::to_string(i); }
std::string api_key(int i) { return "bench-k" + std::to_string(i); }

// The guid after "\"guid\":\"" + prefix in an MX body ("" when absent).
std::string guid_in(const std::string& body, const std::string& prefix) {
  const std::string key = "\"guid\":\"" + prefix;
  const auto at = body.find(key);
  if (at == std::string::npos) return "";
  const auto start = at + 8;
  return body.substr(start, body.find('"', start) - start);
}

struct Tally {
  std::vector<double> ms;
  std::map<int, long> codes;
  long failures = 0;  // no answer at all (connection error)
};

class Tenant {
 public:
  Tenant(const Args& a, int index) : client_(a.host, a.port), index_(index) {
    client_.set_basic_auth(client_id(index).c_str(), api_key(index).c_str());
    client_.set_keep_alive(true);
    client_.set_tcp_nodelay(true);
    client_.set_connection_timeout(5);
    client_.set_read_timeout(10);
    client_.set_default_headers({{"Accept", kAccept}});
  }

  // Runs the loop until `until`; false when the tenant never got a member to work with.
  bool run(Clock::time_point until, int create_cap, Tally& tally) {
    if (!create_pair(tally)) return false;
    long n = 0;
    int created = 1;
    while (Clock::now() < until) {
      ++n;
      const auto& [user, member] = pairs_[static_cast<size_t>(n) % pairs_.size()];
      const std::string base = "/users/" + user + "/members/" + member;
      const long slot = n % 50;
      if (slot == 0 && created < create_cap) {
        ++created;
        create_pair(tally);
      } else if (slot % 10 == 1) {
        send(tally, "POST", base + "/aggregate", "");
      } else if (slot == 2 || slot == 22) {
        send(tally, "GET", base, "");
      } else if (slot == 32) {
        send(tally, "GET", "/users/" + user + "/transactions?page=1&records_per_page=25", "");
      } else {
        send(tally, "GET", base + "/status", "");
      }
    }
    return true;
  }

 private:
  bool create_pair(Tally& tally) {
    const std::string id = "bench-" + std::to_string(index_) + "-" + std::to_string(pairs_.size());
    const std::string user =
        guid_in(send(tally, "POST", "/users", R"({"user":{"id":")" + id + R"("}})"), "USR-");
    if (user.empty()) return false;
    const std::string member =
        guid_in(send(tally, "POST", "/users/" + user + "/members", kMember), "MBR-");
    if (member.empty()) return false;
    pairs_.emplace_back(user, member);
    return true;
  }

  std::string send(Tally& tally, const char* method, const std::string& path,
                   const std::string& body) {
    const auto t0 = Clock::now();
    httplib::Result r = std::string(method) == "GET"
                            ? client_.Get(path.c_str())
                            : client_.Post(path.c_str(), body, "application/json");
    tally.ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    if (!r) {
      ++tally.failures;
      return "";
    }
    ++tally.codes[r->status];
    return r->body;
  }

  httplib::Client client_;
  int index_;
  std::vector<std::pair<std::string, std::string>> pairs_;
};

int setup(const Args& a) {
  httplib::Client control(a.host, a.port);
  for (int i = 1; i <= a.tenants; ++i) {
    const std::string body =
        R"({"client_id":")" + client_id(i) + R"(","api_key":")" + api_key(i) + R"("})";
    auto r = control.Post("/_emulator/tenants", body, "application/json");
    if (!r || (r->status != 201 && r->status != 409)) {
      std::fprintf(stderr, "tenant_load: creating tenant %d failed (%d)\n", i, r ? r->status : -1);
      return 1;
    }
  }
  std::printf("tenants=%d\n", a.tenants);
  return 0;
}

int load(const Args& a) {
  std::vector<Tally> tallies(static_cast<size_t>(a.tenants));
  std::atomic<int> failed_tenants{0};
  const auto start = Clock::now();
  const auto until = start + std::chrono::seconds(a.seconds);
  std::vector<std::thread> threads;
  threads.reserve(tallies.size());
  for (int i = 1; i <= a.tenants; ++i) {
    threads.emplace_back([&, i] {
      Tenant tenant(a, i);
      if (!tenant.run(until, a.create_cap, tallies[static_cast<size_t>(i - 1)])) ++failed_tenants;
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  Tally all;
  for (auto& t : tallies) {
    all.ms.insert(all.ms.end(), t.ms.begin(), t.ms.end());
    for (auto [code, k] : t.codes) all.codes[code] += k;
    all.failures += t.failures;
  }
  std::sort(all.ms.begin(), all.ms.end());
  auto pct = [&](double p) {
    if (all.ms.empty()) return 0.0;
    return all.ms[std::min(all.ms.size() - 1, static_cast<size_t>(p * all.ms.size()))];
  };
  std::string codes;
  for (auto [code, k] : all.codes) codes += " " + std::to_string(code) + "=" + std::to_string(k);
  std::printf(
      "requests=%zu rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f failures=%ld "
      "failed_tenants=%d codes=%s\n",
      all.ms.size(), static_cast<double>(all.ms.size()) / elapsed, pct(0.50), pct(0.99),
      all.ms.empty() ? 0.0 : all.ms.back(), all.failures, failed_tenants.load(),
      codes.empty() ? "-" : codes.c_str() + 1);
  return failed_tenants.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  if (a.mode == "setup") return setup(a);
  if (a.mode == "load") return load(a);
  usage("mode must be setup or load");
}
