// The wire surface, in process: auth, versions, envelopes, routing, pagination, content types.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "domain/timestamps.h"
#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

TEST(ServiceWire, MissingOrWrongCredentialsAre401InMxsEnvelope) {
  ApiClient c;
  Request r = c.request(Method::kGet, "/users");
  r.headers.erase("Authorization");
  Response res = c.send(r);
  EXPECT_EQ(res.status, 401);
  EXPECT_EQ(ApiClient::json(res),
            json::parse(R"({"error":{"message":"Invalid MX-API-Key or MX-Client-ID provided."}})"));
  r.headers.emplace("Authorization", "Basic " + base64_encode("client:wrong"));
  EXPECT_EQ(c.send(r).status, 401);
}

TEST(ServiceWire, UnknownVersionIs406) {
  ApiClient c;
  Request r = c.request(Method::kGet, "/users");
  r.headers.emplace("Accept-Version", "v19990101");
  EXPECT_EQ(c.send(r).status, 406);
  Request v9 = c.request(Method::kGet, "/users");
  v9.headers.erase("Accept");
  v9.headers.emplace("Accept", "application/vnd.mx.api.v9+json");
  EXPECT_EQ(c.send(v9).status, 406);
}

TEST(ServiceWire, NoVersionDefaultsToV20111101) {
  ApiClient c;
  Request r = c.request(Method::kGet, "/users");
  r.headers.erase("Accept");
  r.headers.emplace("Accept", "application/json, text/plain, */*");  // axios' default
  Response res = c.send(r);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.content_type, "application/vnd.mx.api.v1+json; charset=utf-8");
}

TEST(ServiceWire, ContentTypeFollowsTheVersion) {
  ApiClient c;
  EXPECT_EQ(c.get("/users").content_type, "application/vnd.mx.api.v1+json; charset=utf-8");
  c.use_version("v20250224");
  EXPECT_EQ(c.get("/users").content_type, "application/json; charset=utf-8");
}

TEST(ServiceWire, UnknownRouteIs404InvalidRoute) {
  ApiClient c;
  Response res = c.get("/webhooks");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(ApiClient::json(res)["error"]["message"], "Invalid route");
}

TEST(ServiceWire, InvalidJsonBodyIs400) {
  ApiClient c;
  Request r = c.request(Method::kPost, "/users");
  r.headers.emplace("Content-Type", "application/json");
  r.body = "{not json";
  Response res = c.send(r);
  EXPECT_EQ(res.status, 400);
  EXPECT_TRUE(ApiClient::json(res)["error"]["message"].is_string());
}

TEST(ServiceWire, WrongTypeInBodyIs400NotACrash) {
  ApiClient c;
  EXPECT_EQ(c.post("/users", {{"user", {{"id", 42}}}}).status, 400);
  EXPECT_EQ(c.post("/users", {{"user", "nope"}}).status, 400);
  EXPECT_EQ(c.post("/users", json::array()).status, 400);
}

TEST(ServiceWire, UserCrudAndPartnerIdConflict) {
  ApiClient c;
  Response created = c.post("/users", {{"user", {{"id", "u-1"}, {"email", "a@example.com"}}}});
  ASSERT_EQ(created.status, 200);
  const std::string guid = ApiClient::json(created)["user"]["guid"];
  EXPECT_EQ(guid.substr(0, 4), "USR-");
  EXPECT_EQ(c.post("/users", {{"user", {{"id", "u-1"}}}}).status, 409);
  EXPECT_EQ(c.post("/users", {{"user", json::object()}}).status, 400);
  Response updated = c.put("/users/" + guid, {{"user", {{"email", "b@example.com"}}}});
  EXPECT_EQ(ApiClient::json(updated)["user"]["email"], "b@example.com");
  EXPECT_EQ(c.del("/users/" + guid).status, 204);
  EXPECT_EQ(c.get("/users/" + guid).status, 404);
}

