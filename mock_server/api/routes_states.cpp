// Named states, Pact-style (docs/control-api.md, "Named states"): one call sets up a common
// situation through the same domain operations a client's requests use, and says what it made.
// One table: kStates.
#include <map>
#include <string>
#include <vector>

#include "api/errors.h"
#include "api/routes.h"

namespace mxemu::api {
namespace {

using domain::ConnectionStatus;
using domain::Emulator;
using domain::IdentifierMode;
using nlohmann::json;

using Params = std::map<std::string, std::string>;

// What a setup made; rendered as the response.
struct Made {
  std::string user_guid;
  std::string member_guid;
  std::string institution;
  std::vector<std::string> challenge_guids;
};

using Setup = domain::Result<Made> (*)(Emulator&, const Params&);

struct Param {
  const char* name;
  const char* default_value;
  const char* meaning;
};

struct NamedState {
  const char* name;
  const char* description;
  std::vector<Param> params;
  Setup setup;
  std::optional<ConnectionStatus> expect;  // the member's status the setup must reach
};

domain::Error bad(const std::string& message) {
  return domain::make_error(domain::ErrorCode::kBadRequest, message);
}

std::string new_user(Emulator& e) {
  domain::UserFields f;
  f.metadata = "named state";
  return (*e.create_user(f))->guid;
}

std::vector<domain::CredentialValue> credentials(const domain::Institution& inst,
                                                 const std::string& password) {
  std::vector<domain::CredentialValue> out;
  for (const auto& f : inst.credentials) {
    out.push_back({f.guid, f.is_password ? password : f.is_login ? "mxuser" : "1234"});
  }
  return out;
}

// Moves time one second at a time until the member's job ends or waits for an answer: what a
// client polling the member would see happen. Bounded by an emulated hour.
void settle(Emulator& e, const std::string& member_guid) {
  for (int i = 0; i < 3600; ++i) {
    const domain::Member* m = e.member_by_guid(member_guid);
    if (m == nullptr || !m->job || m->job->phase == domain::JobPhase::kAwaitingAnswer) return;
    e.advance(domain::Seconds{1});
  }
}

domain::Result<const domain::Institution*> institution(Emulator& e, const Params& p) {
  const domain::Institution* inst = e.find_institution(p.at("institution"));
  if (inst == nullptr) return bad("Unknown institution " + p.at("institution") + ".");
  return inst;
}

// A user with a member at the institution logging in with `password`, its first job settled.
domain::Result<Made> member_with_password(Emulator& e, const Params& p, const std::string& password,
                                          bool settle_job = true) {
  auto inst = institution(e, p);
  if (!inst) return inst.error();
  if ((*inst)->script == domain::CredentialScript::kOAuth) {
    return bad("This state needs a credential institution, not " + (*inst)->code + ".");
  }
  Made made{new_user(e), {}, (*inst)->code, {}};
  domain::MemberCreate create;
  create.institution_code = (*inst)->code;
  create.credentials = credentials(**inst, password);
  auto member = e.create_member(made.user_guid, IdentifierMode::kGuidOnly, create);
  if (!member) return member.error();
  made.member_guid = (*member)->guid;
  if (settle_job) settle(e, made.member_guid);
  return made;
}

// Runs standard aggregations until `failures` jobs have failed, each after the throttle window.
domain::Status fail_again(Emulator& e, const Made& made, int failures) {
  const auto* inst = e.find_institution(made.institution);
  for (int i = 1; i < failures; ++i) {
    e.advance(inst->throttle_window + domain::Seconds{60});
    auto started = e.start_job(made.user_guid, made.member_guid, IdentifierMode::kGuidOnly,
                               domain::JobType::kAggregate);
    if (!started) return started.error();
    settle(e, made.member_guid);
  }
  return domain::ok_status();
}

const char* failing_password(const domain::Institution& inst) {
  return inst.script == domain::CredentialScript::kMxBank ? "SERVER_ERROR" : "DEGRADED";
}

domain::Result<Made> user_only(Emulator& e, const Params& /*p*/) {
  return Made{new_user(e), {}, {}, {}};
}
domain::Result<Made> connected(Emulator& e, const Params& p) {
  return member_with_password(e, p, "password");
}
domain::Result<Made> aggregating(Emulator& e, const Params& p) {
  return member_with_password(e, p, "password", /*settle_job=*/false);
}
domain::Result<Made> denied(Emulator& e, const Params& p) {
  return member_with_password(e, p, "INVALID");
}
domain::Result<Made> locked(Emulator& e, const Params& p) {
  return member_with_password(e, p, "LOCKED");
}

domain::Result<Made> challenged(Emulator& e, const Params& p) {
  static const std::map<std::string, std::string> kPasswords = {{"TEXT", "challenge"},
                                                                {"OPTIONS", "options"},
                                                                {"IMAGE_DATA", "image"},
                                                                {"TOKEN", "token"},
                                                                {"IMAGE_OPTIONS", "image_options"}};
  const auto password = kPasswords.find(p.at("challenge"));
  if (password == kPasswords.end()) {
    return bad("challenge is one of TEXT, OPTIONS, IMAGE_DATA, TOKEN, IMAGE_OPTIONS.");
  }
  auto inst = institution(e, p);
  if (!inst) return inst.error();
  if ((*inst)->script == domain::CredentialScript::kMxBank &&
      (p.at("challenge") == "TOKEN" || p.at("challenge") == "IMAGE_OPTIONS")) {
    return bad(
        "MX Bank asks TEXT, OPTIONS or IMAGE_DATA; use an emulator institution (e.g. "
        "summit_ridge_bank) for " +
        p.at("challenge") + ".");
  }
  auto made = member_with_password(e, p, password->second);
  if (!made) return made;
  for (const auto& c : e.member_by_guid(made->member_guid)->challenges) {
    made->challenge_guids.push_back(c.guid);
  }
  return made;
}

domain::Result<Made> expired(Emulator& e, const Params& p) {
  Params text = p;
  text["challenge"] = "TEXT";
  auto made = challenged(e, text);
  if (!made) return made;
  e.advance(e.find_institution(made->institution)->mfa_timeout + domain::Seconds{1});
  made->challenge_guids.clear();
  return made;
}

domain::Result<Made> degraded(Emulator& e, const Params& p) {
  auto inst = institution(e, p);
  if (!inst) return inst.error();
  auto made = member_with_password(e, p, failing_password(**inst));
  if (!made) return made;
  if (auto s = fail_again(e, *made, domain::kFailuresToDegrade); !s) return s.error();
  return made;
}

domain::Result<Made> disconnected(Emulator& e, const Params& p) {
  auto made = degraded(e, p);
  if (!made) return made;
  // Two weeks without a success; background aggregations fail meanwhile.
  e.advance(e.options().disconnected_after + domain::Seconds{60});
  return made;
}

domain::Result<Made> prevented(Emulator& e, const Params& p) {
  auto made = member_with_password(e, p, "INVALID");
  if (!made) return made;
  const auto* inst = e.find_institution(made->institution);
  for (int i = 1; i < 3; ++i) {
    domain::MemberUpdate update;
    update.credentials = credentials(*inst, "INVALID");
    auto updated =
        e.update_member(made->user_guid, made->member_guid, IdentifierMode::kGuidOnly, update);
    if (!updated) return updated.error();
    settle(e, made->member_guid);
  }
  return made;
}

domain::Result<Made> oauth_pending(Emulator& e, const Params& p) {
  auto inst = institution(e, p);
  if (!inst) return inst.error();
  if (!(*inst)->supports_oauth) return bad((*inst)->code + " does not support OAuth.");
  Made made{new_user(e), {}, (*inst)->code, {}};
  domain::MemberCreate create;
  create.institution_code = (*inst)->code;
  create.is_oauth = true;
  auto member = e.create_member(made.user_guid, IdentifierMode::kGuidOnly, create);
  if (!member) return member.error();
  made.member_guid = (*member)->guid;
  return made;
}

domain::Result<Made> institution_down(Emulator& e, const Params& p) {
  auto inst = institution(e, p);
  if (!inst) return inst.error();
  const auto outcome = domain::parse_auth_outcome(p.at("outcome"));
  if (!outcome) return bad("Unknown outcome " + p.at("outcome") + ".");
  if (auto s = e.set_institution_fault((*inst)->code, *outcome); !s) return s.error();
  return Made{{}, {}, (*inst)->code, {}};
}

const std::vector<NamedState>& states() {
  static const Param kInstitution{"institution", "mxbank", "institution code"};
  static const std::vector<NamedState> kStates = {
      {"user only", "a user with no members", {}, user_only, std::nullopt},
      {"member connected",
       "a member whose first aggregation finished, with its data",
       {kInstitution},
       connected,
       ConnectionStatus::kConnected},
      {"member aggregating",
       "a member whose first aggregation is still running",
       {kInstitution},
       aggregating,
       std::nullopt},
      {"member challenged",
       "a member waiting for an MFA answer",
       {kInstitution, {"challenge", "TEXT", "TEXT, OPTIONS, IMAGE_DATA, TOKEN, IMAGE_OPTIONS"}},
       challenged,
       ConnectionStatus::kChallenged},
      {"member expired",
       "a member that left its MFA question unanswered",
       {kInstitution},
       expired,
       ConnectionStatus::kExpired},
      {"member denied",
       "a member whose login was refused once",
       {kInstitution},
       denied,
       ConnectionStatus::kDenied},
      {"member prevented",
       "a member refused three times in a row",
       {kInstitution},
       prevented,
       ConnectionStatus::kPrevented},
      {"member locked",
       "a member whose login the institution locked",
       {kInstitution},
       locked,
       ConnectionStatus::kLocked},
      {"member degraded",
       "a member whose aggregation failed three times within 24 h",
       {{"institution", "summit_ridge_bank", "institution code"}},
       degraded,
       ConnectionStatus::kDegraded},
      {"member disconnected",
       "a failing member with no success for two weeks",
       {{"institution", "summit_ridge_bank", "institution code"}},
       disconnected,
       ConnectionStatus::kDisconnected},
      {"oauth member pending",
       "an OAuth member waiting for the user's OAuth page",
       {{"institution", "mx_bank_oauth", "OAuth institution code"}},
       oauth_pending,
       ConnectionStatus::kPending},
      {"institution down",
       "every login at the institution gets the outcome until cleared",
       {kInstitution, {"outcome", "fail", "login outcome (fail, deny, lock, ...)"}},
       institution_down,
       std::nullopt},
  };
  return kStates;
}

json params_json(const NamedState& s) {
  json out = json::array();
  for (const auto& p : s.params) {
    out.push_back({{"name", p.name}, {"default", p.default_value}, {"meaning", p.meaning}});
  }
  return out;
}

}  // namespace

Response control_list_states(RouteContext& /*ctx*/) {
  json out = json::array();
  for (const auto& s : states()) {
    out.push_back({{"state", s.name}, {"description", s.description}, {"params", params_json(s)}});
  }
  return control_response(200, {{"states", out}});
}

Response control_set_state(RouteContext& ctx) {
  const json& body = ctx.body;
  if (!body.is_object() || !body.contains("state") || !body["state"].is_string()) {
    return error_response(400,
                          "Send {\"state\": \"member connected\", \"params\": {…}}; "
                          "GET /_emulator/states lists the names.");
  }
  const std::string name = body["state"].get<std::string>();
  const NamedState* state = nullptr;
  for (const auto& s : states()) {
    if (name == s.name) state = &s;
  }
  if (state == nullptr) {
    return error_response(404,
                          "No state named \"" + name + "\"; GET /_emulator/states lists them.");
  }
  Params params;
  for (const auto& p : state->params) params[p.name] = p.default_value;
  if (body.contains("params")) {
    if (!body["params"].is_object()) return error_response(400, "params must be an object.");
    for (const auto& [key, value] : body["params"].items()) {
      if (params.count(key) == 0) {
        return error_response(400, "The state \"" + name + "\" takes no param " + key + ".");
      }
      if (!value.is_string()) return error_response(400, "Param " + key + " must be a string.");
      params[key] = value.get<std::string>();
    }
  }
  auto made = state->setup(ctx.emulator, params);
  if (!made) return error_response(made.error());
  json out = {{"state", name}};
  if (!made->user_guid.empty()) out["user_guid"] = made->user_guid;
  if (!made->institution.empty()) out["institution"] = made->institution;
  if (!made->member_guid.empty()) {
    const domain::Member* m = ctx.emulator.member_by_guid(made->member_guid);
    out["member_guid"] = made->member_guid;
    out["connection_status"] = m != nullptr ? json(domain::to_wire(m->status())) : json(nullptr);
    if (state->expect && (m == nullptr || m->status() != *state->expect)) {
      return error_response(500, "The state \"" + name + "\" ended in " +
                                     std::string(m ? domain::to_wire(m->status()) : "nothing") +
                                     " instead of " + std::string(domain::to_wire(*state->expect)) +
                                     " with these params.");
    }
  }
  if (!made->challenge_guids.empty()) out["challenge_guids"] = made->challenge_guids;
  if (const domain::Member* m = ctx.emulator.member_by_guid(made->member_guid);
      m != nullptr && m->oauth_window) {
    out["oauth_window_uri"] = oauth_window_url(*m, ctx.base_url());
  }
  return control_response(201, out);
}

}  // namespace mxemu::api
