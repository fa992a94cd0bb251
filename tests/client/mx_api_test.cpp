// MxApi against a strict mock Transport: the exact requests it sends and how it reads replies.
#include "mxclient/mx_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace mxclient {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using ::testing::_;
using ::testing::AllOf;
using ::testing::DoAll;
using ::testing::Field;
using ::testing::InSequence;
using ::testing::Return;
using ::testing::SaveArg;
using ::testing::StrictMock;

class MockTransport : public Transport {
 public:
  MOCK_METHOD(Result<HttpResponse>, send, (const HttpRequest& request), (override));
};

class RecordingSleeper : public Sleeper {
 public:
  void wait(milliseconds d) override { delays.push_back(d); }
  std::vector<milliseconds> delays;
};

Result<HttpResponse> reply(int status, const json& body,
                           std::map<std::string, std::string> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.headers = std::move(headers);
  r.headers["content-type"] = "application/vnd.mx.api.v1+json; charset=utf-8";
  r.body = body.is_null() ? "" : body.dump();
  return r;
}

Result<HttpResponse> no_content() {
  HttpResponse r;
  r.status = 204;
  return r;
}

Result<HttpResponse> mx_error(int status, const std::string& message,
                              std::map<std::string, std::string> headers = {}) {
  return reply(status, {{"error", {{"message", message}}}}, std::move(headers));
}

json pagination(int page, int total_pages, int total_entries, int per_page = 1000) {
  return {{"current_page", page},
          {"per_page", per_page},
          {"total_entries", total_entries},
          {"total_pages", total_pages}};
}

json user_json(const std::string& guid, const std::string& id) {
  return {{"guid", guid},
          {"id", id},
          {"email", nullptr},
          {"is_disabled", false},
          {"metadata", nullptr}};
}

json member_json(const std::string& guid, const json& extra = json::object()) {
  json m = {{"guid", guid},
            {"user_guid", "USR-1"},
            {"id", nullptr},
            {"institution_code", "mxbank"},
            {"name", "MX Bank"},
            {"connection_status", "CONNECTED"},
            {"is_being_aggregated", false},
            {"is_oauth", false},
            {"aggregated_at", "2024-03-01T09:00:00Z"},
            {"successfully_aggregated_at", "2024-03-01T09:00:04Z"}};
  m.update(extra);
  return m;
}

json transaction_json(int n) {
  return {{"guid", "TRN-" + std::to_string(n)},
          {"account_guid", "ACT-1"},
          {"member_guid", "MBR-1"},
          {"user_guid", "USR-1"},
          {"amount", 12.5},
          {"type", "DEBIT"},
          {"status", "POSTED"},
          {"date", "2024-02-01"},
          {"description", "Whole Foods"},
          {"original_description", "WHOLEFDS MKT"},
          {"category", "Groceries"},
          {"top_level_category", "Food & Dining"},
          {"category_guid", "CAT-1"},
          {"merchant_guid", nullptr},
          {"transacted_at", "2024-02-01T12:00:00Z"},
          {"posted_at", "2024-02-01T12:00:00Z"},
          {"updated_at", "2024-02-01T12:00:00Z"}};
}

std::string header(const HttpRequest& r, const std::string& name) {
  for (const auto& [n, v] : r.headers) {
    if (n == name) return v;
  }
  return "<absent>";
}

auto Target(const std::string& target) { return Field(&HttpRequest::target, target); }
auto Method(const std::string& method) { return Field(&HttpRequest::method, method); }

class MxApiTest : public ::testing::Test {
 protected:
  std::unique_ptr<MxApi> make(ApiVersion version = ApiVersion::kV20111101,
                              int records_per_page = 1000) {
    MxApiConfig config;
    config.client_id = "client";
    config.api_key = "key";
    config.version = version;
    config.jitter_seed = 1;
    config.records_per_page = records_per_page;
    return std::make_unique<MxApi>(transport_, config, sleeper_);
  }

  std::shared_ptr<StrictMock<MockTransport>> transport_ =
      std::make_shared<StrictMock<MockTransport>>();
  RecordingSleeper sleeper_;
};

