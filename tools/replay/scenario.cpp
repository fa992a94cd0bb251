#include "scenario.h"

#include <fstream>
#include <sstream>

namespace mxemu::replay {
namespace {

using nlohmann::json;

// What a field may hold. kDuration is an object with one of seconds/minutes/hours/days.
enum class Type { kString, kInteger, kBool, kObject, kArray, kStringOrNull, kAny, kDuration };

struct Field {
  const char* name;
  Type type;
  bool required;
};

// One row per step kind: the type of the value under the kind's key and, for objects, its
// fields. A new kind (the journal's conformance step will be one) is a row here and a case in
// runner.cpp's dispatch; nothing else changes.
// What "expect" and "capture" mean on a step of the kind: nothing (not allowed), a request's
// expectations (status, headers, body, golden), or a subset of the step's outcome document
// (client steps, client_steps.h).
enum class Expects { kNone, kRequest, kOutcome };

struct KindRule {
  const char* kind;
  Type type;
  std::vector<Field> fields;
  Expects expects = Expects::kNone;
};

const std::vector<KindRule>& kind_rules() {
  static const std::vector<KindRule> rules = {
      {"request",
       Type::kObject,
       {{"method", Type::kString, true},
        {"path", Type::kString, true},
        {"body", Type::kAny, false},
        {"headers", Type::kObject, false}},
       Expects::kRequest},
      {"advance", Type::kDuration, {}},
      {"set_clock", Type::kString, {}},
      {"force_status",
       Type::kObject,
       {{"member", Type::kString, true}, {"status", Type::kString, true}}},
      {"logins",
       Type::kObject,
       {{"member", Type::kString, true}, {"outcomes", Type::kArray, true}}},
      {"outage",
       Type::kObject,
       {{"institution", Type::kString, true}, {"outcome", Type::kStringOrNull, true}}},
      {"discontinue", Type::kString, {}},
      {"fault",
       Type::kObject,
       {{"method", Type::kString, false},
        {"path_prefix", Type::kString, true},
        {"status", Type::kInteger, true},
        {"count", Type::kInteger, false},
        {"message", Type::kString, false},
        {"retry_after_seconds", Type::kInteger, false}}},
      {"member_event",
       Type::kObject,
       {{"member", Type::kString, true}, {"event", Type::kString, true}}},
      {"oauth",
       Type::kObject,
       {{"member", Type::kString, true}, {"authorized", Type::kBool, true}}},
      {"expect_status",
       Type::kObject,
       {{"member", Type::kString, true},
        {"user", Type::kString, false},
        {"status", Type::kString, true},
        {"is_being_aggregated", Type::kBool, false},
        {"within", Type::kDuration, false}}},
      {"expect_webhooks",
       Type::kObject,
       {{"type", Type::kString, false},
        {"member", Type::kString, false},
        {"count", Type::kInteger, false},
        {"payloads", Type::kArray, false}}},
      {"expect_conformance",
       Type::kObject,
       {{"clean", Type::kBool, false},
        {"findings", Type::kArray, false},
        {"ignore", Type::kArray, false}}},
      {"expect_invariants",
       Type::kObject,
       {{"member", Type::kString, true},
        {"user", Type::kString, false},
        {"world", Type::kBool, false}}},
      {"client_enrol", Type::kObject, {{"app_user", Type::kString, true}}, Expects::kOutcome},
      {"client_connect",
       Type::kObject,
       {{"app_user", Type::kString, true},
        {"institution", Type::kString, false},
        {"platform", Type::kString, false},
        {"url_scheme", Type::kString, false},
        {"redirect_url", Type::kString, false}},
       Expects::kOutcome},
      {"client_connect_credentials",
       Type::kObject,
       {{"app_user", Type::kString, true},
        {"institution", Type::kString, true},
        {"username", Type::kString, false},
        {"password", Type::kString, false}},
       Expects::kOutcome},
      {"client_callback",
       Type::kObject,
       {{"app_user", Type::kString, true}, {"payload", Type::kAny, true}},
       Expects::kOutcome},
      {"client_watch",
       Type::kObject,
       {{"member", Type::kString, true}, {"answers", Type::kArray, false}},
       Expects::kOutcome},
      {"client_repair",
       Type::kObject,
       {{"member", Type::kString, true},
        {"link", Type::kString, true},
        {"platform", Type::kString, false},
        {"url_scheme", Type::kString, false},
        {"redirect_url", Type::kString, false}},
       Expects::kOutcome},
      {"client_sync",
       Type::kObject,
       {{"member", Type::kString, true},
        {"mapping", Type::kObject, false},
        {"lookback_days", Type::kInteger, false}},
       Expects::kOutcome},
      {"client_refresh", Type::kObject, {{"options", Type::kObject, false}}, Expects::kOutcome},
      {"client_decide",
       Type::kObject,
       {{"status", Type::kString, true}, {"is_being_aggregated", Type::kBool, false}},
       Expects::kOutcome},
  };
  return rules;
}

const char* type_name(Type t) {
  switch (t) {
    case Type::kString:
      return "a string";
    case Type::kInteger:
      return "an integer";
    case Type::kBool:
      return "true or false";
    case Type::kObject:
      return "an object";
    case Type::kArray:
      return "an array";
    case Type::kStringOrNull:
      return "a string or null";
    case Type::kAny:
      return "any JSON value";
    case Type::kDuration:
      return "a duration: an object with one of \"seconds\", \"minutes\", \"hours\", \"days\" "
             "(an integer >= 0)";
  }
  return "";
}

std::string escape_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

class Validator {
 public:
  Validator(std::string file, ParseError& error) : file_(std::move(file)), error_(error) {}

