#include "accepted_writes.h"

#include <set>

#include "domain/timestamps.h"

namespace mxemu::replay {
namespace {

using nlohmann::json;

std::vector<std::string> segments(const std::string& target) {
  const std::string path = target.substr(0, target.find('?'));
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < path.size()) {
    const auto next = path.find('/', at);
    const auto end = next == std::string::npos ? path.size() : next;
    if (end > at) out.push_back(path.substr(at, end - at));
    at = end + 1;
  }
  return out;
}

json parse(const std::string& text) {
  if (text.empty()) return json::object();
  json j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

// The resource object of a body: `{"user": {…}}` → `{…}` (a body without the wrapper as is).
json resource(const json& body, const char* name) {
  if (body.is_object() && body.contains(name) && body[name].is_object()) return body[name];
  return body.is_object() ? body : json::object();
}

void copy_fields(const json& from, json& into, std::initializer_list<const char*> names) {
  for (const char* n : names) {
    if (from.contains(n)) into[n] = from[n];
  }
}

const json* find_guid(const json& world, const char* pointer, const std::string& guid) {
  const json::json_pointer p(pointer);
  if (!world.contains(p) || !world.at(p).is_array()) return nullptr;
  for (const auto& x : world.at(p)) {
    if (x.is_object() && x.value("guid", "") == guid) return &x;
  }
  return nullptr;
}

// One line per field of `accepted` whose value `held` (a snapshot record) does not have.
void compare_fields(const std::string& what, const json& accepted, const json& held,
                    std::vector<std::string>& out) {
  for (const auto& [name, value] : accepted.items()) {
    const json now = held.value(name, json(nullptr));
    if (now != value) {
      out.push_back(what + ": accepted " + name + " " + value.dump() + ", the world holds " +
                    now.dump());
    }
  }
}

const std::set<std::string>& job_paths() {
  static const std::set<std::string> jobs = {"aggregate",    "check_balance",  "identify",
                                             "verify",       "extend_history", "fetch_statements",
                                             "fetch_rewards"};
  return jobs;
}

}  // namespace

void AcceptedWrites::record(const std::string& method, const std::string& target,
                            const std::string& body, const Reply& reply) {
  if (reply.status < 200 || reply.status > 299 || method == "GET") return;
  const auto seg = segments(target);
  if (seg.empty()) return;
  if (seg[0] == "_emulator") {
    const bool reset = seg.size() == 2 && seg[1] == "reset" && method == "POST";
    const bool import = seg.size() == 2 && seg[1] == "snapshot" && method == "PUT";
    if (reset || import) *this = AcceptedWrites();
    return;
  }
  if (seg[0] != "users") return;
  const json sent = parse(body);
  const json answer = parse(reply.body);
  if (seg.size() == 1 && method == "POST") {
    const json u = resource(answer, "user");
    const std::string guid = u.value("guid", "");
    if (guid.empty()) return;
    users_[guid] = UserFacts{};
    copy_fields(resource(sent, "user"), users_[guid].fields,
                {"id", "email", "metadata", "is_disabled"});
  } else if (seg.size() == 2 && (method == "PUT" || method == "DELETE")) {
    auto& u = users_[seg[1]];
    if (method == "DELETE") {
      u.deleted = true;
    } else {
      copy_fields(resource(sent, "user"), u.fields, {"id", "email", "metadata", "is_disabled"});
    }
  } else if (seg.size() == 3 && seg[2] == "members" && method == "POST") {
    const std::string guid = resource(answer, "member").value("guid", "");
    if (guid.empty()) return;
    members_[guid] = MemberFacts{};
    members_[guid].user_guid = seg[1];
  } else if (seg.size() == 4 && seg[2] == "members" && (method == "PUT" || method == "DELETE")) {
    auto& m = members_[seg[3]];
    m.user_guid = seg[1];
    if (method == "DELETE") m.deleted = true;
  } else if (seg.size() == 5 && seg[2] == "members" && job_paths().count(seg[4]) > 0) {
    const json m = resource(answer, "member");
    if (m.contains("aggregated_at") && m["aggregated_at"].is_string()) {
      auto& facts = members_[seg[3]];
      facts.user_guid = seg[1];
      const std::string at = m["aggregated_at"];
      const auto t = domain::parse_iso8601(at);
      const auto before = domain::parse_iso8601(facts.aggregated_at);
      if (t && (!before || *t > *before)) facts.aggregated_at = at;
    }
    ++count_;
    return;
  } else {
    return;
  }
  // The member fields a create or update sent.
  if (seg.size() >= 3 && seg[2] == "members" && method != "DELETE") {
    const std::string guid =
        seg.size() == 3 ? resource(answer, "member").value("guid", "") : seg[3];
    auto& m = members_[guid];
    const json sent_member = resource(sent, "member");
    copy_fields(sent_member, m.fields, {"id", "metadata"});
    for (const auto& c : sent_member.value("credentials", json::array())) {
      if (c.is_object() && c.contains("guid") && c.contains("value") && c["guid"].is_string() &&
          c["value"].is_string()) {
        m.credentials[c["guid"]] = c["value"];
      }
    }
  }
  ++count_;
}

std::vector<std::string> AcceptedWrites::check(const json& world, const json& events) const {
  std::set<std::string> deleted_by_mx;
  for (const auto& e : events) {
    const json& p = e.value("payload", json::object());
    if (e.value("type", "") == "MEMBER" && p.value("action", "") == "deleted") {
      deleted_by_mx.insert(e.value("member_guid", ""));
    }
  }
  std::vector<std::string> out;
  for (const auto& [guid, facts] : users_) {
    const json* u = find_guid(world, "/emulator/store/users", guid);
    if (facts.deleted) {
      if (u != nullptr) out.push_back("user " + guid + " was deleted (2xx) but is in the world");
      continue;
    }
    if (u == nullptr) {
      out.push_back("accepted user " + guid + " is not in the world");
      continue;
    }
    compare_fields("user " + guid, facts.fields, *u, out);
  }
  for (const auto& [guid, facts] : members_) {
    const json* m = find_guid(world, "/emulator/store/members", guid);
    const auto owner = users_.find(facts.user_guid);
    const bool gone = facts.deleted || (owner != users_.end() && owner->second.deleted);
    if (gone || deleted_by_mx.count(guid) > 0) {
      if (gone && m != nullptr) {
        out.push_back("member " + guid + " was deleted (2xx) but is in the world");
      }
      continue;
    }
    if (m == nullptr) {
      out.push_back("accepted member " + guid + " is not in the world");
      continue;
    }
    compare_fields("member " + guid, facts.fields, *m, out);
    std::map<std::string, std::string> held;
    for (const auto& c : m->value("credentials", json::array())) {
      if (c.is_object()) held[c.value("guid", "")] = c.value("value", "");
    }
    for (const auto& [cred, value] : facts.credentials) {
      const auto it = held.find(cred);
      if (it == held.end() || it->second != value) {
        // Values are secrets: name the credential, not what it holds.
        out.push_back("member " + guid + ": the accepted value of credential " + cred +
                      " is not the one the world holds");
      }
    }
    if (!facts.aggregated_at.empty()) {
      const auto accepted = domain::parse_iso8601(facts.aggregated_at);
      const json at = m->value("aggregated_at", json(nullptr));
      const bool earlier =
          !at.is_number_integer() ||
          (accepted && at.get<std::int64_t>() < accepted->time_since_epoch().count());
      if (earlier) {
        out.push_back("member " + guid + ": a job accepted at " + facts.aggregated_at +
                      " is not in the world's aggregated_at (" + at.dump() + ")");
      }
    }
  }
  return out;
}

Reply RecordingSession::send(const std::string& method, const std::string& target,
                             const std::string& body) {
  Reply r = inner_.send(method, target, body);
  ledger_.record(method, target, body, r);
  return r;
}

Reply RecordingSession::exchange(const std::string& method, const std::string& target,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 const std::string& body) {
  Reply r = inner_.exchange(method, target, headers, body);
  const auto [user, key] = inner_.credentials();
  const std::string own = "Basic " + base64(user + ":" + key);
  bool ours = true;
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == "authorization") ours = ours && value == own;
  }
  if (ours) ledger_.record(method, target, body, r);
  return r;
}

}  // namespace mxemu::replay
