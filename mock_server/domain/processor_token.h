#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/clock.h"
#include "domain/error.h"

namespace mxemu::domain {

// What a processor may read with a code or token: MX's scope text
// "user-guid:USR-… member-guid:MBR-… account-guid:ACT-… read-protected". An empty member or
// account guid means none was named: a token without an account reaches every account of its
// member; one without a member reaches no account data at all.
struct ProcessorScope {
  std::string user_guid;
  std::string member_guid;
  std::string account_guid;
  // "read-protected": the account and routing numbers (account_numbers, payment_account).
  bool read_protected = false;
};

// The scope text as MX writes it: space-separated, in MX's order, absent parts left out.
std::string to_text(const ProcessorScope& scope);
// Parses a scope text. kBadRequest (kProcessorScopeInvalid, naming the part) for an unknown or
// repeated part, an empty guid, or an account without a member; kProcessorScopeNeedsUser when
// no user is named. Whitespace of any length separates parts.
Result<ProcessorScope> parse_processor_scope(std::string_view text);

// A one-time code a client hands a processor (requestAuthorizationCode).
struct AuthorizationCode {
  std::string code;
  ProcessorScope scope;
  TimePoint created_at;
};

// "Every access_token expires after 60 days." (MX's processor guide)
inline constexpr Seconds kProcessorTokenLifetime{60LL * 24 * 3600};

// What a processor got for a code: its bearer token for the routes under /account and
// /payment_account.
struct ProcessorToken {
  std::string access_token;
  std::string processor_id;    // the client_id the processor authenticated with
  std::string processor_guid;  // "PPR-…", derived from processor_id (processor_guid())
  ProcessorScope scope;
  TimePoint created_at;
  TimePoint expires_at;

  bool active(TimePoint now) const { return now < expires_at; }
};

// The processor's guid: the same for one processor_id in every tenant and run.
std::string processor_guid(std::string_view processor_id);
// `length` characters of the URL-safe base64 alphabet, the shape of MX's codes and tokens,
// determined by `seed` alone.
std::string opaque_token(std::uint64_t seed, std::size_t length);

}  // namespace mxemu::domain