// ---- headers

TEST_F(MxApiTest, SendsV20111101HeadersAndNoBodyOnGet) {
  auto api = make();
  HttpRequest sent;
  EXPECT_CALL(*transport_, send(AllOf(Method("GET"), Target("/users/USR-1"))))
      .WillOnce(DoAll(SaveArg<0>(&sent), Return(reply(200, {{"user", user_json("USR-1", "u")}}))));
  auto user = api->read_user("USR-1");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->guid, "USR-1");
  EXPECT_EQ(header(sent, "Authorization"), "Basic Y2xpZW50OmtleQ==");  // client:key
  EXPECT_EQ(header(sent, "Accept"), "application/vnd.mx.api.v1+json");
  EXPECT_EQ(header(sent, "Accept-Version"), "<absent>");
  EXPECT_EQ(header(sent, "Content-Type"), "<absent>");
  EXPECT_TRUE(sent.body.empty());
}

TEST_F(MxApiTest, SendsV20250224Headers) {
  auto api = make(ApiVersion::kV20250224);
  HttpRequest sent;
  EXPECT_CALL(*transport_, send(Target("/users/USR-1")))
      .WillOnce(DoAll(SaveArg<0>(&sent), Return(reply(200, {{"user", user_json("USR-1", "u")}}))));
  ASSERT_TRUE(api->read_user("USR-1"));
  EXPECT_EQ(header(sent, "Authorization"), "Basic Y2xpZW50OmtleQ==");
  EXPECT_EQ(header(sent, "Accept"), "application/json");
  EXPECT_EQ(header(sent, "Accept-Version"), "v20250224");
}

TEST_F(MxApiTest, SendsJsonBodiesWithContentType) {
  auto api = make();
  HttpRequest sent;
  EXPECT_CALL(*transport_, send(AllOf(Method("POST"), Target("/users"))))
      .WillOnce(DoAll(SaveArg<0>(&sent), Return(reply(200, {{"user", user_json("USR-1", "p1")}}))));
  auto user = api->create_user("p1", std::string("a@example.com"));
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(header(sent, "Content-Type"), "application/json");
  EXPECT_EQ(json::parse(sent.body), (json{{"user", {{"id", "p1"}, {"email", "a@example.com"}}}}));
  EXPECT_EQ(user->id, "p1");
}

TEST_F(MxApiTest, BodylessPostSendsNoBodyAndNoContentType) {
  auto api = make();
  InSequence order;
  HttpRequest sent;
  EXPECT_CALL(*transport_, send(AllOf(Method("GET"), Target("/users/USR-1/members/MBR-1"))))
      .WillOnce(Return(reply(200, {{"member", member_json("MBR-1")}})));
  EXPECT_CALL(*transport_,
              send(AllOf(Method("POST"), Target("/users/USR-1/members/MBR-1/aggregate"))))
      .WillOnce(DoAll(
          SaveArg<0>(&sent),
          Return(reply(202, {{"member", member_json("MBR-1", {{"is_being_aggregated", true},
                                                              {"aggregated_at",
                                                               "2024-03-01T10:00:00Z"}})}}))));
  auto result = api->aggregate_member("USR-1", "MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->outcome, AggregateOutcome::kStarted);
  EXPECT_TRUE(sent.body.empty());
  EXPECT_EQ(header(sent, "Content-Type"), "<absent>");
}

TEST_F(MxApiTest, AggregateThatChangesNothingWasNotStarted) {
  auto api = make();
  InSequence order;
  EXPECT_CALL(*transport_, send(Method("GET")))
      .WillOnce(Return(reply(200, {{"member", member_json("MBR-1")}})));
  EXPECT_CALL(*transport_, send(Method("POST")))
      .WillOnce(Return(reply(202, {{"member", member_json("MBR-1")}})));  // throttled
  auto result = api->aggregate_member("USR-1", "MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->outcome, AggregateOutcome::kNotStarted);
}

TEST_F(MxApiTest, AggregateWhileAJobRunsWasNotStarted) {
  auto api = make();
  InSequence order;
  const json running = member_json("MBR-1", {{"is_being_aggregated", true}});
  EXPECT_CALL(*transport_, send(Method("GET"))).WillOnce(Return(reply(200, {{"member", running}})));
  EXPECT_CALL(*transport_, send(Method("POST")))
      .WillOnce(Return(reply(202, {{"member", running}})));
  auto result = api->aggregate_member("USR-1", "MBR-1");
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->outcome, AggregateOutcome::kNotStarted);
}

TEST_F(MxApiTest, AGuardThatRefusesTheMemberAsReadHoldsThePostBack) {
  auto api = make();
  const json challenged = member_json("MBR-1", {{"connection_status", "CHALLENGED"}});
  EXPECT_CALL(*transport_, send(Method("GET")))
      .WillOnce(Return(reply(200, {{"member", challenged}})));
  EXPECT_CALL(*transport_, send(Method("POST"))).Times(0);
  std::string shown;
  auto result = api->aggregate_member("USR-1", "MBR-1", [&](const MxMember& current) {
    shown = current.connection_status;
    return false;
  });
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->outcome, AggregateOutcome::kHeld);
  EXPECT_EQ(shown, "CHALLENGED");
  EXPECT_EQ(result->member.connection_status, "CHALLENGED");
}

