// mxemu: the composition root. The only place that reads the real clock, parses argv, installs
// signal handling and wires clock → emulator → service → HTTP server.
#include <malloc.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

#include "api/errors.h"
#include "api/fixture_loader.h"
#include "api/service.h"
#include "api/tenants.h"
#include "api/tenants_file.h"
#include "api/webhook_outbox.h"
#include "domain/timestamps.h"
#include "http/http_server.h"
#include "http/webhook_dispatcher.h"
#include "storage/sqlite_world_store.h"
#include "worker_memory.h"

namespace {

using mxemu::domain::Seconds;

class SystemClock final : public mxemu::domain::Clock {
 public:
  mxemu::domain::TimePoint now() const override { return std::chrono::system_clock::now(); }
};

struct Options {
  std::string host = "127.0.0.1";
  int port = 8089;
  std::optional<std::string> fixtures_dir;
  mxemu::http::LogLevel log_level = mxemu::http::LogLevel::kInfo;
  bool manual_clock = false;
  std::optional<mxemu::domain::TimePoint> start_time;
  mxemu::api::WorldConfig world;
  int threads = 256;
  std::size_t max_snapshot_body = std::size_t{256} << 20;
  std::optional<std::string> webhook_url;
  std::optional<std::string> tenants_file;
  std::optional<std::string> data_dir;
};

constexpr const char* kUsage = R"(Usage: mxemu [options]

An offline emulator of the MX Platform API (v20111101 and v20250224) on a virtual clock.

Options:
  --host ADDR              address to bind (default 127.0.0.1)
  --port N                 port to listen on; 0 picks a free one and prints it (default 8089)
  --client-id ID           Basic-auth user clients must send (default mxemu-client-id)
  --api-key KEY            Basic-auth password clients must send (default mxemu-api-key)
  --fixtures DIR           load institutions.json, mx_categories.json and merchants.json from
                           DIR instead of the copies built into the binary
  --log-level LEVEL        debug, info, warning, error or off (default info)
  --job-seconds N          emulated seconds a job takes to finish (default 4)
  --clock real|manual      real: emulated time follows the system clock, plus whatever the
                           control API advanced (default); manual: time stands still until
                           POST /_emulator/clock/advance moves it
  --start-time ISO8601     with --clock manual: the emulated start time (default: now)
  --seed N                 varies guids and generated data between emulator instances (default 0)
  --max-users N            limit users as MX's development environment does (100); 0 = no limit
  --rate-limit N           per-client requests per emulated minute before 429; 0 = off (default)
  --rate-limit-per-user N  the same per user guid in the path; 0 = off (default)
  --rate-limit-per-member N
                           the same per member guid in the path; 0 = off (default)
  --journal-size N         requests each tenant's journal keeps (GET /_emulator/journal);
                           0 = no journal (default 10000)
  --journal-body-bytes N   response body bytes each tenant's journal keeps, the newest; older
                           entries keep all but their body (default 4194304, 4 MiB)
  --event-log-size N       events each tenant keeps for GET /_emulator/events (default 10000;
                           webhooks not yet delivered are kept beyond it)
  --strict-version         406 for requests that name no API version (default: v20111101)
  --throttle-after attempt|success
                           start the 3 h aggregation throttle after any job attempt (MX API
                           reference, default) or only after a successful aggregation
  --no-background-aggregation
                           disable MX's ~24 h background aggregation of connected members
  --storm N/SECONDS        opt-in, NOT MX's documented behaviour: more than N aggregations
                           started at one institution within SECONDS of emulated time make the
                           extra logins fail (FAILED, counting toward DEGRADED); change it at run
                           time with PUT /_emulator/policies/storm (docs/control-api.md)
  --threads N              HTTP worker threads = concurrent keep-alive clients (default 256)
  --max-snapshot-body MB   largest PUT /_emulator/snapshot body in MiB (default 256; others 1)
  --tenants FILE           serve these tenants too, each its own world:
                           {"tenants":[{"client_id":"ci-1","api_key":"k1"}, ...]}; more can be
                           made at run time with POST /_emulator/tenants (docs/control-api.md)
  --data-dir DIR           keep every tenant in DIR (SQLite) and serve them again after a
                           restart: users, members, accounts, transactions, timers, widgets,
                           webhooks, the clock, tenants and their options. A write answered
                           2xx is on disk first; one process per DIR. Without it, memory only
                           (docs/persistence.md)
  --webhook-url URL        POST MX's webhooks (every documented type except MEMBER) to URL,
                           with retries in emulated time; change subscriptions at run time with
                           PUT /_emulator/webhooks (docs/webhooks.md)
  --version                print the version and exit
  --help                   print this help and exit

Control API (no auth): GET /_emulator/state, POST /_emulator/clock/advance {"seconds":N},
POST /_emulator/members/{guid}/status {"connection_status":"DEGRADED"}, ... (docs/control-api.md)
)";

