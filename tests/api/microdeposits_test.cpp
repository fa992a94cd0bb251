// Microdeposits through the API: the statuses a request goes through on the emulated clock, the
// end user's verification with right and wrong amounts, pre-initiation, MX's limits (one open
// request per account, three accounts per email), validation, and the MICRODEPOSIT webhook.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

json body(const Response& r) { return ApiClient::json(r); }

json account(const std::string& number = "333312345",
             const std::string& email = "pat@example.com") {
  return {{"micro_deposit",
           {{"account_name", "Everyday checking"},
            {"account_number", number},
            {"account_type", "CHECKING"},
            {"routing_number", "091000019"},
            {"email", email},
            {"first_name", "Pat"},
            {"last_name", "O'Neil"}}}};
}

class Microdeposits : public ::testing::Test {
 protected:
  void SetUp() override { user_ = c_.create_user("alice"); }
  std::string base() const { return "/users/" + user_ + "/micro_deposits"; }
  json create(const json& request) {
    const Response r = c_.post(base(), request);
    EXPECT_EQ(r.status, 200) << r.body;
    return body(r)["micro_deposit"];
  }
  json read(const std::string& guid) { return body(c_.get(base() + "/" + guid))["micro_deposit"]; }
  // The amounts as the control API tells them (the end user's bank statement at MX).
  std::pair<double, double> amounts(const std::string& guid) {
    const json m = body(c_.get("/_emulator/micro_deposits/" + guid))["micro_deposit"];
    return {m["deposit_amount_1"].get<double>(), m["deposit_amount_2"].get<double>()};
  }
  Response verify(const std::string& guid, double a, double b) {
    return c_.put("/micro_deposits/" + guid + "/verify",
                  {{"micro_deposit", {{"deposit_amount_1", a}, {"deposit_amount_2", b}}}});
  }
  // MICRODEPOSIT webhook payloads, in order.
  std::vector<json> webhooks() {
    std::vector<json> out;
    const json events = body(c_.get("/_emulator/events"));  // kept: a temporary's element dangles
    for (const json& e : events["events"]) {
      if (e["type"] == "MICRODEPOSIT") out.push_back(e["payload"]);
    }
    return out;
  }

  ApiClient c_;
  std::string user_;
};