TEST(ServiceWire, PaginationFollowsMxRules) {
  ApiClient c;
  for (int i = 0; i < 30; ++i) c.create_user("u" + std::to_string(i));
  json page = ApiClient::json(c.get("/users"));
  EXPECT_EQ(page["users"].size(), 25U);
  EXPECT_EQ(page["pagination"],
            json::parse(R"({"current_page":1,"per_page":25,"total_entries":30,"total_pages":2})"));
  EXPECT_EQ(ApiClient::json(c.get("/users?page=2"))["users"].size(), 5U);
  // Below 10 is clamped to 10; above the maximum silently becomes 25.
  EXPECT_EQ(ApiClient::json(c.get("/users?records_per_page=5"))["pagination"]["per_page"], 10);
  EXPECT_EQ(ApiClient::json(c.get("/users?records_per_page=2000"))["pagination"]["per_page"], 25);
  EXPECT_EQ(ApiClient::json(c.get("/users?records_per_page=1000"))["users"].size(), 30U);
  EXPECT_EQ(ApiClient::json(c.get("/institutions?records_per_page=101"))["pagination"]["per_page"],
            25);
  json past = ApiClient::json(c.get("/users?page=9"));
  EXPECT_TRUE(past["users"].empty());
  EXPECT_EQ(past["pagination"]["total_entries"], 30);
  EXPECT_EQ(past["pagination"]["current_page"], 9);
}

TEST(ServiceWire, AnotherUsersMemberIs404) {
  ApiClient c;
  const std::string alice = c.create_user("alice");
  const std::string bob = c.create_user("bob");
  const std::string member = c.create_member(alice, "mxbank", "password")["member"]["guid"];
  EXPECT_EQ(c.get("/users/" + alice + "/members/" + member).status, 200);
  EXPECT_EQ(c.get("/users/" + bob + "/members/" + member).status, 404);
  EXPECT_EQ(c.get("/users/" + bob + "/members/" + member + "/status").status, 404);
}

TEST(ServiceWire, V20250224AcceptsPartnerIdsInPaths) {
  ApiClient c;
  const std::string guid = c.create_user("partner-7");
  c.use_version("v20250224");
  Response by_id = c.get("/users/partner-7");
  ASSERT_EQ(by_id.status, 200);
  EXPECT_EQ(ApiClient::json(by_id)["user"]["guid"], guid);
  c.use_version("v20111101");
  EXPECT_EQ(c.get("/users/partner-7").status, 404);
}

TEST(ServiceWire, ConnectWidgetUrlExistsOnlyInV20111101) {
  ApiClient c;
  const std::string user = c.create_user("w");
  EXPECT_EQ(c.post("/users/" + user + "/connect_widget_url", {{"config", json::object()}}).status,
            200);
  c.use_version("v20250224");
  EXPECT_EQ(c.post("/users/" + user + "/connect_widget_url", {{"config", json::object()}}).status,
            404);
}

