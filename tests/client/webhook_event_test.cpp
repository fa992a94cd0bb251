// parse_webhook_event: every payload type the emulator sends (built by its own payload code, so
// the two sides cannot drift apart unnoticed), MX's documented examples, and malformed bodies.
#include "mxclient/webhook_event.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "api/webhook_payloads.h"
#include "domain/domain_event.h"
#include "support/test_emulator.h"

namespace mxclient {
namespace {

using mxemu::domain::DomainEvent;
using mxemu::domain::DomainEventKind;
using nlohmann::json;

// 2024-03-01T09:00:04Z
constexpr std::int64_t kAt = 1709283604;

DomainEvent emulator_event(DomainEventKind kind) {
  DomainEvent e;
  e.sequence = 7;
  e.kind = kind;
  e.at = mxemu::testing::test_start() + std::chrono::seconds(4);
  e.user_guid = "USR-1";
  e.user_id = "app-user-1";
  e.member_guid = "MBR-1";
  e.job_guid = "JOB-1";
  e.status = mxemu::domain::ConnectionStatus::kChallenged;
  e.status_message = "Please answer the challenge.";
  e.is_background = true;
  e.created_count = 3;
  e.updated_count = 2;
  e.account_guids = {"ACT-1", "ACT-2"};
  return e;
}

WebhookEvent parse_emulator(DomainEventKind kind) {
  auto payload = mxemu::api::webhook_payload(emulator_event(kind));
  EXPECT_TRUE(payload.has_value());
  auto parsed = parse_webhook_event(payload ? payload->dump() : "{}");
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? *parsed : WebhookEvent{};
}

TEST(WebhookEvent, ConnectionStatusFromTheEmulator) {
  const WebhookEvent e = parse_emulator(DomainEventKind::kConnectionStatus);
  EXPECT_EQ(e.type, WebhookType::kConnectionStatus);
  EXPECT_EQ(e.type_name, "CONNECTION_STATUS");
  EXPECT_EQ(e.action, "CHANGED");
  EXPECT_EQ(e.member_guid, "MBR-1");
  EXPECT_EQ(e.user_guid, "USR-1");
  EXPECT_EQ(e.connection_status, "CHALLENGED");
  EXPECT_EQ(e.connection_status_id, 3);
  EXPECT_EQ(e.connection_status_message, "Please answer the challenge.");
  EXPECT_FALSE(e.occurred_at.has_value());  // MX's payload carries no time
  EXPECT_FALSE(e.completed_at.has_value());
}

TEST(WebhookEvent, AggregationAndHistoryFromTheEmulator) {
  for (auto kind : {DomainEventKind::kAggregation, DomainEventKind::kHistory}) {
    const WebhookEvent e = parse_emulator(kind);
    EXPECT_EQ(e.type, kind == DomainEventKind::kAggregation ? WebhookType::kAggregation
                                                            : WebhookType::kHistory);
    EXPECT_EQ(e.action, "member_data_updated");
    EXPECT_EQ(e.completed_at, kAt);
    EXPECT_EQ(e.completed_on, "2024-03-01");
    EXPECT_EQ(e.is_background, true);
    EXPECT_EQ(e.job_guid, "JOB-1");
    EXPECT_EQ(e.transactions_created_count, 3);
    EXPECT_EQ(e.transactions_updated_count, 2);
    EXPECT_EQ(e.user_id, "app-user-1");
    ASSERT_TRUE(e.occurred_at.has_value());
    EXPECT_EQ(*e.occurred_at, TimePoint{std::chrono::seconds{kAt}});
  }
}

TEST(WebhookEvent, BalanceStatementAndVerificationFromTheEmulator) {
  const WebhookEvent balance = parse_emulator(DomainEventKind::kBalance);
  EXPECT_EQ(balance.type, WebhookType::kBalance);
  EXPECT_EQ(balance.completed_at, kAt);
  EXPECT_FALSE(balance.transactions_created_count.has_value());

  const WebhookEvent statement = parse_emulator(DomainEventKind::kStatement);
  EXPECT_EQ(statement.type, WebhookType::kStatement);
  EXPECT_EQ(statement.statements_created_count, 3);

  const WebhookEvent verification = parse_emulator(DomainEventKind::kVerification);
  EXPECT_EQ(verification.type, WebhookType::kVerification);
  EXPECT_EQ(verification.accounts, (std::vector<std::string>{"ACT-1", "ACT-2"}));
  EXPECT_EQ(verification.job_guid, "JOB-1");
}

TEST(WebhookEvent, MemberWebhookFromTheEmulator) {
  const WebhookEvent e = parse_emulator(DomainEventKind::kMemberUpdated);
  EXPECT_EQ(e.type, WebhookType::kMember);
  EXPECT_EQ(e.action, "updated");
  EXPECT_EQ(e.member_guid, "MBR-1");  // member.guid
  EXPECT_EQ(e.user_guid, "USR-1");
  EXPECT_EQ(e.connection_status, "CHALLENGED");
  EXPECT_EQ(e.is_being_aggregated, false);
  EXPECT_EQ(e.updated_at, kAt);
  EXPECT_EQ(e.occurred_at, TimePoint{std::chrono::seconds{kAt}});
}

TEST(WebhookEvent, MxDocumentedExamples) {
  // DOC:/resources/webhooks/connection-status and /aggregation, verbatim.
  auto status = parse_webhook_event(
      R"({"action":"CHANGED","connection_status":"CHALLENGED","connection_status_id":3,
          "connection_status_message":"To authenticate your connection to Chase Bank, please answer the following challenge(s).",
          "member_guid":"MBR-48d9a481-f2a2-7e13-2685-62869cf0d33a","type":"CONNECTION_STATUS",
          "user_guid":"USR-eaf4ac68-d17d-5e9b-7b46-959a5b315a9e"})");
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->member_guid, "MBR-48d9a481-f2a2-7e13-2685-62869cf0d33a");

