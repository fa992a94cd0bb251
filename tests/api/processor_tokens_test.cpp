// Processor tokens: a client's one-time code for a verified member's account, the processor's
// exchange of it for a 60-day bearer token (with its own credentials, any tenant's), and what
// the token reads: account numbers, the payment account, owners, a balance check.
#include <gtest/gtest.h>

#include <string>

#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

json body(const Response& r) { return ApiClient::json(r); }

class ProcessorTokens : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = c_.create_user("alice");
    member_ = c_.create_member(user_, "mxbank", "password")["member"]["guid"];
    c_.emu().advance(60);
  }
  std::string base() const { return "/users/" + user_ + "/members/" + member_; }
  void verify_and_identify() {
    ASSERT_EQ(c_.post(base() + "/verify").status, 200);
    c_.emu().advance(60);
    ASSERT_EQ(c_.post(base() + "/identify").status, 202);
    c_.emu().advance(60);
    const json numbers = body(c_.get(base() + "/account_numbers"))["account_numbers"];
    ASSERT_FALSE(numbers.empty());
    account_ = numbers[0]["account_guid"];
    account_number_ = numbers[0]["account_number"];
  }
  std::string full_scope() const {
    return "user-guid:" + user_ + " member-guid:" + member_ + " account-guid:" + account_ +
           " read-protected";
  }
  Response request_code(const std::string& scope) {
    return c_.post("/authorization_code", {{"authorization_code", {{"scope", scope}}}});
  }
  std::string code_for(const std::string& scope) {
    const Response r = request_code(scope);
    EXPECT_EQ(r.status, 200) << r.body;
    return body(r)["authorization_code"]["code"];
  }
  Response exchange(const std::string& code) {
    return c_.post("/token?grant_type=authorization_code&code=" + code);
  }
  std::string token_for(const std::string& scope) {
    const Response r = exchange(code_for(scope));
    EXPECT_EQ(r.status, 200) << r.body;
    return body(r)["access_token"];
  }
  Response as_processor(Method method, const std::string& target, const std::string& token) {
    Request r = c_.request(method, target);
    r.headers.erase("Authorization");
    r.headers.emplace("Authorization", "Bearer " + token);
    return c_.send(r);
  }
  Response list_tokens(const json& scope) {
    return c_.send(c_.request(Method::kGet, "/tokens", {{"scope", scope}}));
  }

  ApiClient c_;
  std::string user_;
  std::string member_;
  std::string account_;
  std::string account_number_;
};

TEST_F(ProcessorTokens, ACodeBuysATokenThatReadsTheAccount) {
  verify_and_identify();
  const std::string code = code_for(full_scope());
  EXPECT_EQ(code.size(), 42U);
  const Response exchanged = exchange(code);
  ASSERT_EQ(exchanged.status, 200) << exchanged.body;
  const json grant = body(exchanged);
  EXPECT_EQ(grant["token_type"], "Bearer");
  EXPECT_EQ(grant["scope"], full_scope());
  EXPECT_TRUE(grant["expires_at"].is_null());  // as in MX's example; listTokens has the date
  const std::string token = grant["access_token"];
  EXPECT_EQ(token.size(), 45U);

  const Response numbers = as_processor(Method::kGet, "/account/account_numbers", token);
  ASSERT_EQ(numbers.status, 200) << numbers.body;
  EXPECT_EQ(numbers.content_type, "application/json; charset=utf-8");
  const json list = body(numbers)["account_numbers"];
  ASSERT_EQ(list.size(), 1U);
  EXPECT_EQ(list[0]["account_guid"], account_);
  EXPECT_EQ(list[0]["account_number"], account_number_);
  EXPECT_EQ(list[0]["user_guid"], user_);

  const Response payment = as_processor(Method::kGet, "/payment_account", token);
  ASSERT_EQ(payment.status, 200) << payment.body;
  const json account = body(c_.get("/users/" + user_ + "/accounts/" + account_))["account"];
  const json p = body(payment)["payment_account"];
  EXPECT_EQ(p["account_number"], account_number_);
  EXPECT_EQ(p["balance"], account["balance"]);
  EXPECT_EQ(p["account_type"], account["type"]);
  EXPECT_EQ(p["account_name"], account["name"]);

  const Response owners = as_processor(Method::kGet, "/account/transactions", token);
  ASSERT_EQ(owners.status, 200) << owners.body;
  const json o = body(owners);
  ASSERT_FALSE(o["account_owners"].empty());
  for (const json& owner : o["account_owners"]) {
    EXPECT_EQ(owner["account_guid"], account_);
    EXPECT_FALSE(owner.contains("first_name"));
  }
  EXPECT_EQ(o["pagination"]["total_entries"], o["account_owners"].size());
}

