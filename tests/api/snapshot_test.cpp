// GET/PUT /_emulator/snapshot: export → import → export is byte-identical, an imported world goes
// on exactly as its original, and a bad snapshot is refused with a pointer, changing nothing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

std::string snapshot_of(ApiClient& c) {
  const auto r = c.get("/_emulator/snapshot");
  EXPECT_EQ(r.status, 200);
  return r.body;
}

json answers_for(const json& challenges) {
  json out = json::array();
  for (const auto& ch : challenges["challenges"]) {
    out.push_back({{"guid", ch["guid"]}, {"value", "correct"}});
  }
  return out;
}

// A world with something in every part: members in several states and mid-job, data, premium
// data, a challenge, an OAuth member, widgets, custom categories, scripts, an outage, a
// discontinued institution, faults, limits with their windows, webhook subscriptions with
// pending deliveries, auto time.
struct Rich {
  std::string user;
  std::string connected;
  std::string challenged;
  std::string running;
};

Rich build_rich_world(ApiClient& c) {
  Rich r;
  EXPECT_EQ(c.put("/_emulator/webhooks",
                  {{"subscriptions",
                    {{{"url", "http://127.0.0.1:9/hooks"}, {"types", {"MEMBER", "AGGREGATION"}}}}}})
                .status,
            200);
  EXPECT_EQ(c.put("/_emulator/limits", {{"per_minute", 1000}, {"per_user_per_minute", 500}}).status,
            200);
  r.user = c.create_user("rich");
  r.connected = c.create_member(r.user, "mxbank", "password")["member"]["guid"];
  c.post("/_emulator/clock/advance", {{"seconds", 10}});
  EXPECT_EQ(c.post("/users/" + r.user + "/members/" + r.connected + "/identify").status, 202);
  c.post("/_emulator/clock/advance", {{"seconds", 10}});
  r.challenged = c.create_member(r.user, "pioneer_fcu", "challenge")["member"]["guid"];
  c.post("/_emulator/clock/advance", {{"seconds", 10}});
  r.running = c.create_member(r.user, "summit_ridge_bank", "password")["member"]["guid"];
  c.post("/_emulator/clock/advance", {{"seconds", 1}});
  const std::string other = c.create_user("other");
  c.post("/users/" + other + "/members",
         {{"member", {{"institution_code", "mx_bank_oauth"}, {"is_oauth", true}}}});
  c.post("/users/" + other + "/widget_urls", {{"widget_url", {{"widget_type", "connect_widget"}}}});
  const std::string vacation = ApiClient::json(
      c.post("/users/" + r.user + "/tags", {{"tag", {{"name", "Vacation"}}}}))["tag"]["guid"];
  const std::string first_transaction =
      ApiClient::json(c.get("/users/" + r.user + "/transactions"))["transactions"][0]["guid"];
  EXPECT_EQ(c.post("/users/" + r.user + "/taggings",
                   {{"tagging", {{"tag_guid", vacation}, {"transaction_guid", first_transaction}}}})
                .status,
            200);
  EXPECT_EQ(c.post("/users/" + r.user + "/transaction_rules",
                   {{"transaction_rule",
                     {{"match_description", "coffee"},
                      {"category_guid", "CAT-e131721a-52d3-1002-a87b-ab2e4c411ffb"},
                      {"description", "Coffee"}}}})
                .status,
            200);
  // A microdeposit on its way (its timer pending) and a widget opened for it.
  const auto md = c.post("/users/" + r.user + "/micro_deposits", {{"micro_deposit",
                                                                   {{"account_number", "333312345"},
                                                                    {"account_type", "CHECKING"},
                                                                    {"routing_number", "091000019"},
                                                                    {"email", "rich@example.com"},
                                                                    {"first_name", "Rich"},
                                                                    {"last_name", "Person"}}}});
  EXPECT_EQ(md.status, 200) << md.body;
  EXPECT_EQ(
      c.post("/users/" + r.user + "/widget_urls",
             {{"widget_url",
               {{"widget_type", "connect_widget"},
                {"mode", "verification"},
                {"current_microdeposit_guid", ApiClient::json(md)["micro_deposit"]["guid"]}}}})
          .status,
      200);
  for (const auto& [user, name] : {std::pair{r.user, "Farmers Market"}, {other, "Board Games"}}) {
    EXPECT_EQ(c.post("/users/" + user + "/categories",
                     {{"category",
                       {{"name", name},
                        {"parent_guid", "CAT-e131721a-52d3-1002-a87b-ab2e4c411ffb"},
                        {"metadata", "rich"}}}})
                  .status,
              200);
  }
  c.post("/_emulator/members/" + r.connected + "/outcomes", {{"outcomes", {"deny", "connect"}}});
  c.post("/_emulator/institutions/lone_star_community_bank/fault", {{"outcome", "fail"}});
  c.post("/_emulator/institutions/keystone_card/discontinue");
  c.post("/_emulator/faults", {{"path_prefix", "/institutions"}, {"status", 503}, {"count", 2}});
  c.post("/_emulator/clock/auto", {{"enabled", true}});
  // The dispatcher's part: the first attempts fail, so retries wait in the outbox.
  for (const auto& d : c.emu().world().take_due_webhooks()) {
    c.emu().world().record_webhook(d, api::WebhookAttemptResult{503, ""});
  }
  return r;
}

