// ConnectHost (the page `mxctl connect --browser` serves) and wait_for_widget (its messages fed
// to ConnectFlow): a real loopback server, posted to as the page's script posts, and the real
// emulator in process behind the flow.
#include "mxclient/connect_host.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <string>
#include <vector>

#include "flow_emulator_fixture.h"
#include "widget_messages.h"

namespace mxemu::testing {
namespace {

using mxclient::BrowserConnectEnd;
using mxclient::ConnectHost;
using mxclient::ConnectHostOptions;
using nlohmann::json;

constexpr const char* kWidgetUrl = "http://127.0.0.1:8089/connect/tok123";

ConnectHostOptions host_options() {
  ConnectHostOptions o;
  o.token = "0123456789abcdef0123456789abcdef";
  return o;
}

std::string path_of(const std::string& url) {
  return url.substr(url.find('/', url.find("//") + 2));
}

TEST(ConnectHost, ServesThePageOnLoopbackWithTheWidgetInAnIframe) {
  ConnectHost host(kWidgetUrl, host_options());
  auto port = host.start();
  ASSERT_TRUE(port) << port.error().message;
  EXPECT_GT(*port, 0);
  EXPECT_EQ(host.page_url(), "http://127.0.0.1:" + std::to_string(*port) +
                                 "/connect/0123456789abcdef0123456789abcdef");
  EXPECT_EQ(host.messages_url(), host.page_url() + "/messages");

  httplib::Client client("127.0.0.1", *port);
  auto page = client.Get(path_of(host.page_url()).c_str());
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type").rfind("text/html", 0), 0U);
  EXPECT_NE(page->body.find("<iframe id=\"widget\""), std::string::npos);
  EXPECT_NE(page->body.find(R"("widget_url":"http://127.0.0.1:8089/connect/tok123")"),
            std::string::npos);
  EXPECT_NE(page->body.find(path_of(host.messages_url())), std::string::npos);
  // Only the frame's own messages, from the widget's origin, with mx: true, are forwarded.
  EXPECT_NE(page->body.find("event.source !== frame.contentWindow"), std::string::npos);
  EXPECT_NE(page->body.find("event.origin !== widgetOrigin"), std::string::npos);
  EXPECT_NE(page->body.find("data.mx !== true"), std::string::npos);
}

TEST(ConnectHost, AWidgetUrlCannotCloseThePagesScript) {
  const std::string page = mxclient::connect_host_page(
      "http://127.0.0.1:1/connect/x?</script><script>alert(1)</script>", "/connect/t/messages");
  EXPECT_EQ(page.find("</script><script>alert"), std::string::npos);
  EXPECT_NE(page.find(R"(<\/script><script>alert(1)<\/script>)"), std::string::npos);
}

TEST(ConnectHost, TakesMessagesInOrderAndRefusesWhatThePageWouldNotSend) {
  ConnectHostOptions options = host_options();
  options.max_queued = 3;
  options.max_body_bytes = 1024;
  ConnectHost host(kWidgetUrl, options);
  auto port = host.start();
  ASSERT_TRUE(port) << port.error().message;
  const std::string messages = path_of(host.messages_url());
  httplib::Client client("127.0.0.1", *port);
  const std::string origin = "http://127.0.0.1:" + std::to_string(*port);

  WidgetMessages widget("USR-1");
  const auto first = widget.message("mx/load");
  const auto second = widget.message("mx/connect/loaded", {{"initial_step", "search"}});
  EXPECT_EQ(post_messages(host.messages_url(), {first}), std::vector<int>{202});
  // The page's fetch sends its own origin.
  EXPECT_EQ(post_messages(host.messages_url(), {second}, {{"Origin", origin}}),
            std::vector<int>{202});

  auto status = [&](const char* method, const std::string& path, const std::string& body,
                    httplib::Headers headers = {}) {
    httplib::Request req;
    req.method = method;
    req.path = path;
    req.headers = std::move(headers);
    req.body = body;
    if (!body.empty()) req.set_header("Content-Type", "application/json");
    auto reply = client.send(req);
    return reply ? reply->status : -1;
  };
  EXPECT_EQ(status("POST", "/connect/wrong-token-0000000000/messages", "{}"), 404);
  EXPECT_EQ(status("GET", messages, ""), 405);
  EXPECT_EQ(status("POST", path_of(host.page_url()), "{}"), 405);
  EXPECT_EQ(status("POST", messages, "{not json"), 400);
  EXPECT_EQ(status("POST", messages, "[1,2]"), 400);
  EXPECT_EQ(status("POST", messages, "{}", {{"Origin", "http://evil.example"}}), 403);
  EXPECT_EQ(status("POST", messages, R"({"pad":")" + std::string(2000, 'x') + "\"}"), 413);
  EXPECT_EQ(status("POST", messages, R"({"third":1})"), 202);
  EXPECT_EQ(status("POST", messages, R"({"fourth":1})"), 503);  // three not yet taken
  EXPECT_EQ(host.rejected(), 6U);  // 404 (a wrong token), 400 twice, 403, 413, 503

  const auto taken = host.take_messages();
  ASSERT_EQ(taken.size(), 3U);
  EXPECT_EQ(json::parse(taken[0]), first);
  EXPECT_EQ(json::parse(taken[1]), second);
  EXPECT_EQ(json::parse(taken[2]), json({{"third", 1}}));
  EXPECT_TRUE(host.take_messages().empty());
  EXPECT_EQ(status("POST", messages, R"({"fourth":1})"), 202);  // room again

  host.stop();
  host.stop();  // idempotent
  EXPECT_FALSE(client.Get(path_of(host.page_url()).c_str()));
}

TEST(ConnectHost, RefusesOptionsThatWouldNotBeSafe) {
  ConnectHostOptions short_token = host_options();
  short_token.token = "guessable";
  auto refused = ConnectHost(kWidgetUrl, short_token).start();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, mxclient::ErrorKind::kInvalidInput);

