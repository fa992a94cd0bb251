#include "context.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <ctime>
#include <ostream>

#include "mxclient/watch.h"  // status_of

namespace mxctl {

mxclient::Status PrintingNotifier::notify(const mxclient::Notice& notice) {
  std::lock_guard<std::mutex> lock(mutex_);
  sent_.push_back(notice);
  if (!json_) {
    out_ << "notice " << notice.kind << " " << notice.member_guid << ": " << notice.message << "\n";
    if (notice.repair_url) {
      out_ << "  open in the widget (URL, single use, 10 min): " << *notice.repair_url << "\n";
    }
    out_.flush();
  }
  return mxclient::Done{};
}

std::vector<mxclient::Notice> PrintingNotifier::sent() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sent_;
}

Context::Context(Environment& env, const ParsedArgs& args)
    : env_(env),
      args_(args),
      json_(args.has("json")),
      quiet_(args.has("quiet")),
      sleeper_(*env.sleeper,
               [this](std::chrono::milliseconds elapsed, std::chrono::milliseconds total) {
                 progress("still waiting: " + std::to_string(elapsed.count() / 1000) + " of " +
                          std::to_string(total.count() / 1000) + " s");
               }) {}

std::string Context::setting(std::string_view option, const char* env_name,
                             const std::string& fallback) const {
  if (auto v = args_.get(option)) return *v;
  if (env_name != nullptr) {
    std::string v = env_.getenv(env_name);
    if (!v.empty()) return v;
  }
  return fallback;
}

mxclient::Result<mxclient::MxApi*> Context::api() {
  if (api_) return api_.get();
  mxclient::MxApiConfig config;
  config.client_id = setting("client-id", "MX_CLIENT_ID", "");
  config.api_key = setting("api-key", "MX_API_KEY", "");
  if (config.client_id.empty() || config.api_key.empty()) {
    return mxclient::make_error(mxclient::ErrorKind::kInvalidInput,
                                "MX credentials missing: set MX_CLIENT_ID and MX_API_KEY (or "
                                "--client-id and --api-key)");
  }
  if (setting("api-version", nullptr, "v20111101") == "v20250224") {
    config.version = mxclient::ApiVersion::kV20250224;
  }
  if (auto pages = int_option("max-pages")) config.max_pages = static_cast<int>(*pages);
  const auto timeout_ms = std::chrono::milliseconds(
      static_cast<long long>(number_option("timeout").value_or(30.0) * 1000.0));
  config.on_retry = [this](int attempt, const mxclient::Result<mxclient::HttpResponse>& outcome,
                           std::chrono::milliseconds delay) {
    const std::string what =
        outcome ? "HTTP " + std::to_string(outcome->status) : outcome.error().message;
    progress("retry " + std::to_string(attempt) + " after " + what + " in " +
             std::to_string(delay.count()) + " ms");
  };
  const std::string base_url = setting("base-url", "MX_BASE_URL", "http://127.0.0.1:8089");
  api_ = std::make_unique<mxclient::MxApi>(env_.make_transport(base_url, timeout_ms),
                                           std::move(config), sleeper_);
  return api_.get();
}

mxclient::Result<mxclient::Store*> Context::store() {
  if (store_) return store_.get();
  auto opened = mxclient::open_sqlite_store(setting("db", "MXCTL_DB", "mxctl.db"));
  if (!opened) return opened.error();
  store_ = std::move(*opened);
  return store_.get();
}

mxclient::Result<Context::Backend> Context::backend() {
  auto api = this->api();
  if (!api) return api.error();
  auto store = this->store();
  if (!store) return store.error();
  return Backend{**api, **store};
}

mxclient::Result<const mxclient::CategoryMapper*> Context::mapper() {
  if (!mapper_) {
    if (auto path = args_.get("mapping")) {
      auto loaded = mxclient::CategoryMapper::from_file(*path);
      if (!loaded) return loaded.error();
      mapper_.emplace(std::move(*loaded));
    } else {
      mapper_.emplace(mxclient::CategoryMapper::default_mapper());
    }
  }
  return &*mapper_;
}

PrintingNotifier& Context::notifier() {
  if (!notifier_) notifier_ = std::make_unique<PrintingNotifier>(*env_.out, json_);
  return *notifier_;
}

mxclient::Result<std::string> Context::user_guid_of(const std::string& app_user_id) {
  auto store = this->store();
  if (!store) return store.error();
  auto user = (*store)->find_end_user_by_app_id(app_user_id);
  if (!user) return user.error();
  if (!*user) {
    return mxclient::make_error(
        mxclient::ErrorKind::kNotFound,
        "app user " + app_user_id + " is not enrolled (mxctl enroll " + app_user_id + ")");
  }
  return (*user)->user_guid;
}

void Context::progress(const std::string& line) const {
  if (quiet_) return;
  *env_.err << line << "\n";
  env_.err->flush();
}

int Context::warn(const mxclient::Error& error) const {
  *env_.err << "mxctl: " << error_kind_name(error.kind) << ": " << error.message << "\n";
  env_.err->flush();
  return exit_code_for(error);
}

int Context::fail(const mxclient::Error& error) const {
  const int code = warn(error);
  if (json_) emit(error_json(error), "");
  return code;
}

int Context::usage(const std::string& message) const {
  *env_.err << "mxctl: " << message << "\n";
  if (args_.command != nullptr) {
    *env_.err << "usage: mxctl " << args_.command->name << " " << args_.command->synopsis
              << "\n(mxctl " << args_.command->name << " --help for more)\n";
  }
  if (json_) emit(error_json("usage", message, kExitUsage), "");
  return kExitUsage;
}