[[noreturn]] void usage_error(const std::string& message) {
  std::cerr << "mxemu: " << message << "\n(run mxemu --help for the options)\n";
  std::exit(2);
}

long long to_number(const std::string& flag, const std::string& value) {
  char* end = nullptr;
  const long long v = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || v < 0)
    usage_error(flag + " needs a whole number >= 0, got '" + value + "'");
  return v;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage_error(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--help" || flag == "-h") {
      std::cout << kUsage;
      std::exit(0);
    } else if (flag == "--version") {
      std::cout << "mxemu " << MXEMU_VERSION << "\n";
      std::exit(0);
    } else if (flag == "--host") {
      o.host = value();
    } else if (flag == "--port") {
      o.port = static_cast<int>(to_number(flag, value()));
      if (o.port > 65535) usage_error("--port must be 0-65535");
    } else if (flag == "--client-id") {
      o.world.client_id = value();
    } else if (flag == "--api-key") {
      o.world.api_key = value();
    } else if (flag == "--fixtures") {
      o.fixtures_dir = value();
    } else if (flag == "--log-level") {
      const std::string v = value();
      using mxemu::http::LogLevel;
      if (v == "debug")
        o.log_level = LogLevel::kDebug;
      else if (v == "info")
        o.log_level = LogLevel::kInfo;
      else if (v == "warning")
        o.log_level = LogLevel::kWarning;
      else if (v == "error")
        o.log_level = LogLevel::kError;
      else if (v == "off")
        o.log_level = LogLevel::kOff;
      else
        usage_error("--log-level must be debug, info, warning, error or off");
    } else if (flag == "--job-seconds") {
      o.world.emulator.job_duration = Seconds{std::max(1LL, to_number(flag, value()))};
    } else if (flag == "--clock") {
      const std::string v = value();
      if (v != "real" && v != "manual") usage_error("--clock must be real or manual");
      o.manual_clock = v == "manual";
    } else if (flag == "--start-time") {
      o.start_time = mxemu::domain::parse_iso8601(value());
      if (!o.start_time) usage_error("--start-time must look like 2024-03-01T09:00:00Z");
    } else if (flag == "--seed") {
      o.world.emulator.seed = static_cast<std::uint64_t>(to_number(flag, value()));
    } else if (flag == "--max-users") {
      o.world.emulator.max_users = static_cast<int>(to_number(flag, value()));
    } else if (flag == "--rate-limit") {
      o.world.limits.per_minute = static_cast<int>(to_number(flag, value()));
    } else if (flag == "--rate-limit-per-user") {
      o.world.limits.per_user_per_minute = static_cast<int>(to_number(flag, value()));
    } else if (flag == "--rate-limit-per-member") {
      o.world.limits.per_member_per_minute = static_cast<int>(to_number(flag, value()));
    } else if (flag == "--journal-size") {
      const long long n = to_number(flag, value());
      if (n > 1000000) usage_error("--journal-size is at most 1000000");
      o.world.journal_size = static_cast<std::size_t>(n);
    } else if (flag == "--journal-body-bytes") {
      const long long n = to_number(flag, value());
      if (n > (1LL << 32)) usage_error("--journal-body-bytes is at most 4294967296");
      o.world.journal_body_bytes = static_cast<std::size_t>(n);
    } else if (flag == "--event-log-size") {
      const long long n = to_number(flag, value());
      if (n < 1 || n > 1000000) usage_error("--event-log-size is between 1 and 1000000");
      o.world.emulator.event_log_capacity = static_cast<std::size_t>(n);
    } else if (flag == "--strict-version") {
      o.world.strict_version = true;
    } else if (flag == "--throttle-after") {
      const std::string v = value();
      if (v != "attempt" && v != "success")
        usage_error("--throttle-after must be attempt or success");
      o.world.emulator.throttle_after_success_only = v == "success";
    } else if (flag == "--no-background-aggregation") {
      o.world.emulator.background_aggregation = false;
    } else if (flag == "--storm") {
      const std::string v = value();
      const auto slash = v.find('/');
      if (slash == std::string::npos) usage_error("--storm needs N/SECONDS, e.g. 10/60");
      const long long max = to_number(flag, v.substr(0, slash));
      if (max > 1000000) usage_error("--storm: N must be at most 1000000");
      o.world.emulator.storm.max_aggregations = static_cast<int>(max);
      o.world.emulator.storm.window = mxemu::domain::Seconds{to_number(flag, v.substr(slash + 1))};
      if (o.world.emulator.storm.window.count() == 0) usage_error("--storm needs SECONDS > 0");
    } else if (flag == "--threads") {
      o.threads = std::max(1, static_cast<int>(to_number(flag, value())));
    } else if (flag == "--max-snapshot-body") {
      o.max_snapshot_body = static_cast<std::size_t>(std::max(1LL, to_number(flag, value())))
                            << 20U;
    } else if (flag == "--tenants") {
      o.tenants_file = value();
    } else if (flag == "--data-dir") {
      o.data_dir = value();
      if (o.data_dir->empty()) usage_error("--data-dir needs a directory");
    } else if (flag == "--webhook-url") {
      o.webhook_url = value();
      if (!mxemu::api::parse_webhook_url(*o.webhook_url)) {
        usage_error("--webhook-url must be an http:// or https:// URL, got '" + *o.webhook_url +
                    "'");
      }
    } else {
      usage_error("unknown option " + flag);
    }
  }
  if (o.start_time && !o.manual_clock) usage_error("--start-time goes with --clock manual");
  return o;
}

