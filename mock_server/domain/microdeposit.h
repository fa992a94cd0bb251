#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/clock.h"

namespace mxemu::domain {

// A microdeposit's status. The numbers are MX's (Connect's MicrodepositsStatuses; the MICRODEPOSIT
// webhook carries them as `status`), so the enumerators keep MX's order.
enum class MicrodepositStatus {
  kInitiated = 0,     // the request was made
  kRequested = 1,     // the two deposits were requested from the ACH provider
  kDeposited = 2,     // the deposits reached the account: the end user can verify them
  kVerified = 3,      // the end user entered both amounts
  kErrored = 4,       // the deposits could not be made (an ACH error)
  kDenied = 5,        // the end user entered wrong amounts; they may try again
  kPrevented = 6,     // too many wrong attempts: this microdeposit is over
  kConflicted = 7,    // another microdeposit already verifies this account
  kRejected = 8,      // refused after validation
  kPreinitiated = 9,  // only the end user's name and email so far (the app collected them)
};
inline constexpr int kMicrodepositStatusCount = 10;

// The one table of status names, indexed by the enumerator's value.
inline constexpr std::array<std::string_view, kMicrodepositStatusCount> kMicrodepositStatusNames = {
    "INITIATED", "REQUESTED", "DEPOSITED",  "VERIFIED", "ERRORED",
    "DENIED",    "PREVENTED", "CONFLICTED", "REJECTED", "PREINITIATED"};

inline std::string_view to_wire(MicrodepositStatus s) {
  return kMicrodepositStatusNames[static_cast<std::size_t>(s)];
}
inline int to_code(MicrodepositStatus s) { return static_cast<int>(s); }

// MX's microdeposit (MicrodepositElements + MicrodepositResponse): two small ACH deposits into
// an account that the end user proves to own by entering their amounts.
struct Microdeposit {
  std::string guid;  // "MIC-…"
  std::string user_guid;
  MicrodepositStatus status = MicrodepositStatus::kInitiated;
  // What the app or the end user gave; a pre-initiated one has only the name and email.
  std::optional<std::string> account_name;
  std::optional<std::string> account_number;
  std::optional<std::string> account_type;  // CHECKING or SAVINGS
  std::optional<std::string> routing_number;
  std::optional<std::string> email;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
  // The institution whose routing number it is, when the emulator knows one (its guid: the
  // webhook names it by guid, the API by code and name).
  std::optional<std::string> institution_guid;
  std::optional<std::string> error_message;
  int deposit_cents_1 = 0;  // the amounts deposited: 1-99 cents each, never equal
  int deposit_cents_2 = 0;
  int failed_attempts = 0;  // wrong verifications so far
  std::uint64_t timer = 0;  // the pending step's timer; a timer with another id is stale
  TimePoint created_at;
  TimePoint updated_at;
  std::optional<TimePoint> verified_at;
};

// Whether the two deposits have reached the account (their amounts are then the end user's to
// read).
inline bool deposits_made(const Microdeposit& m) {
  using S = MicrodepositStatus;
  return m.status == S::kDeposited || m.status == S::kDenied || m.status == S::kVerified ||
         m.status == S::kPrevented;
}

}  // namespace mxemu::domain
