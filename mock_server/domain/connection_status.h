#pragma once

#include <array>
#include <optional>
#include <string_view>

namespace mxemu::domain {

// MX's member connection_status. kNone is JSON null ("no credentials yet"). The order is MX's
// integer code plus one (CREATED = 0 ... PENDING = 21): the widget's postMessages and the
// webhooks carry those integers, so the order is part of the wire contract.
enum class ConnectionStatus {
  kNone,
  kCreated,
  kPrevented,
  kDenied,
  kChallenged,
  kRejected,
  kLocked,
  kConnected,
  kImpeded,
  kReconnected,
  kDegraded,
  kDisconnected,
  kDiscontinued,
  kClosed,
  kDelayed,
  kFailed,
  kUpdated,
  kDisabled,
  kImported,
  kResumed,
  kExpired,
  kImpaired,
  kPending,
};

inline constexpr int kConnectionStatusCount = 23;  // 22 named values plus null

// Everything MX says about one status, in one row (connection_status.cpp holds the table).
struct StatusInfo {
  ConnectionStatus status;
  std::string_view name;  // wire string; empty for kNone (JSON null)
  int code;               // MX integer; -1 for kNone
  // connection_status_message template; "{institution}" is replaced by the institution's name.
  std::string_view message;
  bool fires_connection_status_webhook;  // one of the 8 end-user-actionable statuses
  bool exempt_from_throttle;             // REJECTED, PREVENTED, UPDATED
  bool needs_user;                       // only the end user can move it on
};

const StatusInfo& info(ConnectionStatus s);
const std::array<StatusInfo, kConnectionStatusCount>& all_statuses();

// Wire string ("CONNECTED"); empty for kNone.
std::string_view to_wire(ConnectionStatus s);
// MX integer (CONNECTED = 6); -1 for kNone.
int to_code(ConnectionStatus s);
// Parses a wire string; "null" and "" give kNone. Unknown strings give nullopt.
std::optional<ConnectionStatus> parse_connection_status(std::string_view wire);

}  // namespace mxemu::domain
