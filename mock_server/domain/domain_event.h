#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/clock.h"
#include "domain/connection_status.h"
#include "domain/microdeposit.h"

namespace mxemu::domain {

// Something that happened to a member that MX would announce with a webhook. The emulator
// records these in order; the webhook dispatcher (and GET /_emulator/events) read them.
enum class DomainEventKind {
  kConnectionStatus,  // entered one of the 8 end-user-actionable statuses
  kAggregation,       // a standard aggregation finished successfully
  kBalance,           // check_balance finished
  kHistory,           // extend_history finished
  kStatement,         // fetch_statements finished
  kVerification,      // verify finished
  kIdentification,    // identify finished
  kMemberCreated,
  kMemberUpdated,  // any change of connection_status or aggregation flags
  kMemberDeleted,
  kReward,               // fetch_rewards finished
  kMicrodepositCreated,  // a microdeposit was created or pre-initiated
  kMicrodepositUpdated,  // a microdeposit's status changed
};

struct DomainEvent {
  std::uint64_t sequence = 0;  // strictly increasing, never reused
  DomainEventKind kind = DomainEventKind::kMemberUpdated;
  TimePoint at;
  std::string user_guid;
  std::optional<std::string> user_id;
  std::string member_guid;
  std::optional<std::string> job_guid;
  ConnectionStatus status = ConnectionStatus::kNone;
  std::string status_message;
  bool is_background = false;
  bool is_being_aggregated = false;
  int created_count = 0;
  int updated_count = 0;
  std::vector<std::string> account_guids;       // VERIFICATION
  std::optional<std::string> callback_payload;  // X-CALLBACK-PAYLOAD of the causing request
  // MICRODEPOSIT: the record as it was then; shared, so the many events without one stay small.
  std::shared_ptr<const Microdeposit> micro_deposit;
};

}  // namespace mxemu::domain