// ---- pagination

TEST_F(MxApiTest, WalksEveryPageOfAList) {
  auto api = make(ApiVersion::kV20111101, 10);
  InSequence order;
  const std::string base = "/users/USR-1/members/MBR-1/transactions";
  for (int page = 1; page <= 3; ++page) {
    json items = json::array();
    const int count = page < 3 ? 10 : 5;
    for (int i = 0; i < count; ++i) items.push_back(transaction_json((page - 1) * 10 + i));
    EXPECT_CALL(*transport_,
                send(Target(base + "?page=" + std::to_string(page) + "&records_per_page=10")))
        .WillOnce(Return(
            reply(200, {{"transactions", items}, {"pagination", pagination(page, 3, 25, 10)}})));
  }
  std::vector<ListProgress> seen;
  auto txs = api->list_member_transactions("USR-1", "MBR-1", {},
                                           [&](const ListProgress& p) { seen.push_back(p); });
  ASSERT_TRUE(txs) << txs.error().message;
  ASSERT_EQ(txs->size(), 25U);
  EXPECT_EQ(txs->front().guid, "TRN-0");
  EXPECT_EQ(txs->back().guid, "TRN-24");
  EXPECT_EQ(txs->front().amount, 12.5);
  EXPECT_EQ(txs->front().type, "DEBIT");
  EXPECT_EQ(txs->front().category, "Groceries");
  EXPECT_EQ(txs->front().top_level_category, "Food & Dining");
  EXPECT_EQ(txs->front().original_description, "WHOLEFDS MKT");
  EXPECT_FALSE(txs->front().merchant_guid.has_value());
  ASSERT_EQ(seen.size(), 3U);
  EXPECT_EQ(seen[0].pages_fetched, 1);
  EXPECT_EQ(seen[0].records_so_far, 10U);
  EXPECT_EQ(seen[2].pages_fetched, 3);
  EXPECT_EQ(seen[2].total_pages, 3);
  EXPECT_EQ(seen[2].records_so_far, 25U);
  EXPECT_EQ(seen[2].total_entries, 25U);
}

TEST_F(MxApiTest, StopsAtThePageLimitWhenAServerReportsAbsurdPageCounts) {
  MxApiConfig config;
  config.client_id = "client";
  config.api_key = "key";
  config.max_pages = 4;
  MxApi api(transport_, config, sleeper_);
  // Every page is full and claims a billion more: without the limit this never ends.
  int page = 0;
  EXPECT_CALL(*transport_, send(_)).Times(4).WillRepeatedly([&](const HttpRequest&) {
    ++page;
    return reply(200, {{"accounts", {{{"guid", "ACT-" + std::to_string(page)}}}},
                       {"pagination", pagination(page, 1000000000, 1000000000)}});
  });
  auto accounts = api.list_user_accounts("USR-1");
  ASSERT_FALSE(accounts);
  EXPECT_EQ(accounts.error().kind, ErrorKind::kInvalidReply);
  EXPECT_NE(accounts.error().message.find("stopped after 4 pages (the page limit)"),
            std::string::npos)
      << accounts.error().message;
  EXPECT_NE(accounts.error().message.find("total_pages 1000000000"), std::string::npos);
}