  ConnectHostOptions odd = host_options();
  odd.token = "0123456789abcdef/../../etc";
  EXPECT_FALSE(ConnectHost(kWidgetUrl, odd).start());
  EXPECT_FALSE(ConnectHost("javascript:alert(1)", host_options()).start());

  ConnectHost first(kWidgetUrl, host_options());
  ASSERT_TRUE(first.start());
  EXPECT_FALSE(first.start());  // not restartable
}

class WaitForWidgetTest : public FlowEmulatorTest {
 protected:
  void SetUp() override {
    auto user = enroller_->enrol("app-user");
    ASSERT_TRUE(user) << user.error().message;
    user_guid_ = user->user_guid;
    ASSERT_TRUE(host_.start());
  }

  mxclient::Result<mxclient::BrowserConnectResult> wait(mxclient::Sleeper& sleeper) {
    config_.on_message = [this](const mxclient::WidgetCallback& m) { seen_.push_back(m.event); };
    config_.on_rejected = [this](const std::string& why) { rejected_.push_back(why); };
    config_.on_progress = [this](std::chrono::milliseconds elapsed, int) {
      beats_.push_back(elapsed.count() / 1000);
    };
    return mxclient::wait_for_widget(host_, flow_, "app-user", clock_, sleeper, config_);
  }

  ConnectHost host_{kWidgetUrl, host_options()};
  mxclient::ConnectFlow flow_ = connect_flow(mxclient::web_platform());
  mxclient::BrowserConnectConfig config_;
  std::string user_guid_;
  std::vector<std::string> seen_;
  std::vector<std::string> rejected_;
  std::vector<long long> beats_;
};

TEST_F(WaitForWidgetTest, StoresTheMemberTheWidgetReportsThroughTheOneStatusWriter) {
  // The person connects in the widget: the member exists at MX, then the page posts.
  const std::string member = create_mxbank_member(user_guid_, "password");
  sleeper_.wait(std::chrono::seconds(30));  // the widget waits for the aggregation to finish
  WidgetMessages widget(user_guid_);
  BrowserActsSleeper person(sleeper_, [&] {
    const auto statuses = post_messages(host_.messages_url(), widget.successful_connect(member));
    for (int s : statuses) EXPECT_EQ(s, 202);
  });
  auto result = wait(person);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, BrowserConnectEnd::kConnected);
  ASSERT_TRUE(result->member);
  EXPECT_EQ(result->member->member_guid, member);
  EXPECT_EQ(result->member->app_user_id, "app-user");
  EXPECT_EQ(result->member->connection_status, "CONNECTED");
  EXPECT_EQ(result->messages, 10);  // up to memberConnected; the rest is not waited for
  EXPECT_EQ(result->last_connection_status, 6);
  EXPECT_EQ(person.waits, 1);
  ASSERT_EQ(seen_.size(), 10U);
  EXPECT_EQ(seen_.front(), "mx/load");
  EXPECT_EQ(seen_.back(), "mx/connect/memberConnected");
  EXPECT_TRUE(rejected_.empty());