  bool fail(const std::string& pointer, const std::string& expected) {
    error_ = ParseError{file_, pointer, expected};
    return false;
  }

  bool check(const json& v, Type t, const std::string& pointer) {
    switch (t) {
      case Type::kString:
        return v.is_string() || fail(pointer, type_name(t));
      case Type::kInteger:
        return v.is_number_integer() || fail(pointer, type_name(t));
      case Type::kBool:
        return v.is_boolean() || fail(pointer, type_name(t));
      case Type::kObject:
        return v.is_object() || fail(pointer, type_name(t));
      case Type::kArray:
        return v.is_array() || fail(pointer, type_name(t));
      case Type::kStringOrNull:
        return v.is_string() || v.is_null() || fail(pointer, type_name(t));
      case Type::kAny:
        return true;
      case Type::kDuration: {
        if (!v.is_object() || v.size() != 1) return fail(pointer, type_name(t));
        const std::string unit = v.begin().key();
        const auto& n = v.begin().value();
        if (unit != "seconds" && unit != "minutes" && unit != "hours" && unit != "days") {
          return fail(pointer + "/" + escape_token(unit), type_name(t));
        }
        if (!n.is_number_integer() || n.get<long long>() < 0) {
          return fail(pointer + "/" + unit, "an integer >= 0");
        }
        return true;
      }
    }
    return true;
  }

  bool object_fields(const json& v, const std::vector<Field>& fields, const std::string& pointer) {
    for (const auto& f : fields) {
      if (!v.contains(f.name)) {
        if (f.required)
          return fail(pointer + "/" + f.name,
                      std::string("a required field: ") + type_name(f.type));
        continue;
      }
      if (!check(v.at(f.name), f.type, pointer + "/" + f.name)) return false;
    }
    for (const auto& [key, value] : v.items()) {
      bool known = false;
      for (const auto& f : fields) known = known || key == f.name;
      if (!known) {
        std::string names;
        for (const auto& f : fields) names += std::string(names.empty() ? "" : ", ") + f.name;
        return fail(pointer + "/" + escape_token(key),
                    "no field of this name (known: " + names + ")");
      }
    }
    return true;
  }