TEST_F(MxApiTest, KeepsOneCopyOfARecordThatShiftsAcrossPages) {
  auto api = make();
  InSequence order;
  EXPECT_CALL(*transport_, send(Target("/users/USR-1/accounts?page=1&records_per_page=1000")))
      .WillOnce(Return(reply(200, {{"accounts", {{{"guid", "ACT-1"}}, {{"guid", "ACT-2"}}}},
                                   {"pagination", pagination(1, 2, 4)}})));
  EXPECT_CALL(*transport_, send(Target("/users/USR-1/accounts?page=2&records_per_page=1000")))
      .WillOnce(Return(reply(200, {{"accounts", {{{"guid", "ACT-2"}}, {{"guid", "ACT-3"}}}},
                                   {"pagination", pagination(2, 2, 4)}})));
  auto accounts = api->list_user_accounts("USR-1");
  ASSERT_TRUE(accounts) << accounts.error().message;
  ASSERT_EQ(accounts->size(), 3U);
  EXPECT_EQ((*accounts)[2].guid, "ACT-3");
}

TEST_F(MxApiTest, SendsDateFiltersAndClampsThePageSize) {
  MxApiConfig config;
  config.client_id = "client";
  config.api_key = "key";
  config.records_per_page = 5000;  // above MX's maximum: clamped to 1000
  MxApi api(transport_, config, sleeper_);
  EXPECT_CALL(*transport_,
              send(Target("/users/USR-1/accounts/ACT-1/transactions?from_date=2024-01-01&to_date="
                          "2024-01-31&page=1&records_per_page=1000")))
      .WillOnce(Return(
          reply(200, {{"transactions", json::array()}, {"pagination", pagination(1, 1, 0)}})));
  auto txs = api.list_account_transactions("USR-1", "ACT-1", {"2024-01-01", "2024-01-31"});
  ASSERT_TRUE(txs) << txs.error().message;
  EXPECT_TRUE(txs->empty());
}

TEST_F(MxApiTest, RejectsMalformedDatesWithoutCallingMx) {
  auto api = make();
  auto txs = api->list_member_transactions("USR-1", "MBR-1", {"2024/01/01", std::nullopt});
  ASSERT_FALSE(txs);
  EXPECT_EQ(txs.error().kind, ErrorKind::kInvalidInput);
}

// ---- retries and errors

TEST_F(MxApiTest, Retries429AfterRetryAfter) {
  auto api = make();
  InSequence order;
  EXPECT_CALL(*transport_, send(Target("/users/USR-1")))
      .WillOnce(Return(mx_error(429, "Too many requests.", {{"retry-after", "7"}})))
      .WillOnce(Return(reply(200, {{"user", user_json("USR-1", "u")}})));
  auto user = api->read_user("USR-1");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(sleeper_.delays, std::vector<milliseconds>{milliseconds{7000}});
}

TEST_F(MxApiTest, GivesUpOn503AfterMaxAttempts) {
  auto api = make();
  EXPECT_CALL(*transport_, send(Target("/users/USR-1")))
      .Times(5)
      .WillRepeatedly(Return(mx_error(503, "The MX Platform is being updated.")));
  auto user = api->read_user("USR-1");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kHttp);
  EXPECT_EQ(user.error().http_status, 503);
  EXPECT_NE(user.error().message.find("The MX Platform is being updated."), std::string::npos);
  ASSERT_EQ(sleeper_.delays.size(), 4U);
  // Jittered exponential backoff: each wait within 80-100 % of 500, 1000, 2000, 4000 ms.
  for (std::size_t i = 0; i < 4; ++i) {
    const long long ceiling = 500LL << i;
    EXPECT_LE(sleeper_.delays[i].count(), ceiling);
    EXPECT_GE(sleeper_.delays[i].count(), ceiling * 8 / 10);
  }
}

