#include "domain/connection_status.h"

namespace mxemu::domain {
namespace {

using S = ConnectionStatus;

// The only table of status names, codes and messages (MX API reference, "Connection
// statuses"). Columns: status, wire name, code, end-user message, CONNECTION_STATUS webhook,
// throttle-exempt, needs the end user.
// clang-format off
constexpr std::array<StatusInfo, kConnectionStatusCount> kStatuses{{
  {S::kNone,         "",             -1, "",                                                                                                   false, false, false},
  {S::kCreated,      "CREATED",       0, "Connecting to {institution} ...",                                                                   false, false, false},
  {S::kPrevented,    "PREVENTED",     1, "The last 3 attempts to connect have failed. Please re-enter your credentials to continue importing data.", true, true, true},
  {S::kDenied,       "DENIED",        2, "The credentials entered do not match your credentials at this institution. Please re-enter your credentials to continue importing data.", true, false, true},
  {S::kChallenged,   "CHALLENGED",    3, "To authenticate your connection to {institution}, please answer the following challenge(s).",       true,  false, true},
  {S::kRejected,     "REJECTED",      4, "The answer or answers provided were incorrect. Please try again.",                                  true,  true,  true},
  {S::kLocked,       "LOCKED",        5, "Your account is locked. Please log in to the appropriate website for {institution} and follow the steps to resolve the issue.", true, false, true},
  {S::kConnected,    "CONNECTED",     6, "Connected to {institution}.",                                                                       false, false, false},
  {S::kImpeded,      "IMPEDED",       7, "Your attention is needed at this institution's website. Please log in to the appropriate website for {institution} and follow the steps to resolve the issue.", true, false, true},
  {S::kReconnected,  "RECONNECTED",   8, "Reconnecting to {institution} ...",                                                                 false, false, true},
  {S::kDegraded,     "DEGRADED",      9, "We are upgrading this connection. Please try again later.",                                         false, false, false},
  {S::kDisconnected, "DISCONNECTED", 10, "It looks like your data from {institution} cannot be imported. We are working to resolve the issue.", false, false, false},
  {S::kDiscontinued, "DISCONTINUED", 11, "Connections to this institution are no longer supported. You may create a manual account and use manual transactions to track data for this account.", false, false, false},
  {S::kClosed,       "CLOSED",       12, "This connection has been closed. You may track this account manually. If reopened, you may connect the institution again.", false, false, false},
  {S::kDelayed,      "DELAYED",      13, "Importing your data from {institution} may take a while. Please check back later.",               false, false, false},
  {S::kFailed,       "FAILED",       14, "There was a problem validating your credentials with {institution}. Please try again later.",     false, false, false},
  {S::kUpdated,      "UPDATED",      15, "Connecting to {institution} ...",                                                                  false, true,  false},
  {S::kDisabled,     "DISABLED",     16, "Importing data from this institution has been disabled. Please contact us if you believe it has been disabled in error.", false, false, false},
  {S::kImported,     "IMPORTED",     17, "You must re-authenticate before your data can be imported. Please enter your credentials for {institution}.", false, false, true},
  {S::kResumed,      "RESUMED",      18, "Connecting to {institution} ...",                                                                  false, false, false},
  {S::kExpired,      "EXPIRED",      19, "The answer or answers were not provided in time. Please try again.",                               true,  false, true},
  {S::kImpaired,     "IMPAIRED",     20, "You must re-authenticate before your data can be imported. Please enter your credentials for {institution}.", true, false, true},
  {S::kPending,      "PENDING",      21, "",                                                                                                  false, false, true},
}};
// clang-format on

constexpr bool table_is_in_enum_order() {
  for (std::size_t i = 0; i < kStatuses.size(); ++i) {
    if (static_cast<std::size_t>(kStatuses[i].status) != i || kStatuses[i].code != int(i) - 1) {
      return false;
    }
  }
  return true;
}
static_assert(table_is_in_enum_order(), "kStatuses must list every status in enum order");

}  // namespace

const StatusInfo& info(ConnectionStatus s) { return kStatuses[static_cast<std::size_t>(s)]; }

const std::array<StatusInfo, kConnectionStatusCount>& all_statuses() { return kStatuses; }

std::string_view to_wire(ConnectionStatus s) { return info(s).name; }

int to_code(ConnectionStatus s) { return info(s).code; }

std::optional<ConnectionStatus> parse_connection_status(std::string_view wire) {
  if (wire.empty() || wire == "null") return ConnectionStatus::kNone;
  for (const auto& row : kStatuses) {
    if (row.name == wire) return row.status;
  }
  return std::nullopt;
}

}  // namespace mxemu::domain
