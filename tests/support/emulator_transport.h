#pragma once

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/http_types.h"
#include "api/in_process_transport.h"
#include "api/request_target.h"
#include "mxclient/time.h"
#include "mxclient/transport.h"
#include "support/test_emulator.h"

// Test doubles that run the client against the real emulator in process: no sockets, and
// virtual time instead of sleeps. Tests may link both sides; the client library never does.
namespace mxemu::testing {

// mxclient::Transport over an api::Handler (the emulator's api::Service) through the emulator's
// own api::InProcessTransport, so the target is converted exactly as the HTTP adapter converts
// it; response header names come back lower-cased, with the content type among them.
//
// Faults for tests: lose_next_replies(n) lets the next n requests reach the handler and then
// reports a transport error instead of the reply (a reply lost on the wire).
//
// Thread safety: send() may be called from several threads (the handler serialises); the
// counters are guarded by a mutex. `handler` must outlive this object.
class EmulatorTransport final : public mxclient::Transport {
 public:
  explicit EmulatorTransport(api::Handler& handler) : handler_(handler) {}

  mxclient::Result<mxclient::HttpResponse> send(const mxclient::HttpRequest& request) override {
    auto method = parse_method(request.method);
    if (!method) {
      return mxclient::make_error(mxclient::ErrorKind::kInvalidInput,
                                  "unsupported method " + request.method);
    }
    api::Headers headers;
    for (const auto& [name, value] : request.headers) headers.emplace(name, value);
    bool lose = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++calls_[request.method + " " + decoded_path(request.target)];
      requests_.push_back(request);
      if (lost_replies_ > 0) {
        --lost_replies_;
        lose = true;
      }
    }
    const api::Response response = api::InProcessTransport(handler_).send(
        *method, request.target, std::move(headers), request.body);
    if (lose) {
      return mxclient::make_error(mxclient::ErrorKind::kTransport,
                                  "Read timeout (reply lost by the test)");
    }
    mxclient::HttpResponse out;
    out.status = response.status;
    if (!response.content_type.empty()) out.headers["content-type"] = response.content_type;
    for (const auto& [name, value] : response.headers) out.headers[lower(name)] = value;
    out.body = response.body;
    return out;
  }

  // How many requests had this method and (decoded) path, e.g. calls("POST", "/users").
  int calls(const std::string& method, const std::string& path) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = calls_.find(method + " " + path);
    return it == calls_.end() ? 0 : it->second;
  }
  int total_calls() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(requests_.size());
  }
  // Every request as the client sent it, in order.
  std::vector<mxclient::HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  void lose_next_replies(int n) {
    std::lock_guard<std::mutex> lock(mutex_);
    lost_replies_ = n;
  }

  static std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
  }

  static std::string decoded_path(const std::string& target) {
    return api::percent_decode(target.substr(0, target.find('?')), false);
  }

 private:
  static std::optional<api::Method> parse_method(const std::string& m) {
    if (m == "GET") return api::Method::kGet;
    if (m == "POST") return api::Method::kPost;
    if (m == "PUT") return api::Method::kPut;
    if (m == "PATCH") return api::Method::kPatch;
    if (m == "DELETE") return api::Method::kDelete;
    if (m == "OPTIONS") return api::Method::kOptions;
    if (m == "HEAD") return api::Method::kHead;
    return std::nullopt;
  }

  api::Handler& handler_;
  mutable std::mutex mutex_;
  std::map<std::string, int> calls_;
  std::vector<mxclient::HttpRequest> requests_;
  int lost_replies_ = 0;
};

// The emulator's present as the client's Clock (the emulator's clock plus its offset).
class EmulatorClock final : public mxclient::Clock {
 public:
  explicit EmulatorClock(TestEmulator& emulator) : emulator_(emulator) {}
  mxclient::TimePoint now() const override {
    std::lock_guard<std::mutex> lock(emulator_->mutex());
    return emulator_.clock().now() + emulator_->offset();
  }

 private:
  TestEmulator& emulator_;
};

// A Sleeper that moves the emulator's virtual time instead of waiting, and records each
// requested delay. The emulator counts whole seconds: sub-second remainders accumulate and
// are applied once they add up to a second.
//
// Thread safety: wait() takes the emulator's mutex around advance(), as the service does
// around each request; the record is guarded by its own mutex. `emulator` must outlive it.
class VirtualSleeper final : public mxclient::Sleeper {
 public:
  explicit VirtualSleeper(TestEmulator& emulator) : emulator_(emulator) {}

  void wait(std::chrono::milliseconds duration) override {
    long long seconds = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      delays_.push_back(duration);
      pending_ += std::max(duration, std::chrono::milliseconds{0});
      seconds = pending_.count() / 1000;
      pending_ -= std::chrono::milliseconds{seconds * 1000};
    }
    if (seconds > 0) {
      std::lock_guard<std::mutex> lock(emulator_->mutex());
      emulator_.advance(seconds);
    }
  }

  std::vector<std::chrono::milliseconds> delays() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return delays_;
  }
  std::chrono::milliseconds total() const {
    std::lock_guard<std::mutex> lock(mutex_);
    std::chrono::milliseconds sum{0};
    for (auto d : delays_) sum += d;
    return sum;
  }

 private:
  TestEmulator& emulator_;
  mutable std::mutex mutex_;
  std::vector<std::chrono::milliseconds> delays_;
  std::chrono::milliseconds pending_{0};
};

}  // namespace mxemu::testing
