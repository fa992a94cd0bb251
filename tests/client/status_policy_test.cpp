#include "mxclient/status_policy.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace mxclient {
namespace {

// The expected policy, written out again on purpose: the table in status_policy.cpp must match
// this independent copy, so an edit to one row is a visible, reviewed change.
struct Expected {
  const char* wire;  // what MX sends ("" = JSON null)
  ConnectionStatus status;
  Action action;
  bool poll;
  bool notify;
  bool refresh;
  RepairLink link;
};

void PrintTo(const Expected& e, std::ostream* os) { *os << (*e.wire ? e.wire : "null"); }

// The observation each row is judged on: the job is over, data processed.
MxMemberStatus settled(std::string status) {
  MxMemberStatus s;
  s.guid = "MBR-1";
  s.connection_status = std::move(status);
  s.is_being_aggregated = false;
  s.has_processed_accounts = true;
  s.has_processed_transactions = true;
  return s;
}

using S = ConnectionStatus;
using A = Action;
namespace L {
constexpr RepairLink kNone = RepairLink::kNone;
constexpr RepairLink kWidget = RepairLink::kWidget;
constexpr RepairLink kCreds = RepairLink::kWidgetWithCredentials;
constexpr RepairLink kOAuth = RepairLink::kOAuthWindow;
}  // namespace L

// clang-format off
const Expected kExpected[] = {
  // wire            status             action                        poll   notify refresh link
  {"",               S::kNone,          A::kNothing,                  false, false, false, L::kNone},
  {"CREATED",        S::kCreated,       A::kWaitAndPoll,              true,  false, true , L::kNone},
  {"PREVENTED",      S::kPrevented,     A::kReconnectWithCredentials, false, true,  false, L::kCreds},
  {"DENIED",         S::kDenied,        A::kReconnectWithCredentials, false, true,  false, L::kCreds},
  {"CHALLENGED",     S::kChallenged,    A::kAnswerMfa,                false, true,  false, L::kWidget},
  {"REJECTED",       S::kRejected,      A::kRepairInWidget,           false, true,  false, L::kWidget},
  {"LOCKED",         S::kLocked,        A::kTellUserAndWait,          false, true,  false, L::kNone},
  {"CONNECTED",      S::kConnected,     A::kNothing,                  false, false, true , L::kNone},
  {"IMPEDED",        S::kImpeded,       A::kTellUserAndWait,          false, true,  false, L::kNone},
  {"RECONNECTED",    S::kReconnected,   A::kRepairInWidget,           false, true,  false, L::kWidget},
  {"DEGRADED",       S::kDegraded,      A::kRetryLater,               false, true,  true , L::kWidget},
  {"DISCONNECTED",   S::kDisconnected,  A::kRetryLater,               false, true,  true , L::kNone},
  {"DISCONTINUED",   S::kDiscontinued,  A::kGiveUp,                   false, true,  false, L::kNone},
  {"CLOSED",         S::kClosed,        A::kGiveUp,                   false, true,  false, L::kNone},
  {"DELAYED",        S::kDelayed,       A::kRetryLater,               true,  false, true , L::kNone},
  {"FAILED",         S::kFailed,        A::kRetryLater,               false, false, true , L::kNone},
  {"UPDATED",        S::kUpdated,       A::kWaitAndPoll,              true,  false, true , L::kNone},
  {"DISABLED",       S::kDisabled,      A::kRetryLater,               false, true,  false, L::kWidget},
  {"IMPORTED",       S::kImported,      A::kReconnectWithCredentials, false, true,  false, L::kCreds},
  {"RESUMED",        S::kResumed,       A::kWaitAndPoll,              true,  false, false, L::kNone},
  {"EXPIRED",        S::kExpired,       A::kRepairInWidget,           false, true,  false, L::kWidget},
  {"IMPAIRED",       S::kImpaired,      A::kReconnectWithCredentials, false, true,  false, L::kCreds},
  {"PENDING",        S::kPending,       A::kCompleteOAuth,            false, true,  false, L::kOAuth},
  {"QUANTUM_FLUX",   S::kUnknown,       A::kRetryLater,               false, false, true , L::kNone},
};
// clang-format on

class StatusPolicyRow : public ::testing::TestWithParam<Expected> {};

TEST_P(StatusPolicyRow, DecidesFromTheCurrentObservation) {
  const Expected& e = GetParam();
  EXPECT_EQ(parse_connection_status(e.wire), e.status);

  const PolicyDecision d = decide(settled(e.wire));
  EXPECT_EQ(d.status, e.status);
  EXPECT_EQ(d.action, e.action) << to_string(d.action);
  EXPECT_EQ(d.keep_polling, e.poll);
  EXPECT_EQ(d.notify_user, e.notify);
  EXPECT_EQ(d.may_refresh, e.refresh);
  EXPECT_EQ(d.link, e.link) << to_string(d.link);
  EXPECT_FALSE(d.settling);
  EXPECT_EQ(d.data_ready, e.status == S::kConnected);
  EXPECT_FALSE(d.basis.empty());

  // The table row agrees with decide() for a settled observation.
  const StatusRule& rule = rule_for(e.status);
  EXPECT_EQ(rule.status, e.status);
  EXPECT_EQ(rule.action, e.action);
  EXPECT_EQ(rule.keep_polling, e.poll);
  EXPECT_EQ(rule.notify_user, e.notify);
  EXPECT_EQ(rule.may_refresh, e.refresh);
  EXPECT_EQ(rule.link, e.link);

  // Every message exists and names the institution; those that notify must.
  if (e.notify) {
    EXPECT_FALSE(d.message_template.empty());
  }
  EXPECT_NE(d.message_template.find("{institution}"), std::string_view::npos);
  const std::string text = d.message("MX Bank");
  EXPECT_NE(text.find("MX Bank"), std::string::npos) << text;
  EXPECT_EQ(text.find('{'), std::string::npos) << text;
}

TEST_P(StatusPolicyRow, ActionsThatNeedTheUserForbidBackgroundRefresh) {
  const StatusRule& rule = rule_for(GetParam().status);
  switch (rule.action) {
    case A::kAnswerMfa:
    case A::kReconnectWithCredentials:
    case A::kRepairInWidget:
    case A::kTellUserAndWait:
    case A::kCompleteOAuth:
      EXPECT_TRUE(rule.notify_user);
      EXPECT_FALSE(rule.may_refresh);
      EXPECT_FALSE(rule.keep_polling);
      break;
    case A::kGiveUp:
      EXPECT_FALSE(rule.may_refresh);
      EXPECT_FALSE(rule.keep_polling);
      break;
    case A::kWaitAndPoll:
      EXPECT_TRUE(rule.keep_polling);
      EXPECT_FALSE(rule.notify_user);
      break;
    case A::kRetryLater:
      // The scheduler retries MX-side trouble, except DISABLED: MX paused it and resumes it.
      EXPECT_EQ(rule.may_refresh, GetParam().status != S::kDisabled);
      break;
    case A::kNothing:
      EXPECT_FALSE(rule.keep_polling);
      EXPECT_FALSE(rule.notify_user);
      break;
  }
}

std::string RowName(const ::testing::TestParamInfo<Expected>& info) {
  return *info.param.wire ? info.param.wire : "null";
}

INSTANTIATE_TEST_SUITE_P(AllStatuses, StatusPolicyRow, ::testing::ValuesIn(kExpected), RowName);

TEST(StatusPolicyTable, HasOneRowPerStatusInEnumOrder) {
  const auto& table = status_policy_table();
  ASSERT_EQ(table.size(), kConnectionStatusCount);
  ASSERT_EQ(std::size(kExpected), kConnectionStatusCount);  // 22 + null + unknown
  for (std::size_t i = 0; i < table.size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(table[i].status), i);
    EXPECT_EQ(table[i].status, kExpected[i].status);
  }
}

