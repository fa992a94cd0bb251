#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mxclient/callback.h"
#include "mxclient/connect.h"
#include "mxclient/result.h"
#include "mxclient/store.h"
#include "mxclient/time.h"

// Step 2 in a browser: a local host page that embeds a Connect widget URL in an iframe, as a web
// app does, and hands the widget's postMessages (mx-behavior §7b, ui_message_version 4) to the
// client. A person opens the page, connects in the widget, and the client stores the member the
// widget reports (ConnectFlow::complete) without anyone copying a callback by hand.
//
// The page listens for `message` events from the iframe only (event.source is the frame and
// event.origin the widget URL's origin), keeps those with `mx: true`, and POSTs each, as the
// JSON it received, to the host's messages endpoint. The host queues the raw texts; the caller
// takes them (take_messages) on its own thread, so nothing of the client runs on the server's
// workers.
namespace mxclient {

struct ConnectHostOptions {
  std::string host = "127.0.0.1";  // loopback only: the page is for the person at this machine
  int port = 0;                    // 0: any free port
  // A secret in every path (/connect/<token>…): another page in the same browser cannot post
  // messages to a host it was not shown. Required, at least 16 characters of [A-Za-z0-9_-].
  std::string token;
  std::size_t max_body_bytes = std::size_t{64} * 1024;  // one postMessage; 413 above
  std::size_t max_queued = 256;                         // messages not yet taken; 503 above
  int threads = 2;
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds write_timeout{5};
};

// GET  /connect/<token>           the host page (text/html)
// POST /connect/<token>/messages  one postMessage's data as JSON → 202 {"queued": n}
// Anything else is 404 (a wrong token included), another method 405, a body that is not a JSON
// object 400, a request whose Origin header is not the host's own origin 403, a full queue 503.
//
// Lifecycle: start() → take_messages()… → stop() (or the destructor). Not restartable.
class ConnectHost {
 public:
  ConnectHost(std::string widget_url, ConnectHostOptions options);
  ~ConnectHost();
  ConnectHost(const ConnectHost&) = delete;
  ConnectHost& operator=(const ConnectHost&) = delete;

  // Binds and serves; the bound port. kInvalidInput for bad options or a second start,
  // kTransport when the address cannot be bound.
  Result<int> start();
  void stop();  // idempotent

  std::string page_url() const;      // http://127.0.0.1:<port>/connect/<token>
  std::string messages_url() const;  // page_url() + "/messages"
  // The postMessages received since the last call, oldest first (raw JSON text).
  std::vector<std::string> take_messages();
  std::size_t rejected() const;  // requests answered 4xx/5xx on the messages path

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// The host page for `widget_url`, posting to `messages_path` (exposed for tests of its text).
std::string connect_host_page(const std::string& widget_url, const std::string& messages_path);

// ---- waiting for the widget -------------------------------------------------------------------

struct BrowserConnectConfig {
  std::chrono::milliseconds poll_interval{250};  // how often the queue is read (Sleeper)
  // Overall bound, on the injected Clock. MX's widget URL must be opened within ten minutes;
  // the person then needs time to type and answer MFA.
  std::chrono::milliseconds timeout{std::chrono::minutes(30)};
  // Each message as it is handled (progress lines), and a heartbeat every `progress_every`
  // of waiting with the elapsed time and the messages seen so far.
  std::function<void(const WidgetCallback&)> on_message;
  std::function<void(const std::string& error)> on_rejected;  // a message that did not parse
  std::function<void(std::chrono::milliseconds elapsed, int messages)> on_progress;
  std::chrono::milliseconds progress_every{10000};
};

enum class BrowserConnectEnd {
  kConnected,    // memberConnected (or an OAuth success) came and the member is stored
  kTimedOut,     // nothing completed within the timeout
  kInterrupted,  // the Sleeper was interrupted (SIGINT)
};
// "connected", "timed_out", "interrupted".
std::string_view to_string(BrowserConnectEnd end);

struct BrowserConnectResult {
  BrowserConnectEnd end = BrowserConnectEnd::kTimedOut;
  std::optional<MemberRecord> member;  // kConnected: as stored by ConnectFlow::complete
  int messages = 0;                    // postMessages handled (pings included)
  std::vector<std::string> deleted;    // members the person deleted in the widget (forgotten)
  std::optional<int> last_connection_status;  // the last memberStatusUpdate's MX integer
};

// Takes the host's messages until the widget reports a connected member: memberConnected (or
// an OAuth success) is completed through `flow.complete(app_user_id, …)`, which stores the
// member and records its status through the one writer; memberDeleted goes to
// flow.forget_deleted; every other event (load, stepChange, memberStatusUpdate, …) is only
// reported. A message that does not parse is reported (on_rejected) and skipped: it is browser
// input. Errors: those of complete()/forget_deleted() (an app user that is not the widget's
// user is kInvalidInput).
Result<BrowserConnectResult> wait_for_widget(ConnectHost& host, ConnectFlow& flow,
                                             const std::string& app_user_id, const Clock& clock,
                                             Sleeper& sleeper, const BrowserConnectConfig& config);

}  // namespace mxclient