TEST_F(MxApiTest, SameSeedSameWaits) {
  auto run = [&]() {
    auto transport = std::make_shared<StrictMock<MockTransport>>();
    EXPECT_CALL(*transport, send(_)).Times(5).WillRepeatedly(Return(mx_error(503, "down")));
    RecordingSleeper sleeper;
    MxApiConfig config;
    config.jitter_seed = 77;
    MxApi api(transport, config, sleeper);
    EXPECT_FALSE(api.read_user("USR-1"));
    return sleeper.delays;
  };
  EXPECT_EQ(run(), run());
}

TEST_F(MxApiTest, DoesNotRetry404AndReportsMxsMessage) {
  auto api = make();
  EXPECT_CALL(*transport_, send(Target("/users/USR-404")))
      .WillOnce(Return(mx_error(404, "We were unable to find the record you requested.")));
  auto user = api->read_user("USR-404");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kHttp);
  EXPECT_EQ(user.error().http_status, 404);
  EXPECT_NE(user.error().message.find("We were unable to find the record you requested."),
            std::string::npos);
  EXPECT_TRUE(sleeper_.delays.empty());
}

TEST_F(MxApiTest, ReportsTheStatusWhenTheErrorBodyIsNotMxs) {
  auto api = make();
  HttpResponse html;
  html.status = 502;
  html.body = "<html>Bad Gateway</html>";
  EXPECT_CALL(*transport_, send(_)).Times(5).WillRepeatedly(Return(Result<HttpResponse>(html)));
  auto user = api->read_user("USR-1");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().http_status, 502);
  EXPECT_NE(user.error().message.find("HTTP 502"), std::string::npos);
}

TEST_F(MxApiTest, TransportErrorsThatNeverHealAreTransportErrors) {
  auto api = make();
  EXPECT_CALL(*transport_, send(_))
      .Times(5)
      .WillRepeatedly(Return(make_error(ErrorKind::kTransport, "Connection")));
  auto user = api->read_user("USR-1");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kTransport);
}

TEST_F(MxApiTest, MalformedJsonIsAnInvalidReply) {
  auto api = make();
  HttpResponse broken;
  broken.status = 200;
  broken.body = "{\"user\": {\"guid\": ";
  EXPECT_CALL(*transport_, send(_)).WillOnce(Return(Result<HttpResponse>(broken)));
  auto user = api->read_user("USR-1");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kInvalidReply);
}

TEST_F(MxApiTest, WrongShapeIsAnInvalidReply) {
  auto api = make();
  EXPECT_CALL(*transport_, send(_))
      .WillOnce(
          Return(reply(200, {{"member", member_json("MBR-1", {{"is_being_aggregated", "yes"}})}})));
  auto member = api->read_member("USR-1", "MBR-1");
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().kind, ErrorKind::kInvalidReply);
  EXPECT_NE(member.error().message.find("is_being_aggregated"), std::string::npos);
}

TEST_F(MxApiTest, MissingGuidIsAnInvalidReply) {
  auto api = make();
  EXPECT_CALL(*transport_, send(_)).WillOnce(Return(reply(200, {{"user", {{"id", "u"}}}})));
  auto user = api->read_user("USR-1");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kInvalidReply);
}

