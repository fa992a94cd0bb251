// GET /_emulator/overview (the dashboard's read: users, members and their status histories over
// emulated time, institutions and outages) and the dashboard page, in process on the manual
// clock. The page itself is tested in Chromium by tests/browser/dashboard.test.js.
#include <gtest/gtest.h>

#include <string>

#include "api/web_assets.h"
#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

class Overview : public ::testing::Test {
 protected:
  json overview(const std::string& query = "") {
    api::Response r = c_.get("/_emulator/overview" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return ApiClient::json(r);
  }
  // The member's entry in the overview (null if absent).
  json member(const json& o, const std::string& guid) {
    for (const json& u : o["users"]) {
      for (const json& m : u["members"]) {
        if (m["guid"] == guid) return m;
      }
    }
    return nullptr;
  }
  std::string now() { return ApiClient::json(c_.get("/_emulator/clock"))["clock"]["now"]; }

  ApiClient c_;
};

TEST_F(Overview, ListsUsersAndMembersWithTheClock) {
  const std::string user = c_.create_user("overview-user");
  const std::string guid = c_.create_member(user, "mxbank", "password")["member"]["guid"];
  c_.emu().advance(60);
  const json o = overview();
  EXPECT_EQ(o["tenant"], ApiClient::json(c_.get("/_emulator/state"))["tenant"]);
  EXPECT_EQ(o["clock"]["now"], now());
  EXPECT_EQ(o["users_total"], 1);
  ASSERT_EQ(o["users"].size(), 1U);
  EXPECT_EQ(o["users"][0]["guid"], user);
  EXPECT_EQ(o["users"][0]["id"], "overview-user");
  const json m = member(o, guid);
  ASSERT_FALSE(m.is_null());
  EXPECT_EQ(m["connection_status"], "CONNECTED");
  EXPECT_EQ(m["institution_code"], "mxbank");
  EXPECT_EQ(m["name"], "MX Bank");
  EXPECT_EQ(m["is_being_aggregated"], false);
}

TEST_F(Overview, HistoryRecordsEachChangeAtTheEmulatedTimeItHappened) {
  const std::string user = c_.create_user("history-user");
  const std::string guid = c_.create_member(user, "mxbank", "password")["member"]["guid"];
  const std::string created = now();
  c_.emu().advance(60);
  c_.emu().advance(3600);
  const std::string forced_at = now();
  ASSERT_EQ(
      c_.post("/_emulator/members/" + guid + "/status", {{"connection_status", "DEGRADED"}}).status,
      200);
  c_.emu().advance(600);
  const json m = member(overview(), guid);
  ASSERT_FALSE(m.is_null());
  EXPECT_EQ(m["history_complete"], true);
  const json& h = m["history"];
  ASSERT_GE(h.size(), 3U) << h.dump();
  EXPECT_EQ(h.front()["at"], created);
  bool aggregated = false;
  for (const json& step : h) aggregated = aggregated || step["is_being_aggregated"] == true;
  EXPECT_TRUE(aggregated) << "the first job shows as a step: " << h.dump();
  const json& last = h.back();
  EXPECT_EQ(last["connection_status"], "DEGRADED");
  EXPECT_EQ(last["at"], forced_at);
  const json& before = h[h.size() - 2];
  EXPECT_EQ(before["connection_status"], "CONNECTED");
  EXPECT_EQ(before["is_being_aggregated"], false);
  for (std::size_t i = 1; i < h.size(); ++i) {
    EXPECT_LE(h[i - 1]["at"].get<std::string>(), h[i]["at"].get<std::string>());
    EXPECT_FALSE(h[i - 1]["connection_status"] == h[i]["connection_status"] &&
                 h[i - 1]["is_being_aggregated"] == h[i]["is_being_aggregated"])
        << "equal neighbours are merged: " << h.dump();
  }
}

TEST_F(Overview, ShowsOutagesAndDiscontinuedInstitutions) {
  ASSERT_EQ(
      c_.post("/_emulator/institutions/summit_ridge_bank/fault", {{"outcome", "lock"}}).status,
      200);
  ASSERT_EQ(c_.post("/_emulator/institutions/pioneer_fcu/discontinue").status, 200);
  json o = overview();
  bool seen = false;
  for (const json& inst : o["institutions"]) {
    if (inst["code"] == "summit_ridge_bank") {
      EXPECT_EQ(inst["outage"], "lock");
      seen = true;
    } else {
      EXPECT_TRUE(inst["outage"].is_null()) << inst.dump();
    }
    EXPECT_EQ(inst["discontinued"], inst["code"] == "pioneer_fcu") << inst.dump();
  }
  EXPECT_TRUE(seen);
  ASSERT_EQ(
      c_.post("/_emulator/institutions/summit_ridge_bank/fault", {{"outcome", nullptr}}).status,
      200);
  const json after = overview();  // a range over a temporary's member would dangle
  for (const json& inst : after["institutions"]) EXPECT_TRUE(inst["outage"].is_null());
}

TEST_F(Overview, LimitsTheUsersItListsAndRefusesABadLimit) {
  c_.create_user("a");
  c_.create_user("b");
  const json o = overview("?users=1");
  EXPECT_EQ(o["users_total"], 2);
  EXPECT_EQ(o["users"].size(), 1U);
  for (const char* bad : {"0", "-1", "x", "1001", "", "12345"}) {
    EXPECT_EQ(c_.get(std::string("/_emulator/overview?users=") + bad).status, 400) << bad;
  }
}

TEST_F(Overview, IsNotJournalledAndActsOnTheTenantItsCredentialsName) {
  c_.create_user("default-tenant-user");
  const auto held = [&] { return ApiClient::json(c_.get("/_emulator/journal"))["held"]; };
  const json before = held();
  overview();
  overview();
  EXPECT_EQ(held(), before) << "polling the overview leaves the journal as it was";
  ASSERT_EQ(c_.post("/_emulator/tenants", {{"client_id", "other"}, {"api_key", "k"}}).status, 201);
  c_.use_credentials("other", "k");
  const json o = overview();
  EXPECT_EQ(o["tenant"], "other");
  EXPECT_EQ(o["users"].size(), 0U);
  c_.use_credentials("other", "wrong");
  EXPECT_EQ(c_.get("/_emulator/overview").status, 401);
}

TEST_F(Overview, DashboardPageIsServedWithItsScriptsAndNoTenantData) {
  ASSERT_FALSE(api::web_asset("ui.js").empty());
  ASSERT_FALSE(api::web_asset("dom.js").empty());
  c_.create_user("not-in-the-page");
  api::Response r = c_.get("/_emulator/ui");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.body.find("/*MXEMU_"), std::string::npos) << "every placeholder filled";
  EXPECT_NE(r.body.find("window.mxemuDom"), std::string::npos) << "dom.js inlined";
  EXPECT_NE(r.body.find("/_emulator/overview"), std::string::npos) << "ui.js inlined";
  EXPECT_NE(r.body.find("\"DISCONNECTED\""), std::string::npos) << "the status table";
  EXPECT_EQ(r.body.find("not-in-the-page"), std::string::npos)
      << "the page reads the tenant through the API, with the person's credentials";
}

}  // namespace
}  // namespace mxemu::testing
