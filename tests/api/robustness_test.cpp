// Bad input never crashes, hangs or 5xx's: every route in the table, fed hostile bodies and
// identifiers, answers a 2xx/3xx/4xx, and every error is MX's JSON envelope.
#include <gtest/gtest.h>

#include "api/routes.h"
#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

// Replaces each {capture} of a route pattern with `value`.
std::string fill(const std::string& pattern, const std::string& value) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '{') {
      out += pattern[i];
      continue;
    }
    out += value;
    i = pattern.find('}', i);
  }
  return out;
}

TEST(Robustness, EveryRouteAnswersHostileInputWithA4xxEnvelope) {
  ApiClient c;
  const std::string user = c.create_user("robust");
  const std::string member = c.create_member(user, "mxbank", "challenge")["member"]["guid"];
  c.emu().advance(3);  // CHALLENGED: the member routes have state to trip over
  const std::vector<std::string> ids = {
      user, member, "nope", "%00", "USR-", std::string(300, 'x'), "../../etc/passwd"};
  const std::vector<std::string> bodies = {"",
                                           "null",
                                           "[]",
                                           "{}",
                                           "\"text\"",
                                           "12345678901234567890",
                                           "{\"user\":5}",
                                           "{\"member\":[]}",
                                           "{\"member\":{\"credentials\":{}}}",
                                           "{\"member\":{\"challenges\":[{\"guid\":1}]}}",
                                           "{\"widget_url\":{\"widget_type\":7}}",
                                           "{\"seconds\":-5}",
                                           "{\"connection_status\":7}",
                                           "{\"outcomes\":[\"nope\"]}",
                                           "{\"status\":\"x\"}",
                                           "{not json"};
  int requests = 0;
  for (const Route& route : route_table()) {
    for (const std::string& id : ids) {
      const std::string path = fill(route.pattern.text(), id);
      for (const std::string& body : bodies) {
        Request r = c.request(route.method, path + "?page=-1&records_per_page=abc&from_date=x");
        if (!body.empty()) {
          r.headers.emplace("Content-Type", "application/json");
          r.body = body;
        }
        const Response res = c.send(r);
        ++requests;
        ASSERT_LT(res.status, 500)
            << to_string(route.method) << " " << path << " body " << body << " → " << res.body;
        if (res.status >= 400 && res.content_type.find("json") != std::string::npos) {
          const json parsed = json::parse(res.body, nullptr, false);
          ASSERT_FALSE(parsed.is_discarded()) << path << " " << res.body;
          ASSERT_TRUE(parsed.contains("error") && parsed["error"]["message"].is_string())
              << path << " " << res.body;
        }
      }
    }
  }
  EXPECT_GT(requests, 1000);
}

}  // namespace
}  // namespace mxemu::api
