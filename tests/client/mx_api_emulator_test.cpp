// MxApi against the real emulator: in process through EmulatorTransport (virtual time, no
// sockets), and once over loopback through the production httplib transport.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/service.h"
#include "http/http_server.h"
#include "mxclient/mx_api.h"
#include "support/emulator_transport.h"
#include "support/test_emulator.h"

namespace mxemu::testing {
namespace {

using mxclient::AggregateOutcome;
using mxclient::ApiVersion;
using mxclient::ErrorKind;
using mxclient::MxApi;
using mxclient::MxApiConfig;
using mxclient::MxCredentialValue;
using mxclient::MxMemberStatus;
using mxclient::Result;
using std::chrono::milliseconds;

MxApiConfig client_config(ApiVersion version = ApiVersion::kV20111101) {
  MxApiConfig config;
  config.client_id = "client";
  config.api_key = "key";
  config.version = version;
  config.jitter_seed = 3;
  return config;
}

class MxApiEmulatorTest : public ::testing::Test {
 protected:
  explicit MxApiEmulatorTest(int rate_limit_per_minute = 0) {
    emu_.world().state().config.limits.per_minute = rate_limit_per_minute;
    service_ = std::make_unique<api::Service>(emu_.tenants());
    transport_ = std::make_shared<EmulatorTransport>(*service_);
  }

  std::unique_ptr<MxApi> make(ApiVersion version = ApiVersion::kV20111101,
                              int records_per_page = 1000) {
    MxApiConfig config = client_config(version);
    config.records_per_page = records_per_page;
    return std::make_unique<MxApi>(transport_, config, sleeper_);
  }

  // Credentials for an institution as an integration builds them: from MX's field list.
  std::vector<MxCredentialValue> credentials(MxApi& api, const std::string& institution,
                                             const std::string& password) {
    auto fields = api.list_institution_credentials(institution);
    EXPECT_TRUE(fields) << fields.error().message;
    std::vector<MxCredentialValue> out;
    if (!fields) return out;
    for (const auto& f : *fields) {
      out.push_back({f.guid, f.field_name == "LOGIN"      ? "mxuser"
                             : f.field_name == "PASSWORD" ? password
                                                          : "1234"});
    }
    return out;
  }

  // Polls the lean status every 3 s (MX's advice) until no job runs or MX waits for an MFA
  // answer; bounded.
  Result<MxMemberStatus> settle(MxApi& api, const std::string& user, const std::string& member) {
    for (int i = 0; i < 200; ++i) {
      auto status = api.read_member_status(user, member);
      if (!status || !status->is_being_aggregated || status->connection_status == "CHALLENGED") {
        return status;
      }
      sleeper_.wait(milliseconds{3000});
    }
    return mxclient::make_error(ErrorKind::kInvalidInput, "member never settled");
  }

  std::size_t user_count() {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    return emu_->list_users({}).size();
  }
  std::size_t member_count(const std::string& user_guid) {
    std::lock_guard<std::mutex> lock(emu_->mutex());
    return emu_->list_members(user_guid, domain::IdentifierMode::kGuidOnly)->size();
  }