void Context::emit(const nlohmann::json& json, const std::string& human) const {
  if (json_) {
    *env_.out << json.dump() << "\n";
  } else {
    *env_.out << human;
  }
  env_.out->flush();
}

std::optional<long long> Context::int_option(std::string_view name) const {
  auto v = args_.get(name);
  if (!v) return std::nullopt;
  return std::strtoll(v->c_str(), nullptr, 10);
}

std::optional<double> Context::number_option(std::string_view name) const {
  auto v = args_.get(name);
  if (!v) return std::nullopt;
  return std::strtod(v->c_str(), nullptr);
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

int exit_code_for(const mxclient::Error& error) {
  if (error.kind == mxclient::ErrorKind::kNotFound) return kExitNotFound;
  if (error.kind == mxclient::ErrorKind::kHttp && error.http_status == 404) return kExitNotFound;
  return kExitError;
}

nlohmann::json error_json(std::string_view code, const std::string& message, int exit_code) {
  return {{"error", {{"code", code}, {"message", message}, {"exit_code", exit_code}}}};
}

nlohmann::json error_json(const mxclient::Error& error) {
  nlohmann::json j = error_json(error_code(error.kind), error.message, exit_code_for(error));
  if (error.http_status != 0) j["error"]["http_status"] = error.http_status;
  return j;
}

std::optional<std::string> check_global_values(const ParsedArgs& args) {
  if (auto v = args.get("api-version"); v && *v != "v20111101" && *v != "v20250224") {
    return "option --api-version needs v20111101 or v20250224, not '" + *v + "'";
  }
  return std::nullopt;
}

namespace {

// Each error kind's stable code (--json) and its words on stderr.
struct KindNames {
  mxclient::ErrorKind kind;
  const char* code;
  const char* label;
};
constexpr std::array<KindNames, 7> kKindNames = {{
    {mxclient::ErrorKind::kTransport, "transport", "network error"},
    {mxclient::ErrorKind::kHttp, "http", "MX error"},
    {mxclient::ErrorKind::kInvalidReply, "invalid_reply", "unreadable reply"},
    {mxclient::ErrorKind::kInvalidInput, "invalid_input", "invalid input"},
    {mxclient::ErrorKind::kNotFound, "not_found", "not found"},
    {mxclient::ErrorKind::kStorage, "storage", "storage error"},
    {mxclient::ErrorKind::kConflict, "conflict", "conflict"},
}};

const KindNames& names_of(mxclient::ErrorKind kind) {
  for (const auto& n : kKindNames) {
    if (n.kind == kind) return n;
  }
  static constexpr KindNames kOther{mxclient::ErrorKind::kTransport, "error", "error"};
  return kOther;
}

}  // namespace

std::string error_code(mxclient::ErrorKind kind) { return names_of(kind).code; }

std::string error_kind_name(mxclient::ErrorKind kind) { return names_of(kind).label; }

std::string format_time(mxclient::TimePoint t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 32> buf{};
  const std::size_t n = std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buf.data(), n);
}

nlohmann::json member_json(const mxclient::MemberRecord& m) {
  nlohmann::json j = {{"member_guid", m.member_guid},
                      {"user_guid", m.user_guid},
                      {"app_user_id", m.app_user_id},
                      {"institution_code", m.institution_code},
                      {"connection_status", m.connection_status},
                      {"is_being_aggregated", m.is_being_aggregated},
                      {"watch_state", mxclient::to_string(m.watch_state)},
                      {"aggregated_at", nullptr},
                      {"successfully_aggregated_at", nullptr},
                      {"last_synced_at", nullptr},
                      {"last_transaction_date", nullptr},
                      {"policy", policy_json(decision_for(m))}};
  if (m.aggregated_at) j["aggregated_at"] = *m.aggregated_at;
  if (m.successfully_aggregated_at) j["successfully_aggregated_at"] = *m.successfully_aggregated_at;
  if (m.last_synced_at) j["last_synced_at"] = format_time(*m.last_synced_at);
  if (m.last_transaction_date) j["last_transaction_date"] = *m.last_transaction_date;
  return j;
}

nlohmann::json notice_json(const mxclient::Notice& n) {
  return {{"kind", n.kind},
          {"member_guid", n.member_guid},
          {"app_user_id", n.app_user_id},
          {"status", std::string(mxclient::to_string(n.status))},
          {"action", std::string(mxclient::to_string(n.action))},
          {"message", n.message},
          {"link", std::string(mxclient::to_string(n.link))},
          {"repair_url", n.repair_url ? nlohmann::json(*n.repair_url) : nlohmann::json(nullptr)},
          {"dedupe_key", n.dedupe_key},
          {"at", format_time(n.at)}};
}

mxclient::PolicyDecision decision_for(const mxclient::MemberRecord& m) {
  mxclient::StatusObservation stored;
  stored.member_guid = m.member_guid;
  stored.connection_status = m.connection_status;
  stored.is_being_aggregated = m.is_being_aggregated;
  return mxclient::decide(mxclient::status_of(stored));
}

nlohmann::json policy_json(const mxclient::PolicyDecision& d) {
  return {{"action", std::string(mxclient::to_string(d.action))},
          {"plan", mxclient::describe_plan(d)},
          {"keep_polling", d.keep_polling},
          {"notify_user", d.notify_user},
          {"may_refresh", d.may_refresh},
          {"link", std::string(mxclient::to_string(d.link))}};
}

}  // namespace mxctl
