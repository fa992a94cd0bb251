#include "domain/credential_script.h"

#include <algorithm>
#include <array>

#include "domain/ids.h"

namespace mxemu::domain {
namespace {

struct PasswordRow {
  std::string_view password;
  AuthOutcome outcome;
  bool mx_bank;  // part of MX Bank's documented table (else: emulator extension)
  std::string_view detail;
};

// The login script, one row per magic password (docs/institutions.md renders the same table).
// clang-format off
constexpr std::array<PasswordRow, 16> kPasswords{{
  {"challenge",     AuthOutcome::kChallenge, true,  ""},
  {"options",       AuthOutcome::kChallenge, true,  ""},
  {"image",         AuthOutcome::kChallenge, true,  ""},
  {"BAD_REQUEST",   AuthOutcome::kFail,      true,  "You must fill out the username and password fields."},
  {"SERVER_ERROR",  AuthOutcome::kFail,      true,  "The institution's server returned an error."},
  {"UNAVAILABLE",   AuthOutcome::kFail,      true,  "The institution's server is unavailable."},
  {"UNAUTHORIZED",  AuthOutcome::kDeny,      true,  "The credentials were not accepted."},
  {"INVALID",       AuthOutcome::kDeny,      true,  "The credentials were not accepted."},
  {"DISABLED",      AuthOutcome::kDeny,      true,  "The credentials were not accepted."},
  {"LOCKED",        AuthOutcome::kLock,      true,  "The account is locked at the institution."},
  {"token",         AuthOutcome::kChallenge, false, ""},
  {"image_options", AuthOutcome::kChallenge, false, ""},
  {"IMPEDED",       AuthOutcome::kImpede,    false, "Action is required at the institution's website."},
  {"IMPAIRED",      AuthOutcome::kImpair,    false, "A required credential is missing."},
  {"DELAYED",       AuthOutcome::kDelay,     false, ""},
  {"DEGRADED",      AuthOutcome::kFail,      false, "The institution's server returned an error."},
}};

constexpr std::array<std::string_view, 9> kOutcomeNames{
    "connect", "challenge", "deny", "lock", "impede", "impair", "delay", "fail", "reject"};
// clang-format on

const PasswordRow* find_row(const Institution& inst, std::string_view password) {
  for (const auto& row : kPasswords) {
    if (row.password != password) continue;
    if (!row.mx_bank && inst.script == CredentialScript::kMxBank) return nullptr;
    return &row;
  }
  return nullptr;
}

ChallengeType challenge_type_for(const Institution& inst, std::string_view password) {
  if (password == "options") return ChallengeType::kOptions;
  if (password == "image") return ChallengeType::kImageData;
  if (password == "token") return ChallengeType::kToken;
  if (password == "image_options") return ChallengeType::kImageOptions;
  // "challenge": MX Bank asks a text question; other institutions ask in their own style.
  return inst.script == CredentialScript::kMxBank ? ChallengeType::kText : inst.challenge_type;
}

std::string password_of(const Institution& inst, const std::vector<CredentialValue>& values) {
  for (const auto& field : inst.credentials) {
    if (!field.is_password) continue;
    for (const auto& v : values) {
      if (v.guid == field.guid) return v.value;
    }
  }
  return {};
}

// A 1x1 PNG: enough for a client to render or decode an image challenge.
constexpr std::string_view kTinyPng =
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
    "60e6kgAAAABJRU5ErkJggg==";

bool is_correct_answer(const Challenge& c, std::string_view value) {
  if (value == "correct") return true;
  // Choosing the first option of an OPTIONS/IMAGE_OPTIONS question also passes.
  return !c.options.empty() &&
         (value == c.options.front().value || value == c.options.front().guid);
}

}  // namespace

std::string_view to_string(AuthOutcome o) { return kOutcomeNames[static_cast<std::size_t>(o)]; }

std::optional<AuthOutcome> parse_auth_outcome(std::string_view name) {
  for (std::size_t i = 0; i < kOutcomeNames.size(); ++i) {
    if (kOutcomeNames[i] == name) return static_cast<AuthOutcome>(i);
  }
  return std::nullopt;
}

ScriptVerdict judge_login(const Institution& institution,
                          const std::vector<CredentialValue>& credentials) {
  const std::string password = password_of(institution, credentials);
  const PasswordRow* row = find_row(institution, password);
  if (row == nullptr) return {AuthOutcome::kConnect, ChallengeType::kText, ""};
  ScriptVerdict v{row->outcome, ChallengeType::kText, std::string(row->detail)};
  if (row->outcome == AuthOutcome::kChallenge)
    v.challenge_type = challenge_type_for(institution, password);
  return v;
}

ScriptVerdict judge_answers(const Institution& institution, const std::vector<Challenge>& asked,
                            const std::vector<CredentialValue>& answers, int round) {
  bool all_correct = !answers.empty();
  for (const auto& answer : answers) {
    // A scripted error password given as the answer simulates that error (MX Bank docs). Only
    // the outcomes an institution can give while judging an answer count: a failure, a refused
    // login or a lock; other magic words are merely wrong answers.
    if (const PasswordRow* row = find_row(institution, answer.value);
        row != nullptr &&
        (row->outcome == AuthOutcome::kFail || row->outcome == AuthOutcome::kDeny ||
         row->outcome == AuthOutcome::kLock)) {
      return {row->outcome, ChallengeType::kText, std::string(row->detail)};
    }
    if (answer.value == "challenge") {
      // Atrium's MX Bank: answering "challenge" produces a follow-up question.
      return {AuthOutcome::kChallenge, institution.challenge_type, ""};
    }
    auto it = std::find_if(asked.begin(), asked.end(),
                           [&](const Challenge& c) { return c.guid == answer.guid; });
    if (it == asked.end() || !is_correct_answer(*it, answer.value)) all_correct = false;
  }
  if (!all_correct) {
    return {AuthOutcome::kReject, ChallengeType::kText, "The MFA answer was incorrect."};
  }
  if (institution.two_step_mfa && round == 1) {
    return {AuthOutcome::kChallenge, ChallengeType::kToken, ""};
  }
  return {AuthOutcome::kConnect, ChallengeType::kText, ""};
}

std::vector<Challenge> make_challenges(const Institution& institution, ChallengeType type,
                                       std::uint64_t seed, int round) {
  Challenge c;
  c.guid = derived_guid("CRD", seed, static_cast<std::uint64_t>(round) * 16U);
  c.type = type;
  auto option = [&](int i, std::string label, std::string data_uri = {}) {
    ChallengeOption o;
    o.guid = derived_guid("CRD", seed, static_cast<std::uint64_t>(round) * 16U + 1U + unsigned(i));
    o.label = std::move(label);
    o.value = o.guid;
    o.data_uri = std::move(data_uri);
    c.options.push_back(std::move(o));
  };
  switch (type) {
    case ChallengeType::kText:
      c.label = round <= 1 ? "What city were you born in?" : "What was the name of your first pet?";
      break;
    case ChallengeType::kOptions:
      c.label = "Where should we send your one-time code?";
      option(0, "Text (***) ***-1234");
      option(1, "Call (***) ***-1234");
      option(2, "Email j***@example.com");
      break;
    case ChallengeType::kToken:
      c.label = "Enter the 6-digit code " + institution.name + " sent to your phone.";
      break;
    case ChallengeType::kImageData:
      c.label = "Please enter the characters shown in the image.";
      c.image_data = std::string(kTinyPng);
      break;
    case ChallengeType::kImageOptions:
      c.label = "Choose your security image.";
      option(0, "IMAGE_1", std::string(kTinyPng));
      option(1, "IMAGE_2", std::string(kTinyPng));
      option(2, "IMAGE_3", std::string(kTinyPng));
      break;
  }
  c.field_name = c.label;
  return {c};
}

}  // namespace mxemu::domain
