// The Store's processor codes and tokens (store.h).
#include <utility>

#include "domain/store.h"

namespace mxemu::domain {

void Store::add_authorization_code(AuthorizationCode code) {
  std::string key = code.code;
  authorization_codes_.insert_or_assign(std::move(key), std::move(code));
}

std::optional<AuthorizationCode> Store::take_authorization_code(std::string_view code) {
  auto it = authorization_codes_.find(std::string(code));
  if (it == authorization_codes_.end()) return std::nullopt;
  AuthorizationCode out = std::move(it->second);
  authorization_codes_.erase(it);
  return out;
}

void Store::add_processor_token(ProcessorToken token) {
  std::string key = token.access_token;
  processor_tokens_.insert_or_assign(std::move(key), std::move(token));
}

const ProcessorToken* Store::find_processor_token(std::string_view access_token) const {
  auto it = processor_tokens_.find(std::string(access_token));
  return it == processor_tokens_.end() ? nullptr : &it->second;
}

bool Store::has_processor_key(std::string_view key) const {
  const std::string k(key);
  return authorization_codes_.count(k) != 0 || processor_tokens_.count(k) != 0;
}

void Store::drop_processor_access(std::string ProcessorScope::*field, const std::string& guid) {
  const auto drop = [&](auto& by_key) {
    for (auto it = by_key.begin(); it != by_key.end();) {
      it = it->second.scope.*field == guid ? by_key.erase(it) : std::next(it);
    }
  };
  drop(authorization_codes_);
  drop(processor_tokens_);
}

}  // namespace mxemu::domain