TEST_F(MxApiTest, EmptyArgumentsAreRejectedWithoutCallingMx) {
  auto api = make();
  EXPECT_EQ(api->create_user("").error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(api->read_member("USR-1", "").error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(api->create_member("USR-1", "mxbank", {}).error().kind, ErrorKind::kInvalidInput);
}

// ---- idempotent creates

TEST_F(MxApiTest, CreateUserRecoversFromALostReplyThrough409AndLookup) {
  auto api = make();
  InSequence order;
  // The first POST reached MX (which created the user) but its reply never came back.
  EXPECT_CALL(*transport_, send(AllOf(Method("POST"), Target("/users"))))
      .WillOnce(Return(make_error(ErrorKind::kTransport, "Read timeout")))
      .WillOnce(Return(mx_error(409, "An object with the given attributes already exists.")));
  EXPECT_CALL(*transport_, send(Target("/users?id=app-user%2042&page=1&records_per_page=1000")))
      .WillOnce(Return(reply(200, {{"users", {user_json("USR-9", "app-user 42")}},
                                   {"pagination", pagination(1, 1, 1)}})));
  auto user = api->create_user("app-user 42");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->guid, "USR-9");
  EXPECT_EQ(user->id, "app-user 42");
  EXPECT_EQ(sleeper_.delays.size(), 1U);
}

TEST_F(MxApiTest, CreateUser409WithoutSuchUserIsAConflict) {
  auto api = make();
  InSequence order;
  EXPECT_CALL(*transport_, send(Method("POST")))
      .WillOnce(Return(mx_error(409, "An object with the given attributes already exists.")));
  EXPECT_CALL(*transport_, send(Method("GET")))
      .WillOnce(
          Return(reply(200, {{"users", json::array()}, {"pagination", pagination(1, 1, 0)}})));
  auto user = api->create_user("p1");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(user.error().http_status, 409);
}

TEST_F(MxApiTest, FindUserByPartnerIdMatchesExactly) {
  auto api = make();
  EXPECT_CALL(*transport_, send(Target("/users?id=p1&page=1&records_per_page=1000")))
      .WillOnce(Return(reply(
          200, {{"users", {user_json("USR-2", "p10")}}, {"pagination", pagination(1, 1, 1)}})));
  auto found = api->find_user_by_partner_id("p1");
  ASSERT_TRUE(found) << found.error().message;
  EXPECT_FALSE(found->has_value());
}

TEST_F(MxApiTest, CreateMemberSendsCredentialsAndPartnerId) {
  auto api = make();
  HttpRequest sent;
  EXPECT_CALL(*transport_, send(AllOf(Method("POST"), Target("/users/USR-1/members"))))
      .WillOnce(DoAll(
          SaveArg<0>(&sent),
          Return(reply(202, {{"member", member_json("MBR-1", {{"connection_status", "CREATED"},
                                                              {"is_being_aggregated", true},
                                                              {"id", "m-1"}})}}))));
  auto member = api->create_member("USR-1", "mxbank", {{"CRD-1", "mxuser"}, {"CRD-2", "password"}},
                                   std::string("m-1"));
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->connection_status, "CREATED");
  EXPECT_TRUE(member->is_being_aggregated);
  EXPECT_EQ(json::parse(sent.body), (json{{"member",
                                           {{"institution_code", "mxbank"},
                                            {"id", "m-1"},
                                            {"credentials",
                                             {{{"guid", "CRD-1"}, {"value", "mxuser"}},
                                              {{"guid", "CRD-2"}, {"value", "password"}}}}}}}));
}

TEST_F(MxApiTest, CreateMemberResolvesAConflictByPartnerId) {
  auto api = make();
  InSequence order;
  EXPECT_CALL(*transport_, send(Method("POST")))
      .WillOnce(Return(mx_error(409, "An object with the given attributes already exists.")));
  EXPECT_CALL(*transport_, send(Target("/users/USR-1/members?page=1&records_per_page=1000")))
      .WillOnce(Return(reply(
          200, {{"members",
                 {member_json("MBR-0", {{"id", "other"}}), member_json("MBR-7", {{"id", "m-1"}})}},
                {"pagination", pagination(1, 1, 2)}})));
  auto member = api->create_member("USR-1", "mxbank", {{"CRD-1", "mxuser"}}, std::string("m-1"));
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->guid, "MBR-7");
}

TEST_F(MxApiTest, CreateMemberResolvesMxsDuplicateLoginConflict) {
  auto api = make();
  InSequence order;
  EXPECT_CALL(*transport_, send(Method("POST")))
      .WillOnce(Return(mx_error(
          409, "An object with the given attributes already exists. Existing member: MBR-5")));
  EXPECT_CALL(*transport_, send(Target("/users/USR-1/members?page=1&records_per_page=1000")))
      .WillOnce(Return(reply(200, {{"members", {member_json("MBR-4"), member_json("MBR-5")}},
                                   {"pagination", pagination(1, 1, 2)}})));
  auto member = api->create_member("USR-1", "mxbank", {{"CRD-1", "mxuser"}});
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->guid, "MBR-5");
}

