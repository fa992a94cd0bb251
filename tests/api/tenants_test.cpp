// Tenants: each client_id/api_key pair is its own world, created from the control API, and one
// tenant's traffic, clock and records never reach another's.
#include <gtest/gtest.h>

#include <string>

#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

// POST /_emulator/tenants with `body`; returns the response.
api::Response create_tenant(ApiClient& c, const json& body) {
  return c.post("/_emulator/tenants", body);
}

TEST(Tenants, CreatedWithGivenCredentialsServesItsOwnUsers) {
  ApiClient c;
  ASSERT_EQ(create_tenant(c, {{"client_id", "ci-job-2"}, {"api_key", "k2"}}).status, 201);
  const std::string alice = c.create_user("alice");

  c.use_credentials("ci-job-2", "k2");
  EXPECT_EQ(ApiClient::json(c.get("/users"))["users"].size(), 0U);
  EXPECT_EQ(c.get("/users/" + alice).status, 404);  // the other tenant's guid is unknown here
  const std::string bob = c.create_user("bob");
  EXPECT_NE(bob, alice);

  c.use_credentials("client", "key");
  const json users = ApiClient::json(c.get("/users"))["users"];
  ASSERT_EQ(users.size(), 1U);
  EXPECT_EQ(users[0]["id"], "alice");
  EXPECT_EQ(c.get("/users/" + bob).status, 404);
}

TEST(Tenants, SamePartnerIdsInTwoTenantsGetDifferentGuids) {
  ApiClient c;
  ASSERT_EQ(create_tenant(c, {{"client_id", "a"}, {"api_key", "ka"}}).status, 201);
  ASSERT_EQ(create_tenant(c, {{"client_id", "b"}, {"api_key", "kb"}}).status, 201);
  c.use_credentials("a", "ka");
  const std::string in_a = c.create_user("same");
  c.use_credentials("b", "kb");
  const std::string in_b = c.create_user("same");
  EXPECT_NE(in_a, in_b);
  EXPECT_EQ(c.get("/users/" + in_a).status, 404);
}

TEST(Tenants, UnknownOrWrongCredentialsAre401InMxEnvelope) {
  ApiClient c;
  ASSERT_EQ(create_tenant(c, {{"client_id", "t"}, {"api_key", "right"}}).status, 201);
  c.use_credentials("t", "wrong");
  api::Response r = c.get("/users");
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(ApiClient::json(r)["error"]["message"].is_string());
  c.use_credentials("nobody", "key");
  EXPECT_EQ(c.get("/users").status, 401);
  EXPECT_EQ(c.get("/_emulator/state").status, 401);  // control calls with bad credentials too
}

TEST(Tenants, GeneratedCredentialsAreUniqueAndWork) {
  ApiClient c;
  api::Response first = create_tenant(c, json::object());
  api::Response second = c.post("/_emulator/tenants");
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(second.status, 201);
  const json t1 = ApiClient::json(first)["tenant"];
  const json t2 = ApiClient::json(second)["tenant"];
  EXPECT_NE(t1["client_id"], t2["client_id"]);
  EXPECT_NE(t1["api_key"], t2["api_key"]);
  EXPECT_EQ(t1["api_key"].get<std::string>().size(), 32U);
  c.use_credentials(t2["client_id"], t2["api_key"]);
  EXPECT_EQ(c.get("/users").status, 200);
}

TEST(Tenants, BadOrDuplicateRequestsAreRefusedWithoutChange) {
  ApiClient c;
  EXPECT_EQ(create_tenant(c, {{"client_id", "x"}}).status, 400);
  EXPECT_EQ(create_tenant(c, {{"client_id", "x:y"}, {"api_key", "k"}}).status, 400);
  EXPECT_EQ(create_tenant(c, {{"client_id", ""}, {"api_key", "k"}}).status, 400);
  EXPECT_EQ(create_tenant(c, {{"client_id", 7}, {"api_key", "k"}}).status, 400);
  EXPECT_EQ(create_tenant(c, json::array()).status, 400);
  EXPECT_EQ(create_tenant(c, {{"client_id", "client"}, {"api_key", "other"}}).status, 409);
  ASSERT_EQ(create_tenant(c, {{"client_id", "x"}, {"api_key", "k"}}).status, 201);
  EXPECT_EQ(create_tenant(c, {{"client_id", "x"}, {"api_key", "k2"}}).status, 409);
  const json list = ApiClient::json(c.get("/_emulator/tenants"))["tenants"];
  ASSERT_EQ(list.size(), 2U);
  EXPECT_EQ(list[0]["client_id"], "client");
  EXPECT_EQ(list[1]["client_id"], "x");
  EXPECT_FALSE(list[1].contains("api_key"));
}