TEST_F(ProcessorTokens, CheckBalanceRunsTheMembersBalanceJob) {
  verify_and_identify();
  const std::string token = token_for(full_scope());
  c_.emu().advance(3 * 3600);
  const Response checked = as_processor(Method::kPost, "/account/check_balance", token);
  ASSERT_EQ(checked.status, 200) << checked.body;
  EXPECT_TRUE(body(checked)["member"]["is_being_aggregated"].get<bool>());
  EXPECT_EQ(body(checked)["member"]["guid"], member_);
  c_.emu().advance(60);
  const json member = body(c_.get(base()))["member"];
  EXPECT_FALSE(member["is_being_aggregated"].get<bool>());
  // MX's two-hour window between balance checks holds for the processor too.
  EXPECT_EQ(as_processor(Method::kPost, "/account/check_balance", token).status, 429);
}

TEST_F(ProcessorTokens, AMemberMustBeVerifiedFirst) {
  const Response r = request_code("user-guid:" + user_ + " member-guid:" + member_);
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.body.find("verified"), std::string::npos) << r.body;
  // A scope naming only the user needs no verification.
  EXPECT_EQ(request_code("user-guid:" + user_).status, 200);
}

TEST_F(ProcessorTokens, ABadScopeIsA4xxThatNamesIt) {
  verify_and_identify();
  const std::string u = "user-guid:" + user_;
  const Response unknown_part = request_code(u + " write-everything");
  EXPECT_EQ(unknown_part.status, 400);
  EXPECT_NE(unknown_part.body.find("write-everything"), std::string::npos) << unknown_part.body;
  EXPECT_EQ(request_code("member-guid:" + member_).status, 400);         // no user
  EXPECT_EQ(request_code(u + " account-guid:" + account_).status, 400);  // no member
  EXPECT_EQ(request_code(u + " " + u).status, 400);                      // twice
  EXPECT_EQ(request_code(u + " read-protected read-protected").status, 400);
  EXPECT_EQ(request_code("user-guid:").status, 400);
  EXPECT_EQ(c_.post("/authorization_code", {{"authorization_code", json::object()}}).status, 400);
  EXPECT_EQ(c_.post("/authorization_code", {{"authorization_code", {{"scope", 7}}}}).status, 400);
  EXPECT_EQ(request_code("user-guid:USR-nobody").status, 404);
  EXPECT_EQ(request_code(u + " member-guid:MBR-nobody").status, 404);
  EXPECT_EQ(request_code(u + " member-guid:" + member_ + " account-guid:ACT-nobody").status, 404);
  // Whitespace of any length separates the parts.
  EXPECT_EQ(request_code("  " + u + "\t member-guid:" + member_ + "  ").status, 200);
}

TEST_F(ProcessorTokens, ACodeIsOneTimeUse) {
  verify_and_identify();
  const std::string code = code_for(full_scope());
  ASSERT_EQ(exchange(code).status, 200);
  const Response again = exchange(code);
  EXPECT_EQ(again.status, 400);
  EXPECT_NE(again.body.find("one-time"), std::string::npos) << again.body;
  EXPECT_EQ(exchange("not-a-code").status, 400);
  EXPECT_EQ(c_.post("/token?grant_type=authorization_code").status, 400);
  EXPECT_EQ(c_.post("/token?grant_type=client_credentials&code=" + code_for(full_scope())).status,
            400);
  c_.use_credentials("someone", "else");
  EXPECT_EQ(c_.post("/token?grant_type=authorization_code&code=" + code).status, 401);
}