TEST(Snapshot, ExportImportExportIsByteIdentical) {
  ApiClient a;
  build_rich_world(a);
  const std::string first = snapshot_of(a);
  const json parsed = json::parse(first);
  EXPECT_EQ(parsed["format"], "mxemu-snapshot/1");
  EXPECT_FALSE(parsed["emulator"]["store"]["transactions"].empty());
  EXPECT_FALSE(parsed["emulator"]["timers"].empty());
  EXPECT_FALSE(parsed["webhooks"]["pending"].empty());
  EXPECT_FALSE(parsed["emulator"]["widgets"].empty());
  EXPECT_EQ(parsed["emulator"]["store"]["categories"].size(), 2U);
  EXPECT_FALSE(parsed["emulator"]["store"]["rewards"].empty());  // MX Bank's credit card
  EXPECT_EQ(parsed["emulator"]["store"]["tags"].size(), 3U);     // two Business, one Vacation
  EXPECT_EQ(parsed["emulator"]["store"]["taggings"].size(), 1U);
  EXPECT_EQ(parsed["emulator"]["store"]["rules"].size(), 1U);
  EXPECT_EQ(parsed["emulator"]["store"]["microdeposits"].size(), 1U);
  bool open_oauth_window = false;
  for (const auto& m : parsed["emulator"]["store"]["members"]) {
    open_oauth_window = open_oauth_window || !m["oauth_window"].is_null();
  }
  EXPECT_TRUE(open_oauth_window);

  ApiClient b;
  const auto imported = b.put("/_emulator/snapshot", parsed);
  ASSERT_EQ(imported.status, 200) << imported.body;
  EXPECT_EQ(snapshot_of(b), first);
  // And into the world it came from.
  ASSERT_EQ(a.put("/_emulator/snapshot", parsed).status, 200);
  EXPECT_EQ(snapshot_of(a), first);
}

// Two worlds, one imported from the other: the same requests and clock moves give the same
// responses and the same next snapshots.
TEST(Snapshot, AnImportedWorldContinuesIdentically) {
  ApiClient a;
  const Rich r = build_rich_world(a);
  ApiClient b;
  ASSERT_EQ(b.put("/_emulator/snapshot", json::parse(snapshot_of(a))).status, 200);

  const std::string u = "/users/" + r.user;
  auto both = [&](api::Method m, const std::string& target, const json& body = nullptr) {
    const auto ra = a.send(a.request(m, target, body));
    const auto rb = b.send(b.request(m, target, body));
    EXPECT_EQ(ra.status, rb.status) << target;
    EXPECT_EQ(ra.body, rb.body) << target;
    return ra;
  };
  both(api::Method::kGet, u + "/members/" + r.running);  // auto time steps the job
  const auto ch = both(api::Method::kGet, u + "/members/" + r.challenged + "/challenges");
  both(api::Method::kPut, u + "/members/" + r.challenged + "/resume",
       {{"member", {{"challenges", answers_for(ApiClient::json(ch))}}}});
  both(api::Method::kPost, "/_emulator/clock/advance", {{"hours", 4}});
  both(api::Method::kPost, u + "/members/" + r.connected + "/aggregate");
  both(api::Method::kPost, "/_emulator/clock/advance", {{"minutes", 2}});
  both(api::Method::kGet, u + "/transactions?records_per_page=50");
  both(api::Method::kGet, "/institutions");  // an injected fault
  both(api::Method::kPost, "/users", {{"user", {{"id", "after-import"}}}});
  both(api::Method::kGet, "/_emulator/events");
  both(api::Method::kPost, "/_emulator/clock/advance", {{"days", 2}});
  both(api::Method::kGet, u + "/members");
  both(api::Method::kGet, "/_emulator/webhooks/deliveries");
  const auto due_a = a.emu().world().take_due_webhooks();
  const auto due_b = b.emu().world().take_due_webhooks();
  ASSERT_EQ(due_a.size(), due_b.size());
  EXPECT_FALSE(due_a.empty());
  for (std::size_t i = 0; i < due_a.size(); ++i) {
    EXPECT_EQ(due_a[i].id, due_b[i].id);
    EXPECT_EQ(due_a[i].body, due_b[i].body);
    EXPECT_EQ(due_a[i].due_at, due_b[i].due_at);
  }
  EXPECT_EQ(snapshot_of(a), snapshot_of(b));
}

