// One writer of member statuses, one table of status names.
//
// record_member_status (watch.h) is the only code that writes a member's status and history;
// the webhook receiver converts an event into a status in one place (ReceivedWebhook::
// observation), so `mxctl webhooks serve` and a library consumer store the same thing. The
// client's sources are read to hold the structure: no other Store::record_status call, and no
// other spelling of MX's 22 status names than status_policy.cpp's table.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "mxclient/webhook_receiver.h"
#include "mxctl_fixture.h"

namespace mxemu::testing {
namespace {

namespace fs = std::filesystem;

// Every .h/.cpp under client/, as (path relative to the repository, lines without comments).
std::vector<std::pair<std::string, std::vector<std::string>>> client_sources() {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  const fs::path root = fs::path(MXEMU_SOURCE_DIR);
  for (const auto& entry : fs::recursive_directory_iterator(root / "client")) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".h" && ext != ".cpp")) continue;
    std::ifstream in(entry.path());
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
      if (auto comment = line.find("//"); comment != std::string::npos) line.resize(comment);
      lines.push_back(line);
    }
    out.emplace_back(fs::relative(entry.path(), root).string(), std::move(lines));
  }
  return out;
}

TEST(StatusWriterStructure, OnlyRecordMemberStatusCallsStoreRecordStatus) {
  const std::regex call(R"(\brecord_status\s*\()");
  std::vector<std::string> callers;
  for (const auto& [path, lines] : client_sources()) {
    if (path.find("sqlite_store") != std::string::npos ||
        path == "client/include/mxclient/store.h") {
      continue;  // the Store itself: its declaration and SQLite implementation
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (std::regex_search(lines[i], call)) callers.push_back(path + ":" + std::to_string(i + 1));
    }
  }
  ASSERT_EQ(callers.size(), 1U) << ::testing::PrintToString(callers);
  EXPECT_EQ(callers[0].rfind("client/src/watch_observe.cpp:", 0), 0U) << callers[0];
}

TEST(StatusWriterStructure, MxStatusNamesAreSpelledInOneTable) {
  const std::vector<std::string> names = {
      "CREATED",   "PREVENTED", "DENIED",      "CHALLENGED", "REJECTED",     "LOCKED",
      "CONNECTED", "IMPEDED",   "RECONNECTED", "DEGRADED",   "DISCONNECTED", "DISCONTINUED",
      "CLOSED",    "DELAYED",   "FAILED",      "UPDATED",    "DISABLED",     "IMPORTED",
      "RESUMED",   "EXPIRED",   "IMPAIRED",    "PENDING"};
  std::vector<std::string> elsewhere;
  for (const auto& [path, lines] : client_sources()) {
    if (path == "client/src/status_policy.cpp") continue;  // the table
    for (std::size_t i = 0; i < lines.size(); ++i) {
      for (const auto& name : names) {
        if (lines[i].find("\"" + name + "\"") != std::string::npos) {
          elsewhere.push_back(path + ":" + std::to_string(i + 1) + " " + name);
        }
      }
    }
  }
  EXPECT_TRUE(elsewhere.empty()) << ::testing::PrintToString(elsewhere);
}

class StatusWriterTest : public MxctlTest {
 protected:
  void SetUp() override { member_ = enrol_and_connect("u-hooks", "password"); }

  // MX's CONNECTION_STATUS payload: no time, no is_being_aggregated.
  std::string connection_status(const std::string& status) const {
    return nlohmann::json{{"type", "CONNECTION_STATUS"},
                          {"action", "CHANGED"},
                          {"member_guid", member_},
                          {"user_guid", "USR-x"},
                          {"connection_status", status}}
        .dump();
  }

  // `mxctl webhooks serve`, with `body` POSTed to it once it listens.
  CliRun serve_and_deliver(const std::string& body) {
    bool delivered = false;
    return cli({"webhooks", "serve", "--port", "0", "--json"}, "", nullptr,
               [&](const std::ostringstream& out) {
                 if (delivered) return true;  // stop: the server drains its queue first
                 delivered = true;
                 const auto listening =
                     nlohmann::json::parse(out.str().substr(0, out.str().find('\n')));
                 const std::string url = listening["url"];  // http://127.0.0.1:PORT/path
                 const auto slash = url.find('/', 7);
                 httplib::Client client(url.substr(0, slash));
                 auto reply = client.Post(url.substr(slash), body, "application/json");
                 EXPECT_TRUE(reply && reply->status == 204);
                 return false;
               });
  }

  mxclient::StatusObservation latest() {
    auto store = mxclient::open_sqlite_store(db_);
    EXPECT_TRUE(store);
    auto found = (*store)->latest_status(member_);
    EXPECT_TRUE(found && found->has_value());
    return found && *found ? **found : mxclient::StatusObservation{};
  }

  std::string member_;
};

TEST_F(StatusWriterTest, TheCliWebhookPathStoresWhatTheLibraryReceiverStores) {
  CliRun served = serve_and_deliver(connection_status("CHALLENGED"));
  ASSERT_EQ(served.code, mxctl::kExitOk) << served.err;
  EXPECT_NE(served.out.find(R"("outcome":"answer_mfa")"), std::string::npos) << served.out;
  const mxclient::StatusObservation via_cli = latest();
  EXPECT_EQ(via_cli.connection_status, "CHALLENGED");
  EXPECT_EQ(via_cli.source, mxclient::StatusSource::kWebhook);
  // MX's payload says nothing of the job: CHALLENGED waits for the answer, so aggregating.
  EXPECT_TRUE(via_cli.is_being_aggregated);
  auto cli_member = cli({"status", member_, "--json"}).json();
  EXPECT_EQ(cli_member["watch_state"], "needs_user");
  EXPECT_TRUE(cli_member["is_being_aggregated"].get<bool>());

  // The library's receiver, recording on its own, reads the same payload the same way.
  auto store = mxclient::open_sqlite_store(dir_.file("library.sqlite"));
  ASSERT_TRUE(store);
  ASSERT_TRUE((*store)->upsert_end_user({"u-hooks", cli_member["user_guid"], clock_.now()}));
  mxclient::MemberRecord m;
  m.member_guid = member_;
  m.user_guid = cli_member["user_guid"];
  m.connection_status = "CONNECTED";
  ASSERT_TRUE((*store)->upsert_member(m));
  mxclient::WebhookReceiver receiver(**store, clock_);
  auto accepted = receiver.accept(connection_status("CHALLENGED"));
  ASSERT_TRUE(accepted && accepted->webhook) << accepted.error().message;
  ASSERT_TRUE(accepted->webhook->observation);
  EXPECT_EQ(accepted->webhook->observation->is_being_aggregated, via_cli.is_being_aggregated);
  auto stored = (*store)->find_member(member_);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->is_being_aggregated, via_cli.is_being_aggregated);
  EXPECT_EQ((*stored)->watch_state, mxclient::WatchState::kNeedsUser);
}

TEST_F(StatusWriterTest, AggregateRepliesAreRecordedByTheOneWriter) {
  // refresh MEMBER goes around the scheduler; --due goes through it and records the reply.
  sleeper_.wait(std::chrono::hours(2));
  ASSERT_EQ(cli({"refresh", "--due", "--sla-hours", "1"}).code, mxctl::kExitOk);
  const mxclient::StatusObservation reply = latest();
  EXPECT_EQ(reply.source, mxclient::StatusSource::kPoll);
  EXPECT_TRUE(reply.is_being_aggregated);  // the aggregate answered with the job started
  EXPECT_EQ(cli({"status", member_, "--json"}).json()["watch_state"], "watching");
}

}  // namespace
}  // namespace mxemu::testing