// glibc gives each allocating thread an arena of its own, up to eight per core. Here 256 pool
// threads build records that outlive the request (a member's ~900 generated transactions), so
// every arena ends up holding fragments: 66 MB after 49 MX Bank members against 34 MB with two
// arenas (docs/benchmarks.md). The domain runs behind one lock anyway; two arenas keep request
// parsing off a single allocator mutex. MALLOC_ARENA_MAX in the environment still wins.
// Linked with jemalloc (the default build), its own options apply instead: jemalloc_conf.cpp.
void limit_malloc_arenas() {
#ifndef MXEMU_JEMALLOC
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
#endif
}

void add_tenants_from(const std::string& path, mxemu::api::Tenants& tenants) {
  std::ifstream in(path);
  if (!in) usage_error("--tenants: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  auto parsed = mxemu::api::parse_tenants_file(text.str());
  if (!parsed) usage_error("--tenants " + path + " at " + parsed.error().message);
  for (const auto& t : *parsed) {
    // A tenant the data dir already holds is served as it was saved, with the same key.
    if (auto held = tenants.find_by_client_id(t.client_id)) {
      if (held->api_key() != t.api_key) {
        usage_error("--tenants " + path + ": " + t.client_id +
                    " is in the data dir with another api_key");
      }
      continue;
    }
    auto made = tenants.create(tenants.config_like_default(t.client_id, t.api_key));
    if (!made)
      usage_error("--tenants " + path + ": " + t.client_id + ": " +
                  mxemu::api::message_of(made.error()));
  }
}

}  // namespace

