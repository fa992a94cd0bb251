// libFuzzer target: MX's answers as the client reads them. A fake transport answers every
// request from the input (a status, then the body; the same answer again for every page), and
// MxApi's calls parse them. Every call ends (no hang on endless pagination: max_pages), with a
// value or an error value: no crash, no exception, no sanitizer report.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "mxclient/mx_api.h"
#include "mxclient/time.h"
#include "mxclient/transport.h"

namespace {

class ReplayTransport final : public mxclient::Transport {
 public:
  ReplayTransport(int status, std::string body) : status_(status), body_(std::move(body)) {}
  mxclient::Result<mxclient::HttpResponse> send(const mxclient::HttpRequest& /*request*/) override {
    mxclient::HttpResponse r;
    r.status = status_;
    r.headers["content-type"] = "application/vnd.mx.api.v1+json";
    if (status_ == 429 || status_ == 503) r.headers["retry-after"] = "1";
    r.body = body_;
    return r;
  }

 private:
  int status_;
  std::string body_;
};

class NoWait final : public mxclient::Sleeper {
 public:
  void wait(std::chrono::milliseconds /*duration*/) override {}
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  static constexpr int kStatuses[] = {200, 201, 202, 204, 400, 401, 404, 409, 422, 429, 500, 503};
  const int status = kStatuses[data[0] % (sizeof(kStatuses) / sizeof(kStatuses[0]))];
  const int which = data[1];
  std::string body(reinterpret_cast<const char*>(data) + 2, size - 2);

  NoWait sleeper;
  mxclient::MxApiConfig config;
  config.client_id = "client";
  config.api_key = "key";
  config.retry.max_attempts = 2;
  config.max_pages = 20;
  mxclient::MxApi api(std::make_shared<ReplayTransport>(status, std::move(body)), config, sleeper);
  const std::string u = "USR-1", m = "MBR-1";
  switch (which % 14) {
    case 0:
      (void)api.create_user("alice");
      break;
    case 1:
      (void)api.find_user_by_partner_id("alice");
      break;
    case 2:
      (void)api.create_member(u, "mxbank", {{"CRD-1", "x"}}, std::string("p1"));
      break;
    case 3:
      (void)api.read_member(u, m);
      break;
    case 4:
      (void)api.read_member_status(u, m);
      break;
    case 5:
      (void)api.list_members(u);
      break;
    case 6:
      (void)api.aggregate_member(u, m);
      break;
    case 7:
      (void)api.list_challenges(u, m);
      break;
    case 8:
      (void)api.list_institution_credentials("mxbank");
      break;
    case 9:
      (void)api.request_widget_url(u, {});
      break;
    case 10:
      (void)api.list_member_accounts(u, m);
      break;
    case 11:
      (void)api.list_member_transactions(u, m);
      break;
    case 12:
      (void)api.read_institution("mxbank");
      break;
    default:
      (void)api.resume_member(u, m, {{"CRD-1", "correct"}});
      break;
  }
  return 0;
}
