// The request journal of a tenant: what is recorded (times, guids, statuses, fault ids), what is
// redacted, filters, the bounded ring, and isolation between tenants.
#include "api/journal.h"

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>

#include "support/api_client.h"

namespace mxemu::testing {
namespace {

using nlohmann::json;

json journal(ApiClient& c, const std::string& query = "") {
  api::Response r = c.get("/_emulator/journal" + query);
  EXPECT_EQ(r.status, 200) << r.body;
  return ApiClient::json(r);
}

TEST(Journal, RecordsAnMxExchangeWithTimesGuidsAndOperation) {
  ApiClient c;
  const std::string user = c.create_user("u");
  c.emu().clock().advance(std::chrono::seconds(7));  // the wall clock (the base clock here)
  c.emu().advance(100);                              // the tenant's clock only
  const json member = c.create_member(user, "mxbank", "s3cret-pw", "alice")["member"];
  const json entries = journal(c)["entries"];
  ASSERT_EQ(entries.size(), 2U);
  const json& e = entries[0];  // newest first
  EXPECT_EQ(e["sequence"], 2);
  EXPECT_EQ(e["method"], "POST");
  EXPECT_EQ(e["path"], "/users/" + user + "/members");
  EXPECT_EQ(e["scope"], "mx");
  EXPECT_EQ(e["operation_id"], "createMember");
  EXPECT_EQ(e["version"], "v20111101");
  EXPECT_EQ(e["status"], 202);
  EXPECT_EQ(e["user_guid"], user);
  EXPECT_EQ(e["member_guid"], member["guid"]);  // taken from the answer: the path names none
  EXPECT_EQ(e["wall_time"], "2024-03-01T09:00:07.000Z");
  EXPECT_EQ(e["emulated_time"], "2024-03-01T09:01:47.000Z");
  EXPECT_EQ(entries[1]["wall_time"], "2024-03-01T09:00:00.000Z");
  EXPECT_EQ(entries[1]["operation_id"], "createUser");
  EXPECT_EQ(entries[1]["user_guid"], user);
  EXPECT_NE(e["response_body"].get<std::string>().find("CREATED"), std::string::npos);
}

TEST(Journal, RedactsAuthorizationCredentialsAndMfaAnswers) {
  ApiClient c;
  const std::string user = c.create_user("u");
  const std::string member =
      c.create_member(user, "mxbank", "challenge", "alice")["member"]["guid"];
  c.emu().advance(2);
  const std::string path = "/users/" + user + "/members/" + member;
  const json challenges = ApiClient::json(c.get(path + "/challenges"))["challenges"];
  ASSERT_EQ(challenges.size(), 1U);
  ASSERT_EQ(c.put(path + "/resume",
                  {{"member",
                    {{"challenges", {{{"guid", challenges[0]["guid"]}, {"value", "my-answer"}}}}}}})
                .status,
            202);
  const std::string all = journal(c, "?limit=100").dump();
  EXPECT_EQ(all.find("s3cret"), std::string::npos);
  EXPECT_EQ(all.find("challenge\\\""), std::string::npos);  // the password, as a JSON value
  EXPECT_EQ(all.find("my-answer"), std::string::npos);
  EXPECT_EQ(all.find(api::basic_authorization("client", "key")), std::string::npos);
  const json create = journal(c, "?operation=createMember")["entries"][0];
  EXPECT_EQ(create["request_headers"]["Authorization"], "[REDACTED]");
  const json body = json::parse(create["request_body"].get<std::string>());
  EXPECT_EQ(body["member"]["institution_code"], "mxbank");  // the rest stays readable
  for (const auto& cred : body["member"]["credentials"]) EXPECT_EQ(cred["value"], "[REDACTED]");
  // Tenant credentials made through the control API are redacted both ways.
  ASSERT_EQ(c.post("/_emulator/tenants", {{"client_id", "other"}, {"api_key", "topsecret"}}).status,
            201);
  EXPECT_EQ(journal(c).dump().find("topsecret"), std::string::npos);
}

TEST(Journal, FiltersNewestFirstAndReadsOneEntry) {
  ApiClient c;
  const std::string user = c.create_user("u");
  const std::string a = c.create_member(user, "mxbank", "password", "a")["member"]["guid"];
  const std::string b = c.create_member(user, "mxbank", "password", "b")["member"]["guid"];
  c.emu().advance(10);
  for (const std::string& m : {a, b, a}) c.get("/users/" + user + "/members/" + m + "/status");
  EXPECT_EQ(c.get("/users/USR-nope").status, 404);

  EXPECT_EQ(journal(c)["entries"].size(), 7U);
  EXPECT_EQ(journal(c)["last_sequence"], 7);
  EXPECT_EQ(journal(c, "?member=" + a)["entries"].size(), 3U);  // create + two polls
  EXPECT_EQ(journal(c, "?operation=readMemberStatus")["entries"].size(), 3U);
  EXPECT_EQ(journal(c, "?method=POST")["entries"].size(), 3U);
  EXPECT_EQ(journal(c, "?status=404")["entries"][0]["path"], "/users/USR-nope");
  EXPECT_EQ(journal(c, "?path=/users/" + user + "/members/" + b)["entries"].size(), 1U);
  const json since = journal(c, "?since=5")["entries"];
  ASSERT_EQ(since.size(), 2U);
  EXPECT_EQ(since[0]["sequence"], 7);
  EXPECT_EQ(since[1]["sequence"], 6);
  const json limited = journal(c, "?limit=2")["entries"];
  ASSERT_EQ(limited.size(), 2U);
  EXPECT_EQ(limited[1]["sequence"], 6);

  const api::Response one = c.get("/_emulator/journal/3");
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(ApiClient::json(one)["entry"]["member_guid"], b);
  EXPECT_EQ(c.get("/_emulator/journal/99").status, 404);
  EXPECT_EQ(c.get("/_emulator/journal/x1").status, 404);
  for (const char* bad : {"?limit=0", "?since=-1", "?status=abc", "?method=BREW"}) {
    EXPECT_EQ(c.get(std::string("/_emulator/journal") + bad).status, 400) << bad;
  }
}

TEST(Journal, ClearKeepsCountingAndReadsAreNotJournalled) {
  ApiClient c;
  c.create_user("u");
  c.get("/users");
  EXPECT_EQ(c.del("/_emulator/journal").status, 204);
  EXPECT_EQ(journal(c)["entries"].size(), 0U);
  c.get("/users");
  const json entries = journal(c)["entries"];
  ASSERT_EQ(entries.size(), 1U);
  EXPECT_EQ(entries[0]["sequence"], 3);  // sequences are never reused
  EXPECT_EQ(c.get("/_emulator/journal/conformance").status, 200);
  EXPECT_EQ(journal(c)["entries"].size(), 1U);
}

TEST(Journal, ControlRoutesAreMarkedAndUnroutedAnswersOfAKnownTenantRecorded) {
  ApiClient c;
  c.post("/_emulator/clock/advance", {{"seconds", 5}});
  c.get("/nowhere");  // 404 for a known tenant
  api::Request no_version = c.request(api::Method::kGet, "/users");
  no_version.headers.erase("Accept");
  no_version.headers.emplace("Accept-Version", "v1999");
  const api::Response refused = c.send(no_version);
  c.use_credentials("stranger", "nope");
  EXPECT_EQ(c.get("/users").status, 401);  // no tenant: no journal to write to
  c.use_credentials("client", "key");
  const json entries = journal(c)["entries"];
  ASSERT_EQ(entries.size(), 3U);
  EXPECT_EQ(entries[0]["status"], refused.status);
  EXPECT_EQ(entries[0]["operation_id"], nullptr);
  EXPECT_EQ(entries[1]["status"], 404);
  EXPECT_EQ(entries[1]["scope"], nullptr);
  EXPECT_EQ(entries[2]["scope"], "control");
  EXPECT_EQ(entries[2]["operation_id"], "advanceClock");
  EXPECT_EQ(entries[2]["version"], nullptr);
}

TEST(Journal, EachTenantHasItsOwn) {
  ApiClient c;
  ASSERT_EQ(c.post("/_emulator/tenants", {{"client_id", "b"}, {"api_key", "kb"}}).status, 201);
  c.create_user("in-default");
  c.use_credentials("b", "kb");
  c.get("/users");
  c.get("/users");
  EXPECT_EQ(journal(c)["entries"].size(), 2U);
  EXPECT_EQ(journal(c)["entries"][0]["path"], "/users");
  c.use_credentials("client", "key");
  const json mine = journal(c)["entries"];
  ASSERT_EQ(mine.size(), 2U);  // createTenant and createUser
  EXPECT_EQ(mine[0]["operation_id"], "createUser");
}

TEST(Journal, RingKeepsTheNewestAndZeroDisables) {
  api::WorldConfig small = test_world_config();
  small.journal_size = 3;
  ApiClient c(small);
  for (int i = 0; i < 5; ++i) c.get("/users?page=" + std::to_string(i + 1));
  const json j = journal(c);
  ASSERT_EQ(j["entries"].size(), 3U);
  EXPECT_EQ(j["entries"][0]["query"], "page=5");
  EXPECT_EQ(j["entries"][2]["sequence"], 3);
  EXPECT_EQ(j["capacity"], 3);
  EXPECT_EQ(c.get("/_emulator/journal/2").status, 404);  // dropped from the ring

  api::WorldConfig off = test_world_config();
  off.journal_size = 0;
  ApiClient none(off);
  none.get("/users");
  EXPECT_EQ(journal(none)["entries"].size(), 0U);
  EXPECT_EQ(ApiClient::json(none.get("/_emulator/journal/conformance"))["journal_enabled"], false);
}

TEST(Journal, LongResponsesAreCutAndResetEmptiesIt) {
  ApiClient c;
  for (int i = 0; i < 40; ++i) c.create_user("user-with-a-long-partner-id-" + std::to_string(i));
  c.get("/users?records_per_page=100");
  const json e = journal(c, "?limit=1")["entries"][0];
  EXPECT_EQ(e["response_truncated"], true);
  EXPECT_EQ(e["response_body"].get<std::string>().size(), api::Journal::kResponseLimit);
  ASSERT_EQ(c.post("/_emulator/reset").status, 200);
  const json after = journal(c)["entries"];
  ASSERT_EQ(after.size(), 1U);  // only the reset itself, journalled once it was answered
  EXPECT_EQ(after[0]["operation_id"], "reset");
}

api::JournalEntry entry_with_body(std::size_t bytes, const std::string& path) {
  api::JournalEntry e;
  e.path = path;
  e.status = 200;
  e.response_body = std::string(bytes, 'x');
  e.request_headers = std::make_shared<const api::JournalHeaders>(
      api::JournalHeaders{{"Accept", "application/vnd.mx.api.v1+json"}});
  return e;
}

TEST(Journal, BodiesPastTheBudgetGoOldestFirstAndTheirEntriesStay) {
  api::Journal j(/*capacity=*/100, /*body_budget=*/10000);
  for (int i = 1; i <= 5; ++i) j.add(entry_with_body(3000, "/p" + std::to_string(i)));
  EXPECT_EQ(j.body_bytes(), 9000U);
  ASSERT_EQ(j.entries().size(), 5U);
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    const api::JournalEntry* e = j.at(seq);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->path, "/p" + std::to_string(seq));  // metadata kept
    EXPECT_EQ(e->response_dropped, seq <= 2) << seq;
    EXPECT_EQ(e->response_body.size(), seq <= 2 ? 0U : 3000U) << seq;
  }
  const json shown = api::journal_entry_json(*j.at(1));
  EXPECT_EQ(shown["response_dropped"], true);
  EXPECT_EQ(shown["response_body"], "");
  EXPECT_EQ(shown["status"], 200);