  auto aggregation = parse_webhook_event(
      R"({"action":"member_data_updated","completed_at":1531947410,"completed_on":"2018-07-18",
          "is_background":true,"job_guid":"JOB-823ab268-5107-4a67-97c8-60292572ac2e",
          "member_guid":"MBR-48d9a481-f2a2-7e13-2685-62869cf0d33a",
          "transactions_created_count":3,"transactions_updated_count":2,"type":"AGGREGATION",
          "user_guid":"USR-eaf4ac68-d17d-5e9b-7b46-959a5b315a9e","user_id":"…"})");
  ASSERT_TRUE(aggregation) << aggregation.error().message;
  EXPECT_EQ(aggregation->completed_at, 1531947410);
  EXPECT_EQ(aggregation->user_id, "…");
}

TEST(WebhookEvent, UnknownTypesAndFieldsAreKept) {
  auto reward = parse_webhook_event(
      R"({"type":"REWARD","action":"member_data_updated","member_guid":"MBR-1",
          "rewards_created_count":1,"brand_new_field":{"x":[1,2]}})");
  ASSERT_TRUE(reward) << reward.error().message;
  EXPECT_EQ(reward->type, WebhookType::kOther);
  EXPECT_EQ(reward->type_name, "REWARD");
  EXPECT_EQ(to_string(reward->type), "OTHER");
}

TEST(WebhookEvent, NullsAreAbsentValuesAndNullStatusIsEmpty) {
  auto e = parse_webhook_event(
      R"({"type":"MEMBER","action":"created","member":{"guid":"MBR-1","user_guid":"USR-1",
          "connection_status":null,"connection_status_id":null,"user_id":null,
          "updated_at":"2024-03-01T09:00:04.000Z"}})");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(e->connection_status, "");  // MX's null status
  EXPECT_FALSE(e->connection_status_id.has_value());
  EXPECT_FALSE(e->user_id.has_value());
  EXPECT_EQ(e->updated_at, kAt);  // the REST spelling is read too
}

