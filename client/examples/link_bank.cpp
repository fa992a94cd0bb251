// How an app's backend wires mxclient in: one Integration object built at start-up, and two
// handlers: "link a bank" (enrol + Connect widget URL) and "the widget said" (callback, watch,
// sync). docs/client.md shows this file; tests/client/client_doc_test.cpp compiles it and runs
// the handlers against the emulator.
#include <memory>
#include <string>

#include "mxclient/category_mapper.h"
#include "mxclient/connect.h"
#include "mxclient/enrol.h"
#include "mxclient/mx_api.h"
#include "mxclient/notifier.h"
#include "mxclient/store.h"
#include "mxclient/sync.h"
#include "mxclient/transport.h"
#include "mxclient/watch.h"

namespace example {

// The app's side of notifications: push, e-mail or an in-app banner.
class PushNotifier final : public mxclient::Notifier {
 public:
  mxclient::Status notify(const mxclient::Notice& notice) override {
    last_message = notice.message;  // a real app sends it to notice.app_user_id's devices
    return mxclient::Done{};
  }
  std::string last_message;
};

struct Integration {
  Integration(std::shared_ptr<mxclient::Transport> transport, mxclient::MxApiConfig config,
              std::unique_ptr<mxclient::Store> db, const mxclient::Clock& clock,
              mxclient::Sleeper& sleeper)
      : api(std::move(transport), std::move(config), sleeper),
        store(std::move(db)),
        enroller(api, *store, clock),
        connect(api, *store, clock, mxclient::ios_platform("bankapp", "https://app.example/mx")),
        watcher(api, *store, clock, sleeper, notifier),
        syncer(api, *store, clock, mapper) {}

  mxclient::MxApi api;
  std::unique_ptr<mxclient::Store> store;
  PushNotifier notifier;
  mxclient::CategoryMapper mapper = mxclient::CategoryMapper::default_mapper();
  mxclient::Enroller enroller;
  mxclient::ConnectFlow connect;
  mxclient::MemberWatcher watcher;
  mxclient::Syncer syncer;
};

// The user tapped "Link a bank": the URL the app opens in its WebView.
mxclient::Result<std::string> start_linking(Integration& app, const std::string& app_user_id) {
  auto user = app.enroller.enrol(app_user_id);  // creates the MX user once
  if (!user) return user.error();
  return app.connect.connect(app_user_id);
}

// The WebView reported mx/connect/memberConnected (or an OAuth redirect): store the member,
// follow it until its data is in, and copy accounts and transactions into the database.
mxclient::Result<mxclient::SyncReport> finish_linking(Integration& app,
                                                      const std::string& app_user_id,
                                                      const std::string& widget_callback) {
  auto member = app.connect.complete(app_user_id, widget_callback);
  if (!member) return member.error();
  auto watched = app.watcher.watch(member->member_guid);  // polls every 3 s
  if (!watched) return watched.error();
  if (watched->end != mxclient::WatchEnd::kReady) {
    // MFA, new credentials, MX-side trouble: the notifier has told the user what to do, and
    // ConnectFlow::widget_url_for(member, watched->decision.action) opens the repair.
    return mxclient::make_error(mxclient::ErrorKind::kInvalidInput,
                                "not ready: " + std::string(mxclient::to_string(watched->end)));
  }
  return app.syncer.sync(member->member_guid);
}

// Start-up wiring. The app's main owns the real clock and sleeper (client/cli/main.cpp has a
// pair) and passes them in: the library never reads the time or sleeps on its own.
mxclient::Result<std::unique_ptr<Integration>> make_integration(
    const std::string& base_url, const std::string& client_id, const std::string& api_key,
    const std::string& db_path, const mxclient::Clock& clock, mxclient::Sleeper& sleeper) {
  auto db = mxclient::open_sqlite_store(db_path);
  if (!db) return db.error();
  mxclient::MxApiConfig config;
  config.client_id = client_id;
  config.api_key = api_key;  // int-api.mx.com for development, api.mx.com in production
  std::shared_ptr<mxclient::Transport> transport = mxclient::make_httplib_transport({base_url});
  return std::make_unique<Integration>(transport, config, std::move(*db), clock, sleeper);
}

}  // namespace example
