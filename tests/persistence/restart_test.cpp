// Persistence in process (docs/persistence.md): a world built with a data dir, dropped and built
// again from it, is the same world byte for byte and continues as if nothing had happened; the
// tenant directory, the options and the errors of a full disk behave as documented.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "persistence/persistent_tenants.h"
#include "storage/tenant_config_codec.h"

namespace mxemu::testing {
namespace {

using api::Method;
using nlohmann::json;

json body_of(const api::Response& r) { return json::parse(r.body); }

const json kMxBank = {
    {"member",
     {{"institution_code", "mxbank"},
      {"credentials",
       {{{"guid", "CRD-9f61fb4c-912c-bd1e-b175-ccc7f0275cc1"}, {"value", "mxuser"}},
        {{"guid", "CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d"}, {"value", "password"}}}}}}};

// The first half of a workload: users, members whose jobs finish (accounts, ~900 transactions
// each), a member left mid-job (a pending timer), a webhook subscription with undelivered
// deliveries, a widget session, a custom category, a fault rule, changed options, and a second
// tenant of its own.
void first_half(PersistentTenants& p) {
  ASSERT_EQ(p.send(Method::kPut, "/_emulator/webhooks",
                   {{"subscriptions", json::array({{{"url", "http://127.0.0.1:9/hooks"}}})}})
                .status,
            200);
  std::string users[3];
  for (int i = 0; i < 3; ++i) {
    auto r = p.send(
        Method::kPost, "/users",
        {{"user", {{"id", "u-" + std::to_string(i)}, {"metadata", "m" + std::to_string(i)}}}});
    ASSERT_EQ(r.status, 200) << r.body;
    users[i] = body_of(r)["user"]["guid"];
    ASSERT_EQ(p.send(Method::kPost, "/users/" + users[i] + "/members", kMxBank).status, 202);
  }
  ASSERT_EQ(p.send(Method::kPost, "/_emulator/clock/advance", {{"seconds", 30}}).status, 200);
  // Left running: its job's timers are pending when the world is dropped.
  auto late = p.send(Method::kPost, "/users", {{"user", {{"id", "late"}}}});
  ASSERT_EQ(late.status, 200);
  const std::string late_guid = body_of(late)["user"]["guid"];
  ASSERT_EQ(p.send(Method::kPost, "/users/" + late_guid + "/members", kMxBank).status, 202);
  ASSERT_EQ(p.send(Method::kPost, "/users/" + users[0] + "/widget_urls",
                   {{"widget_url", {{"widget_type", "connect_widget"}}}})
                .status,
            200);
  ASSERT_EQ(p.send(Method::kPost, "/users/" + users[0] + "/categories",
                   {{"category",
                     {{"name", "Farmers Market"},
                      {"parent_guid", "CAT-e131721a-52d3-1002-a87b-ab2e4c411ffb"},
                      {"metadata", "kept across restarts"}}}})
                .status,
            200);
  ASSERT_EQ(p.send(Method::kPost, "/_emulator/faults",
                   {{"status", 503}, {"path_prefix", "/users/nobody"}, {"count", 2}})
                .status,
            201);
  ASSERT_EQ(p.send(Method::kPut, "/_emulator/policies/storm",
                   {{"all", {{"max_aggregations", 7}, {"window_seconds", 60}}}})
                .status,
            200);
  auto created = p.send(Method::kPost, "/_emulator/tenants",
                        {{"client_id", "second"}, {"api_key", "second-key"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string second = api::basic_authorization("second", "second-key");
  auto other = p.send(Method::kPost, "/users", {{"user", {{"id", "elsewhere"}}}}, second);
  ASSERT_EQ(other.status, 200);
  const std::string other_guid = body_of(other)["user"]["guid"];
  ASSERT_EQ(p.send(Method::kPost, "/users/" + other_guid + "/members", kMxBank, second).status,
            202);
  ASSERT_EQ(p.send(Method::kPut, "/_emulator/limits", {{"per_minute", 500}}, second).status, 200);
  // A tenant created and deleted again leaves nothing behind.
  ASSERT_EQ(
      p.send(Method::kPost, "/_emulator/tenants", {{"client_id", "gone"}, {"api_key", "k"}}).status,
      201);
  ASSERT_EQ(p.send(Method::kDelete, "/_emulator/tenants/gone").status, 204);
}

// The second half: time passes, jobs finish, a transaction is edited and filed under the
// custom category, which is renamed, a user is deleted.
void second_half(PersistentTenants& p) {
  ASSERT_EQ(p.send(Method::kPost, "/_emulator/clock/advance", {{"seconds", 3600}}).status, 200);
  auto users = body_of(p.send(Method::kGet, "/users"))["users"];
  ASSERT_EQ(users.size(), 4U);
  const std::string first = users[0]["guid"];
  auto txns =
      body_of(p.send(Method::kGet, "/users/" + first + "/transactions?records_per_page=10"));
  ASSERT_FALSE(txns["transactions"].empty());
  const std::string txn = txns["transactions"][0]["guid"];
  ASSERT_EQ(p.send(Method::kPut, "/users/" + first + "/transactions/" + txn,
                   {{"transaction", {{"description", "Edited after a restart"}}}})
                .status,
            200);
  auto categories =
      body_of(p.send(Method::kGet, "/users/" + first + "/categories?records_per_page=1000"));
  const json& own = categories["categories"].back();
  ASSERT_EQ(own["name"], "Farmers Market");
  const std::string category = own["guid"];
  ASSERT_EQ(p.send(Method::kPut, "/users/" + first + "/transactions/" + txn,
                   {{"transaction", {{"category_guid", category}}}})
                .status,
            200);
  ASSERT_EQ(p.send(Method::kPut, "/users/" + first + "/categories/" + category,
                   {{"category", {{"name", "Farm Stands"}}}})
                .status,
            200);
  ASSERT_EQ(p.send(Method::kDelete, "/users/" + std::string(users[1]["guid"])).status, 204);
  auto again = p.send(Method::kPost, "/users", {{"user", {{"id", "after"}}}});
  ASSERT_EQ(again.status, 200);
}

TEST(PersistenceRestart, TheWorldComesBackByteForByteAndContinuesIdentically) {
  TempDir dir;
  PersistentTenants memory("");  // the same requests, never restarted
  std::map<std::string, std::string> before;
  {
    PersistentTenants durable(dir.path());
    first_half(durable);
    first_half(memory);
    before = durable.snapshots();
    ASSERT_EQ(before, memory.snapshots());
  }  // dropped: the restart
  PersistentTenants restarted(dir.path());
  const auto after = restarted.snapshots();
  ASSERT_EQ(after.size(), 2U);  // the default tenant and "second"; "gone" stayed gone
  for (const auto& [client_id, text] : before) {
    ASSERT_TRUE(after.count(client_id)) << client_id;
    EXPECT_TRUE(after.at(client_id) == text) << client_id << " differs after the restart";
  }
  // The options the control API changed came back too.
  EXPECT_EQ(body_of(restarted.send(Method::kGet, "/_emulator/policies/storm"))["storm"]["all"],
            body_of(memory.send(Method::kGet, "/_emulator/policies/storm"))["storm"]["all"]);
  second_half(restarted);
  second_half(memory);
  const auto continued = restarted.snapshots();
  const auto expected = memory.snapshots();
  for (const auto& [client_id, text] : expected) {
    EXPECT_TRUE(continued.at(client_id) == text) << client_id << " continued differently";
  }
}

TEST(PersistenceRestart, ASecondRestartAfterMoreWritesKeepsTheLatestState) {
  TempDir dir;
  std::map<std::string, std::string> expected;
  {
    PersistentTenants p(dir.path());
    first_half(p);
  }
  {
    PersistentTenants p(dir.path());
    second_half(p);
    expected = p.snapshots();
  }
  PersistentTenants p(dir.path());
  EXPECT_EQ(p.snapshots(), expected);
}

TEST(PersistenceRestart, ReadsAndRefusedWritesWriteNothing) {
  TempDir dir;
  PersistentTenants p(dir.path());
  ASSERT_EQ(p.send(Method::kPost, "/users", {{"user", {{"id", "one"}}}}).status, 200);
  const auto written = p.store()->counters().commits;
  EXPECT_EQ(p.send(Method::kGet, "/users").status, 200);
  EXPECT_EQ(p.send(Method::kPost, "/users", {{"user", {{"id", "one"}}}}).status, 409);
  EXPECT_EQ(p.send(Method::kPost, "/users/USR-nope/members", kMxBank).status, 404);
  EXPECT_EQ(p.store()->counters().commits, written);
  // A write that changes nothing the world keeps commits nothing either.
  ASSERT_EQ(p.tenants().default_world().save().ok(), true);
  EXPECT_EQ(p.store()->counters().commits, written);
}

TEST(PersistenceRestart, OnlyTheUsersWhoseTransactionsChangedAreRewritten) {
  TempDir dir;
  PersistentTenants p(dir.path());
  std::string guids[2];
  for (int i = 0; i < 2; ++i) {
    guids[i] = body_of(
        p.send(Method::kPost, "/users", {{"user", {{"id", std::to_string(i)}}}}))["user"]["guid"];
    ASSERT_EQ(p.send(Method::kPost, "/users/" + guids[i] + "/members", kMxBank).status, 202);
  }
  ASSERT_EQ(p.send(Method::kPost, "/_emulator/clock/advance", {{"seconds", 30}}).status, 200);
  const auto all = p.store()->counters().bytes;
  auto txns = body_of(p.send(Method::kGet, "/users/" + guids[0] + "/transactions"));
  const std::string txn = txns["transactions"][0]["guid"];
  ASSERT_EQ(p.send(Method::kPut, "/users/" + guids[0] + "/transactions/" + txn,
                   {{"transaction", {{"memo", "one user's rows"}}}})
                .status,
            200);
  const auto one_user = p.store()->counters().bytes - all;
  // Both users have ~900 transactions; the edit rewrote one user's rows and the small rest.
  EXPECT_LT(one_user, all / 2 + 200000) << "an edit of one user's transaction rewrote others";
}

TEST(PersistenceRestart, ASecondStoreOnTheSameDirIsRefused) {
  TempDir dir;
  PersistentTenants p(dir.path());
  auto second = storage::SqliteWorldStore::open(dir.path());
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, domain::ErrorCode::kConflict);
  EXPECT_NE(second.error().message.find("in use by another mxemu"), std::string::npos)
      << second.error().message;
}

TEST(PersistenceRestart, AFullDiskIsA507AndTheLastDurableStateSurvives) {
  TempDir dir;
  std::map<std::string, std::string> durable;
  {
    storage::SqliteWorldStoreOptions tiny;
    tiny.max_page_count = 64;  // 256 KiB at 4 KiB pages: a user fits, a member's data does not
    PersistentTenants p(dir.path(), tiny);
    auto user = p.send(Method::kPost, "/users", {{"user", {{"id", "fits"}}}});
    ASSERT_EQ(user.status, 200);
    durable = p.snapshots();
    const std::string guid = body_of(user)["user"]["guid"];
    ASSERT_EQ(p.send(Method::kPost, "/users/" + guid + "/members", kMxBank).status, 202);
    auto full = p.send(Method::kPost, "/_emulator/clock/advance", {{"seconds", 30}});
    EXPECT_EQ(full.status, 507) << full.body;
    EXPECT_NE(body_of(full)["error"]["message"].get<std::string>().find("not acknowledged"),
              std::string::npos);
    // The process goes on: reads still work and a small write fails the same clear way.
    EXPECT_EQ(p.send(Method::kGet, "/users").status, 200);
    EXPECT_EQ(p.send(Method::kPost, "/users", {{"user", {{"id", "after"}}}}).status, 507);
  }
  PersistentTenants p(dir.path());
  auto users = body_of(p.send(Method::kGet, "/users"))["users"];
  ASSERT_EQ(users.size(), 1U);  // the acknowledged user; the member's write came back 202 too
  EXPECT_EQ(users[0]["id"], "fits");
}

TEST(PersistenceRestart, TenantConfigRoundTrips) {
  api::WorldConfig c;
  c.client_id = "c";
  c.api_key = "k";
  c.strict_version = true;
  c.journal_size = 7;
  c.journal_body_bytes = 12345;
  c.limits = {1, 2, 3};
  c.emulator.job_duration = domain::Seconds{9};
  c.emulator.seed = 0xfedcba9876543210ULL;
  c.emulator.max_users = 100;
  c.emulator.background_aggregation = false;
  c.emulator.storm = {4, domain::Seconds{60}};
  c.emulator.storm_by_institution["mxbank"] = {0, domain::Seconds{0}};
  const json encoded = storage::encode_tenant_config(c);
  auto decoded = storage::decode_tenant_config(encoded);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(storage::encode_tenant_config(*decoded), encoded);
  EXPECT_EQ(decoded->emulator.seed, c.emulator.seed);
  EXPECT_EQ(decoded->journal_body_bytes, 12345U);
  // A file written before the journal had a body budget keeps the default.
  json older = encoded;
  older.erase("journal_body_bytes");
  auto old_decoded = storage::decode_tenant_config(older);
  ASSERT_TRUE(old_decoded.ok()) << old_decoded.error().message;
  EXPECT_EQ(old_decoded->journal_body_bytes, api::WorldConfig{}.journal_body_bytes);

  json broken = encoded;
  broken["emulator"]["storm"]["window"] = "soon";
  auto refused = storage::decode_tenant_config(broken);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("/emulator/storm/window"), std::string::npos)
      << refused.error().message;
}

// A new option must be kept by the data dir: encode it in storage/tenant_config_codec.cpp (both
// ways, and in TenantConfigRoundTrips), then update the size here.
#if defined(__GLIBCXX__) && defined(__x86_64__) && !defined(_GLIBCXX_DEBUG)
static_assert(sizeof(domain::StormPolicy) == 16, "StormPolicy changed: persist the new field");
static_assert(sizeof(domain::EmulatorOptions) == 160, "EmulatorOptions changed: persist it");
static_assert(sizeof(api::RateLimits) == 12, "RateLimits changed: persist the new field");
static_assert(sizeof(api::WorldConfig) == 256, "WorldConfig changed: persist the new field");
#endif

}  // namespace
}  // namespace mxemu::testing