// A router that shards tenants by their Authorization header (docs/scaling.md) must send a
// tenant's creation to the process that will serve it: the call carries the new credentials.
TEST(Tenants, CreationMayCarryTheNewTenantsOwnCredentials) {
  ApiClient c;
  c.use_credentials("ci-7", "k7");
  ASSERT_EQ(create_tenant(c, {{"client_id", "ci-7"}, {"api_key", "k7"}}).status, 201);
  EXPECT_EQ(c.get("/users").status, 200);
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/state"))["tenant"], "ci-7");
  EXPECT_EQ(create_tenant(c, {{"client_id", "ci-7"}, {"api_key", "k7"}}).status, 409);
}

TEST(Tenants, UnknownCredentialsCreateOnlyTheTenantTheyName) {
  ApiClient c;
  c.use_credentials("ci-8", "k8");
  EXPECT_EQ(create_tenant(c, json::object()).status, 401);
  EXPECT_EQ(create_tenant(c, {{"client_id", "ci-8"}, {"api_key", "other"}}).status, 401);
  EXPECT_EQ(create_tenant(c, {{"client_id", "ci-9"}, {"api_key", "k8"}}).status, 401);
  EXPECT_EQ(c.get("/_emulator/tenants").status, 401);  // other control calls stay closed
  c.use_credentials("", "");
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/tenants"))["tenants"].size(), 1U);
}

TEST(Tenants, DeleteRemovesTheTenantButNeverTheDefault) {
  ApiClient c;
  ASSERT_EQ(create_tenant(c, {{"client_id", "gone"}, {"api_key", "k"}}).status, 201);
  EXPECT_EQ(c.del("/_emulator/tenants/gone").status, 204);
  EXPECT_EQ(c.del("/_emulator/tenants/gone").status, 404);
  EXPECT_EQ(c.del("/_emulator/tenants/client").status, 400);
  c.use_credentials("gone", "k");
  EXPECT_EQ(c.get("/users").status, 401);
}

TEST(Tenants, ControlCallsActOnTheTenantOfTheirCredentials) {
  ApiClient c;
  ASSERT_EQ(create_tenant(c, {{"client_id", "slow"}, {"api_key", "k"}}).status, 201);
  c.use_credentials("slow", "k");
  ASSERT_EQ(c.post("/_emulator/clock/advance", {{"seconds", 3600}}).status, 200);
  const json slow = ApiClient::json(c.get("/_emulator/state"));
  EXPECT_EQ(slow["tenant"], "slow");
  EXPECT_EQ(slow["clock"]["offset_seconds"], 3600);

  c.use_credentials("", "");  // no credentials: the default tenant, as before tenants existed
  const json main = ApiClient::json(c.get("/_emulator/state"));
  EXPECT_EQ(main["tenant"], "client");
  EXPECT_EQ(main["clock"]["offset_seconds"], 0);
}

TEST(Tenants, FaultsInjectedForOneTenantStayThere) {
  ApiClient c;
  ASSERT_EQ(create_tenant(c, {{"client_id", "other"}, {"api_key", "k"}}).status, 201);
  c.use_credentials("other", "k");
  ASSERT_EQ(c.post("/_emulator/faults", {{"path_prefix", "/users"}, {"status", 503}}).status, 201);
  c.use_credentials("client", "key");
  EXPECT_EQ(c.get("/users").status, 200);
  c.use_credentials("other", "k");
  EXPECT_EQ(c.get("/users").status, 503);
  EXPECT_EQ(c.get("/users").status, 200);
}

TEST(Tenants, WidgetPagesResolveToTheTenantThatIssuedThem) {
  ApiClient c;
  ASSERT_EQ(create_tenant(c, {{"client_id", "w"}, {"api_key", "k"}}).status, 201);
  c.use_credentials("w", "k");
  const std::string user = c.create_user("wu");
  const json widget = ApiClient::json(c.post(
      "/users/" + user + "/widget_urls", {{"widget_url", {{"widget_type", "connect_widget"}}}}));
  const std::string url = widget["widget_url"]["url"];
  const std::string path = url.substr(url.find("/connect/"));
  c.use_credentials("", "");
  api::Response page = c.get(path);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find(user), std::string::npos);
}

// The fixtures are read-only, so tenants share one copy of them: a tenant costs its own records
// only. A reset takes the same shared institutions again.
TEST(Tenants, ShareOneCopyOfTheFixtures) {
  ApiClient c;
  ASSERT_EQ(create_tenant(c, {{"client_id", "a"}, {"api_key", "ka"}}).status, 201);
  const auto other = c.emu().tenants().find_by_client_id("a");
  ASSERT_NE(other, nullptr);
  domain::Emulator& mine = c.emu().world().emulator();
  EXPECT_EQ(&mine.institutions(), &other->emulator().institutions());
  EXPECT_EQ(&mine.catalog(), &other->emulator().catalog());
  const auto* before = &mine.institutions();
  ASSERT_EQ(c.post("/_emulator/reset", json::object()).status, 200);
  EXPECT_EQ(&c.emu().world().emulator().institutions(), before);
}

}  // namespace
}  // namespace mxemu::testing
