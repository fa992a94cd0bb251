#include "invariants.h"

#include <map>
#include <set>

#include "domain/connection_status.h"
#include "domain/member_machine.h"

namespace mxemu::replay {
namespace {

using nlohmann::json;

// "null" for JSON null, the wire string otherwise (the transition table's spelling).
std::string status_name(const json& s) { return s.is_string() ? s.get<std::string>() : "null"; }

bool is_known(const std::string& s) {
  if (s == "null") return true;
  return domain::parse_connection_status(s).has_value();
}

bool actionable(const std::string& s) {
  const auto st = domain::parse_connection_status(s);
  return st && domain::info(*st).fires_connection_status_webhook;
}

// For each status of the table, every status reachable from it through one or more rows.
const std::map<std::string, std::set<std::string>>& reachable() {
  static const std::map<std::string, std::set<std::string>> closure = [] {
    std::map<std::string, std::set<std::string>> next;
    for (const auto& row : domain::transition_rows()) next[row.from].insert(row.to);
    std::map<std::string, std::set<std::string>> out;
    for (const auto& [from, direct] : next) {
      std::set<std::string> seen;
      std::vector<std::string> todo(direct.begin(), direct.end());
      while (!todo.empty()) {
        const std::string s = todo.back();
        todo.pop_back();
        if (!seen.insert(s).second) continue;
        auto it = next.find(s);
        if (it != next.end()) todo.insert(todo.end(), it->second.begin(), it->second.end());
      }
      out[from] = std::move(seen);
    }
    return out;
  }();
  return closure;
}

bool can_reach(const std::string& from, const std::string& to) {
  const auto& r = reachable();
  auto it = r.find(from);
  return it != r.end() && it->second.count(to) > 0;
}

}  // namespace

std::vector<std::string> check_member_invariants(const std::string& member_guid, const json& status,
                                                 const json& events) {
  std::vector<std::string> out;
  const std::string now = status_name(status.value("connection_status", json(nullptr)));
  if (!is_known(now)) out.push_back("status now \"" + now + "\" is not one of MX's 22");

  std::string current;  // "" until the member's creation event
  bool created = false;
  int pending_webhooks = 0;  // changes into an actionable status not yet matched by a webhook
  std::string pending_status;
  for (const auto& e : events) {
    if (e.value("member_guid", "") != member_guid) continue;
    const std::string type = e.value("type", "");
    const json& p = e.value("payload", json::object());
    const std::string seq = "event " + std::to_string(e.value("sequence", 0));
    if (type == "MEMBER" && p.contains("member") && p["member"].is_object()) {
      const std::string action = p.value("action", "");
      if (action == "deleted") break;
      const std::string s = status_name(p["member"].value("connection_status", json(nullptr)));
      if (!is_known(s)) out.push_back(seq + ": status \"" + s + "\" is not one of MX's 22");
      const std::string from = created ? current : "null";
      if (created && s == current) continue;
      if (s != from && !can_reach(from, s)) {
        out.push_back(seq + ": " + from + " -> " + s + " is not reachable by the transition table");
      }
      created = true;
      current = s;
      if (actionable(s)) {
        if (pending_webhooks > 0) {
          out.push_back(seq + ": no CONNECTION_STATUS webhook for the change into " +
                        pending_status);
        }
        pending_webhooks = 1;
        pending_status = s;
      }
    } else if (type == "CONNECTION_STATUS") {
      const std::string s = status_name(p.value("connection_status", json(nullptr)));
      if (!actionable(s)) {
        out.push_back(seq + ": a CONNECTION_STATUS webhook for " + s +
                      ", which is not end-user actionable");
      } else if (pending_webhooks == 0 || s != pending_status) {
        out.push_back(seq + ": a CONNECTION_STATUS webhook for " + s +
                      " without a change into it (status " + current + ")");
      } else {
        pending_webhooks = 0;
      }
    }
  }
  if (pending_webhooks > 0) {
    out.push_back("no CONNECTION_STATUS webhook for the change into " + pending_status);
  }
  if (created && current != now) {
    out.push_back("the status now is " + now + " but the last MEMBER event says " + current);
  }
  return out;
}

std::vector<std::string> check_job_invariants(const std::string& member_guid, const json& status,
                                              const json& world) {
  const json::json_pointer members("/emulator/store/members");
  const json* found = nullptr;
  if (world.contains(members) && world.at(members).is_array()) {
    for (const auto& m : world.at(members)) {
      if (m.is_object() && m.value("guid", "") == member_guid) found = &m;
    }
  }
  if (found == nullptr) return {"the world's snapshot has no member " + member_guid};
  const bool job = found->contains("job") && !(*found)["job"].is_null();
  const json flag = status.value("is_being_aggregated", json(nullptr));
  if (!flag.is_boolean()) return {"is_being_aggregated is " + flag.dump() + ", not a boolean"};
  if (flag.get<bool>() != job) {
    return {std::string("is_being_aggregated is ") + (job ? "false" : "true") + " but " +
            (job ? "a job runs" : "no job runs") + " in the world"};
  }
  return {};
}

}  // namespace mxemu::replay