  // A body larger than the whole budget is not kept either; the ring's own drops give bytes back.
  j.add(entry_with_body(20000, "/huge"));
  EXPECT_TRUE(j.at(6)->response_dropped);
  EXPECT_LE(j.body_bytes(), 10000U);
  j.clear();
  EXPECT_EQ(j.body_bytes(), 0U);
  j.add(entry_with_body(100, "/after-clear"));
  EXPECT_EQ(j.body_bytes(), 100U);
  EXPECT_FALSE(j.at(7)->response_dropped);
}

TEST(Journal, TheRingsDropsReturnTheirBodyBytes) {
  api::Journal j(/*capacity=*/2, /*body_budget=*/1U << 20);
  for (int i = 0; i < 10; ++i) j.add(entry_with_body(1000 + i, "/p"));
  EXPECT_EQ(j.body_bytes(), 1008U + 1009U);
}

TEST(Journal, EntriesWithTheSameHeadersShareOneCopy) {
  api::Journal j;
  j.add(entry_with_body(1, "/a"));
  j.add(entry_with_body(1, "/b"));
  api::JournalEntry other = entry_with_body(1, "/c");
  other.request_headers =
      std::make_shared<const api::JournalHeaders>(api::JournalHeaders{{"Accept", "other"}});
  j.add(std::move(other));
  EXPECT_EQ(j.at(1)->request_headers.get(), j.at(2)->request_headers.get());
  EXPECT_NE(j.at(1)->request_headers.get(), j.at(3)->request_headers.get());
  EXPECT_EQ(api::journal_entry_json(*j.at(2))["request_headers"]["Accept"],
            "application/vnd.mx.api.v1+json");
  EXPECT_EQ(api::journal_entry_json(*j.at(3))["request_headers"]["Accept"], "other");
}