TEST_F(MxApiTest, CreateMemberConflictWithManyCandidatesStaysAConflict) {
  auto api = make();
  InSequence order;
  EXPECT_CALL(*transport_, send(Method("POST")))
      .WillOnce(Return(mx_error(409, "An object with the given attributes already exists.")));
  EXPECT_CALL(*transport_, send(Method("GET")))
      .WillOnce(Return(reply(200, {{"members", {member_json("MBR-4"), member_json("MBR-5")}},
                                   {"pagination", pagination(1, 1, 2)}})));
  auto member = api->create_member("USR-1", "mxbank", {{"CRD-1", "mxuser"}});
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().kind, ErrorKind::kConflict);
}

TEST_F(MxApiTest, RetriedDeleteThatFindsNothingSucceeded) {
  auto api = make();
  EXPECT_CALL(*transport_, send(AllOf(Method("DELETE"), Target("/users/USR-1/members/MBR-1"))))
      .WillOnce(Return(make_error(ErrorKind::kTransport, "Read timeout")))
      .WillOnce(Return(mx_error(404, "We were unable to find the record you requested.")));
  EXPECT_TRUE(api->delete_member("USR-1", "MBR-1"));
}

TEST_F(MxApiTest, DeleteOfAnUnknownMemberIsA404) {
  auto api = make();
  EXPECT_CALL(*transport_, send(Method("DELETE")))
      .WillOnce(Return(mx_error(404, "We were unable to find the record you requested.")));
  auto status = api->delete_member("USR-1", "MBR-1");
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().http_status, 404);
}

// ---- MFA, widget, institutions

TEST_F(MxApiTest, NoContentChallengesAreAnEmptyList) {
  auto api = make();
  EXPECT_CALL(*transport_,
              send(Target("/users/USR-1/members/MBR-1/challenges?page=1&records_per_page=1000")))
      .WillOnce(Return(no_content()));
  auto challenges = api->list_challenges("USR-1", "MBR-1");
  ASSERT_TRUE(challenges) << challenges.error().message;
  EXPECT_TRUE(challenges->empty());
}

TEST_F(MxApiTest, ReadsChallengesWithOptions) {
  auto api = make();
  const json challenge = {{"guid", "CRD-9"},
                          {"type", "OPTIONS"},
                          {"label", "Where should we send your code?"},
                          {"field_name", "delivery"},
                          {"options", {{{"guid", "OPT-1"}, {"label", "Text"}, {"value", "sms"}}}}};
  EXPECT_CALL(*transport_, send(_))
      .WillOnce(
          Return(reply(200, {{"challenges", {challenge}}, {"pagination", pagination(1, 1, 1)}})));
  auto challenges = api->list_challenges("USR-1", "MBR-1");
  ASSERT_TRUE(challenges) << challenges.error().message;
  ASSERT_EQ(challenges->size(), 1U);
  EXPECT_EQ((*challenges)[0].type, "OPTIONS");
  ASSERT_EQ((*challenges)[0].options.size(), 1U);
  EXPECT_EQ((*challenges)[0].options[0].value, "sms");
}

TEST_F(MxApiTest, ResumeSendsTheAnswers) {
  auto api = make();
  HttpRequest sent;
  EXPECT_CALL(*transport_, send(AllOf(Method("PUT"), Target("/users/USR-1/members/MBR-1/resume"))))
      .WillOnce(
          DoAll(SaveArg<0>(&sent),
                Return(reply(
                    202, {{"member", member_json("MBR-1", {{"connection_status", "RESUMED"}})}}))));
  auto member = api->resume_member("USR-1", "MBR-1", {{"CRD-9", "correct"}});
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->connection_status, "RESUMED");
  EXPECT_EQ(json::parse(sent.body),
            (json{{"member", {{"challenges", {{{"guid", "CRD-9"}, {"value", "correct"}}}}}}}));
}

