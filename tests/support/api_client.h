#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/service.h"
#include "support/test_emulator.h"

namespace mxemu::testing {

// Drives an api::Service in process, the way an HTTP client would: same requests, same
// responses, no sockets. Credentials and version headers default to what an MX client sends.
class ApiClient {
 public:
  explicit ApiClient(domain::EmulatorOptions options = {}) : emu_(options) {
    api::ServiceConfig config;
    config.client_id = "client";
    config.api_key = "key";
    config.base_url = "http://127.0.0.1:9999";
    service_ = std::make_unique<api::Service>(*emu_, config);
  }

  TestEmulator& emu() { return emu_; }
  api::Service& service() { return *service_; }

  api::Request request(api::Method method, const std::string& target,
                       const nlohmann::json& body = nullptr) const {
    api::Request r;
    r.method = method;
    const auto q = target.find('?');
    r.path = target.substr(0, q);
    if (q != std::string::npos) {
      std::string rest = target.substr(q + 1);
      while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        r.query.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
        if (amp == std::string::npos) break;
        rest = rest.substr(amp + 1);
      }
    }
    r.headers.emplace("Authorization", "Basic " + api::base64_encode("client:key"));
    if (version_ == "v20250224") {
      r.headers.emplace("Accept", "application/json");
      r.headers.emplace("Accept-Version", "v20250224");
    } else {
      r.headers.emplace("Accept", "application/vnd.mx.api.v1+json");
    }
    if (!body.is_null()) {
      r.headers.emplace("Content-Type", "application/json");
      r.body = body.dump();
    }
    return r;
  }

  api::Response send(const api::Request& r) { return service_->handle(r); }
  api::Response get(const std::string& target) { return send(request(api::Method::kGet, target)); }
  api::Response post(const std::string& target, const nlohmann::json& body = nullptr) {
    return send(request(api::Method::kPost, target, body));
  }
  api::Response put(const std::string& target, const nlohmann::json& body) {
    return send(request(api::Method::kPut, target, body));
  }
  api::Response del(const std::string& target) {
    return send(request(api::Method::kDelete, target));
  }

  void use_version(std::string v) { version_ = std::move(v); }

  static nlohmann::json json(const api::Response& r) { return nlohmann::json::parse(r.body); }

  // POST /users and return the new guid.
  std::string create_user(const std::string& id) {
    return json(post("/users", {{"user", {{"id", id}}}}))["user"]["guid"];
  }

  // POST /users/{u}/members at an institution with the given password; returns the member JSON.
  nlohmann::json create_member(const std::string& user, const std::string& institution,
                               const std::string& password,
                               const std::string& username = "mxuser") {
    nlohmann::json creds = nlohmann::json::array();
    for (const auto& c : emu_.credentials(institution, password, username)) {
      creds.push_back({{"guid", c.guid}, {"value", c.value}});
    }
    auto r = post("/users/" + user + "/members",
                  {{"member", {{"institution_code", institution}, {"credentials", creds}}}});
    return json(r);
  }

 private:
  TestEmulator emu_;
  std::unique_ptr<api::Service> service_;
  std::string version_ = "v20111101";
};

}  // namespace mxemu::testing
