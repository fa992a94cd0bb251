#include "client_steps.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "domain/timestamps.h"
#include "mxclient/callback.h"
#include "mxclient/category_mapper.h"
#include "mxclient/connect.h"
#include "mxclient/enrol.h"
#include "mxclient/mx_api.h"
#include "mxclient/notifier.h"
#include "mxclient/refresh_scheduler.h"
#include "mxclient/status_policy.h"
#include "mxclient/store.h"
#include "mxclient/sync.h"
#include "mxclient/transport.h"
#include "mxclient/watch.h"

namespace mxemu::replay {
namespace {

using nlohmann::json;

std::string path_of(const std::string& target) { return target.substr(0, target.find('?')); }

// The client's Transport over the scenario's session. Records each MX call ("GET /users/…")
// for the step's outcome, and what MX showed of each member just before a refresh's aggregate.
class ClientTransport final : public mxclient::Transport {
 public:
  explicit ClientTransport(Session& session) : session_(session) {}

  mxclient::Result<mxclient::HttpResponse> send(const mxclient::HttpRequest& request) override {
    Reply r;
    try {
      r = session_.exchange(request.method, request.target, request.headers, request.body);
    } catch (const Unreachable& e) {
      return mxclient::make_error(mxclient::ErrorKind::kTransport, e.what());
    }
    calls_.push_back(request.method + " " + path_of(request.target));
    mxclient::HttpResponse out;
    out.status = r.status;
    for (const auto& [name, value] : r.headers) {
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[lower] = value;
    }
    out.body = r.body;
    note_member(request, r);
    note_widget(request);
    return out;
  }

  std::vector<std::string> take_calls() { return std::exchange(calls_, {}); }
  // The widget_url object of the last POST /users/{u}/widget_urls the client sent.
  const json& widget_request() const { return widget_request_; }
  json& aggregates() { return aggregates_; }

 private:
  // GET …/members/{m}: remember its status; POST …/members/{m}/aggregate: record the call with
  // that status.
  void note_member(const mxclient::HttpRequest& request, const Reply& r) {
    const std::string p = path_of(request.target);
    const auto at = p.find("/members/");
    if (at == std::string::npos) return;
    std::string rest = p.substr(at + 9);
    const auto slash = rest.find('/');
    const std::string member = rest.substr(0, slash);
    const std::string tail = slash == std::string::npos ? "" : rest.substr(slash);
    if (request.method == "GET" && tail.empty() && r.status == 200) {
      const json b = json::parse(r.body, nullptr, false);
      if (b.is_object() && b.contains("member") && b["member"].is_object()) {
        const auto& s = b["member"]["connection_status"];
        last_status_[member] = s.is_string() ? s.get<std::string>() : "";
      }
    } else if (request.method == "POST" && tail == "/aggregate") {
      aggregates_.push_back({{"member", member}, {"status", last_status_[member]}});
    }
  }

  void note_widget(const mxclient::HttpRequest& request) {
    const std::string p = path_of(request.target);
    if (request.method != "POST" || p.size() < 12 || p.substr(p.size() - 12) != "/widget_urls") {
      return;
    }
    const json b = json::parse(request.body, nullptr, false);
    widget_request_ = b.is_object() ? b.value("widget_url", json(nullptr)) : json(nullptr);
  }

  Session& session_;
  std::vector<std::string> calls_;
  std::map<std::string, std::string> last_status_;
  json aggregates_ = json::array();
  json widget_request_;
};

json control(Session& s, const std::string& method, const std::string& path, const json& body) {
  const auto r = s.send(method, path, body.is_null() ? "" : body.dump());
  if (r.status / 100 != 2) {
    throw ClientStepError(method + " " + path + " answered " + std::to_string(r.status) + ": " +
                          r.body);
  }
  return json::parse(r.body, nullptr, false);
}

// The tenant's present: the client's Clock.
class SessionClock final : public mxclient::Clock {
 public:
  explicit SessionClock(Session& session) : session_(session) {}
  mxclient::TimePoint now() const override {
    const json c = control(session_, "GET", "/_emulator/clock", nullptr);
    const auto t = domain::parse_iso8601(c["clock"]["now"].get<std::string>());
    if (!t) throw ClientStepError("GET /_emulator/clock: unreadable now");
    return *t;
  }