TEST(Journal, EntriesShareTheirEqualTexts) {
  api::Journal j;
  for (int i = 0; i < 3; ++i) {
    api::JournalEntry e = entry_with_body(0, "/users/USR-1/members/MBR-1/status");
    e.user_guid = std::string("USR-1");
    e.member_guid = std::string("MBR-1");
    e.response_body = std::string(i < 2 ? R"({"member":{"connection_status":"CONNECTED"}})"
                                        : R"({"member":{"connection_status":"CHALLENGED"}})");
    j.add(std::move(e));
  }
  const api::JournalEntry& a = *j.at(1);
  const api::JournalEntry& b = *j.at(2);
  const api::JournalEntry& c = *j.at(3);
  EXPECT_TRUE(a.path.same_as(b.path));
  EXPECT_TRUE(a.path.same_as(c.path));
  EXPECT_TRUE(a.user_guid.same_as(c.user_guid));
  EXPECT_TRUE(a.member_guid.same_as(b.member_guid));
  EXPECT_TRUE(a.response_body.same_as(b.response_body));
  EXPECT_FALSE(a.response_body.same_as(c.response_body));
  EXPECT_EQ(c.response_body, R"({"member":{"connection_status":"CHALLENGED"}})");
  // The budget counts each entry's body, shared or not: it bounds what readers are shown.
  EXPECT_EQ(j.body_bytes(), a.response_body.size() * 2 + c.response_body.size());
}

TEST(Journal, ACutResponseHoldsOnlyWhatIsKept) {
  ApiClient c;
  for (int i = 0; i < 100; ++i) c.create_user("user-with-a-long-partner-id-" + std::to_string(i));
  ASSERT_GT(c.get("/users?records_per_page=100").body.size(), 2 * api::Journal::kResponseLimit);
  api::World& world = c.emu().world();
  std::lock_guard<std::mutex> lock(world.state().journal_mutex);
  const api::JournalEntry* e = &world.state().journal.entries().back();
  EXPECT_TRUE(e->response_truncated);
  EXPECT_EQ(e->response_body.size(), api::Journal::kResponseLimit);
  EXPECT_LT(e->response_body.str().capacity(), 2 * api::Journal::kResponseLimit);
}

TEST(Journal, ATenantsBodyBudgetComesFromItsConfig) {
  api::WorldConfig tight = test_world_config();
  tight.journal_body_bytes = 0;
  ApiClient c(tight);
  c.create_user("u");
  const json e = journal(c)["entries"][0];
  EXPECT_EQ(e["operation_id"], "createUser");
  EXPECT_EQ(e["response_dropped"], true);
  EXPECT_EQ(e["response_body"], "");
}

}  // namespace
}  // namespace mxemu::testing