TEST_F(Microdeposits, ARequestIsInitiatedRequestedThenDepositedOnTheClock) {
  const json m = create(account());
  const std::string guid = m["guid"];
  EXPECT_EQ(guid.rfind("MIC-", 0), 0U);
  EXPECT_EQ(m["status"], "INITIATED");
  EXPECT_EQ(m["account_number"], "333312345");
  EXPECT_EQ(m["account_type"], "CHECKING");
  EXPECT_EQ(m["routing_number"], "091000019");
  EXPECT_EQ(m["account_name"], "Everyday checking");
  EXPECT_EQ(m["first_name"], "Pat");
  EXPECT_EQ(m["institution_code"], "mxbank");  // MX's examples: 091000019 is MX Bank's
  EXPECT_EQ(m["institution_name"], "MX Bank");
  EXPECT_TRUE(m["verified_at"].is_null());
  EXPECT_TRUE(m["error_message"].is_null());
  // The amounts stay hidden until the deposits are made.
  EXPECT_TRUE(body(c_.get("/_emulator/micro_deposits/" + guid))["micro_deposit"]["deposit_amount_1"]
                  .is_null());

  c_.emu().advance(59);
  EXPECT_EQ(read(guid)["status"], "INITIATED");
  c_.emu().advance(1);
  EXPECT_EQ(read(guid)["status"], "REQUESTED");
  c_.emu().advance(119);
  EXPECT_EQ(read(guid)["status"], "REQUESTED");
  c_.emu().advance(1);
  EXPECT_EQ(read(guid)["status"], "DEPOSITED");

  const auto [a, b] = amounts(guid);
  EXPECT_GE(a, 0.01);
  EXPECT_LE(a, 0.99);
  EXPECT_GE(b, 0.01);
  EXPECT_LE(b, 0.99);
  EXPECT_NE(a, b);

  const json list = body(c_.get(base()));
  ASSERT_EQ(list["micro_deposits"].size(), 1U);
  EXPECT_EQ(list["micro_deposits"][0]["guid"], guid);
  EXPECT_EQ(list["pagination"]["total_entries"], 1);
  // listUserVerifications: the same records, under the specs' key for it.
  const json verifications = body(c_.get("/users/" + user_ + "/account_verifications"));
  ASSERT_EQ(verifications["micro_deposit"].size(), 1U);
  EXPECT_EQ(verifications["micro_deposit"][0]["status"], "DEPOSITED");

  // One webhook per status, MX's numbers with the names.
  const std::vector<json> hooks = webhooks();
  ASSERT_EQ(hooks.size(), 3U);
  EXPECT_EQ(hooks[0]["action"], "created");
  EXPECT_EQ(hooks[0]["version"], 1);
  EXPECT_EQ(hooks[1]["action"], "updated");
  const std::vector<std::pair<int, std::string>> seen = {
      {0, "INITIATED"}, {1, "REQUESTED"}, {2, "DEPOSITED"}};
  for (std::size_t i = 0; i < hooks.size(); ++i) {
    const json& md = hooks[i]["micro_deposit"];
    EXPECT_EQ(md["status"], seen[i].first);
    EXPECT_EQ(md["status_name"], seen[i].second);
    EXPECT_EQ(md["guid"], guid);
    EXPECT_EQ(md["user_guid"], user_);
    EXPECT_EQ(md["user_id"], "alice");
    EXPECT_EQ(md["account_type"], 1);
    EXPECT_EQ(md["routing_number"], "091000019");
    EXPECT_EQ(md["institution_guid"].get<std::string>().rfind("INS-", 0), 0U);
  }
}

TEST_F(Microdeposits, TheRightAmountsInEitherOrderVerify) {
  const std::string guid = create(account())["guid"];
  c_.emu().advance(180);
  const auto [a, b] = amounts(guid);
  const Response r = verify(guid, b, a);
  ASSERT_EQ(r.status, 200) << r.body;
  const json m = body(r)["micro_deposit"];
  EXPECT_EQ(m["status"], "VERIFIED");
  EXPECT_FALSE(m["verified_at"].is_null());
  EXPECT_EQ(read(guid)["status"], "VERIFIED");
  EXPECT_EQ(webhooks().back()["micro_deposit"]["status"], 3);
  // Verified is final.
  EXPECT_EQ(verify(guid, a, b).status, 409);
}

TEST_F(Microdeposits, WrongAmountsAreDeniedAndTheThirdWrongAttemptPrevents) {
  const std::string guid = create(account())["guid"];
  c_.emu().advance(180);
  const auto [a, b] = amounts(guid);
  const double wrong = a == 0.5 ? 0.51 : 0.5;
  for (int attempt = 1; attempt <= 2; ++attempt) {
    const Response r = verify(guid, wrong, b);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(body(r)["micro_deposit"]["status"], "DENIED") << attempt;
    EXPECT_FALSE(body(r)["micro_deposit"]["error_message"].is_null());
  }
  const Response third = verify(guid, wrong, b);
  EXPECT_EQ(body(third)["micro_deposit"]["status"], "PREVENTED");
  // PREVENTED is over: even the right amounts are refused now.
  const Response after = verify(guid, a, b);
  EXPECT_EQ(after.status, 409);
  EXPECT_NE(after.body.find("PREVENTED"), std::string::npos) << after.body;
  EXPECT_EQ(body(c_.get("/_emulator/micro_deposits/" + guid))["micro_deposit"]["failed_attempts"],
            3);
}