TEST(WebhookEvent, MalformedBodiesAreErrors) {
  const char* bodies[] = {
      "",
      "not json",
      R"({"type":"AGGREGATION","member_guid":"MBR-1")",  // truncated
      "[1,2]",
      R"("CONNECTION_STATUS")",
      R"({"member_guid":"MBR-1"})",                                    // no type
      R"({"type":42,"member_guid":"MBR-1"})",                          // type not a string
      R"({"type":"","member_guid":"MBR-1"})",                          // empty type
      R"({"type":"CONNECTION_STATUS","member_guid":"MBR-1"})",         // no status
      R"({"type":"CONNECTION_STATUS","connection_status":"DENIED"})",  // no member
      R"({"type":"AGGREGATION","member_guid":"MBR-1","completed_at":"yesterday"})",
      R"({"type":"AGGREGATION","member_guid":"MBR-1","completed_at":1.5})",
      // Past what a nanosecond time point holds (a fuzz finding: 2533 overflowed it).
      R"({"type":"AGGREGATION","member_guid":"MBR-1","completed_at":17797961235})",
      R"({"type":"AGGREGATION","member_guid":"MBR-1","completed_at":"9999-12-31T00:00:00Z"})",
      R"({"type":"MEMBER","member":{"guid":"MBR-1","aggregated_at":-17797961235}})",
      R"({"type":"AGGREGATION","member_guid":7})",
      R"({"type":"VERIFICATION","member_guid":"MBR-1","accounts":"ACT-1"})",
      R"({"type":"MEMBER","action":"updated"})",  // no member object
      R"({"type":"MEMBER","member":{"guid":"MBR-1","is_being_aggregated":"yes"}})",
  };
  for (const char* body : bodies) {
    auto parsed = parse_webhook_event(body);
    ASSERT_FALSE(parsed) << body;
    EXPECT_EQ(parsed.error().kind, ErrorKind::kInvalidInput) << body;
    EXPECT_NE(parsed.error().message.find("webhook"), std::string::npos) << body;
  }
}

TEST(WebhookEvent, DedupeKeyIgnoresWhitespaceAndKeyOrder) {
  auto a =
      parse_webhook_event(R"({"type":"BALANCE","member_guid":"MBR-1","completed_at":1709283604})");
  auto b = parse_webhook_event(
      "{ \"completed_at\" : 1709283604,\n \"member_guid\":\"MBR-1\", \"type\":\"BALANCE\" }");
  auto c =
      parse_webhook_event(R"({"type":"BALANCE","member_guid":"MBR-1","completed_at":1709283605})");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(webhook_dedupe_key(*a), webhook_dedupe_key(*b));
  EXPECT_NE(webhook_dedupe_key(*a), webhook_dedupe_key(*c));
  EXPECT_EQ(webhook_dedupe_key(*a).rfind("sha256:", 0), 0U);
  EXPECT_EQ(webhook_dedupe_key(*a).size(), 7U + 64U);
  EXPECT_NE(a->raw_body, b->raw_body);  // the raw body stays as received
}

TEST(WebhookEvent, DedupeKeyUsesAnEventIdWhenThePayloadHasOne) {
  auto e = parse_webhook_event(
      R"({"type":"BALANCE","member_guid":"MBR-1","event_guid":"EVT-9","completed_at":1})");
  ASSERT_TRUE(e) << e.error().message;
  EXPECT_EQ(webhook_dedupe_key(*e), "id:EVT-9");
}

TEST(WebhookEvent, Sha256KnownAnswers) {
  // FIPS 180-4 / NIST CAVP vectors, including both padding edge cases (55 and 56+ bytes).
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(sha256_hex(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(sha256_hex(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

}  // namespace
}  // namespace mxclient