 private:
  Session& session_;
};

// Waiting advances the tenant's clock: whole seconds, the remainder carried to the next wait.
class SessionSleeper final : public mxclient::Sleeper {
 public:
  explicit SessionSleeper(Session& session) : session_(session) {}
  void wait(std::chrono::milliseconds d) override {
    pending_ += std::max(d, std::chrono::milliseconds{0});
    const long long seconds = pending_.count() / 1000;
    pending_ -= std::chrono::milliseconds{seconds * 1000};
    if (seconds > 0) {
      control(session_, "POST", "/_emulator/clock/advance", {{"seconds", seconds}});
    }
  }

 private:
  Session& session_;
  std::chrono::milliseconds pending_{0};
};

class RecordingNotifier final : public mxclient::Notifier {
 public:
  mxclient::Status notify(const mxclient::Notice& n) override {
    sent.push_back(n);
    return mxclient::Done{};
  }
  std::vector<mxclient::Notice> sent;
};

// Answers every challenge with the step's answers, one list entry per round (the last
// repeating). OPTIONS challenges get the option whose label or value is the answer, else the
// first option.
class ListAnswerer final : public mxclient::ChallengeAnswerer {
 public:
  explicit ListAnswerer(std::vector<std::string> answers) : answers_(std::move(answers)) {}
  std::optional<std::vector<mxclient::MxCredentialValue>> answer(
      const mxclient::MemberRecord& /*member*/,
      const std::vector<mxclient::MxChallenge>& challenges) override {
    if (answers_.empty()) return std::nullopt;
    const std::string& a = answers_[std::min(round_++, answers_.size() - 1)];
    std::vector<mxclient::MxCredentialValue> out;
    for (const auto& c : challenges) {
      std::string value = a;
      if (!c.options.empty()) {
        value = c.options.front().value;
        for (const auto& o : c.options) {
          if (o.label == a || o.value == a) value = o.value;
        }
      }
      out.push_back({c.guid, value});
    }
    return out;
  }

 private:
  std::vector<std::string> answers_;
  std::size_t round_ = 0;
};

[[noreturn]] void fail(const std::string& what, const mxclient::Error& e) {
  throw ClientStepError(
      what + " failed: " + e.message +
      (e.http_status != 0 ? " (HTTP " + std::to_string(e.http_status) + ")" : ""));
}

json notice_json(const mxclient::Notice& n) {
  return {{"kind", n.kind},
          {"member", n.member_guid},
          {"status", std::string(mxclient::to_string(n.status))},
          {"action", std::string(mxclient::to_string(n.action))},
          {"link", std::string(mxclient::to_string(n.link))},
          {"message", n.message}};
}

json decision_json(const mxclient::PolicyDecision& d) {
  return {{"action", std::string(mxclient::to_string(d.action))},
          {"link", std::string(mxclient::to_string(d.link))},
          {"keep_polling", d.keep_polling},
          {"notify_user", d.notify_user},
          {"may_refresh", d.may_refresh},
          {"data_ready", d.data_ready}};
}

mxclient::PlatformConfig platform_of(const json& a) {
  const std::string p = a.value("platform", "web");
  const std::string scheme = a.value("url_scheme", "bankapp");
  const std::string redirect = a.value("redirect_url", "https://app.example.com/mx/oauth");
  if (p == "web") {
    return a.contains("redirect_url") ? mxclient::web_platform(redirect) : mxclient::web_platform();
  }
  if (p == "ios") return mxclient::ios_platform(scheme, redirect);
  if (p == "android") return mxclient::android_platform(scheme, redirect);
  throw ClientStepError("platform: expected \"web\", \"ios\" or \"android\", got \"" + p + "\"");
}

std::optional<mxclient::RepairLink> link_of(const std::string& text) {
  for (auto l :
       {mxclient::RepairLink::kNone, mxclient::RepairLink::kWidget,
        mxclient::RepairLink::kWidgetWithCredentials, mxclient::RepairLink::kOAuthWindow}) {
    if (mxclient::to_string(l) == text) return l;
  }
  return std::nullopt;
}

}  // namespace

struct ClientSteps::State {
  explicit State(Session& s)
      : session(s),
        transport(std::make_shared<ClientTransport>(s)),
        clock(s),
        sleeper(s),
        api(transport, config(s), sleeper) {
    auto opened = mxclient::open_sqlite_store(":memory:");
    if (!opened) throw ClientStepError("the client's store: " + opened.error().message);
    store = std::move(*opened);
    enroller = std::make_unique<mxclient::Enroller>(api, *store, clock);
    watcher = std::make_unique<mxclient::MemberWatcher>(api, *store, clock, sleeper, notifier);
  }