int main(int argc, char** argv) {
  limit_malloc_arenas();
  Options opts = parse(argc, argv);

  auto fixtures = opts.fixtures_dir ? mxemu::api::load_fixtures_dir(*opts.fixtures_dir)
                                    : mxemu::api::load_embedded_fixtures();
  if (!fixtures) {
    std::cerr << "mxemu: cannot load fixtures: " << fixtures.error().message << "\n";
    return 1;
  }

  // Block the stop signals in every thread; one thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  SystemClock system_clock;
  std::unique_ptr<mxemu::domain::ManualClock> manual_clock;
  const mxemu::domain::Clock* clock = &system_clock;
  if (opts.manual_clock) {
    manual_clock =
        std::make_unique<mxemu::domain::ManualClock>(opts.start_time.value_or(system_clock.now()));
    clock = manual_clock.get();
  }

  // Persistence: the data dir is claimed and read before any tenant exists. A tenant it holds
  // keeps its saved options; the default tenant's credentials still come from the flags.
  std::unique_ptr<mxemu::storage::SqliteWorldStore> store;
  std::vector<mxemu::storage::StoredTenant> stored;
  mxemu::api::WorldConfig default_config = opts.world;
  if (opts.data_dir) {
    auto opened = mxemu::storage::SqliteWorldStore::open(*opts.data_dir);
    if (!opened) {
      std::cerr << "mxemu: --data-dir: " << opened.error().message << "\n";
      return 1;
    }
    store = std::move(*opened);
    auto read = store->read_all();
    if (!read) {
      std::cerr << "mxemu: --data-dir: " << read.error().message << "\n";
      return 1;
    }
    stored = std::move(*read);
    for (const auto& t : stored) {
      if (t.config.client_id != opts.world.client_id) continue;
      default_config = t.config;
      default_config.api_key = opts.world.api_key;
    }
  }

  // The journal stamps and times requests on the real clock, whatever the emulated one does.
  mxemu::api::Tenants tenants(*clock, std::move(*fixtures), default_config, &system_clock,
                              store.get());
  if (store) {
    if (auto loaded = mxemu::storage::load_tenants(*store, stored, tenants); !loaded) {
      std::cerr << "mxemu: --data-dir: " << loaded.error().message << "\n";
      return 1;
    }
    stored.clear();
  }
  if (opts.tenants_file) add_tenants_from(*opts.tenants_file, tenants);
  mxemu::api::Service service(tenants);
  if (opts.webhook_url) {
    auto subscription =
        mxemu::api::make_subscription(*opts.webhook_url, std::nullopt, std::nullopt, std::nullopt);
    if (!subscription) usage_error(subscription.error().message);
    mxemu::api::World& world = tenants.default_world();
    {
      std::lock_guard<std::mutex> lock(world.mutex());
      world.state().webhooks.set_subscriptions({std::move(*subscription)},
                                               world.emulator().last_event_sequence());
    }
    if (auto saved = world.save(); !saved) {
      std::cerr << "mxemu: --data-dir: " << saved.error().message << "\n";
      return 1;
    }
  }

  mxemu::http::ServerOptions server_options;
  server_options.host = opts.host;
  server_options.port = opts.port;
  server_options.threads = opts.threads;
  server_options.max_snapshot_body_bytes = opts.max_snapshot_body;
  server_options.log_level = opts.log_level;
  // An idle worker keeps neither an allocator cache nor the stack pages its deepest request
  // touched: up to 256 workers would each hold them for the process's life.
#ifdef MXEMU_JEMALLOC
  server_options.before_connection = [] { mxemu::resume_thread_cache(); };
#endif
  server_options.after_connection = [] {
#ifdef MXEMU_JEMALLOC
    mxemu::release_thread_cache();
#endif
    mxemu::release_unused_stack();
  };
  if (opts.log_level != mxemu::http::LogLevel::kOff) {
    // One fwrite per line: the webhook dispatcher's thread writes lines too.
    server_options.log_sink = [](std::string_view line) {
      const std::string with_newline = std::string(line) + "\n";
      std::fwrite(with_newline.data(), 1, with_newline.size(), stderr);
    };
  }
  mxemu::http::HttpServer server(service, server_options);
  mxemu::http::WebhookDispatcherOptions webhook_options;
  webhook_options.log_level = opts.log_level;
  webhook_options.log_sink = server_options.log_sink;
  // Declared after the tenants, so destroyed (and stopped) before them.
  mxemu::http::WebhookDispatcher webhooks(tenants, webhook_options);
  const int port = server.bind();
  if (port < 0) {
    std::cerr << "mxemu: cannot listen on " << opts.host << ":" << opts.port << ": "
              << server.error() << "\n";
    return 1;
  }
  const std::string base_url = "http://" + opts.host + ":" + std::to_string(port);
  tenants.set_base_url(base_url);

  std::printf("mxemu %s listening on %s\n", MXEMU_VERSION, base_url.c_str());
  std::printf("client_id: %s\napi_key:   %s\n", opts.world.client_id.c_str(),
              opts.world.api_key.c_str());
  std::printf("clock: %s; control API: %s/_emulator/state\n", opts.manual_clock ? "manual" : "real",
              base_url.c_str());
  if (opts.webhook_url) std::printf("webhooks: %s\n", opts.webhook_url->c_str());
  if (opts.data_dir) {
    std::printf("data dir: %s (%zu tenants)\n", opts.data_dir->c_str(), tenants.list().size());
  }
  std::fflush(stdout);

  std::thread signal_waiter([&] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    server.stop();
  });
  // On the real clock, due events (job completions, expiries) must fire even when no request
  // arrives; a light ticker applies them, and makes the data of jobs about to finish outside
  // the lock (World::prefetch_data). The manual clock only moves through the control API.
  // On every clock, once a second, pages freed since are given back to the kernel.
  std::atomic<bool> ticking{true};
  std::thread ticker([&] {
    for (unsigned tick = 1; ticking.load(); ++tick) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      if (!opts.manual_clock) {
        for (const auto& world : tenants.list()) {
          world->catch_up();
          world->prefetch_data();
        }
      }
#ifdef MXEMU_JEMALLOC
      if (tick % 5 == 0) mxemu::decay_freed_pages();
#endif
    }
  });

  webhooks.start();

  const bool served = server.run_blocking();
  webhooks.stop();
  ticking = false;
  ticker.join();
  // What time alone changed since the last write (timers that fired, deliveries made) is kept
  // too when the process stops cleanly; after a crash it is recomputed from the saved state.
  for (const auto& world : tenants.list()) {
    if (auto saved = world->save(); !saved) {
      std::cerr << "mxemu: " << world->client_id() << ": " << saved.error().message << "\n";
    }
  }
  pthread_kill(signal_waiter.native_handle(), SIGTERM);  // release sigwait if no signal came
  signal_waiter.join();
  if (!served) {
    std::cerr << "mxemu: " << server.error() << "\n";
    return 1;
  }
  std::printf("mxemu stopped\n");
  return 0;
}