TEST_F(MxApiTest, RequestsAWidgetUrlWithOnlyTheSetOptions) {
  auto api = make();
  HttpRequest sent;
  EXPECT_CALL(*transport_, send(AllOf(Method("POST"), Target("/users/USR-1/widget_urls"))))
      .WillOnce(
          DoAll(SaveArg<0>(&sent), Return(reply(200, {{"widget_url",
                                                       {{"type", "connect_widget"},
                                                        {"url", "https://widgets/md/connect/abc"},
                                                        {"user_id", "u"}}}}))));
  WidgetUrlRequest request;
  request.current_member_guid = "MBR-1";
  request.update_credentials = true;
  request.is_mobile_webview = true;
  request.ui_message_webview_url_scheme = "myapp";
  request.accept_language = "en-US";
  auto url = api->request_widget_url("USR-1", request);
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(*url, "https://widgets/md/connect/abc");
  EXPECT_EQ(json::parse(sent.body), (json{{"widget_url",
                                           {{"widget_type", "connect_widget"},
                                            {"current_member_guid", "MBR-1"},
                                            {"update_credentials", true},
                                            {"is_mobile_webview", true},
                                            {"ui_message_webview_url_scheme", "myapp"}}}}));
  EXPECT_EQ(header(sent, "Accept-Language"), "en-US");
}

TEST_F(MxApiTest, RequestsAnOAuthWindowWithEncodedQuery) {
  auto api = make();
  EXPECT_CALL(*transport_,
              send(Target("/users/USR-1/members/MBR-1/oauth_window_uri?referral_source=APP&"
                          "client_redirect_url=https%3A%2F%2Fapp.example%2Fdone")))
      .WillOnce(Return(reply(
          200, {{"member", {{"guid", "MBR-1"}, {"oauth_window_uri", "https://bank/oauth?x=1"}}}})));
  OAuthWindowOptions options;
  options.referral_source = "APP";
  options.client_redirect_url = "https://app.example/done";
  auto uri = api->oauth_window_uri("USR-1", "MBR-1", options);
  ASSERT_TRUE(uri) << uri.error().message;
  EXPECT_EQ(*uri, "https://bank/oauth?x=1");
}

TEST_F(MxApiTest, ListsInstitutionCredentialsInDisplayOrder) {
  auto api = make();
  EXPECT_CALL(*transport_,
              send(Target("/institutions/mxbank/credentials?page=1&records_per_page=1000")))
      .WillOnce(Return(reply(200, {{"credentials",
                                    {{{"guid", "CRD-2"},
                                      {"field_name", "PASSWORD"},
                                      {"field_type", "PASSWORD"},
                                      {"label", "Password"},
                                      {"display_order", 2}},
                                     {{"guid", "CRD-1"},
                                      {"field_name", "LOGIN"},
                                      {"field_type", "TEXT"},
                                      {"label", "Username"},
                                      {"display_order", 1}}}},
                                   {"pagination", pagination(1, 1, 2)}})));
  auto fields = api->list_institution_credentials("mxbank");
  ASSERT_TRUE(fields) << fields.error().message;
  ASSERT_EQ(fields->size(), 2U);
  EXPECT_EQ((*fields)[0].field_name, "LOGIN");
  EXPECT_EQ((*fields)[1].field_name, "PASSWORD");
}

TEST_F(MxApiTest, ReportsEachRetryToTheObserver) {
  MxApiConfig config;
  int retries = 0;
  config.on_retry = [&](int, const Result<HttpResponse>&, milliseconds) { ++retries; };
  MxApi api(transport_, config, sleeper_);
  EXPECT_CALL(*transport_, send(_))
      .WillOnce(Return(mx_error(502, "bad gateway")))
      .WillOnce(Return(reply(200, {{"user", user_json("USR-1", "u")}})));
  ASSERT_TRUE(api.read_user("USR-1"));
  EXPECT_EQ(retries, 1);
}

}  // namespace
}  // namespace mxclient