  TestEmulator emu_;
  std::unique_ptr<api::Service> service_;
  std::shared_ptr<EmulatorTransport> transport_;
  VirtualSleeper sleeper_{emu_};
};

TEST_F(MxApiEmulatorTest, CreateUserTwiceWithOnePartnerIdGivesOneUser) {
  auto api = make();
  auto first = api->create_user("app-user-1", std::string("one@example.com"));
  ASSERT_TRUE(first) << first.error().message;
  auto second = api->create_user("app-user-1");
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(first->guid, second->guid);
  EXPECT_EQ(second->email, "one@example.com");
  EXPECT_EQ(user_count(), 1U);
}

TEST_F(MxApiEmulatorTest, CreateUserSurvivesALostReply) {
  auto api = make();
  transport_->lose_next_replies(1);  // MX creates the user; the reply never arrives
  auto user = api->create_user("app-user-2");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(user->id, "app-user-2");
  EXPECT_EQ(user_count(), 1U);
  EXPECT_EQ(transport_->calls("POST", "/users"), 2);  // the lost one, then a 409
  EXPECT_EQ(transport_->calls("GET", "/users"), 1);   // the lookup
  EXPECT_EQ(sleeper_.delays().size(), 1U);
}

TEST_F(MxApiEmulatorTest, FindsUsersByPartnerIdWithEncodedCharacters) {
  auto api = make();
  auto user = api->create_user("team a&b/42");
  ASSERT_TRUE(user) << user.error().message;
  auto found = api->find_user_by_partner_id("team a&b/42");
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->guid, user->guid);
  auto missing = api->find_user_by_partner_id("nobody");
  ASSERT_TRUE(missing) << missing.error().message;
  EXPECT_FALSE(missing->has_value());
}

TEST_F(MxApiEmulatorTest, ConnectsAnMxBankMemberAndListsItsData) {
  auto api = make();
  auto institution = api->read_institution("mxbank");
  ASSERT_TRUE(institution) << institution.error().message;
  EXPECT_EQ(institution->name, "MX Bank");
  auto user = api->create_user("app-user-3");
  ASSERT_TRUE(user) << user.error().message;

  auto fields = api->list_institution_credentials("mxbank");
  ASSERT_TRUE(fields) << fields.error().message;
  ASSERT_EQ(fields->size(), 2U);
  EXPECT_EQ((*fields)[0].field_name, "LOGIN");
  EXPECT_EQ((*fields)[1].field_name, "PASSWORD");

  auto member = api->create_member(user->guid, "mxbank", credentials(*api, "mxbank", "password"),
                                   std::string("bank-1"));
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->connection_status, "CREATED");
  EXPECT_TRUE(member->is_being_aggregated);
  EXPECT_EQ(member->id, "bank-1");

  auto status = settle(*api, user->guid, member->guid);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->connection_status, "CONNECTED");
  EXPECT_TRUE(status->has_processed_transactions);
  EXPECT_FALSE(sleeper_.delays().empty());

  auto accounts = api->list_member_accounts(user->guid, member->guid);
  ASSERT_TRUE(accounts) << accounts.error().message;
  EXPECT_EQ(accounts->size(), 6U);
  auto user_accounts = api->list_user_accounts(user->guid);
  ASSERT_TRUE(user_accounts) << user_accounts.error().message;
  EXPECT_EQ(user_accounts->size(), 6U);

  int pages = 0;
  auto txs = api->list_member_transactions(
      user->guid, member->guid, {},
      [&](const mxclient::ListProgress& p) { pages = p.pages_fetched; });
  ASSERT_TRUE(txs) << txs.error().message;
  EXPECT_EQ(pages, 1);
  EXPECT_GT(txs->size(), 700U);
  EXPECT_LT(txs->size(), 1000U);
  for (const auto& t : *txs) {
    ASSERT_EQ(t.member_guid, member->guid);
    ASSERT_FALSE(t.date.empty());
    ASSERT_GT(t.amount, 0);
  }

  // The same list in pages of 100: several pages, the same records.
  auto small = make(ApiVersion::kV20111101, 100);
  mxclient::ListProgress last;
  auto paged = small->list_member_transactions(user->guid, member->guid, {},
                                               [&](const mxclient::ListProgress& p) { last = p; });
  ASSERT_TRUE(paged) << paged.error().message;
  EXPECT_EQ(paged->size(), txs->size());
  EXPECT_EQ(last.pages_fetched, static_cast<int>((txs->size() + 99) / 100));
  EXPECT_EQ(last.total_entries, txs->size());
  std::set<std::string> a;
  std::set<std::string> b;
  for (const auto& t : *txs) a.insert(t.guid);
  for (const auto& t : *paged) b.insert(t.guid);
  EXPECT_EQ(a, b);

  // By account: a subset, all of that account.
  const std::string checking = (*accounts)[0].guid;
  auto by_account = api->list_account_transactions(user->guid, checking);
  ASSERT_TRUE(by_account) << by_account.error().message;
  EXPECT_GT(by_account->size(), 0U);
  EXPECT_LT(by_account->size(), txs->size());
  for (const auto& t : *by_account) ASSERT_EQ(t.account_guid, checking);
}