TEST(StatusPolicyTable, UnknownStatusNeverAsksForCredentialsOrGivesUp) {
  // A status added after this build: MX is working → wait; nothing running → retry later.
  MxMemberStatus s = settled("SOMETHING_NEW");
  PolicyDecision d = decide(s);
  EXPECT_EQ(d.status, S::kUnknown);
  EXPECT_EQ(d.action, A::kRetryLater);
  EXPECT_FALSE(d.keep_polling);  // no job: polling would never end
  EXPECT_FALSE(d.notify_user);

  s.is_being_aggregated = true;
  d = decide(s);
  EXPECT_EQ(d.action, A::kWaitAndPoll);
  EXPECT_TRUE(d.keep_polling);
  EXPECT_FALSE(d.notify_user);

  // Lower case is not MX's spelling: unknown, not CONNECTED.
  EXPECT_EQ(parse_connection_status("connected"), S::kUnknown);
}

TEST(StatusPolicyDecide, ConnectedWhileAggregatingKeepsPolling) {
  MxMemberStatus s = settled("CONNECTED");
  s.is_being_aggregated = true;
  s.has_processed_transactions = false;
  const PolicyDecision d = decide(s);
  EXPECT_EQ(d.action, A::kWaitAndPoll);
  EXPECT_TRUE(d.keep_polling);
  EXPECT_FALSE(d.data_ready);
  EXPECT_FALSE(d.notify_user);
  EXPECT_FALSE(d.may_refresh);  // a job is already running
  EXPECT_EQ(d.message("MX Bank"), "Updating your MX Bank accounts...");
}