  bool step(const json& v, const std::string& pointer, Step& out) {
    if (!v.is_object()) return fail(pointer, "a step: an object with one step kind as key");
    const KindRule* rule = nullptr;
    for (const auto& [key, value] : v.items()) {
      if (key == "expect" || key == "capture" || key == "note") continue;
      const KindRule* found = nullptr;
      for (const auto& r : kind_rules()) {
        if (key == r.kind) found = &r;
      }
      if (found == nullptr) {
        std::string kinds;
        for (const auto& r : kind_rules()) kinds += std::string(kinds.empty() ? "" : ", ") + r.kind;
        return fail(pointer + "/" + escape_token(key), "a step kind (one of: " + kinds + ")");
      }
      if (rule != nullptr)
        return fail(pointer + "/" + escape_token(key), "one step kind per step, not two");
      rule = found;
    }
    if (rule == nullptr) return fail(pointer, "a step kind as key");
    out.kind = rule->kind;
    out.pointer = pointer;
    out.args = v.at(rule->kind);
    const std::string args_pointer = pointer + "/" + rule->kind;
    if (!check(out.args, rule->type, args_pointer)) return false;
    if (rule->type == Type::kObject && !object_fields(out.args, rule->fields, args_pointer)) {
      return false;
    }
    if (v.contains("expect") || v.contains("capture")) {
      if (rule->expects == Expects::kNone) {
        return fail(pointer + (v.contains("expect") ? "/expect" : "/capture"),
                    "\"expect\" and \"capture\" only on a request step or a client step");
      }
    }
    if (v.contains("note") && !check(v.at("note"), Type::kString, pointer + "/note")) return false;
    if (v.contains("expect")) {
      out.expect = v.at("expect");
      if (!check(out.expect, Type::kObject, pointer + "/expect")) return false;
      if (rule->expects == Expects::kRequest && !object_fields(out.expect,
                                                               {{"status", Type::kInteger, false},
                                                                {"headers", Type::kObject, false},
                                                                {"body", Type::kAny, false},
                                                                {"golden", Type::kString, false},
                                                                {"volatile", Type::kArray, false}},
                                                               pointer + "/expect")) {
        return false;
      }
      if (out.expect.contains("volatile")) {
        const auto& vol = out.expect["volatile"];
        for (std::size_t i = 0; i < vol.size(); ++i) {
          if (!vol[i].is_string() || vol[i].get<std::string>().rfind('/', 0) != 0) {
            return fail(pointer + "/expect/volatile/" + std::to_string(i),
                        "a JSON pointer into the response body (\"*\" matches any key or index)");
          }
        }
        if (!out.expect.contains("golden")) {
          return fail(pointer + "/expect/volatile", "\"volatile\" only with \"golden\"");
        }
      }
    }
    if (v.contains("capture")) {
      out.capture = v.at("capture");
      if (!check(out.capture, Type::kObject, pointer + "/capture")) return false;
      for (const auto& [name, ptr] : out.capture.items()) {
        const std::string p = pointer + "/capture/" + escape_token(name);
        if (!ptr.is_string() ||
            (!ptr.get<std::string>().empty() && ptr.get<std::string>()[0] != '/')) {
          return fail(p, rule->expects == Expects::kRequest
                             ? "a JSON pointer into the response body, such as \"/member/guid\""
                             : "a JSON pointer into the step's outcome, such as \"/member_guid\"");
        }
      }
    }
    return true;
  }

  bool steps(const json& doc, const char* key, std::vector<Step>& out, bool required) {
    const std::string pointer = std::string("/") + key;
    if (!doc.contains(key)) return !required || fail(pointer, "an array of steps");
    if (!doc.at(key).is_array()) return fail(pointer, "an array of steps");
    for (std::size_t i = 0; i < doc.at(key).size(); ++i) {
      Step s;
      if (!step(doc.at(key)[i], pointer + "/" + std::to_string(i), s)) return false;
      out.push_back(std::move(s));
    }
    return true;
  }

