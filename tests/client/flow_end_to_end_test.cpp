// The seed's steps end to end against the real emulator: enrol → widget URL → callback → watch
// until CONNECTED and idle → sync → a later incremental sync.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "flow_emulator_fixture.h"

namespace mxemu::testing {
namespace {

using mxclient::WatchEnd;
using mxclient::WatchState;
using nlohmann::json;
using std::chrono::hours;

std::string url_encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      static const char* kHex = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4U];
      out += kHex[c & 15U];
    }
  }
  return out;
}

// The from_date query parameter of a request target ("" when absent).
std::string from_date_of(const std::string& target) {
  const auto at = target.find("from_date=");
  if (at == std::string::npos) return "";
  return target.substr(at + 10, 10);
}

TEST_F(FlowEmulatorTest, EnrolConnectCallbackWatchSyncAndIncrementalSync) {
  // 1. Enrol: one MX user per app user; the second enrol does not call MX.
  auto user = enroller_->enrol("alice");
  ASSERT_TRUE(user) << user.error().message;
  auto again = enroller_->enrol("alice");
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ(again->user_guid, user->user_guid);
  EXPECT_EQ(transport_->calls("POST", "/users"), 1);

  // 2. Connect: the iOS configuration's fields reach MX.
  auto flow = connect_flow(mxclient::ios_platform("bankapp", "https://app.example.com/mx/oauth"));
  auto url = flow.connect("alice");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_EQ(url->rfind("http://127.0.0.1:9999/connect/", 0), 0U) << *url;
  const auto widget_requests = sent("POST", "/users/" + user->user_guid + "/widget_urls");
  ASSERT_EQ(widget_requests.size(), 1U);
  const json w = json::parse(widget_requests[0].body).at("widget_url");
  EXPECT_EQ(w.at("widget_type"), "connect_widget");
  EXPECT_EQ(w.at("is_mobile_webview"), true);
  EXPECT_EQ(w.at("client_redirect_url"), "https://app.example.com/mx/oauth");
  EXPECT_EQ(w.at("ui_message_webview_url_scheme"), "bankapp");
  EXPECT_EQ(w.at("ui_message_version"), 4);
  EXPECT_EQ(w.at("oauth_referral_source"), "APP");

  // The user connects MX Bank in the widget (here: through the API, as the widget would).
  const std::string member_guid = create_mxbank_member(user->user_guid, "password");
  ASSERT_FALSE(member_guid.empty());

  // 3. Callback: the webview navigation event names the member.
  const std::string metadata = R"({"user_guid":")" + user->user_guid +
                               R"(","session_guid":"ANS-1","member_guid":")" + member_guid +
                               R"("})";
  auto stored =
      flow.complete("alice", "bankapp://connect/memberConnected?metadata=" + url_encode(metadata));
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->member_guid, member_guid);
  EXPECT_EQ(stored->institution_code, "mxbank");
  EXPECT_EQ(stored->watch_state, WatchState::kWatching);

  // 4. Watch: poll every 3 s (virtual time) until CONNECTED and idle.
  auto watched = watcher_->watch(member_guid);
  ASSERT_TRUE(watched) << watched.error().message;
  EXPECT_EQ(watched->end, WatchEnd::kReady);
  EXPECT_EQ(watched->last.connection_status, "CONNECTED");
  EXPECT_FALSE(watched->last.is_being_aggregated);
  EXPECT_GT(watched->polls, 1);
  EXPECT_TRUE(notifier_.notices.empty());
  for (auto d : sleeper_.delays()) EXPECT_EQ(d, std::chrono::milliseconds{3000});
  EXPECT_EQ(member(member_guid).watch_state, WatchState::kSettled);
  auto history = store_->list_status_history(member_guid);
  ASSERT_TRUE(history);
  EXPECT_EQ(history->front().source, mxclient::StatusSource::kCallback);
  EXPECT_EQ(history->back().connection_status, "CONNECTED");

  // 5. Sync: every account and transaction, categories mapped to the app's own.
  int progress_lines = 0;
  auto first = syncer_->sync(member_guid, [&](const mxclient::SyncProgress&) { ++progress_lines; });
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_FALSE(first->window.incremental);
  EXPECT_GE(progress_lines, 2);  // at least one page of each phase
  EXPECT_EQ(first->accounts_fetched, 6U);
  EXPECT_GT(first->transactions_fetched, 500U);
  EXPECT_EQ(first->counts.transactions.inserted,
            static_cast<std::int64_t>(first->transactions_fetched));
  auto first_tx =
      sent("GET", "/users/" + user->user_guid + "/members/" + member_guid + "/transactions");
  ASSERT_FALSE(first_tx.empty());
  EXPECT_EQ(from_date_of(first_tx.front().target), "");  // MX's default window
  EXPECT_TRUE(first->unmapped.empty()) << first->unmapped.front().category;

  mxclient::TransactionQuery by_member;
  by_member.member_guid = member_guid;
  auto rows = store_->list_transactions(by_member);
  ASSERT_TRUE(rows) << rows.error().message;
  EXPECT_EQ(rows->size(), first->transactions_fetched);
  const std::set<std::string> app_categories(mapper_.app_categories().begin(),
                                             mapper_.app_categories().end());
  for (const auto& row : *rows) {
    ASSERT_EQ(app_categories.count(row.app_category), 1U)
        << row.transaction.category << " -> " << row.app_category;
  }
  auto accounts = store_->list_accounts_by_member(member_guid);
  ASSERT_TRUE(accounts);
  EXPECT_EQ(accounts->size(), 6U);
  const mxclient::MemberRecord synced = member(member_guid);
  ASSERT_TRUE(synced.last_synced_at.has_value());
  EXPECT_EQ(*synced.last_synced_at, first->synced_at);
  ASSERT_TRUE(synced.last_transaction_date.has_value());

  // Three days later (MX aggregates in the background meanwhile), watch and sync again: only
  // the recent window is asked for, from the last sync's date minus the overlap.
  sleeper_.wait(hours(72));
  auto rewatched = watcher_->watch(member_guid);
  ASSERT_TRUE(rewatched) << rewatched.error().message;
  ASSERT_EQ(rewatched->end, WatchEnd::kReady);
  auto second = syncer_->sync(member_guid);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_TRUE(second->window.incremental);
  const std::string expected_from =
      mxclient::add_days(mxclient::utc_date(*synced.last_synced_at), -7);
  EXPECT_EQ(second->window.filter.from_date, expected_from);
  auto all_tx =
      sent("GET", "/users/" + user->user_guid + "/members/" + member_guid + "/transactions");
  ASSERT_GE(all_tx.size(), 2U);
  EXPECT_EQ(from_date_of(all_tx.back().target), expected_from);
  EXPECT_LT(second->transactions_fetched, first->transactions_fetched / 4);
  EXPECT_GT(second->transactions_fetched, 0U);
  EXPECT_GT(second->counts.transactions.inserted, 0);  // three new days of rows
  EXPECT_GT(member(member_guid).last_synced_at, synced.last_synced_at);
}

}  // namespace
}  // namespace mxemu::testing
