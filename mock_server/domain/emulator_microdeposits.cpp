// Microdeposits: verifying an account by two small ACH deposits whose amounts the end user
// enters. Sources: MX's microdeposit guide and its API-testing page (integration environment),
// the Platform API reference, and Connect's MicrodepositsStatuses (docs/api-coverage.md cites
// them and says where the emulator had to choose).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_set>
#include <utility>

#include "domain/data_generator.h"
#include "domain/emulator.h"

namespace mxemu::domain {
namespace {

using S = MicrodepositStatus;

// "The actual status of the microdeposit guid updates every minute."
constexpr Seconds kRequestDelay{60};
// Integration environment: "REQUESTED will change to DEPOSITED after two minutes."
constexpr Seconds kDepositDelay{120};
// "Microdeposits that remain in the status INITIATED, REQUESTED, or DEPOSITED for 21 or more
// days are soft-deleted."
constexpr Seconds kRetention{21 * 24 * 3600};
// "On the third attempt with incorrect amounts, the microdeposit will move to a PREVENTED status."
constexpr int kMaxAttempts = 3;
// "Users can verify up to three accounts per email address using microdeposits."
constexpr std::size_t kAccountsPerEmail = 3;
// Integration environment: "Any integer that begins with 3333 … will be interpreted as a valid
// account number." Deposits to any other number come back: ERRORED.
constexpr std::string_view kValidAccountPrefix = "3333";

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// MX: names of 1-50 characters with "no special characters": letters, spaces, and the
// apostrophes, hyphens and periods names carry.
bool valid_name(std::string_view s) {
  if (s.empty() || s.size() > 50) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalpha(c) != 0 || c == ' ' || c == '\'' || c == '-' || c == '.' || c >= 0x80;
  });
}

// One '@' with text on each side, a dot inside the domain, no spaces.
bool valid_email(std::string_view s) {
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = s.substr(at + 1);
  const auto dot = domain.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= domain.size()) return false;
  return std::none_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

Error invalid(std::string field, std::string rule) {
  return refuse(ErrorCode::kBadRequest, Reason::kMicrodepositFieldInvalid,
                {std::move(field), std::move(rule)});
}

// The person's fields, when given: each must follow MX's rules.
std::optional<Error> check_person(const MicrodepositFields& f) {
  if (f.first_name && !valid_name(*f.first_name)) {
    return invalid("first_name", "1 to 50 letters, without special characters");
  }
  if (f.last_name && !valid_name(*f.last_name)) {
    return invalid("last_name", "1 to 50 letters, without special characters");
  }
  if (f.email && !valid_email(*f.email)) return invalid("email", "an email address");
  return std::nullopt;
}

// The account's fields: all three required, each valid.
std::optional<Error> check_account(const MicrodepositFields& f) {
  if (!f.account_number || !f.account_type || !f.routing_number) {
    return refuse(ErrorCode::kBadRequest, Reason::kMicrodepositFieldsRequired);
  }
  if (!all_digits(*f.account_number) || f.account_number->size() > 17) {
    return invalid("account_number", "1 to 17 digits");
  }
  if (*f.account_type != "CHECKING" && *f.account_type != "SAVINGS") {
    return invalid("account_type", "CHECKING or SAVINGS");
  }
  if (!is_valid_aba_routing_number(*f.routing_number)) {
    return invalid("routing_number", "9 digits that pass the ABA checksum");
  }
  if (f.account_name && (f.account_name->empty() || f.account_name->size() > 50)) {
    return invalid("account_name", "1 to 50 characters");
  }
  return std::nullopt;
}

bool is_open(S s) {
  return s == S::kInitiated || s == S::kRequested || s == S::kDeposited || s == S::kDenied;
}

// Cents from a dollar amount of 0.01-0.99 with at most two decimals; 0 when it is not one.
int cents_of(std::optional<double> amount) {
  if (!amount || !std::isfinite(*amount)) return 0;
  const double cents = *amount * 100.0;
  const double whole = std::round(cents);
  if (std::fabs(cents - whole) > 1e-6 || whole < 1 || whole > 99) return 0;
  return static_cast<int>(whole);
}

}  // namespace