TEST(ServiceWire, TransactionDateFiltersAreValidated) {
  ApiClient c;
  const std::string user = c.create_user("t");
  for (const char* bad : {"abc", "2024-02-30", "2024-3-1", "1709280000000", "-5", "17092800.5"}) {
    Response r = c.get("/users/" + user + "/transactions?from_date=" + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_NE(ApiClient::json(r)["error"]["message"].get<std::string>().find("YYYY-MM-DD"),
              std::string::npos)
        << bad;
  }
  EXPECT_EQ(c.get("/users/" + user + "/transactions?to_date=x").status, 400);
  Response half = c.get("/users/" + user + "/transactions?from_updated_at=2024-01-01");
  EXPECT_EQ(half.status, 400);
  EXPECT_EQ(ApiClient::json(half)["error"]["message"],
            "Both 'from_updated_at' and 'to_updated_at' are required.");
}

// v20250224's spec declares from_date/to_date as Unix timestamps, MX's guides as YYYY-MM-DD:
// both name the same day (the UTC day of the instant), in both versions.
TEST(ServiceWire, TransactionDatesAcceptUnixTimestampsAndDays) {
  for (const char* version : {"v20111101", "v20250224"}) {
    ApiClient c;
    c.use_version(version);
    const std::string user = c.create_user("dates");
    c.create_member(user, "mxbank", "password");
    c.emu().advance(10);
    const std::string base = "/users/" + user + "/transactions?records_per_page=1000";
    const json all = ApiClient::json(c.get(base));
    ASSERT_GT(all["transactions"].size(), 10u) << version;
    // A window in the middle of the history.
    std::vector<std::string> days;
    for (const auto& t : all["transactions"]) days.push_back(t["date"]);
    std::sort(days.begin(), days.end());
    const std::string from = days[days.size() / 4];
    const std::string to = days[days.size() * 3 / 4];
    const auto unix_of = [](const std::string& day) {
      return std::to_string(domain::unix_seconds(domain::start_of_day(*domain::parse_day(day))) +
                            12 * 3600);  // midday: any instant of the day names it
    };
    const Response by_day = c.get(base + "&from_date=" + from + "&to_date=" + to);
    const Response by_unix =
        c.get(base + "&from_date=" + unix_of(from) + "&to_date=" + unix_of(to));
    ASSERT_EQ(by_day.status, 200) << version;
    ASSERT_EQ(by_unix.status, 200) << by_unix.body;
    EXPECT_EQ(by_day.body, by_unix.body) << version;
    const auto window = ApiClient::json(by_day)["transactions"].size();
    EXPECT_LT(window, all["transactions"].size()) << version;  // the filter did filter
    EXPECT_GT(window, 0u) << version;
  }
}

// Found by mx_request_fuzzer: a timestamp past 2262 overflowed a nanosecond time_point (UB).
// Any instant up to 9999-12-31T23:59:59Z names its day; a later one is a 400.
TEST(ServiceWire, TransactionDatesFarInTheFutureNameTheirDayOrAre400) {
  ApiClient c;
  const std::string user = c.create_user("far");
  const std::string base = "/users/" + user + "/transactions?from_date=2024-01-01&to_date=";
  const Response in_2509 = c.get(base + "17029280000");  // 2509-08-21
  EXPECT_EQ(in_2509.status, 200) << in_2509.body;
  EXPECT_EQ(c.get(base + "253402300799").status, 200);  // 9999-12-31T23:59:59Z
  const Response past_9999 = c.get(base + "253402300800");
  EXPECT_EQ(past_9999.status, 400);
  EXPECT_NE(past_9999.body.find("Unix timestamp format for to_date"), std::string::npos)
      << past_9999.body;
  EXPECT_EQ(c.get(base + "999999999999").status, 400);
}

TEST(ServiceWire, InstitutionsFilterByNameAndProducts) {
  ApiClient c;
  json all = ApiClient::json(c.get("/institutions?records_per_page=100"));
  EXPECT_GE(all["institutions"].size(), 8U);
  json mx = ApiClient::json(c.get("/institutions?name=mx%20bank"));
  json mx_plain = ApiClient::json(c.get("/institutions?name=MX"));
  EXPECT_GE(mx_plain["institutions"].size(), 2U);
  json creds = ApiClient::json(c.get("/institutions/mxbank/credentials"));
  ASSERT_EQ(creds["credentials"].size(), 2U);
  EXPECT_EQ(creds["credentials"][0]["guid"], "CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1");
  EXPECT_EQ(c.get("/institutions/nope").status, 404);
  (void)mx;
}

TEST(ServiceWire, InjectedFaultAnswersThenClears) {
  ApiClient c;
  Response added = c.post(
      "/_emulator/faults",
      {{"path_prefix", "/users"}, {"status", 503}, {"count", 2}, {"retry_after_seconds", 7}});
  ASSERT_EQ(added.status, 201);
  Response first = c.get("/users");
  EXPECT_EQ(first.status, 503);
  ASSERT_EQ(first.headers.size(), 1U);
  EXPECT_EQ(first.headers[0], (std::pair<std::string, std::string>{"Retry-After", "7"}));
  EXPECT_EQ(c.get("/users").status, 503);
  EXPECT_EQ(c.get("/users").status, 200);
}

TEST(ServiceWire, RateLimitAnswers429WithRetryAfterInEmulatedTime) {
  ApiClient c;
  c.emu().world().state().config.limits.per_minute = 3;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(c.get("/users").status, 200);
  Response over = c.get("/users");
  EXPECT_EQ(over.status, 429);
  c.emu().advance(60);
  EXPECT_EQ(c.get("/users").status, 200);
}

}  // namespace
}  // namespace mxemu::api