  static mxclient::MxApiConfig config(const Session& s) {
    mxclient::MxApiConfig c;
    c.client_id = s.credentials().first;
    c.api_key = s.credentials().second;
    c.jitter_seed = 9;
    return c;
  }

  json finish(json out) {
    out["calls"] = transport->take_calls();
    return out;
  }

  Session& session;
  std::shared_ptr<ClientTransport> transport;
  SessionClock clock;
  SessionSleeper sleeper;
  mxclient::MxApi api;
  std::unique_ptr<mxclient::Store> store;
  RecordingNotifier notifier;
  std::unique_ptr<mxclient::Enroller> enroller;
  std::unique_ptr<mxclient::MemberWatcher> watcher;
  std::unique_ptr<mxclient::RefreshScheduler> scheduler;
  json scheduler_options;  // the options `scheduler` was built with
};

ClientSteps::ClientSteps(Session& session) : state_(std::make_unique<State>(session)) {}
ClientSteps::~ClientSteps() = default;

std::vector<std::string> ClientSteps::invariant_violations() const {
  std::vector<std::string> out;
  for (const auto& call : state_->transport->aggregates()) {
    mxclient::MxMemberStatus s;
    s.connection_status = call["status"].get<std::string>();
    const auto d = mxclient::decide(s);
    const bool needs_user = d.action == mxclient::Action::kAnswerMfa ||
                            d.action == mxclient::Action::kReconnectWithCredentials ||
                            d.action == mxclient::Action::kRepairInWidget ||
                            d.action == mxclient::Action::kTellUserAndWait ||
                            d.action == mxclient::Action::kCompleteOAuth;
    if (needs_user) {
      out.push_back("the client aggregated " + call["member"].get<std::string>() +
                    " while it was " + s.connection_status +
                    " (its policy: " + std::string(mxclient::to_string(d.action)) + ")");
    }
  }
  for (const auto& n : state_->notifier.sent) {
    mxclient::MxMemberStatus s;
    s.connection_status = std::string(mxclient::to_string(n.status));
    const auto d = mxclient::decide(s);
    const std::string want = n.kind == mxclient::kNoticeConnectionRestored
                                 ? std::string(mxclient::kNoticeConnectionRestored)
                                 : std::string(mxclient::notice_kind(d.action, d.link));
    const bool restored_ok = n.kind != mxclient::kNoticeConnectionRestored ||
                             n.status == mxclient::ConnectionStatus::kConnected;
    if (n.kind != want || !restored_ok) {
      out.push_back("notice " + n.dedupe_key + " is " + n.kind + " for " + s.connection_status +
                    "; the policy's notice for it is \"" + want + "\"");
    }
  }
  return out;
}

json ClientSteps::run(const std::string& kind, const json& a) {
  State& st = *state_;
  st.transport->take_calls();  // calls belong to the step that makes them

  if (kind == "client_enrol") {
    auto u = st.enroller->enrol(a["app_user"].get<std::string>());
    if (!u) fail("enrol", u.error());
    return st.finish({{"user_guid", u->user_guid}, {"app_user", u->app_user_id}});
  }

  if (kind == "client_connect" || kind == "client_repair") {
    const auto platform = platform_of(a);
    if (auto valid = mxclient::validate(platform); !valid) fail("platform", valid.error());
    mxclient::ConnectFlow flow(st.api, *st.store, st.clock, platform);
    mxclient::Result<std::string> url = std::string();
    if (kind == "client_connect") {
      std::optional<std::string> institution;
      if (a.contains("institution")) institution = a["institution"].get<std::string>();
      url = flow.connect(a["app_user"].get<std::string>(), institution);
    } else {
      const auto link = link_of(a["link"].get<std::string>());
      if (!link)
        throw ClientStepError("link: expected widget, widget_with_credentials, oauth_window");
      url = flow.widget_url_for(a["member"].get<std::string>(), *link);
    }
    if (!url) fail(kind == "client_connect" ? "connect" : "repair", url.error());
    return st.finish({{"url", *url}, {"widget_request", st.transport->widget_request()}});
  }

  if (kind == "client_connect_credentials") {
    const std::string code = a["institution"];
    auto fields = st.api.list_institution_credentials(code);
    if (!fields) fail("credential fields", fields.error());
    std::vector<mxclient::MxCredentialValue> creds;
    for (const auto& f : *fields) {
      const bool password = f.field_type == "PASSWORD" || f.field_name == "PASSWORD";
      const bool login = f.field_type == "LOGIN" || f.field_name == "LOGIN";
      creds.push_back({f.guid, password ? a.value("password", "password")
                               : login  ? a.value("username", "mxuser")
                                        : std::string("1234")});
    }
    mxclient::ConnectFlow flow(st.api, *st.store, st.clock, mxclient::web_platform());
    auto c = flow.connect_with_credentials(a["app_user"].get<std::string>(), code, creds);
    if (!c) fail("connect_with_credentials", c.error());
    return st.finish({{"member_guid", c->member.member_guid},
                      {"status", c->member.connection_status},
                      {"existing", c->existing},
                      {"credentials_updated", c->credentials_updated},
                      {"previous_status", c->previous_status}});
  }

  if (kind == "client_callback") {
    const std::string raw =
        a["payload"].is_string() ? a["payload"].get<std::string>() : a["payload"].dump();
    mxclient::ConnectFlow flow(st.api, *st.store, st.clock, mxclient::web_platform());
    auto parsed = mxclient::parse_widget_callback(raw);
    if (!parsed) fail("parse callback", parsed.error());
    if (parsed->kind == mxclient::CallbackKind::kMemberDeleted) {
      auto gone = flow.forget_deleted(a["app_user"].get<std::string>(), *parsed);
      if (!gone) fail("forget_deleted", gone.error());
      return st.finish({{"kind", std::string(mxclient::to_string(parsed->kind))},
                        {"member_guid", parsed->member_guid},
                        {"forgotten", *gone}});
    }
    auto m = flow.complete(a["app_user"].get<std::string>(), *parsed);
    if (!m) fail("complete", m.error());
    return st.finish({{"kind", std::string(mxclient::to_string(parsed->kind))},
                      {"member_guid", m->member_guid},
                      {"status", m->connection_status},
                      {"watch_state", mxclient::to_string(m->watch_state)}});
  }

  if (kind == "client_watch") {
    const std::string member = a["member"];
    mxclient::Result<mxclient::WatchResult> w = mxclient::WatchResult{};
    bool answered = false;
    if (a.contains("answers")) {
      // Answers only what is open: a member with no challenges is watched instead.
      auto stored = st.store->find_member(member);
      if (!stored) fail("find member", stored.error());
      if (!*stored) throw ClientStepError("member " + member + " is not in the client's store");
      auto open = st.api.list_challenges((*stored)->user_guid, member);
      if (!open) fail("list challenges", open.error());
      answered = !open->empty();
    }
    if (answered) {
      ListAnswerer answerer(a["answers"].get<std::vector<std::string>>());
      w = st.watcher->answer_challenges(member, answerer);
    } else {
      w = st.watcher->watch(member);
    }
    if (!w) fail("watch", w.error());
    json notices = json::array();
    for (const auto& n : w->notices) notices.push_back(notice_json(n));
    json out = decision_json(w->decision);
    out["end"] = std::string(mxclient::to_string(w->end));
    out["status"] = w->last.connection_status;
    out["is_being_aggregated"] = w->last.is_being_aggregated;
    out["polls"] = w->polls;
    out["answered"] = answered;
    out["notices"] = notices;
    auto stored = st.store->find_member(member);
    if (stored && *stored) out["watch_state"] = mxclient::to_string((*stored)->watch_state);
    return st.finish(out);
  }

  if (kind == "client_sync") {
    auto mapper = mxclient::CategoryMapper::default_mapper();
    if (a.contains("mapping")) {
      auto m = mxclient::CategoryMapper::from_json(a["mapping"].dump());
      if (!m) fail("mapping", m.error());
      mapper = std::move(*m);
    }
    mxclient::SyncConfig sync_config;
    if (a.contains("lookback_days"))
      sync_config.first_sync_lookback_days = a["lookback_days"].get<int>();
    mxclient::Syncer syncer(st.api, *st.store, st.clock, mapper, sync_config);
    const std::string member = a["member"];
    auto r = syncer.sync(member);
    if (!r) fail("sync", r.error());
    json categories = json::object();
    mxclient::TransactionQuery q;
    q.member_guid = member;
    auto rows = st.store->list_transactions(q);
    if (!rows) fail("list_transactions", rows.error());
    for (const auto& t : *rows) {
      auto& n = categories[t.app_category];
      n = n.is_null() ? 1 : n.get<int>() + 1;
    }
    json unmapped = json::array();
    for (const auto& u : r->unmapped) {
      unmapped.push_back({{"top_level_category", u.top_level_category},
                          {"category", u.category},
                          {"count", u.count}});
    }
    return st.finish({{"incremental", r->window.incremental},
                      {"from_date", r->window.filter.from_date.value_or("")},
                      {"accounts", r->accounts_fetched},
                      {"transactions", r->transactions_fetched},
                      {"categories", categories},
                      {"unmapped", unmapped}});
  }

  if (kind == "client_refresh") {
    const json opts = a.value("options", json::object());
    if (!st.scheduler || opts != st.scheduler_options) {
      mxclient::RefreshSchedulerOptions o;
      o.sla = std::chrono::hours(opts.value("sla_hours", 24));
      o.throttle_window = std::chrono::hours(opts.value("throttle_window_hours", 3));
      o.max_attempts_per_member = opts.value("max_attempts_per_member", 4);
      o.attempt_window = std::chrono::hours(opts.value("attempt_window_hours", 24));
      o.failure_backoff = std::chrono::minutes(opts.value("failure_backoff_minutes", 15));
      o.aggregating_grace = std::chrono::minutes(opts.value("aggregating_grace_minutes", 60));
      o.limits.max_in_flight = opts.value("max_in_flight", 16);
      o.limits.max_calls_per_pass = opts.value("max_calls_per_pass", 0);
      st.scheduler =
          std::make_unique<mxclient::RefreshScheduler>(st.api, *st.store, st.clock, st.sleeper, o);
      st.scheduler_options = opts;
    }
    const std::size_t before = st.transport->aggregates().size();
    auto r = st.scheduler->run_due();
    if (!r) fail("refresh pass", r.error());
    json skipped = json::object();
    for (std::size_t i = 0; i < mxclient::kRefreshSkipCount; ++i) {
      if (r->skipped[i] != 0) {
        skipped[mxclient::to_string(static_cast<mxclient::RefreshSkip>(i))] = r->skipped[i];
      }
    }
    json deferred = json::object();
    for (std::size_t i = 0; i < mxclient::kRefreshDeferralCount; ++i) {
      if (r->deferred[i] != 0) {
        deferred[mxclient::to_string(static_cast<mxclient::RefreshDeferral>(i))] = r->deferred[i];
      }
    }
    json aggregated = json::array();
    const auto& all = st.transport->aggregates();
    for (std::size_t i = before; i < all.size(); ++i) aggregated.push_back(all[i]["member"]);
    return st.finish({{"considered", r->considered},
                      {"started", r->started},
                      {"throttled", r->throttled},
                      {"rate_limited", r->rate_limited},
                      {"failed", r->failed},
                      {"skipped", skipped},
                      {"deferred", deferred},
                      {"aggregated", aggregated}});
  }

  if (kind == "client_decide") {
    mxclient::MxMemberStatus s;
    s.connection_status = a["status"].get<std::string>();
    s.is_being_aggregated = a.value("is_being_aggregated", false);
    s.has_processed_accounts = true;
    s.has_processed_transactions = true;
    json out = decision_json(mxclient::decide(s));
    out["notice"] =
        std::string(mxclient::notice_kind(mxclient::decide(s).action, mxclient::decide(s).link));
    return out;
  }

  throw ClientStepError("no client step named \"" + kind + "\"");
}

}  // namespace mxemu::replay
