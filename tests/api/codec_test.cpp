// Behaviour of the MX wire codec on hand-built records (the spec-conformance of the field sets
// is codec_spec_test.cpp's job).
#include "api/codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "domain/connection_status.h"
#include "domain/timestamps.h"

namespace mxemu::api {
namespace {

using domain::ChallengeType;
using domain::ConnectionStatus;
using nlohmann::json;

constexpr ApiVersion kV1 = ApiVersion::kV20111101;
constexpr ApiVersion kV2 = ApiVersion::kV20250224;
constexpr const char* kBase = "http://127.0.0.1:8089";

domain::TimePoint at(const char* iso) { return *domain::parse_iso8601(iso); }

std::set<std::string> keys(const json& object) {
  std::set<std::string> out;
  for (const auto& [k, v] : object.items()) out.insert(k);
  return out;
}

domain::Institution mx_bank() {
  domain::Institution i;
  i.code = "mxbank";
  i.guid = "INS-1572a04c-912b-59bf-5841-332c7dfafaef";
  i.name = "MX Bank";
  i.url = "https://www.mxbank.com";
  return i;
}

domain::User user() {
  domain::User u;
  u.guid = "USR-1";
  return u;
}

domain::Member member(ConnectionStatus status) {
  domain::Member m;
  m.guid = "MBR-1";
  m.user_guid = "USR-1";
  m.institution_code = "mxbank";
  m.machine.status = status;
  return m;
}

json render(const domain::Member& m, const domain::User& u = user()) {
  return member_json(m, mx_bank(), u, kV1, kBase);
}

// --- users

TEST(CodecUser, AbsentOptionalsAreNullNotOmitted) {
  const json u = user_json(user(), kV1);
  EXPECT_EQ(u, json::parse(R"({"email":null,"guid":"USR-1","id":null,"is_disabled":false,
                               "metadata":null})"));
  domain::User full = user();
  full.id = "partner-1";
  full.email = "a@b.c";
  full.metadata = R"({"k":1})";
  full.is_disabled = true;
  const json f = user_json(full, kV2);
  EXPECT_EQ(f["id"], "partner-1");
  EXPECT_EQ(f["email"], "a@b.c");
  EXPECT_EQ(f["metadata"], R"({"k":1})");  // metadata stays a string, never parsed
  EXPECT_EQ(f["is_disabled"], true);
}

// --- members

TEST(CodecMember, NullStatusIsJsonNullWithNullMessage) {
  const json m = render(member(ConnectionStatus::kNone));
  ASSERT_TRUE(m.contains("connection_status"));
  EXPECT_TRUE(m["connection_status"].is_null());
  EXPECT_TRUE(m["connection_status_message"].is_null());
}

TEST(CodecMember, StatusIsTheWireStringAndMessageNamesTheInstitution) {
  const json m = render(member(ConnectionStatus::kConnected));
  EXPECT_EQ(m["connection_status"], "CONNECTED");
  EXPECT_EQ(m["connection_status_message"], "Connected to MX Bank.");
  EXPECT_EQ(render(member(ConnectionStatus::kChallenged))["connection_status_message"],
            "To authenticate your connection to MX Bank, please answer the following "
            "challenge(s).");
  // Statuses without a placeholder keep their text; PENDING has no message.
  EXPECT_EQ(render(member(ConnectionStatus::kDegraded))["connection_status_message"],
            "We are upgrading this connection. Please try again later.");
  EXPECT_TRUE(render(member(ConnectionStatus::kPending))["connection_status_message"].is_null());
}

TEST(CodecMember, EveryStatusRendersItsWireName) {
  for (const auto& row : domain::all_statuses()) {
    const json m = render(member(row.status));
    if (row.status == ConnectionStatus::kNone) {
      EXPECT_TRUE(m["connection_status"].is_null());
    } else {
      EXPECT_EQ(m["connection_status"], std::string(row.name));
    }
    const json& msg = m["connection_status_message"];
    if (!msg.is_null()) {
      EXPECT_EQ(msg.get<std::string>().find("{institution}"), std::string::npos) << row.name;
    }
  }
}

TEST(CodecMember, NeedsUpdatedCredentialsOnlyForCredentialBlockedStatuses) {
  const std::set<ConnectionStatus> expected{ConnectionStatus::kDenied, ConnectionStatus::kPrevented,
                                            ConnectionStatus::kImpaired,
                                            ConnectionStatus::kImported};
  for (const auto& row : domain::all_statuses()) {
    EXPECT_EQ(render(member(row.status))["needs_updated_credentials"],
              expected.count(row.status) == 1)
        << (row.name.empty() ? "null" : row.name);
  }
}

TEST(CodecMember, TimestampsAreIsoAndAbsentOnesNull) {
  domain::Member m = member(ConnectionStatus::kConnected);
  m.aggregated_at = at("2016-10-13T17:57:37Z");
  const json j = render(m);
  EXPECT_EQ(j["aggregated_at"], "2016-10-13T17:57:37.000Z");
  EXPECT_TRUE(j["successfully_aggregated_at"].is_null());
  EXPECT_TRUE(j["most_recent_job_guid"].is_null());
  EXPECT_TRUE(j["most_recent_job_detail_code"].is_null());
  EXPECT_TRUE(j["id"].is_null());
  EXPECT_TRUE(j["metadata"].is_null());
}

TEST(CodecMember, IdentityFieldsComeFromMemberUserAndInstitution) {
  domain::Member m = member(ConnectionStatus::kCreated);
  m.id = "m-partner";
  m.use_cases = {"PFM", "MONEY_MOVEMENT"};
  domain::User u = user();
  u.id = "u-partner";
  const json j = render(m, u);
  EXPECT_EQ(j["guid"], "MBR-1");
  EXPECT_EQ(j["id"], "m-partner");
  EXPECT_EQ(j["user_guid"], "USR-1");
  EXPECT_EQ(j["user_id"], "u-partner");
  EXPECT_EQ(j["institution_code"], "mxbank");
  EXPECT_EQ(j["institution_guid"], "INS-1572a04c-912b-59bf-5841-332c7dfafaef");
  EXPECT_EQ(j["name"], "MX Bank");  // defaults to the institution's name
  EXPECT_EQ(j["is_managed_by_user"], false);
  EXPECT_EQ(j["use_cases"], json::array({"PFM", "MONEY_MOVEMENT"}));
  m.name = "My bank";
  EXPECT_EQ(render(m)["name"], "My bank");
}

TEST(CodecMember, IsBeingAggregatedFollowsTheJob) {
  domain::Member m = member(ConnectionStatus::kCreated);
  EXPECT_EQ(render(m)["is_being_aggregated"], false);
  m.job = domain::Job{};
  EXPECT_EQ(render(m)["is_being_aggregated"], true);
  EXPECT_EQ(member_status_json(m)["is_being_aggregated"], true);
}

TEST(CodecMember, OAuthWindowUriIsWordedFromTheWindowsFacts) {
  domain::Member m = member(ConnectionStatus::kPending);
  m.is_oauth = true;
  EXPECT_TRUE(render(m)["oauth_window_uri"].is_null());
  m.oauth_window = domain::OAuthWindow{"x", "BROWSER", false, std::nullopt, std::nullopt, false};
  EXPECT_EQ(render(m)["oauth_window_uri"],
            "http://127.0.0.1:8089/oauth/authorize/MBR-1?state=x&referral_source=BROWSER"
            "&skip_aggregation=false");
  m.oauth_window = domain::OAuthWindow{"y", "APP", true, "myapp", "https://app.example/done", true};
  EXPECT_EQ(member_json(m, mx_bank(), user(), kV1, "http://h:1/")["oauth_window_uri"],
            "http://h:1/oauth/authorize/MBR-1?state=y&referral_source=APP&skip_aggregation=true"
            "&ui_message_webview_url_scheme=myapp&client_redirect_url=https://app.example/done"
            "&enable_app2app=true");
  EXPECT_EQ(oauth_window_json(m, kBase)["guid"], "MBR-1");
  EXPECT_EQ(oauth_window_json(m, kBase)["oauth_window_uri"],
            "http://127.0.0.1:8089/oauth/authorize/MBR-1?state=y&referral_source=APP"
            "&skip_aggregation=true&ui_message_webview_url_scheme=myapp"
            "&client_redirect_url=https://app.example/done&enable_app2app=true");
}

TEST(CodecMember, SameShapeInBothVersions) {
  const domain::Member m = member(ConnectionStatus::kConnected);
  EXPECT_EQ(member_json(m, mx_bank(), user(), kV1, kBase),
            member_json(m, mx_bank(), user(), kV2, kBase));
  EXPECT_EQ(keys(render(m)).size(), 23U);
}

TEST(CodecMember, KeysAreAlphabetical) {
  const std::string text = render(member(ConnectionStatus::kConnected)).dump();
  EXPECT_EQ(text.rfind(R"({"aggregated_at":)", 0), 0U) << text;
  EXPECT_NE(text.find(R"("user_guid":"USR-1","user_id":null})"), std::string::npos) << text;
}

// --- member status

TEST(CodecMemberStatus, LeanShapeWithoutMemberOnlyFields) {
  domain::Member m = member(ConnectionStatus::kConnected);
  m.has_processed_accounts = true;
  m.successfully_aggregated_at = at("2016-10-13T17:57:38Z");
  const json s = member_status_json(m);
  EXPECT_EQ(keys(s),
            (std::set<std::string>{"aggregated_at", "challenges", "connection_status", "guid",
                                   "has_processed_account_numbers", "has_processed_accounts",
                                   "has_processed_transactions", "is_authenticated",
                                   "is_being_aggregated", "successfully_aggregated_at"}));
  EXPECT_EQ(s["challenges"], json::array());
  EXPECT_EQ(s["has_processed_accounts"], true);
  EXPECT_EQ(s["has_processed_transactions"], false);
  EXPECT_EQ(s["successfully_aggregated_at"], "2016-10-13T17:57:38.000Z");
  EXPECT_TRUE(member_status_json(member(ConnectionStatus::kNone))["connection_status"].is_null());
}

TEST(CodecMemberStatus, ChallengesOnlyWhileChallenged) {
  domain::Member m = member(ConnectionStatus::kChallenged);
  domain::Challenge c;
  c.guid = "CRD-1";
  c.label = "What city were you born in?";
  c.field_name = "What city were you born in?";
  m.challenges = {c};
  const json s = member_status_json(m);
  ASSERT_EQ(s["challenges"].size(), 1U);
  EXPECT_EQ(s["challenges"][0], challenge_json(c));
  m.machine.status = ConnectionStatus::kResumed;  // stale challenges are never shown
  EXPECT_EQ(member_status_json(m)["challenges"], json::array());
}

TEST(CodecMemberStatus, IsAuthenticatedOnlyForAStandingConnectedLogin) {
  domain::Member m = member(ConnectionStatus::kConnected);
  EXPECT_EQ(member_status_json(m)["is_authenticated"], true);
  m.job = domain::Job{};
  m.job->phase = domain::JobPhase::kPullingData;
  EXPECT_EQ(member_status_json(m)["is_authenticated"], true);  // authenticated, pulling data
  m.machine.authenticating = true;  // a new job re-authenticating: not yet known
  EXPECT_EQ(member_status_json(m)["is_authenticated"], false);
  for (ConnectionStatus s :
       {ConnectionStatus::kNone, ConnectionStatus::kCreated, ConnectionStatus::kResumed,
        ConnectionStatus::kDelayed, ConnectionStatus::kDenied, ConnectionStatus::kChallenged}) {
    EXPECT_EQ(member_status_json(member(s))["is_authenticated"], false);
  }
}

// --- challenges

TEST(CodecChallenge, EachTypeCarriesOnlyItsOwnExtras) {
  const std::set<std::string> base{"field_name", "guid", "label", "type"};
  domain::Challenge c;
  c.guid = "CRD-1";
  c.label = "L";
  c.field_name = "F";
  c.image_data = "data:image/png;base64,AAAA";
  c.options = {{"CRD-o1", "Red", "red", "data:image/png;base64,BBBB"}};

  c.type = ChallengeType::kText;
  EXPECT_EQ(keys(challenge_json(c)), base);
  EXPECT_EQ(challenge_json(c)["type"], "TEXT");
  c.type = ChallengeType::kToken;
  EXPECT_EQ(keys(challenge_json(c)), base);
  EXPECT_EQ(challenge_json(c)["type"], "TOKEN");

  c.type = ChallengeType::kImageData;
  json j = challenge_json(c);
  std::set<std::string> want = base;
  want.insert("image_data");
  EXPECT_EQ(keys(j), want);
  EXPECT_EQ(j["type"], "IMAGE_DATA");
  EXPECT_EQ(j["image_data"], "data:image/png;base64,AAAA");

  c.type = ChallengeType::kOptions;
  j = challenge_json(c);
  want = base;
  want.insert("options");
  EXPECT_EQ(keys(j), want);
  EXPECT_EQ(j["type"], "OPTIONS");
  EXPECT_EQ(j["options"], json::parse(R"([{"guid":"CRD-o1","label":"Red","value":"red"}])"));

  c.type = ChallengeType::kImageOptions;
  j = challenge_json(c);
  want = base;
  want.insert("image_options");
  EXPECT_EQ(keys(j), want);
  EXPECT_EQ(j["type"], "IMAGE_OPTIONS");
  EXPECT_EQ(j["image_options"],
            json::parse(R"([{"data_uri":"data:image/png;base64,BBBB","guid":"CRD-o1",
                             "label":"Red","value":"red"}])"));
}

TEST(CodecChallenge, OptionsChallengeWithNoOptionsStillHasTheArray) {
  domain::Challenge c;
  c.type = ChallengeType::kOptions;
  EXPECT_EQ(challenge_json(c)["options"], json::array());
}

// --- institutions and credentials

TEST(CodecInstitution, V1HasSupportsFlagsV2HasProductsGuidAndHidden) {
  domain::Institution i = mx_bank();
  i.supports_account_statement = false;
  const json v1 = institution_json(i, kV1);
  const json v2 = institution_json(i, kV2);
  for (const char* k : {"supports_account_identification", "supports_account_statement",
                        "supports_account_verification", "supports_transaction_history"}) {
    EXPECT_TRUE(v1.contains(k)) << k;
    EXPECT_FALSE(v2.contains(k)) << k;
  }
  EXPECT_EQ(v1["supports_account_statement"], false);
  for (const char* k : {"supported_products", "guid", "created_at", "is_hidden"}) {
    EXPECT_FALSE(v1.contains(k)) << k;
    EXPECT_TRUE(v2.contains(k)) << k;
  }
  EXPECT_EQ(v2["guid"], "INS-1572a04c-912b-59bf-5841-332c7dfafaef");
  EXPECT_EQ(v2["supported_products"], json(i.supported_products()));
  EXPECT_EQ(v2["is_hidden"], false);
  EXPECT_EQ(keys(v1).size(), 18U);
  EXPECT_EQ(keys(v2).size(), 18U);
}

TEST(CodecInstitution, EmptyUrlsAreNull) {
  const json j = institution_json(mx_bank(), kV1);
  EXPECT_EQ(j["url"], "https://www.mxbank.com");
  EXPECT_TRUE(j["forgot_password_url"].is_null());
  EXPECT_TRUE(j["small_logo_url"].is_null());
  EXPECT_TRUE(j["instructional_text_steps"].is_null());
  EXPECT_EQ(j["code"], "mxbank");
  EXPECT_EQ(j["iso_country_code"], "US");
}

TEST(CodecCredential, MxBankPasswordField) {
  const domain::CredentialField f{"CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d",
                                  "PASSWORD",
                                  "Password",
                                  "PASSWORD",
                                  2,
                                  false,
                                  true};
  EXPECT_EQ(credential_json(f), json::parse(R"({"display_order":2,"field_name":"PASSWORD",
      "field_type":"PASSWORD","guid":"CRD-e3d7ea81-aac7-05e9-fbdd-4b493c6e474d",
      "label":"Password","type":"PASSWORD"})"));
}

// --- accounts

domain::Account card() {
  domain::Account a;
  a.guid = "ACT-1";
  a.user_guid = "USR-1";
  a.member_guid = "MBR-1";
  a.institution_code = "mxbank";
  a.name = "Visa";
  a.type = "CREDIT_CARD";
  a.subtype = "NONE";
  a.account_number_masked = "****5366";
  a.balance = 1234.56;
  a.credit_limit = 5000;
  a.payment_due_amount = 35;
  a.payment_due_at = "2024-03-20";
  a.created_at = at("2024-01-01T00:00:00Z");
  a.updated_at = at("2024-01-02T03:04:05Z");
  return a;
}

TEST(CodecAccount, V1HasFeedAndSetByFieldsV2DropsThem) {
  const OwnerIds owners{"u-1", "m-1", "INS-9"};
  const json v1 = account_json(card(), kV1, owners);
  const json v2 = account_json(card(), kV2, owners);
  EXPECT_EQ(keys(v1).size(), 124U);  // credit_card_product_guid included
  EXPECT_EQ(keys(v2).size(), 59U);
  for (const auto& k : keys(v2)) EXPECT_TRUE(v1.contains(k)) << k;
  int feed = 0;
  int set_by = 0;
  for (const auto& k : keys(v1)) {
    if (v2.contains(k)) continue;
    if (k.rfind("feed_", 0) == 0) {
      ++feed;
    } else if (k.size() > 7 && k.compare(k.size() - 7, 7, "_set_by") == 0) {
      ++set_by;
      EXPECT_TRUE(v1[k].is_null()) << k;
    } else {
      EXPECT_TRUE(k == "calculated_apr" || k == "holdings_value" || k == "institution_guid") << k;
    }
  }
  EXPECT_EQ(feed, 31);
  EXPECT_EQ(set_by, 31);
  EXPECT_EQ(v1["institution_guid"], "INS-9");
  EXPECT_EQ(v1["feed_balance"], 1234.56);
  EXPECT_EQ(v1["feed_name"], "Visa");
  EXPECT_EQ(v1["feed_account_number"], "****5366");
  EXPECT_TRUE(v1["feed_account_type"].is_null());
  EXPECT_EQ(v2["user_id"], "u-1");
  EXPECT_EQ(v2["member_id"], "m-1");
}

TEST(CodecAccount, ValuesNumbersAndDates) {
  const json a = account_json(card(), kV2);
  EXPECT_TRUE(a["balance"].is_number());
  EXPECT_EQ(a["balance"], 1234.56);
  EXPECT_EQ(a["credit_limit"], 5000.0);
  EXPECT_TRUE(a["available_balance"].is_null());
  EXPECT_TRUE(a["apr"].is_null());
  EXPECT_EQ(a["minimum_payment"], 35.0);
  EXPECT_EQ(a["payment_due_at"], "2024-03-20T00:00:00.000Z");
  EXPECT_EQ(a["day_payment_is_due"], 20);
  EXPECT_EQ(a["created_at"], "2024-01-01T00:00:00.000Z");
  EXPECT_EQ(a["updated_at"], "2024-01-02T03:04:05.000Z");
  EXPECT_EQ(a["member_is_managed_by_user"], false);
  EXPECT_TRUE(a["user_id"].is_null());
  EXPECT_TRUE(a["id"].is_null());
}

TEST(CodecAccount, ManualAccountsHaveNoFeedValues) {
  domain::Account a = card();
  a.is_manual = true;
  const json v1 = account_json(a, kV1);
  EXPECT_EQ(v1["is_manual"], true);
  EXPECT_EQ(v1["balance"], 1234.56);
  EXPECT_TRUE(v1["feed_balance"].is_null());
  EXPECT_TRUE(v1["feed_name"].is_null());
}

TEST(CodecAccountNumberOwner, FieldsAndNulls) {
  const domain::AccountNumber n{"ACN-1",   "USR-1",          "MBR-1", "ACT-1",
                                "3331261", "68899990000000", true};
  const json jn = account_number_json(n);
  EXPECT_EQ(jn["account_number"], "3331261");
  EXPECT_EQ(jn["routing_number"], "68899990000000");
  EXPECT_EQ(jn["passed_validation"], true);
  EXPECT_TRUE(jn["transit_number"].is_null());
  EXPECT_TRUE(jn["loan_guarantor"].is_null());

  domain::AccountOwner o;
  o.guid = "ACO-1";
  o.account_guid = "ACT-1";
  o.owner_name = "Josh Smith";
  const json jo = account_owner_json(o);
  EXPECT_EQ(jo["owner_name"], "Josh Smith");
  EXPECT_TRUE(jo["phone"].is_null());  // empty in the record
  EXPECT_EQ(keys(jo).size(), 14U);
}

// --- transactions

domain::Transaction groceries() {
  domain::Transaction t;
  t.guid = "TRN-1";
  t.user_guid = "USR-1";
  t.member_guid = "MBR-1";
  t.account_guid = "ACT-1";
  t.amount = 61.11;
  t.type = "DEBIT";
  t.status = "POSTED";
  t.date = "2024-12-20";
  t.transacted_at = at("2024-12-20T12:00:00Z");
  t.posted_at = at("2024-12-21T00:00:00Z");
  t.original_description = "WHOLEFDS #10234";
  t.description = "Whole Foods Market";
  t.category = "Groceries";
  t.category_guid = "CAT-1";
  t.top_level_category = "Food & Dining";
  t.merchant_guid = "MCH-1";
  t.merchant_category_code = "5411";
  t.is_expense = true;
  return t;
}

TEST(CodecTransaction, WireValues) {
  const json t = transaction_json(groceries(), kV1, std::string("u-1"), std::string("a-1"));
  EXPECT_TRUE(t["amount"].is_number_float());
  EXPECT_EQ(t["amount"], 61.11);
  EXPECT_EQ(t.dump().find(R"("amount":61.11,)") != std::string::npos, true) << t.dump();
  EXPECT_EQ(t["type"], "DEBIT");
  EXPECT_EQ(t["status"], "POSTED");
  EXPECT_EQ(t["date"], "2024-12-20");
  EXPECT_EQ(t["transacted_at"], "2024-12-20T12:00:00.000Z");
  EXPECT_EQ(t["posted_at"], "2024-12-21T00:00:00.000Z");
  EXPECT_EQ(t["original_description"], "WHOLEFDS #10234");
  EXPECT_EQ(t["description"], "Whole Foods Market");
  EXPECT_EQ(t["category"], "Groceries");
  EXPECT_EQ(t["top_level_category"], "Food & Dining");
  EXPECT_EQ(t["merchant_category_code"], 5411);
  EXPECT_EQ(t["is_expense"], true);
  EXPECT_EQ(t["is_income"], false);
  EXPECT_EQ(t["member_is_managed_by_user"], false);
  EXPECT_EQ(t["user_id"], "u-1");
  EXPECT_EQ(t["account_id"], "a-1");
  for (const char* k : {"merchant_location_guid", "localized_description", "localized_memo",
                        "extended_transaction_type", "check_number_string", "latitude", "memo",
                        "id", "metadata", "parent_guid"}) {
    EXPECT_TRUE(t[k].is_null()) << k;
  }
  EXPECT_EQ(t["has_been_split"], false);
  // The specs' 44 fields, and has_been_split and parent_guid, which their split operations name.
  EXPECT_EQ(keys(t).size(), 46U);
  EXPECT_EQ(t, transaction_json(groceries(), kV2, std::string("u-1"), std::string("a-1")));
}

TEST(CodecTransaction, PendingHasNoPostedAtAndOddMccIsNull) {
  domain::Transaction t = groceries();
  t.status = "PENDING";
  t.posted_at.reset();
  t.merchant_category_code = "n/a";
  const json j = transaction_json(t, kV2, std::nullopt);
  EXPECT_EQ(j["status"], "PENDING");
  EXPECT_TRUE(j["posted_at"].is_null());
  EXPECT_TRUE(j["merchant_category_code"].is_null());
  EXPECT_TRUE(j["user_id"].is_null());
  EXPECT_TRUE(j["account_id"].is_null());
}

// --- holdings, statements, widgets, pagination, errors

TEST(CodecHolding, QuantityIsADecimalStringAndGainsAreDerived) {
  domain::Holding h;
  h.guid = "HOL-1";
  h.account_guid = "ACT-1";
  h.user_guid = "USR-1";
  h.member_guid = "MBR-1";
  h.symbol = "DEF";
  h.shares = 5000;
  h.cost_basis = 800;
  h.market_value = 1000;
  h.purchase_price = 0.16;
  const json j = holding_json(h);
  EXPECT_EQ(j["quantity"], "5000.0");
  EXPECT_EQ(j["current_price"], 0.2);
  EXPECT_EQ(j["total_ugl_amount"], 200.0);
  EXPECT_EQ(j["total_ugl_percentage"], 25.0);
  EXPECT_EQ(j["market_value"], 1000.0);
  EXPECT_FALSE(j.contains("member_guid"));  // InvestmentHoldingResponse has none
  h.shares = 12.345;
  h.cost_basis = 0;
  const json k = holding_json(h);
  EXPECT_EQ(k["quantity"], "12.345");
  EXPECT_TRUE(k["total_ugl_percentage"].is_null());
}

TEST(CodecStatement, UriIsTheRelativePdfPath) {
  domain::Statement s;
  s.guid = "STA-1";
  s.user_guid = "USR-1";
  s.member_guid = "MBR-1";
  s.account_guid = "ACT-1";
  s.content_hash = "abc";
  s.created_at = at("2024-03-01T00:00:00Z");
  s.updated_at = at("2024-03-01T00:00:00Z");
  const json j = statement_json(s);
  EXPECT_EQ(j["uri"], "/users/USR-1/members/MBR-1/statements/STA-1.pdf");
  EXPECT_EQ(j["created_at"], "2024-03-01T00:00:00.000Z");
  EXPECT_EQ(statement_uri(s), j["uri"]);
}

TEST(CodecWidget, WidgetAndConnectWidgetShapes) {
  EXPECT_EQ(widget_url_json("connect_widget", "http://w/x", std::string("u-1")),
            json::parse(R"({"type":"connect_widget","url":"http://w/x","user_id":"u-1"})"));
  EXPECT_TRUE(widget_url_json("connect_widget", "http://w/x", std::nullopt)["user_id"].is_null());
  EXPECT_EQ(connect_widget_json(user(), "http://w/y"),
            json::parse(R"({"connect_widget_url":"http://w/y","guid":"USR-1"})"));
}

TEST(CodecPagination, IntegersInOrder) {
  EXPECT_EQ(pagination_json(26, 2, 25, 2).dump(),
            R"({"current_page":2,"per_page":25,"total_entries":26,"total_pages":2})");
  EXPECT_EQ(pagination_json(0, 1, 25, 0)["total_pages"], 0);
}

TEST(CodecError, Envelope) {
  EXPECT_EQ(error_envelope("Unrecognized institution.").dump(),
            R"({"error":{"message":"Unrecognized institution."}})");
}

}  // namespace
}  // namespace mxemu::api