TEST_F(MxApiEmulatorTest, DateFiltersNarrowTheTransactions) {
  auto api = make();
  auto user = api->create_user("app-user-dates");
  ASSERT_TRUE(user);
  auto member = api->create_member(user->guid, "mxbank", credentials(*api, "mxbank", "password"));
  ASSERT_TRUE(member) << member.error().message;
  ASSERT_TRUE(settle(*api, user->guid, member->guid));
  // About ten a day at MX Bank over 90 days: February alone is a third of them.
  auto february = api->list_user_transactions(user->guid, {"2024-02-01", "2024-02-29"});
  ASSERT_TRUE(february) << february.error().message;
  EXPECT_GT(february->size(), 100U);
  EXPECT_LT(february->size(), 500U);
  for (const auto& t : *february) {
    EXPECT_GE(t.date, "2024-02-01");
    EXPECT_LE(t.date, "2024-02-29");
  }
}

TEST_F(MxApiEmulatorTest, CreateMemberTwiceReturnsTheSameMember) {
  auto api = make();
  auto user = api->create_user("app-user-4");
  ASSERT_TRUE(user);
  const auto creds = credentials(*api, "mxbank", "password");
  auto first = api->create_member(user->guid, "mxbank", creds, std::string("bank-1"));
  ASSERT_TRUE(first) << first.error().message;
  // Same partner id: resolved by id.
  auto again = api->create_member(user->guid, "mxbank", creds, std::string("bank-1"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->guid, first->guid);
  // No partner id, same login: MX's duplicate-login 409 names the member.
  auto duplicate = api->create_member(user->guid, "mxbank", creds);
  ASSERT_TRUE(duplicate) << duplicate.error().message;
  EXPECT_EQ(duplicate->guid, first->guid);
  EXPECT_EQ(member_count(user->guid), 1U);
}

TEST_F(MxApiEmulatorTest, CreateMemberSurvivesALostReply) {
  auto api = make();
  auto user = api->create_user("app-user-5");
  ASSERT_TRUE(user);
  const auto creds = credentials(*api, "mxbank", "password");
  transport_->lose_next_replies(1);
  auto member = api->create_member(user->guid, "mxbank", creds, std::string("bank-9"));
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->id, "bank-9");
  EXPECT_EQ(member_count(user->guid), 1U);
  auto members = api->list_members(user->guid);
  ASSERT_TRUE(members) << members.error().message;
  ASSERT_EQ(members->size(), 1U);
  EXPECT_EQ((*members)[0].guid, member->guid);
}

TEST_F(MxApiEmulatorTest, AggregateIsNotStartedInsideTheThrottleWindow) {
  auto api = make();
  auto user = api->create_user("app-user-6");
  ASSERT_TRUE(user);
  auto member = api->create_member(user->guid, "summit_ridge_bank",
                                   credentials(*api, "summit_ridge_bank", "password"));
  ASSERT_TRUE(member) << member.error().message;
  auto status = settle(*api, user->guid, member->guid);
  ASSERT_TRUE(status) << status.error().message;
  ASSERT_EQ(status->connection_status, "CONNECTED");

  // Summit Ridge throttles standard aggregations for an hour after a job: 202, no job.
  auto throttled = api->aggregate_member(user->guid, member->guid);
  ASSERT_TRUE(throttled) << throttled.error().message;
  EXPECT_EQ(throttled->outcome, AggregateOutcome::kNotStarted);
  EXPECT_FALSE(throttled->member.is_being_aggregated);

  sleeper_.wait(milliseconds{3601 * 1000});
  auto started = api->aggregate_member(user->guid, member->guid);
  ASSERT_TRUE(started) << started.error().message;
  EXPECT_EQ(started->outcome, AggregateOutcome::kStarted);
  EXPECT_TRUE(started->member.is_being_aggregated);
  EXPECT_NE(started->member.aggregated_at, throttled->member.aggregated_at);
}

TEST_F(MxApiEmulatorTest, AggregateWhileRunningIsNotStartedButMxBankIsNeverThrottled) {
  auto api = make();
  auto user = api->create_user("app-user-7");
  ASSERT_TRUE(user);
  auto member = api->create_member(user->guid, "mxbank", credentials(*api, "mxbank", "password"));
  ASSERT_TRUE(member) << member.error().message;
  ASSERT_TRUE(settle(*api, user->guid, member->guid));
  sleeper_.wait(milliseconds{60 * 1000});

  auto first = api->aggregate_member(user->guid, member->guid);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->outcome, AggregateOutcome::kStarted);
  auto second = api->aggregate_member(user->guid, member->guid);  // the job still runs
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->outcome, AggregateOutcome::kNotStarted);
}

