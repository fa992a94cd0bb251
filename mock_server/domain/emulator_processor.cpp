// Processor tokens: a client grants a payment processor read access to one member's account by
// a one-time code; the processor exchanges it for a bearer token that lasts 60 days. Sources:
// MX's processor-token guides (client and processor) and the Platform API reference;
// docs/api-coverage.md says where the emulator had to choose.
#include <algorithm>
#include <tuple>
#include <utility>

#include "domain/emulator.h"
#include "domain/ids.h"

namespace mxemu::domain {
namespace {

// MX's examples: a 42-character code, a 45-character token.
constexpr std::size_t kCodeLength = 42;
constexpr std::size_t kTokenLength = 45;

}  // namespace

Result<AuthorizationCode> Emulator::request_authorization_code(const ProcessorScope& scope) {
  auto user = user_or_error(scope.user_guid, IdentifierMode::kGuidOnly);
  if (!user) return user.error();
  if (!scope.member_guid.empty()) {
    auto member = find_member(scope.user_guid, scope.member_guid, IdentifierMode::kGuidOnly);
    if (!member) return member.error();
    // "Before requesting an authorization code which includes a member in the scope, clients
    // must have verified that member."
    if (!(*member)->has_processed_account_numbers) {
      return refuse(ErrorCode::kConflict, Reason::kProcessorMemberNotVerified);
    }
    if (!scope.account_guid.empty()) {
      const Account* account = store_.find_account(scope.account_guid);
      if (account == nullptr || account->member_guid != scope.member_guid) {
        return record_not_found();
      }
    }
  }
  AuthorizationCode code;
  code.code = opaque_token(stable_digest(guids_.next("PAC")), kCodeLength);
  code.scope = scope;
  code.created_at = now();
  store_.add_authorization_code(code);
  return code;
}

Result<ProcessorToken> Emulator::redeem_authorization_code(std::string_view code,
                                                           std::string_view processor_id) {
  std::optional<AuthorizationCode> grant = store_.take_authorization_code(code);
  if (!grant) return refuse(ErrorCode::kBadRequest, Reason::kAuthorizationCodeInvalid);
  ProcessorToken token;
  token.access_token = opaque_token(stable_digest(guids_.next("PAT")), kTokenLength);
  token.processor_id = std::string(processor_id);
  token.processor_guid = processor_guid(processor_id);
  token.scope = std::move(grant->scope);
  token.created_at = now();
  token.expires_at = token.created_at + kProcessorTokenLifetime;
  store_.add_processor_token(token);
  return token;
}

Result<const ProcessorToken*> Emulator::processor_grant(std::string_view access_token) const {
  const ProcessorToken* token = store_.find_processor_token(access_token);
  if (token == nullptr) return refuse(ErrorCode::kUnauthorized, Reason::kAccessTokenInvalid);
  if (!token->active(now_)) return refuse(ErrorCode::kUnauthorized, Reason::kAccessTokenExpired);
  return token;
}

Result<std::vector<ProcessorToken>> Emulator::list_processor_tokens(const ProcessorScope& filter) {
  auto user = user_or_error(filter.user_guid, IdentifierMode::kGuidOnly);
  if (!user) return user.error();
  std::vector<ProcessorToken> out;
  store_.for_each_processor_token([&](const ProcessorToken& t) {
    const ProcessorScope& s = t.scope;
    if (s.user_guid != filter.user_guid) return;
    if (!filter.member_guid.empty() && s.member_guid != filter.member_guid) return;
    if (!filter.account_guid.empty() && s.account_guid != filter.account_guid) return;
    out.push_back(t);
  });
  std::sort(out.begin(), out.end(), [](const ProcessorToken& a, const ProcessorToken& b) {
    return std::tie(a.created_at, a.access_token) < std::tie(b.created_at, b.access_token);
  });
  return out;
}

}  // namespace mxemu::domain