TEST(Snapshot, ABadSnapshotIsRefusedWithAPointerAndChangesNothing) {
  ApiClient a;
  build_rich_world(a);
  const json good = json::parse(snapshot_of(a));
  ApiClient b;
  b.create_user("kept");
  const std::string before = snapshot_of(b);

  struct Case {
    std::string pointer;
    json value;
    std::string expected_pointer;
  };
  const std::vector<Case> cases = {
      {"/emulator/store/members/0/user_guid", "USR-nobody", "/emulator/store/members/0/user_guid"},
      {"/emulator/store/members/0/institution_code", "nowhere",
       "/emulator/store/members/0/institution_code"},
      {"/emulator/store/users/0/created_at", "yesterday", "/emulator/store/users/0/created_at"},
      {"/emulator/store/members/1/machine/status", "HAPPY",
       "/emulator/store/members/1/machine/status"},
      {"/emulator/timers/0/kind", 7, "/emulator/timers/0/kind"},
      {"/emulator/store/accounts/0/surprise", true, "/emulator/store/accounts/0/surprise"},
      {"/format", "mxemu-snapshot/0", "/format"},
      {"/clock/rate", -2.0, "/clock/rate"},
      {"/faults/0/effect/status", 200, "/faults/0"},
      {"/emulator/store/transactions/0/account_guid", "ACT-none",
       "/emulator/store/transactions/0/account_guid"},
      {"/emulator/store/categories/0/user_guid", "USR-nobody",
       "/emulator/store/categories/0/user_guid"},
      // Groceries: a default category, but not a top-level one.
      {"/emulator/store/categories/0/parent_guid", "CAT-9588eaad-90a4-bb5c-66c8-1812503d0db8",
       "/emulator/store/categories/0/parent_guid"},
      {"/emulator/store/categories/1/guid", "CAT-9588eaad-90a4-bb5c-66c8-1812503d0db8",
       "/emulator/store/categories/1/guid"},
      {"/emulator/store/taggings/0/tag_guid", "TAG-none", "/emulator/store/taggings/0/tag_guid"},
      {"/emulator/store/tags/1/user_guid", "USR-nobody", "/emulator/store/tags/1/user_guid"},
      {"/emulator/store/microdeposits/0/user_guid", "USR-nobody",
       "/emulator/store/microdeposits/0/user_guid"},
      {"/emulator/store/rules/0/match_description", "",
       "/emulator/store/rules/0/match_description"},
  };
  for (const auto& c : cases) {
    json bad = good;
    bad[json::json_pointer(c.pointer)] = c.value;
    const auto r = b.put("/_emulator/snapshot", bad);
    EXPECT_EQ(r.status, 400) << c.pointer;
    EXPECT_EQ(ApiClient::json(r)["error"]["pointer"], c.expected_pointer) << r.body;
  }
  json missing = good;
  missing["emulator"].erase("timers");
  const auto r = b.put("/_emulator/snapshot", missing);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(ApiClient::json(r)["error"]["pointer"], "/emulator/timers");
  EXPECT_EQ(b.put("/_emulator/snapshot", json::array()).status, 400);
  EXPECT_EQ(snapshot_of(b), before);
}

// Fields added to the format after it was first written (Reader::later): a snapshot an earlier
// mxemu exported, or kept in its data dir, has no custom categories and still imports.
TEST(Snapshot, ASnapshotFromBeforeCustomCategoriesImportsWithNone) {
  ApiClient a;
  build_rich_world(a);
  json old = json::parse(snapshot_of(a));
  old["emulator"]["store"].erase("categories");
  ApiClient b;
  const auto r = b.put("/_emulator/snapshot", old);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json::parse(snapshot_of(b))["emulator"]["store"]["categories"].empty());
}

TEST(Snapshot, EachTenantExportsAndImportsItsOwnWorld) {
  ApiClient c;
  c.create_user("default-tenant-user");
  ASSERT_EQ(c.post("/_emulator/tenants", {{"client_id", "t2"}, {"api_key", "k2"}}).status, 201);
  const std::string default_snapshot = snapshot_of(c);
  c.use_credentials("t2", "k2");
  EXPECT_TRUE(json::parse(snapshot_of(c))["emulator"]["store"]["users"].empty());
  ASSERT_EQ(c.put("/_emulator/snapshot", json::parse(default_snapshot)).status, 200);
  EXPECT_EQ(json::parse(snapshot_of(c))["emulator"]["store"]["users"].size(), 1U);
  c.use_credentials("", "");
  EXPECT_EQ(snapshot_of(c), default_snapshot);
}

}  // namespace
}  // namespace mxemu::testing