TEST_F(Microdeposits, ADeniedRequestCanStillBeVerified) {
  const std::string guid = create(account())["guid"];
  c_.emu().advance(180);
  const auto [a, b] = amounts(guid);
  EXPECT_EQ(body(verify(guid, a, a))["micro_deposit"]["status"], "DENIED");
  EXPECT_EQ(body(verify(guid, a, b))["micro_deposit"]["status"], "VERIFIED");
}

TEST_F(Microdeposits, AnAccountNumberNotBeginningWith3333Errors) {
  const std::string guid = create(account("123456789"))["guid"];
  c_.emu().advance(180);
  const json m = read(guid);
  EXPECT_EQ(m["status"], "ERRORED");
  EXPECT_FALSE(m["error_message"].is_null());
  EXPECT_EQ(webhooks().back()["micro_deposit"]["status"], 4);
  EXPECT_EQ(verify(guid, 0.1, 0.2).status, 409);
}

TEST_F(Microdeposits, VerifyingBeforeTheDepositsOrWithoutAmountsIsRefused) {
  const std::string guid = create(account())["guid"];
  EXPECT_EQ(verify(guid, 0.1, 0.2).status, 409);
  c_.emu().advance(180);
  EXPECT_EQ(
      c_.put("/micro_deposits/" + guid + "/verify", {{"micro_deposit", json::object()}}).status,
      400);
  EXPECT_EQ(verify(guid, 0.0, 0.2).status, 400);
  EXPECT_EQ(verify(guid, 1.5, 0.2).status, 400);
  EXPECT_EQ(verify(guid, 0.123, 0.2).status, 400);
  EXPECT_EQ(c_.put("/micro_deposits/" + guid + "/verify",
                   {{"micro_deposit", {{"deposit_amount_1", "0.1"}, {"deposit_amount_2", 0.2}}}})
                .status,
            400);
  EXPECT_EQ(verify("MIC-unknown", 0.1, 0.2).status, 404);
  // None of these counted as an attempt.
  EXPECT_EQ(body(c_.get("/_emulator/micro_deposits/" + guid))["micro_deposit"]["failed_attempts"],
            0);
  EXPECT_EQ(read(guid)["status"], "DEPOSITED");
}

TEST_F(Microdeposits, InvalidFieldsAreRefusedAndCreateNothing) {
  auto refused = [&](json request, const std::string& needle) {
    const Response r = c_.post(base(), request);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find(needle), std::string::npos) << r.body;
  };
  json r = account();
  r["micro_deposit"]["routing_number"] = "091000018";  // fails the ABA checksum
  refused(r, "routing_number");
  r = account();
  r["micro_deposit"]["account_type"] = "CREDIT_CARD";
  refused(r, "account_type");
  r = account("12ab");
  refused(r, "account_number");
  r = account("123456789012345678");  // 18 digits
  refused(r, "account_number");
  r = account("333312345", "not-an-email");
  refused(r, "email");
  r = account();
  r["micro_deposit"]["first_name"] = "D#ve";  // MX's own example of a refused name
  refused(r, "first_name");
  r = account();
  r["micro_deposit"].erase("routing_number");
  refused(r, "routing_number");
  refused({{"micro_deposit", json::object()}}, "micro_deposit");
  refused(json::object(), "micro_deposit");
  EXPECT_EQ(c_.post(base(), {{"micro_deposit", {{"account_number", 333312345}}}}).status, 400);
  EXPECT_EQ(body(c_.get(base()))["micro_deposits"].size(), 0U);
  EXPECT_TRUE(webhooks().empty());
}