TEST(StatusPolicyDecide, ConnectedAndDoneIsDataReady) {
  const PolicyDecision d = decide(settled("CONNECTED"));
  EXPECT_EQ(d.action, A::kNothing);
  EXPECT_FALSE(d.keep_polling);
  EXPECT_TRUE(d.data_ready);
  EXPECT_FALSE(d.settling);
  EXPECT_FALSE(d.notify_user);
  EXPECT_TRUE(d.may_refresh);
  EXPECT_EQ(d.message("MX Bank"), "Connected to MX Bank.");
}

TEST(StatusPolicyDecide, ConnectedWithTransactionsNotProcessedSettles) {
  MxMemberStatus s = settled("CONNECTED");
  s.has_processed_transactions = false;  // accounts can race the transaction pull
  const PolicyDecision d = decide(s);
  EXPECT_EQ(d.action, A::kWaitAndPoll);
  EXPECT_TRUE(d.keep_polling);
  EXPECT_TRUE(d.settling);
  EXPECT_FALSE(d.data_ready);
  EXPECT_GT(kMaxSettlePolls, 0);
}

TEST(StatusPolicyDecide, AggregatingDoesNotHideStatusesThatNeedTheUser) {
  // MX keeps the job open while it waits for an MFA answer; that is not "still working".
  for (const char* status : {"CHALLENGED", "DENIED", "LOCKED", "PENDING", "DISCONTINUED"}) {
    MxMemberStatus s = settled(status);
    s.is_being_aggregated = true;
    EXPECT_EQ(decide(s).action, rule_for(parse_connection_status(status)).action) << status;
    EXPECT_FALSE(decide(s).keep_polling) << status;
  }
}

TEST(StatusPolicyDecide, ReconnectedWaitsForAForegroundJobThenRepairs) {
  MxMemberStatus s = settled("RECONNECTED");
  s.is_being_aggregated = true;
  EXPECT_EQ(decide(s).action, A::kWaitAndPoll);
  s.is_being_aggregated = false;
  EXPECT_EQ(decide(s).action, A::kRepairInWidget);
  EXPECT_FALSE(decide(s).may_refresh);  // no background aggregation for RECONNECTED
}