TEST_F(ProcessorTokens, ATokenLastsSixtyDays) {
  verify_and_identify();
  const std::string token = token_for(full_scope());
  c_.emu().advance(60 * 86400 - 60);
  EXPECT_EQ(as_processor(Method::kGet, "/payment_account", token).status, 200);
  EXPECT_TRUE(body(list_tokens({{"user_guid", user_}}))["tokens"][0]["active"].get<bool>());
  c_.emu().advance(60);
  const Response expired = as_processor(Method::kGet, "/payment_account", token);
  EXPECT_EQ(expired.status, 401);
  EXPECT_NE(expired.body.find("expired"), std::string::npos) << expired.body;
  const json listed = body(list_tokens({{"user_guid", user_}}))["tokens"];
  ASSERT_EQ(listed.size(), 1U);
  EXPECT_FALSE(listed[0]["active"].get<bool>());
}

TEST_F(ProcessorTokens, UnknownOrMissingBearerTokensAre401) {
  EXPECT_EQ(as_processor(Method::kGet, "/account/account_numbers", "nope").status, 401);
  Request r = c_.request(Method::kGet, "/payment_account");  // Basic, not Bearer
  EXPECT_EQ(c_.send(r).status, 401);
}

TEST_F(ProcessorTokens, TheScopeBoundsWhatTheTokenReads) {
  verify_and_identify();
  const std::string member_only = token_for("user-guid:" + user_ + " member-guid:" + member_);
  EXPECT_EQ(as_processor(Method::kGet, "/account/account_numbers", member_only).status, 403);
  EXPECT_EQ(as_processor(Method::kGet, "/payment_account", member_only).status, 403);
  EXPECT_EQ(as_processor(Method::kGet, "/account/transactions", member_only).status, 403);
  c_.emu().advance(3 * 3600);
  EXPECT_EQ(as_processor(Method::kPost, "/account/check_balance", member_only).status, 200);

  const std::string every_account =
      token_for("user-guid:" + user_ + " member-guid:" + member_ + " read-protected");
  const json numbers = body(as_processor(Method::kGet, "/account/account_numbers", every_account));
  EXPECT_EQ(numbers["account_numbers"].size(),
            body(c_.get(base() + "/account_numbers"))["account_numbers"].size());
  EXPECT_EQ(as_processor(Method::kGet, "/payment_account", every_account).status, 403);

  const std::string user_only = token_for("user-guid:" + user_ + " read-protected");
  EXPECT_EQ(as_processor(Method::kGet, "/account/account_numbers", user_only).status, 403);
  EXPECT_EQ(as_processor(Method::kPost, "/account/check_balance", user_only).status, 403);
}

TEST_F(ProcessorTokens, ListTokensByUserMemberOrAccount) {
  verify_and_identify();
  token_for(full_scope());
  token_for("user-guid:" + user_ + " member-guid:" + member_);
  const json by_user = body(list_tokens({{"user_guid", user_}}))["tokens"];
  ASSERT_EQ(by_user.size(), 2U);
  EXPECT_EQ(by_user[0]["payment_processor_guid"], by_user[1]["payment_processor_guid"]);
  EXPECT_EQ(by_user[0]["payment_processor_guid"].get<std::string>().rfind("PPR-", 0), 0U);
  EXPECT_EQ(body(list_tokens({{"member_guid", member_}}))["tokens"].size(), 2U);
  EXPECT_EQ(body(list_tokens({{"account_guid", account_}}))["tokens"].size(), 1U);
  // The same filter as query parameters, for clients that send no body with a GET.
  EXPECT_EQ(body(c_.get("/tokens?account_guid=" + account_))["tokens"].size(), 1U);
  EXPECT_EQ(c_.get("/tokens").status, 400);
  EXPECT_EQ(list_tokens({{"member_guid", "MBR-nobody"}}).status, 404);
  EXPECT_EQ(list_tokens({{"user_guid", "USR-nobody"}}).status, 404);
  EXPECT_EQ(list_tokens({{"user_guid", 5}}).status, 400);
  EXPECT_EQ(c_.send(c_.request(Method::kGet, "/tokens", {{"scope", "all"}})).status, 400);
  // The body follows the rules of any request's: JSON, declared as JSON.
  Request form = c_.request(Method::kGet, "/tokens", {{"scope", {{"user_guid", user_}}}});
  form.headers.erase("Content-Type");
  form.headers.emplace("Content-Type", "text/plain");
  EXPECT_EQ(c_.send(form).status, 415);
  Request junk = c_.request(Method::kGet, "/tokens", {{"scope", {{"user_guid", user_}}}});
  junk.body += "x";
  EXPECT_EQ(c_.send(junk).status, 400);
}