const Institution* Emulator::institution_by_routing_number(std::string_view routing) const {
  for (const auto& inst : *institutions_) {
    if (routing_number_for(inst) == routing) return &inst;
  }
  return nullptr;
}

Result<const Microdeposit*> Emulator::create_microdeposit(std::string_view user,
                                                          IdentifierMode mode,
                                                          const MicrodepositFields& fields) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  const bool has_account = fields.account_number || fields.account_type || fields.routing_number;
  const bool has_person = fields.first_name && fields.last_name && fields.email;
  if (!has_account && !has_person) {
    return refuse(ErrorCode::kBadRequest, Reason::kMicrodepositFieldsRequired);
  }
  if (auto e = check_person(fields)) return *e;
  Microdeposit m;
  m.guid = guids_.next("MIC");
  m.user_guid = (*u)->guid;
  m.created_at = m.updated_at = now_;
  m.first_name = fields.first_name;
  m.last_name = fields.last_name;
  m.email = fields.email;
  if (!has_account) {
    // "To pre-initiate a microdeposit, you only need to set email, first_name, and last_name."
    m.status = S::kPreinitiated;
    Microdeposit& stored = store_.add_microdeposit(std::move(m));
    emit_microdeposit(stored, true);
    return &stored;
  }
  if (auto e = check_account(fields)) return *e;
  Microdeposit& stored = store_.add_microdeposit(std::move(m));
  initiate(stored, fields);
  emit_microdeposit(stored, true);
  return &stored;
}

Result<const Microdeposit*> Emulator::complete_microdeposit(std::string_view user_guid,
                                                            std::string_view guid,
                                                            const MicrodepositFields& fields) {
  Microdeposit* m = store_.find_microdeposit(user_guid, guid);
  if (m == nullptr) return record_not_found();
  if (m->status != S::kPreinitiated) {
    return refuse(ErrorCode::kConflict, Reason::kMicrodepositNotPreinitiated,
                  {std::string(to_wire(m->status))});
  }
  if (auto e = check_person(fields)) return *e;
  if (auto e = check_account(fields)) return *e;
  if (fields.first_name) m->first_name = fields.first_name;
  if (fields.last_name) m->last_name = fields.last_name;
  if (fields.email) m->email = fields.email;
  initiate(*m, fields);
  emit_microdeposit(*m, false);
  return m;
}

void Emulator::initiate(Microdeposit& m, const MicrodepositFields& fields) {
  m.account_name = fields.account_name;
  m.account_number = fields.account_number;
  m.account_type = fields.account_type;
  m.routing_number = fields.routing_number;
  if (const Institution* inst = institution_by_routing_number(*fields.routing_number)) {
    m.institution_guid = inst->guid;
  }
  // Fixed by the guid, like everything the seed makes.
  const std::uint64_t h = stable_digest(m.guid);
  m.deposit_cents_1 = 1 + static_cast<int>(h % 99);
  m.deposit_cents_2 = 1 + static_cast<int>((h / 99) % 98);
  if (m.deposit_cents_2 >= m.deposit_cents_1) ++m.deposit_cents_2;  // never equal
  m.updated_at = now_;

  // Another open or verified microdeposit of the user's for the same account: CONFLICTED.
  for (const Microdeposit& other : store_.microdeposits_of(m.user_guid)) {
    if (other.guid == m.guid || !(is_open(other.status) || other.status == S::kVerified)) continue;
    if (other.account_number == m.account_number && other.routing_number == m.routing_number) {
      m.status = S::kConflicted;
      m.error_message = "A microdeposit for this account already exists: " + other.guid + ".";
      return;
    }
  }
  // At most three accounts per email address, across the tenant.
  if (m.email) {
    std::unordered_set<std::string> accounts;
    store_.for_each_microdeposit([&](const Microdeposit& other) {
      if (other.guid == m.guid || other.email != m.email || !other.account_number) return;
      if (is_open(other.status) || other.status == S::kVerified) {
        accounts.insert(*other.routing_number + ":" + *other.account_number);
      }
    });
    if (accounts.size() >= kAccountsPerEmail) {
      m.status = S::kRejected;
      m.error_message = "An email address can verify at most three accounts with microdeposits.";
      return;
    }
  }
  m.status = S::kInitiated;
  m.error_message.reset();
  m.timer = timers_.schedule(now_ + kRequestDelay, TimerKind::kMicrodepositStep, m.guid);
}