TEST_F(MxApiEmulatorTest, AnswersAnMfaChallenge) {
  auto api = make();
  auto user = api->create_user("app-user-8");
  ASSERT_TRUE(user);
  auto member = api->create_member(user->guid, "mxbank", credentials(*api, "mxbank", "challenge"));
  ASSERT_TRUE(member) << member.error().message;
  auto status = settle(*api, user->guid, member->guid);
  ASSERT_TRUE(status) << status.error().message;
  ASSERT_EQ(status->connection_status, "CHALLENGED");
  ASSERT_FALSE(status->challenges.empty());

  auto challenges = api->list_challenges(user->guid, member->guid);
  ASSERT_TRUE(challenges) << challenges.error().message;
  ASSERT_EQ(challenges->size(), 1U);
  EXPECT_EQ((*challenges)[0].type, "TEXT");
  EXPECT_EQ((*challenges)[0].guid, status->challenges[0].guid);

  auto resumed = api->resume_member(user->guid, member->guid, {{(*challenges)[0].guid, "correct"}});
  ASSERT_TRUE(resumed) << resumed.error().message;
  EXPECT_EQ(resumed->connection_status, "RESUMED");
  status = settle(*api, user->guid, member->guid);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->connection_status, "CONNECTED");

  auto none = api->list_challenges(user->guid, member->guid);  // 204 now
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());
}

TEST_F(MxApiEmulatorTest, RepairsDeniedCredentials) {
  auto api = make();
  auto user = api->create_user("app-user-9");
  ASSERT_TRUE(user);
  auto member = api->create_member(user->guid, "mxbank", credentials(*api, "mxbank", "INVALID"));
  ASSERT_TRUE(member) << member.error().message;
  auto status = settle(*api, user->guid, member->guid);
  ASSERT_TRUE(status);
  ASSERT_EQ(status->connection_status, "DENIED");

  auto updated = api->update_member_credentials(user->guid, member->guid,
                                                credentials(*api, "mxbank", "password"));
  ASSERT_TRUE(updated) << updated.error().message;
  status = settle(*api, user->guid, member->guid);
  ASSERT_TRUE(status);
  EXPECT_EQ(status->connection_status, "CONNECTED");
  auto read = api->read_member(user->guid, member->guid);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_EQ(read->connection_status_message, "Connected to MX Bank.");
}

TEST_F(MxApiEmulatorTest, RequestsAWidgetUrlForRepair) {
  auto api = make();
  auto user = api->create_user("app-user-10");
  ASSERT_TRUE(user);
  auto member = api->create_member(user->guid, "mxbank", credentials(*api, "mxbank", "password"));
  ASSERT_TRUE(member);
  mxclient::WidgetUrlRequest request;
  request.current_member_guid = member->guid;
  request.update_credentials = true;
  request.is_mobile_webview = true;
  request.ui_message_webview_url_scheme = "myapp";
  auto url = api->request_widget_url(user->guid, request);
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->rfind("http://127.0.0.1:9999/connect/", 0), 0U) << *url;
}

TEST_F(MxApiEmulatorTest, OAuthMemberGetsAWindowUri) {
  auto api = make();
  auto user = api->create_user("app-user-11");
  ASSERT_TRUE(user);
  mxclient::OAuthWindowOptions oauth;
  oauth.referral_source = "APP";
  oauth.ui_message_webview_url_scheme = "myapp";
  auto member =
      api->create_oauth_member(user->guid, "mx_bank_oauth", std::string("oauth-1"), oauth);
  ASSERT_TRUE(member) << member.error().message;
  EXPECT_EQ(member->connection_status, "PENDING");
  EXPECT_TRUE(member->is_oauth);
  ASSERT_TRUE(member->oauth_window_uri);
  auto again = api->create_oauth_member(user->guid, "mx_bank_oauth", std::string("oauth-1"));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->guid, member->guid);
  auto uri = api->oauth_window_uri(user->guid, member->guid, oauth);
  ASSERT_TRUE(uri) << uri.error().message;
  EXPECT_FALSE(uri->empty());
}