  auto history = store_->list_status_history(member);
  ASSERT_TRUE(history);
  ASSERT_FALSE(history->empty());
  EXPECT_EQ(history->back().connection_status, "CONNECTED");
  EXPECT_EQ(history->back().source, mxclient::StatusSource::kCallback);
}

TEST_F(WaitForWidgetTest, ADeletedMemberIsForgottenAndTheWaitGoesOn) {
  const std::string old_member = create_mxbank_member(user_guid_, "password");
  ASSERT_TRUE(flow_.complete("app-user", R"({"mx":true,"type":"mx/connect/memberConnected",)"
                                         R"("metadata":{"user_guid":")" +
                                             user_guid_ + R"(","member_guid":")" + old_member +
                                             R"("}})"));
  ASSERT_TRUE(*store_->find_member(old_member));
  sleeper_.wait(std::chrono::seconds(30));
  WidgetMessages widget(user_guid_);
  std::string new_member;
  BrowserActsSleeper person(sleeper_, [&] {
    // The person deletes the old connection in the widget, then connects again.
    post_messages(host_.messages_url(),
                  {widget.message("mx/connect/memberDeleted", {{"member_guid", old_member}})});
    new_member = create_mxbank_member(user_guid_, "password");
  });
  mxclient::flowtest::InterruptedSleeper never_done(person, 3);
  auto first = wait(never_done);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->end, BrowserConnectEnd::kInterrupted);
  EXPECT_EQ(first->deleted, std::vector<std::string>{old_member});
  EXPECT_FALSE(*store_->find_member(old_member));

  sleeper_.wait(std::chrono::seconds(30));
  post_messages(host_.messages_url(),
                {widget.message("mx/connect/memberConnected", {{"member_guid", new_member}})});
  auto second = wait(sleeper_);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_EQ(second->end, BrowserConnectEnd::kConnected);
  EXPECT_EQ(second->member->member_guid, new_member);
}

TEST_F(WaitForWidgetTest, AMemberOfAnotherUserIsRefusedAndNotStored) {
  auto other = enroller_->enrol("someone-else");
  ASSERT_TRUE(other);
  const std::string theirs = create_mxbank_member(other->user_guid, "password");
  WidgetMessages widget(other->user_guid);
  post_messages(host_.messages_url(),
                {widget.message("mx/connect/memberConnected", {{"member_guid", theirs}})});
  auto result = wait(sleeper_);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, mxclient::ErrorKind::kInvalidInput);
  EXPECT_FALSE(*store_->find_member(theirs));
}

TEST_F(WaitForWidgetTest, UnreadableMessagesAreReportedTheTimeoutEndsTheWaitWithHeartbeats) {
  WidgetMessages widget(user_guid_);
  post_messages(host_.messages_url(),
                {widget.message("mx/connect/memberConnected"),  // no member_guid
                 json{{"mx", true}, {"type", 42}}, widget.message("mx/load")});
  config_.timeout = std::chrono::seconds(35);
  const auto before = clock_.now();
  auto result = wait(sleeper_);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->end, BrowserConnectEnd::kTimedOut);
  EXPECT_EQ(result->messages, 1);
  EXPECT_EQ(rejected_.size(), 2U);
  EXPECT_EQ(seen_, std::vector<std::string>{"mx/load"});
  EXPECT_GE(clock_.now() - before, std::chrono::seconds(35));
  EXPECT_LE(clock_.now() - before, std::chrono::seconds(36));
  EXPECT_EQ(beats_, (std::vector<long long>{10, 20, 30}));
}

}  // namespace
}  // namespace mxemu::testing
