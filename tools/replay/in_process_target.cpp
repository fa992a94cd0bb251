#include <stdexcept>

#include "api/fixture_loader.h"
#include "api/in_process_transport.h"
#include "api/service.h"
#include "api/tenants.h"
#include "domain/clock.h"
#include "domain/timestamps.h"
#include "target.h"

namespace mxemu::replay {
namespace {

constexpr const char* kClientId = "replay";
constexpr const char* kApiKey = "replay-key";
constexpr const char* kBaseUrl = "http://127.0.0.1:8089";

class InProcessSession final : public Session {
 public:
  InProcessSession(domain::TimePoint start, const api::FixtureSet& fixtures)
      : clock_(start),
        tenants_(clock_, fixtures, config()),
        service_(tenants_),
        transport_(service_) {
    tenants_.set_base_url(kBaseUrl);
  }

  Reply send(const std::string& method, const std::string& target,
             const std::string& body) override {
    api::Headers headers;
    headers.emplace("Authorization", api::basic_authorization(kClientId, kApiKey));
    headers.emplace("Accept", "application/vnd.mx.api.v1+json");
    if (!body.empty()) headers.emplace("Content-Type", "application/json");
    return reply_of(transport_.send(parse_method(method), target, std::move(headers), body));
  }

  std::string curl(const std::string& method, const std::string& target,
                   const std::string& body) const override {
    return curl_command(kBaseUrl, "", method, target, body);
  }

  Reply exchange(const std::string& method, const std::string& target,
                 const std::vector<std::pair<std::string, std::string>>& headers,
                 const std::string& body) override {
    api::Headers h;
    for (const auto& [name, value] : headers) h.emplace(name, value);
    return reply_of(transport_.send(parse_method(method), target, std::move(h), body));
  }

  std::pair<std::string, std::string> credentials() const override { return {kClientId, kApiKey}; }

 private:
  static api::WorldConfig config() {
    api::WorldConfig c;
    c.client_id = kClientId;
    c.api_key = kApiKey;
    return c;
  }
  static Reply reply_of(const api::Response& r) {
    Reply out;
    out.status = r.status;
    out.body = r.body;
    out.headers = r.headers;
    if (!r.content_type.empty()) out.headers.emplace_back("Content-Type", r.content_type);
    return out;
  }
  static api::Method parse_method(const std::string& m) {
    if (m == "GET") return api::Method::kGet;
    if (m == "POST") return api::Method::kPost;
    if (m == "PUT") return api::Method::kPut;
    if (m == "PATCH") return api::Method::kPatch;
    if (m == "DELETE") return api::Method::kDelete;
    if (m == "OPTIONS") return api::Method::kOptions;
    if (m == "HEAD") return api::Method::kHead;
    throw std::runtime_error("unknown HTTP method " + m);
  }

  domain::ManualClock clock_;
  api::Tenants tenants_;
  api::Service service_;
  api::InProcessTransport transport_;
};

class InProcessTarget final : public Target {
 public:
  InProcessTarget() {
    auto f = api::load_embedded_fixtures();
    if (!f) throw std::runtime_error(f.error().message);
    fixtures_ = std::move(*f);
  }
  std::unique_ptr<Session> open(const std::string& start) override {
    auto t = domain::parse_iso8601(start);
    if (!t) throw std::runtime_error("not an ISO 8601 instant: " + start);
    return std::make_unique<InProcessSession>(*t, fixtures_);
  }

 private:
  api::FixtureSet fixtures_;
};

}  // namespace

std::unique_ptr<Target> make_in_process_target() { return std::make_unique<InProcessTarget>(); }

}  // namespace mxemu::replay