TEST_F(MxApiEmulatorTest, NotFoundIsAnHttpErrorWithMxsMessage) {
  auto api = make();
  auto user = api->create_user("app-user-12");
  ASSERT_TRUE(user);
  auto member = api->read_member(user->guid, "MBR-does-not-exist");
  ASSERT_FALSE(member);
  EXPECT_EQ(member.error().kind, ErrorKind::kHttp);
  EXPECT_EQ(member.error().http_status, 404);
  EXPECT_EQ(transport_->calls("GET", "/users/" + user->guid + "/members/MBR-does-not-exist"), 1);
}

TEST_F(MxApiEmulatorTest, WrongCredentialsAre401) {
  MxApiConfig config = client_config();
  config.api_key = "wrong";
  MxApi api(transport_, config, sleeper_);
  auto user = api.read_user("USR-x");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().http_status, 401);
}

TEST_F(MxApiEmulatorTest, DeletesMembersAndUsers) {
  auto api = make();
  auto user = api->create_user("app-user-13");
  ASSERT_TRUE(user);
  auto member = api->create_member(user->guid, "mxbank", credentials(*api, "mxbank", "password"));
  ASSERT_TRUE(member);
  ASSERT_TRUE(api->delete_member(user->guid, member->guid));
  EXPECT_EQ(member_count(user->guid), 0U);
  ASSERT_TRUE(api->delete_user(user->guid));
  EXPECT_EQ(user_count(), 0U);
  auto gone = api->read_user(user->guid);
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().http_status, 404);
}

TEST_F(MxApiEmulatorTest, WorksInV20250224Mode) {
  auto api = make(ApiVersion::kV20250224);
  auto user = api->create_user("app-user-v2");
  ASSERT_TRUE(user) << user.error().message;
  EXPECT_EQ(api->create_user("app-user-v2")->guid, user->guid);
  auto member = api->create_member(user->guid, "mxbank", credentials(*api, "mxbank", "password"),
                                   std::string("bank-v2"));
  ASSERT_TRUE(member) << member.error().message;
  auto status = settle(*api, user->guid, member->guid);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->connection_status, "CONNECTED");
  auto txs = api->list_member_transactions(user->guid, member->guid);
  ASSERT_TRUE(txs) << txs.error().message;
  EXPECT_GT(txs->size(), 700U);
  auto institution = api->read_institution("mxbank");
  ASSERT_TRUE(institution) << institution.error().message;
  EXPECT_TRUE(institution->guid.has_value());
  const auto requests = transport_->requests();
  ASSERT_FALSE(requests.empty());
  for (const auto& r : requests) {
    bool versioned = false;
    for (const auto& [name, value] : r.headers) versioned |= name == "Accept-Version";
    ASSERT_TRUE(versioned) << r.target;
  }
}

// ---- MX's per-client rate limit: 429 with Retry-After, waited out in virtual time.

class MxApiRateLimitTest : public MxApiEmulatorTest {
 protected:
  MxApiRateLimitTest() : MxApiEmulatorTest(/*rate_limit_per_minute=*/3) {}
};

TEST_F(MxApiRateLimitTest, WaitsOutTheRateLimit) {
  auto api = make();
  auto user = api->create_user("app-user-rl");
  ASSERT_TRUE(user) << user.error().message;
  for (int i = 0; i < 4; ++i) {
    auto read = api->read_user(user->guid);
    ASSERT_TRUE(read) << "call " << i << ": " << read.error().message;
  }
  const auto delays = sleeper_.delays();
  ASSERT_EQ(delays.size(), 1U);  // the fourth request in the minute
  EXPECT_GE(delays[0], milliseconds{1000});
  EXPECT_LE(delays[0], milliseconds{60000});
  EXPECT_EQ(transport_->calls("GET", "/users/" + user->guid), 5);
}

// ---- the production transport over loopback