TEST(StatusPolicyDecide, ConnectedIsNotSticky) {
  // One member seen over several refresh cycles: each decision follows the observation alone.
  const std::vector<std::pair<std::string, Action>> seen = {
      {"CONNECTED", A::kNothing},
      {"CHALLENGED", A::kAnswerMfa},
      {"RESUMED", A::kWaitAndPoll},
      {"CONNECTED", A::kNothing},
      {"DENIED", A::kReconnectWithCredentials},
      {"UPDATED", A::kWaitAndPoll},
      {"CONNECTED", A::kNothing},
  };
  for (const auto& [status, action] : seen) {
    EXPECT_EQ(decide(settled(status)).action, action) << status;
  }
  // Same observation, same decision, whatever came before.
  const PolicyDecision first = decide(settled("CHALLENGED"));
  decide(settled("CONNECTED"));
  const PolicyDecision again = decide(settled("CHALLENGED"));
  EXPECT_EQ(first.action, again.action);
  EXPECT_EQ(first.message_template, again.message_template);
}

TEST(StatusPolicyDecide, FullMemberObjectCountsAsProcessed) {
  MxMember m;
  m.guid = "MBR-1";
  m.connection_status = "CONNECTED";
  m.is_being_aggregated = false;
  EXPECT_TRUE(decide(m).data_ready);
  m.is_being_aggregated = true;
  EXPECT_EQ(decide(m).action, A::kWaitAndPoll);
  m.connection_status = "DISABLED";
  m.is_being_aggregated = false;
  EXPECT_EQ(decide(m).action, A::kRetryLater);  // paused, not broken: no credentials asked
}

TEST(StatusPolicyFormat, WireStringsAndIdsRoundTrip) {
  std::set<std::string_view> names;
  for (int id = 0; id < 22; ++id) {
    const ConnectionStatus s = connection_status_from_id(id);
    ASSERT_NE(s, S::kUnknown) << id;
    ASSERT_NE(s, S::kNone) << id;
    EXPECT_EQ(connection_status_id(s), id);
    EXPECT_EQ(parse_connection_status(to_string(s)), s);
    names.insert(to_string(s));
  }
  EXPECT_EQ(names.size(), 22U);
  // MX's integers (S003; CW Statuses.js), spot-checked.
  EXPECT_EQ(connection_status_id(S::kCreated), 0);
  EXPECT_EQ(connection_status_id(S::kConnected), 6);
  EXPECT_EQ(connection_status_id(S::kDisabled), 16);
  EXPECT_EQ(connection_status_id(S::kPending), 21);
  EXPECT_EQ(connection_status_from_id(-1), S::kUnknown);
  EXPECT_EQ(connection_status_from_id(22), S::kUnknown);
  EXPECT_EQ(connection_status_id(S::kNone), std::nullopt);
  EXPECT_EQ(connection_status_id(S::kUnknown), std::nullopt);
  EXPECT_EQ(to_string(S::kNone), "");
  EXPECT_EQ(to_string(S::kUnknown), "UNKNOWN");
  EXPECT_EQ(parse_connection_status("UNKNOWN"), S::kUnknown);
}

TEST(StatusPolicyFormat, ActionNamesRoundTrip) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kActionCount; ++i) {
    const auto action = static_cast<Action>(i);
    names.insert(to_string(action));
    EXPECT_EQ(parse_action(to_string(action)), action);
  }
  EXPECT_EQ(names.size(), kActionCount);
  EXPECT_EQ(to_string(A::kReconnectWithCredentials), "reconnect_with_credentials");
  EXPECT_EQ(parse_action("reconnect"), std::nullopt);
  EXPECT_EQ(parse_action(""), std::nullopt);
}

TEST(StatusPolicyFormat, MessageFillsEveryPlaceholder) {
  const std::string_view tmpl = rule_for(S::kLocked).message;
  EXPECT_EQ(format_status_message(tmpl, "MX Bank"),
            "MX Bank has locked your account. Please contact MX Bank, then try again.");
  EXPECT_EQ(format_status_message(tmpl, ""),
            "Your bank has locked your account. Please contact your bank, then try again.");
  EXPECT_EQ(format_status_message("no placeholder", "X"), "no placeholder");
  EXPECT_EQ(format_status_message("{institution}", "{institution}"), "{institution}");
}

}  // namespace
}  // namespace mxclient
