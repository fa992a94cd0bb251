// mxctl's process: real environment, clock, sleeper and transport; everything else is run().
#include <spawn.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

#include "cli.h"

namespace {

std::atomic<bool> g_stop{false};

extern "C" void on_stop_signal(int /*signal*/) { g_stop.store(true); }

class SystemClock final : public mxclient::Clock {
 public:
  mxclient::TimePoint now() const override { return std::chrono::system_clock::now(); }
};

// Sleeps in short slices so that SIGINT ends a long backoff or poll wait promptly; once it
// came, interrupted() tells the library's loops to stop rather than go on without waiting.
class InterruptibleSleeper final : public mxclient::Sleeper {
 public:
  void wait(std::chrono::milliseconds duration) override {
    const auto until = std::chrono::steady_clock::now() + duration;
    while (!g_stop.load() && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          std::chrono::milliseconds(100), until - std::chrono::steady_clock::now()));
    }
  }
  bool interrupted() const override { return g_stop.load(); }
};

// Starts xdg-open on `url` without waiting for it (it returns once the browser has the URL);
// false when it could not be started. Not reaped: mxctl exits soon after, and init reaps it.
bool open_in_browser(const std::string& url) {
  pid_t pid = 0;
  std::string program = "xdg-open";
  std::string arg = url;
  char* argv[] = {program.data(), arg.data(), nullptr};
  return posix_spawnp(&pid, "xdg-open", nullptr, nullptr, argv, environ) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  // httplib writes without MSG_NOSIGNAL: a peer that hangs up must not kill the process.
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);

  SystemClock clock;
  InterruptibleSleeper sleeper;
  mxctl::Environment env;
  env.getenv = [](const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return std::string(v == nullptr ? "" : v);
  };
  env.make_transport = [](const std::string& base_url, std::chrono::milliseconds timeout) {
    mxclient::HttplibTransportOptions options;
    options.base_url = base_url;
    options.read_timeout = timeout;
    options.write_timeout = timeout;
    return std::shared_ptr<mxclient::Transport>(mxclient::make_httplib_transport(options));
  };
  env.clock = &clock;
  env.sleeper = &sleeper;
  env.in = &std::cin;
  env.out = &std::cout;
  env.err = &std::cerr;
  env.stop_requested = [] { return g_stop.load(); };
  env.open_url = open_in_browser;

  return mxctl::run(std::vector<std::string>(argv + 1, argv + argc), env);
}