class MxApiLoopbackTest : public MxApiEmulatorTest {
 protected:
  void SetUp() override {
    http::ServerOptions options;
    options.threads = 4;
    options.keep_alive_timeout = std::chrono::seconds(1);
    server_ = std::make_unique<http::HttpServer>(*service_, options);
    ASSERT_TRUE(server_->start()) << server_->error();
    base_url_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  void TearDown() override { server_->stop(); }

  std::unique_ptr<http::HttpServer> server_;
  std::string base_url_;
};

TEST_F(MxApiLoopbackTest, ConnectsAMemberOverHttp) {
  mxclient::HttplibTransportOptions options;
  options.base_url = base_url_;
  options.connect_timeout = milliseconds{2000};
  options.read_timeout = milliseconds{5000};
  {
    MxApi api(mxclient::make_httplib_transport(options), client_config(), sleeper_);
    auto user = api.create_user("loop user/1");
    ASSERT_TRUE(user) << user.error().message;
    EXPECT_EQ(api.create_user("loop user/1")->guid, user->guid);
    auto member = api.create_member(user->guid, "mxbank", credentials(api, "mxbank", "password"));
    ASSERT_TRUE(member) << member.error().message;
    auto status = settle(api, user->guid, member->guid);
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(status->connection_status, "CONNECTED");
    auto aggregate = api.aggregate_member(user->guid, member->guid);  // body-less POST
    ASSERT_TRUE(aggregate) << aggregate.error().message;
    EXPECT_EQ(aggregate->outcome, AggregateOutcome::kStarted);
    auto txs = api.list_member_transactions(user->guid, member->guid);
    ASSERT_TRUE(txs) << txs.error().message;
    EXPECT_GT(txs->size(), 700U);
    auto missing = api.read_member(user->guid, "MBR-nope");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().http_status, 404);
  }  // the transport and its keep-alive connections go before the server stops
  EXPECT_EQ(user_count(), 1U);
}

TEST_F(MxApiLoopbackTest, ConcurrentCallsShareOneTransport) {
  mxclient::HttplibTransportOptions options;
  options.base_url = base_url_;
  {
    MxApi api(mxclient::make_httplib_transport(options), client_config(), sleeper_);
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&api, &ok, t] {
        for (int i = 0; i < 5; ++i) {
          auto user = api.create_user("thread-" + std::to_string(t) + "-" + std::to_string(i));
          if (user && api.read_user(user->guid)) ++ok;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(ok.load(), 20);
  }
  EXPECT_EQ(user_count(), 20U);
}

TEST_F(MxApiLoopbackTest, SendsTargetsUnderTheBasePath) {
  const mxclient::HttpRequest request{
      "GET",
      "/institutions/mxbank",
      {{"Authorization", "Basic Y2xpZW50OmtleQ=="}, {"Accept", "application/vnd.mx.api.v1+json"}},
      ""};
  mxclient::HttplibTransportOptions options;
  options.base_url = base_url_ + "/";  // a trailing slash is not doubled
  auto ok = mxclient::make_httplib_transport(options)->send(request);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->header("content-type"), "application/vnd.mx.api.v1+json; charset=utf-8");

  options.base_url = base_url_ + "/prefix";  // every target goes under it
  auto prefixed = mxclient::make_httplib_transport(options)->send(request);
  ASSERT_TRUE(prefixed) << prefixed.error().message;
  EXPECT_EQ(prefixed->status, 404);
  EXPECT_NE(prefixed->body.find("Invalid route"), std::string::npos);
}

TEST_F(MxApiLoopbackTest, RefusedConnectionsAreTransportErrors) {
  const int port = server_->port();
  server_->stop();
  mxclient::HttplibTransportOptions options;
  options.base_url = "http://127.0.0.1:" + std::to_string(port);
  options.connect_timeout = milliseconds{1000};
  MxApiConfig config = client_config();
  config.retry.max_attempts = 2;
  MxApi api(mxclient::make_httplib_transport(options), config, sleeper_);
  auto user = api.read_user("USR-1");
  ASSERT_FALSE(user);
  EXPECT_EQ(user.error().kind, ErrorKind::kTransport);
  EXPECT_EQ(sleeper_.delays().size(), 1U);
}

TEST(HttplibTransportTest, RejectsUnusableBaseUrls) {
  for (const char* url :
       {"ftp://example.com", "example.com", "http://", "http://host:0", "http://host:99999",
        "http://host:8x", "http://user@host", "http://host/path?query"}) {
    mxclient::HttplibTransportOptions options;
    options.base_url = url;
    auto result = mxclient::make_httplib_transport(options)->send({"GET", "/users", {}, ""});
    ASSERT_FALSE(result) << url;
    EXPECT_EQ(result.error().kind, ErrorKind::kInvalidInput) << url;
  }
}

}  // namespace
}  // namespace mxemu::testing