TEST_F(ProcessorTokens, AnotherTenantCanBeTheProcessor) {
  verify_and_identify();
  const std::string code = code_for(full_scope());
  ASSERT_TRUE(c_.emu().tenants().create(c_.emu().tenants().config_like_default("dwolla", "k")));
  c_.use_credentials("dwolla", "k");
  const Response exchanged = exchange(code);
  ASSERT_EQ(exchanged.status, 200) << exchanged.body;
  const std::string token = body(exchanged)["access_token"];
  // The processor reads the client's data, not its own tenant's.
  const json numbers = body(as_processor(Method::kGet, "/account/account_numbers", token));
  EXPECT_EQ(numbers["account_numbers"][0]["account_number"], account_number_);
  c_.use_credentials("client", "key");
  const json own =
      body(c_.post("/token?grant_type=authorization_code&code=" + code_for(full_scope())));
  const json tokens = body(list_tokens({{"user_guid", user_}}))["tokens"];
  ASSERT_EQ(tokens.size(), 2U);
  EXPECT_NE(tokens[0]["payment_processor_guid"], tokens[1]["payment_processor_guid"]);
  EXPECT_FALSE(own["access_token"].get<std::string>().empty());
}

TEST_F(ProcessorTokens, DeletingTheMemberEndsItsTokens) {
  verify_and_identify();
  const std::string token = token_for(full_scope());
  const std::string code = code_for(full_scope());
  ASSERT_EQ(c_.del(base()).status, 204);
  EXPECT_EQ(as_processor(Method::kGet, "/account/account_numbers", token).status, 401);
  EXPECT_EQ(exchange(code).status, 400);
  EXPECT_TRUE(body(list_tokens({{"user_guid", user_}}))["tokens"].empty());
}

TEST_F(ProcessorTokens, TheDeprecatedRouteTakesTheThreeGuidsInV20111101Only) {
  verify_and_identify();
  const json fields = {{"user_guid", user_}, {"member_guid", member_}, {"account_guid", account_}};
  const Response r = c_.post("/payment_processor_authorization_code",
                             {{"payment_processor_authorization_code", fields}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string code = body(r)["payment_processor_authorization_code"]["authorization_code"];
  const Response exchanged = exchange(code);
  ASSERT_EQ(exchanged.status, 200);
  EXPECT_EQ(body(exchanged)["scope"], full_scope());
  json partial = fields;
  partial.erase("account_guid");
  const Response missing = c_.post("/payment_processor_authorization_code",
                                   {{"payment_processor_authorization_code", partial}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("account_guid"), std::string::npos) << missing.body;
  c_.use_version("v20250224");
  EXPECT_EQ(c_.post("/payment_processor_authorization_code",
                    {{"payment_processor_authorization_code", fields}})
                .status,
            404);
}

TEST_F(ProcessorTokens, CodesAndTokensSurviveASnapshot) {
  verify_and_identify();
  const std::string token = token_for(full_scope());
  const std::string code = code_for(full_scope());
  const Response snapshot = c_.get("/_emulator/snapshot");
  ASSERT_EQ(snapshot.status, 200);
  ASSERT_EQ(c_.post("/_emulator/reset").status, 200);
  EXPECT_EQ(as_processor(Method::kGet, "/payment_account", token).status, 401);
  ASSERT_EQ(c_.put("/_emulator/snapshot", body(snapshot)).status, 200);
  EXPECT_EQ(as_processor(Method::kGet, "/payment_account", token).status, 200);
  EXPECT_EQ(exchange(code).status, 200);
}

}  // namespace
}  // namespace mxemu::api