void Emulator::on_microdeposit_timer(const Timer& timer) {
  Microdeposit* m = store_.find_microdeposit(timer.member_guid);
  if (m == nullptr || m->timer != timer.id) return;  // deleted, or the timer is stale
  switch (m->status) {
    case S::kInitiated:
      m->status = S::kRequested;
      m->timer = timers_.schedule(now_ + kDepositDelay, TimerKind::kMicrodepositStep, m->guid);
      break;
    case S::kRequested:
      if (m->account_number && m->account_number->rfind(kValidAccountPrefix, 0) == 0) {
        m->status = S::kDeposited;
        m->timer =
            timers_.schedule(m->created_at + kRetention, TimerKind::kMicrodepositStep, m->guid);
      } else {
        m->status = S::kErrored;
        m->error_message = "The deposits were returned: the account could not be found.";
        m->timer = 0;
      }
      break;
    case S::kDeposited:
      // Still not verified after the retention span: MX soft-deletes it (no webhook documented).
      store_.remove_microdeposit(m->user_guid, m->guid);
      return;
    default:
      return;
  }
  m->updated_at = now_;
  emit_microdeposit(*m, false);
}

Result<const Microdeposit*> Emulator::verify_microdeposit(std::string_view guid,
                                                          std::optional<double> amount_1,
                                                          std::optional<double> amount_2) {
  Microdeposit* m = store_.find_microdeposit(guid);
  if (m == nullptr) return record_not_found();
  const int a = cents_of(amount_1);
  const int b = cents_of(amount_2);
  if (a == 0 || b == 0) return refuse(ErrorCode::kBadRequest, Reason::kMicrodepositAmountsRequired);
  if (m->status != S::kDeposited && m->status != S::kDenied) {
    return refuse(ErrorCode::kConflict, Reason::kMicrodepositNotVerifiable,
                  {std::string(to_wire(m->status))});
  }
  // Either order: the end user reads two amounts off a statement, not which came first.
  const bool match = (a == m->deposit_cents_1 && b == m->deposit_cents_2) ||
                     (a == m->deposit_cents_2 && b == m->deposit_cents_1);
  if (match) {
    m->status = S::kVerified;
    m->verified_at = now_;
    m->error_message.reset();
    m->timer = 0;
  } else if (++m->failed_attempts >= kMaxAttempts) {
    m->status = S::kPrevented;
    m->error_message = "Too many incorrect attempts: start a new microdeposit.";
    m->timer = 0;
  } else {
    m->status = S::kDenied;
    m->error_message = "The amounts entered do not match the deposits.";
  }
  m->updated_at = now_;
  emit_microdeposit(*m, false);
  return m;
}

Status Emulator::delete_microdeposit(std::string_view user, std::string_view guid,
                                     IdentifierMode mode) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  if (store_.find_microdeposit((*u)->guid, guid) == nullptr) return record_not_found();
  store_.remove_microdeposit((*u)->guid, guid);
  return ok_status();
}

void Emulator::emit_microdeposit(const Microdeposit& m, bool created) {
  DomainEvent e;
  e.sequence = next_event_sequence_++;
  e.kind = created ? DomainEventKind::kMicrodepositCreated : DomainEventKind::kMicrodepositUpdated;
  e.at = now_;
  e.user_guid = m.user_guid;
  if (const User* u = store_.find_user(m.user_guid)) e.user_id = u->id;
  e.micro_deposit = std::make_shared<const Microdeposit>(m);
  log_event(std::move(e));
}

}  // namespace mxemu::domain