TEST_F(Microdeposits, NameAndEmailAlonePreinitiate) {
  const json m =
      create({{"micro_deposit",
               {{"first_name", "Pat"}, {"last_name", "Lee"}, {"email", "p@example.com"}}}});
  EXPECT_EQ(m["status"], "PREINITIATED");
  EXPECT_TRUE(m["account_number"].is_null());
  EXPECT_TRUE(m["institution_code"].is_null());
  c_.emu().advance(3600);
  EXPECT_EQ(read(m["guid"])["status"], "PREINITIATED");  // nothing happens until Connect
  EXPECT_EQ(verify(m["guid"], 0.1, 0.2).status, 409);
  ASSERT_EQ(webhooks().size(), 1U);
  EXPECT_EQ(webhooks()[0]["micro_deposit"]["status"], 9);
  // Only part of a person is neither a pre-initiation nor a request.
  EXPECT_EQ(c_.post(base(), {{"micro_deposit", {{"first_name", "Pat"}}}}).status, 400);
}

TEST_F(Microdeposits, ASecondRequestForTheSameAccountIsConflicted) {
  const std::string first = create(account())["guid"];
  const json second = create(account());
  EXPECT_EQ(second["status"], "CONFLICTED");
  EXPECT_NE(second["error_message"].get<std::string>().find(first), std::string::npos);
  c_.emu().advance(600);
  EXPECT_EQ(read(second["guid"])["status"], "CONFLICTED");  // no deposits for it
  EXPECT_EQ(read(first)["status"], "DEPOSITED");
}

TEST_F(Microdeposits, AnEmailVerifiesAtMostThreeAccounts) {
  for (const char* number : {"33331", "33332", "33333"}) {
    EXPECT_EQ(create(account(number))["status"], "INITIATED") << number;
  }
  const json fourth = create(account("33334"));
  EXPECT_EQ(fourth["status"], "REJECTED");
  // Another user with the same email address is counted too: the limit is the address's.
  const std::string bob = c_.create_user("bob");
  const Response r = c_.post("/users/" + bob + "/micro_deposits", account("33335"));
  EXPECT_EQ(body(r)["micro_deposit"]["status"], "REJECTED");
  EXPECT_EQ(create(account("33336", "other@example.com"))["status"], "INITIATED");
}

TEST_F(Microdeposits, DeletedOnesAndOtherUsersOnesAreNotFound) {
  const std::string guid = create(account())["guid"];
  const std::string bob = c_.create_user("bob");
  EXPECT_EQ(c_.get("/users/" + bob + "/micro_deposits/" + guid).status, 404);
  EXPECT_EQ(c_.del("/users/" + bob + "/micro_deposits/" + guid).status, 404);
  EXPECT_EQ(c_.del(base() + "/" + guid).status, 204);
  EXPECT_EQ(c_.get(base() + "/" + guid).status, 404);
  EXPECT_EQ(c_.del(base() + "/" + guid).status, 404);
  c_.emu().advance(600);  // its timers find nothing
  EXPECT_EQ(webhooks().size(), 1U);
  EXPECT_EQ(verify(guid, 0.1, 0.2).status, 404);
}

TEST_F(Microdeposits, AnUnverifiedDepositIsGoneAfterTwentyOneDays) {
  const std::string guid = create(account())["guid"];
  c_.emu().advance(21 * 24 * 3600 - 1);
  EXPECT_EQ(read(guid)["status"], "DEPOSITED");
  c_.emu().advance(1);
  EXPECT_EQ(c_.get(base() + "/" + guid).status, 404);
}

TEST_F(Microdeposits, DeletingTheUserDeletesItsMicrodeposits) {
  const std::string guid = create(account())["guid"];
  EXPECT_EQ(c_.del("/users/" + user_).status, 204);
  EXPECT_EQ(c_.get("/_emulator/micro_deposits/" + guid).status, 404);
  c_.emu().advance(600);
}

TEST_F(Microdeposits, V20250224TakesTheUsersOwnId) {
  c_.use_version("v20250224");
  const Response r = c_.post("/users/alice/micro_deposits", account());
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string guid = body(r)["micro_deposit"]["guid"];
  EXPECT_EQ(c_.get("/users/alice/micro_deposits/" + guid).status, 200);
  EXPECT_EQ(body(c_.get("/users/alice/micro_deposits"))["micro_deposits"].size(), 1U);
}

}  // namespace
}  // namespace mxemu::api
