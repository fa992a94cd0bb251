#pragma once

// Test doubles for the flow's unit tests (callback, connect, watch, sync): a scripted MX, a
// manual clock and a sleeper that moves it, a recording Notifier, and a temp directory for
// SQLite stores. Nothing here sleeps or reads the wall clock.

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "mxclient/notifier.h"
#include "mxclient/time.h"
#include "mxclient/transport.h"

namespace mxclient::flowtest {

// 2024-03-01T09:00:00Z, the emulator's test start as well.
inline TimePoint t0() { return TimePoint(std::chrono::seconds(1709283600)); }

class ManualTestClock final : public Clock {
 public:
  explicit ManualTestClock(TimePoint start = t0()) : now_(start) {}
  TimePoint now() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return now_;
  }
  void advance(std::chrono::milliseconds d) {
    std::lock_guard<std::mutex> lock(mutex_);
    now_ += d;
  }
  void set(TimePoint t) {
    std::lock_guard<std::mutex> lock(mutex_);
    now_ = t;
  }

 private:
  mutable std::mutex mutex_;
  TimePoint now_;
};

// Waits by moving a ManualTestClock; records every wait.
class ClockSleeper final : public Sleeper {
 public:
  explicit ClockSleeper(ManualTestClock& clock) : clock_(clock) {}
  void wait(std::chrono::milliseconds d) override {
    waits.push_back(d);
    clock_.advance(d);
  }
  std::vector<std::chrono::milliseconds> waits;

 private:
  ManualTestClock& clock_;
};

// SIGINT during a wait: after `waits` waits on `inner` the Sleeper is interrupted, and later
// waits return at once without waiting, as the CLI's does once the signal came.
class InterruptedSleeper final : public Sleeper {
 public:
  InterruptedSleeper(Sleeper& inner, std::size_t waits) : inner_(inner), waits_(waits) {}
  void wait(std::chrono::milliseconds d) override {
    if (interrupted()) return;
    inner_.wait(d);
    ++waited;
  }
  bool interrupted() const override { return waited >= waits_; }
  std::size_t waited = 0;

 private:
  Sleeper& inner_;
  std::size_t waits_;
};

// MX as a script: each "METHOD /path" (query stripped) answers from its own queue, the last
// reply repeating once the queue is down to one. Unscripted routes answer 404 in MX's envelope.
class ScriptedTransport final : public Transport {
 public:
  void on(const std::string& method_and_path, int status, std::string body) {
    std::lock_guard<std::mutex> lock(mutex_);
    replies_[method_and_path].push_back({status, std::move(body)});
  }

  Result<HttpResponse> send(const HttpRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    requests.push_back(request);
    const std::string key =
        request.method + " " + request.target.substr(0, request.target.find('?'));
    HttpResponse r;
    r.headers["content-type"] = "application/vnd.mx.api.v1+json";
    auto it = replies_.find(key);
    if (it == replies_.end() || it->second.empty()) {
      r.status = 404;
      r.body = R"({"error":{"message":"unscripted )" + key + R"("}})";
      return r;
    }
    r.status = it->second.front().first;
    r.body = it->second.front().second;
    if (it->second.size() > 1) it->second.pop_front();
    return r;
  }

  int calls(const std::string& method_and_path) const {
    std::lock_guard<std::mutex> lock(mutex_);
    int n = 0;
    for (const auto& r : requests) {
      if (r.method + " " + r.target.substr(0, r.target.find('?')) == method_and_path) ++n;
    }
    return n;
  }

  std::vector<HttpRequest> requests;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::deque<std::pair<int, std::string>>> replies_;
};

// Records what it is told; fail_next makes the next notify() calls fail.
class RecordingNotifier final : public Notifier {
 public:
  Status notify(const Notice& notice) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (fail_next > 0) {
      --fail_next;
      return make_error(ErrorKind::kTransport, "push service unavailable");
    }
    notices.push_back(notice);
    return Done{};
  }
  std::vector<std::string> kinds() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    for (const auto& n : notices) out.push_back(n.kind);
    return out;
  }

  std::vector<Notice> notices;
  int fail_next = 0;

 private:
  mutable std::mutex mutex_;
};

// A unique directory under the system temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    namespace fs = std::filesystem;
    std::random_device rd;
    for (int i = 0; i < 100 && path_.empty(); ++i) {
      fs::path candidate = fs::temp_directory_path() /
                           ("mxclient_flow_" + std::to_string(rd()) + "_" + std::to_string(rd()));
      std::error_code ec;
      if (fs::create_directory(candidate, ec)) path_ = candidate;
    }
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// A GET …/status body as MX renders it.
inline std::string status_body(const std::string& guid, const std::string& status, bool aggregating,
                               bool processed = true) {
  return std::string(R"({"member":{"guid":")") + guid + R"(","connection_status":")" + status +
         R"(","is_being_aggregated":)" + (aggregating ? "true" : "false") +
         R"(,"has_processed_accounts":)" + (processed ? "true" : "false") +
         R"(,"has_processed_transactions":)" + (processed ? "true" : "false") +
         R"(,"challenges":[]}})";
}

}  // namespace mxclient::flowtest