  bool setup(const json& v) {
    if (!check(v, Type::kObject, "/setup")) return false;
    if (!object_fields(v,
                       {{"limits", Type::kObject, false},
                        {"storm", Type::kObject, false},
                        {"users", Type::kArray, false},
                        {"members", Type::kArray, false},
                        {"webhooks", Type::kArray, false}},
                       "/setup")) {
      return false;
    }
    if (v.contains("users")) {
      for (std::size_t i = 0; i < v["users"].size(); ++i) {
        const auto p = "/setup/users/" + std::to_string(i);
        if (!check(v["users"][i], Type::kObject, p) ||
            !object_fields(v["users"][i],
                           {{"as", Type::kString, true}, {"id", Type::kString, false}}, p)) {
          return false;
        }
      }
    }
    if (v.contains("members")) {
      for (std::size_t i = 0; i < v["members"].size(); ++i) {
        const auto p = "/setup/members/" + std::to_string(i);
        if (!check(v["members"][i], Type::kObject, p) ||
            !object_fields(v["members"][i],
                           {{"as", Type::kString, true},
                            {"user", Type::kString, true},
                            {"institution", Type::kString, true},
                            {"username", Type::kString, false},
                            {"password", Type::kString, false},
                            {"outcomes", Type::kArray, false},
                            {"settle", Type::kBool, false}},
                           p)) {
          return false;
        }
      }
    }
    if (v.contains("webhooks")) {
      for (std::size_t i = 0; i < v["webhooks"].size(); ++i) {
        if (!check(v["webhooks"][i], Type::kObject, "/setup/webhooks/" + std::to_string(i)))
          return false;
      }
    }
    return true;
  }

 private:
  std::string file_;
  ParseError& error_;
};

}  // namespace

std::string ParseError::message() const {
  return file + ": " + (pointer.empty() ? "(document)" : pointer) + ": expected " + expected;
}

const std::vector<std::string>& step_kinds() {
  static const std::vector<std::string> kinds = [] {
    std::vector<std::string> out;
    for (const auto& r : kind_rules()) out.emplace_back(r.kind);
    return out;
  }();
  return kinds;
}

std::optional<Scenario> parse_scenario(const std::string& text, const std::string& file,
                                       ParseError& error) {
  json doc;
  try {
    doc = json::parse(text, nullptr, true, /*ignore_comments=*/true);
  } catch (const json::exception& e) {
    // parse_error for bad syntax; out_of_range (406) for a number too large for a double, which
    // nlohmann reports apart from the syntax errors (the scenario fuzzer found it: it aborted).
    error = ParseError{file, "", std::string("well-formed JSON (") + e.what() + ")"};
    return std::nullopt;
  }
  Validator v(file, error);
  if (!doc.is_object()) {
    v.fail("", "an object");
    return std::nullopt;
  }
  static const std::vector<std::string> top = {"format", "name",  "description", "start",
                                               "setup",  "steps", "finally"};
  for (const auto& [key, value] : doc.items()) {
    bool known = false;
    for (const auto& k : top) known = known || key == k;
    if (!known) {
      v.fail(
          "/" + escape_token(key),
          "no field of this name (known: format, name, description, start, setup, steps, finally)");
      return std::nullopt;
    }
  }
  if (!doc.contains("format") || doc["format"] != 1) {
    v.fail("/format", "1 (the only format version)");
    return std::nullopt;
  }
  Scenario s;
  s.file = file;
  for (const char* key : {"name", "description", "start"}) {
    if (!doc.contains(key) || !doc[key].is_string() || doc[key].get<std::string>().empty()) {
      v.fail(std::string("/") + key, std::string(key) == "start"
                                         ? "an ISO 8601 instant such as \"2024-03-01T09:00:00Z\""
                                         : "a non-empty string");
      return std::nullopt;
    }
  }
  s.name = doc["name"];
  s.description = doc["description"];
  s.start = doc["start"];
  if (s.start.size() != 20 || s.start[4] != '-' || s.start[10] != 'T' || s.start[19] != 'Z') {
    v.fail("/start", "an ISO 8601 UTC instant such as \"2024-03-01T09:00:00Z\"");
    return std::nullopt;
  }
  s.setup = doc.value("setup", json::object());
  if (!v.setup(s.setup)) return std::nullopt;
  if (!v.steps(doc, "steps", s.steps, true)) return std::nullopt;
  if (!v.steps(doc, "finally", s.finally_steps, false)) return std::nullopt;
  return s;
}

std::optional<Scenario> load_scenario(const std::string& path, ParseError& error) {
  std::ifstream in(path);
  if (!in) {
    error = ParseError{path, "", "a readable file"};
    return std::nullopt;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_scenario(ss.str(), path, error);
}

}  // namespace mxemu::replay
