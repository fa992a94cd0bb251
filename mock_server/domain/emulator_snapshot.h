#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "domain/clock.h"
#include "domain/credential_script.h"
#include "domain/domain_event.h"
#include "domain/processor_token.h"
#include "domain/records.h"
#include "domain/timer_queue.h"

// A domain-level value of everything one Emulator holds, for export and import (the control
// API's snapshot, persistence). Plain structs, no JSON: api/snapshot_codec.cpp encodes them.
//
// Every list is in a canonical order, so that snapshot() → restore() → snapshot() gives equal
// values: what the order says is part of each field's comment. JSON pointers in restore()'s
// errors name these fields as the codec does (its keys are these member names).
//
// Completeness: tests/domain/snapshot_completeness_test.cpp fails when a record, the Store, the
// Emulator or the API's ServiceState grows a field; the field then belongs here (or in
// api::WorldSnapshot) and in the codec.
namespace mxemu::domain {

// The Store's records.
struct StoreSnapshot {
  std::vector<User> users;                     // creation order
  std::vector<Member> members;                 // per user (users' order), creation order
  std::vector<Account> accounts;               // per member (members' order), then manual ones
  std::vector<Transaction> transactions;       // per user (users' order), by (date, guid)
  std::vector<Holding> holdings;               // per member (members' order), job order
  std::vector<AccountNumber> account_numbers;  // idem
  std::vector<AccountOwner> account_owners;    // idem
  std::vector<Statement> statements;           // idem
  std::vector<CustomCategory> categories;      // per user (users' order), creation order
  std::vector<Reward> rewards;                 // per member (members' order), as generated
  std::vector<Tag> tags;                       // per user (users' order), creation order
  std::vector<Tagging> taggings;               // idem
  std::vector<TransactionRule> rules;          // idem
  std::vector<Microdeposit> microdeposits;     // idem
  std::map<std::string, std::string> merged_accounts;  // account merged away → its member
  std::vector<AuthorizationCode> authorization_codes;  // by (created_at, code)
  std::vector<ProcessorToken> processor_tokens;        // by (created_at, access_token)
};

// One institution's recent job starts (the opt-in storm policy's window).
struct StormStarts {
  std::string institution_code;
  std::vector<TimePoint> starts;  // oldest first
};

struct QueuedOutcomes {
  std::string member_guid;
  std::vector<AuthOutcome> outcomes;  // next first
};

struct InstitutionFault {
  std::string institution_code;
  AuthOutcome outcome = AuthOutcome::kFail;
};

struct PendingAnswers {
  std::string member_guid;
  std::vector<CredentialValue> answers;
};

// A widget session, field for field as the emulator's WidgetSession.
struct WidgetRecord {
  std::string token;
  std::string user_guid;
  std::string widget_type;
  std::optional<std::string> current_member_guid;
  bool update_credentials = false;
  std::optional<std::string> current_institution;
  bool disable_institution_search = false;
  std::string mode;
  bool is_mobile_webview = false;
  std::string webview_url_scheme;
  bool wait_for_full_aggregation = false;
  std::vector<std::string> products;
  TimePoint issued_at;
  bool used = false;
  std::optional<std::string> current_microdeposit_guid;
};

struct EmulatorSnapshot {
  // Time: the emulator's present and the offset advances added to its clock.
  TimePoint now;
  Seconds offset{0};
  std::uint64_t guids_issued = 0;  // the guid counter (the seed is the tenant's own)
  StoreSnapshot store;
  std::vector<Timer> timers;  // pending due events, by (due, id)
  std::uint64_t next_timer_id = 1;
  std::vector<QueuedOutcomes> queued_outcomes;       // by member guid
  std::vector<InstitutionFault> institution_faults;  // by institution code
  std::vector<StormStarts> storm_gates;              // by institution code
  std::vector<std::string> discontinued;             // institution codes, sorted
  std::vector<WidgetRecord> widgets;                 // by token
  std::vector<PendingAnswers> pending_answers;       // by member guid
  std::vector<DomainEvent> events;                   // the bounded event log, oldest first
  std::uint64_t next_event_sequence = 1;
  std::optional<std::string> current_callback_payload;
};

// Why a snapshot cannot be restored: the JSON pointer of the offending field (as the codec
// names it, relative to the emulator snapshot) and what is wrong with it.
struct SnapshotProblem {
  std::string pointer;
  std::string message;
};

}  // namespace mxemu::domain
