#include "api/conformance.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace mxemu::api {
namespace {

using nlohmann::json;

constexpr const char* kPollTooFast = "poll-too-fast";
constexpr const char* kReaggregateThrottled = "reaggregate-throttled";
constexpr const char* kRetryBeforeRetryAfter = "retry-before-retry-after";
constexpr const char* kRetried409 = "retried-409";
constexpr const char* kAcceptedAsError = "accepted-treated-as-error";
constexpr const char* kResumeNotChallenged = "resume-not-challenged";
constexpr const char* kJobNeedsUser = "job-needs-user";
constexpr const char* kDuplicateMember = "duplicate-member";
constexpr const char* kMixedVersions = "mixed-versions";

constexpr double kMinPollSeconds = 3.0;  // mx-behavior.md §2c
constexpr std::size_t kMaxFindingsPerRule = 100;
constexpr std::size_t kMaxEvidence = 50;

// The one table of rules. Ids are stable: the scenario runner and CI scripts name them.
const std::vector<ConformanceRule> kRules = {
    {kPollTooFast, "warning",
     "read one member's status (GET member or member status) less than 3 s after the previous "
     "read",
     "mx-behavior.md §2c: \"MX recommends a minimum polling interval of 3 seconds\""},
    {kReaggregateThrottled, "warning",
     "aggregated a member again after a 202 that started no job (is_being_aggregated false) "
     "and was throttled again: still inside the institution's throttle window (3 h by default)",
     "mx-behavior.md §3a, §3b: a throttled aggregation answers 202 with the current member and "
     "starts no job"},
    {kRetryBeforeRetryAfter, "error",
     "sent the same request again before the Retry-After of its 429/503 answer had passed",
     "mx-behavior.md §3c: \"Requests receiving a 429 status code should be retried once the rate "
     "limit window has expired\""},
    {kRetried409, "error",
     "sent the same write again after a 409 without reading the user's members in between",
     "mx-behavior.md §3b: 409 means another job runs or the member exists; retrying cannot "
     "succeed"},
    {kAcceptedAsError, "error",
     "after a 202 that started a job, sent another job or deleted the member before reading its "
     "status",
     "mx-behavior.md §3b, §2c: 202 means the job started; poll GET .../status every 3 s"},
    {kResumeNotChallenged, "error",
     "answered MFA (PUT .../resume) for a member that was not CHALLENGED",
     "mx-behavior.md §2b MFA: CHALLENGED → PUT .../resume → RESUMED"},
    {kJobNeedsUser, "error",
     "started a job for a member whose status needs its user (PREVENTED, DENIED, CHALLENGED, "
     "LOCKED, IMPEDED, EXPIRED, IMPAIRED, IMPORTED)",
     "mx-behavior.md §2a, §2b: these statuses end only with the user (new credentials, an MFA "
     "answer, action at the institution)"},
    {kDuplicateMember, "error",
     "created a second member at an institution where the user's member needed new credentials "
     "(or got 409 for it) instead of updating that member",
     "mx-behavior.md §2b credential update (PUT .../members/{m} → UPDATED), §3b duplicate member "
     "→ 409"},
    {kMixedVersions, "warning",
     "sent MX requests in both API versions (Accept: application/vnd.mx.api.v1+json and "
     "Accept-Version: v20250224)",
     "mx-behavior.md §1c: choose one version; v20250224 requires Accept-Version on every call"},
};

bool is_job(std::string_view op) {
  return op == "aggregateMember" || op == "checkBalances" || op == "identifyMember" ||
         op == "verifyMember" || op == "extendHistory" || op == "fetchStatements";
}

bool is_poll(std::string_view op) { return op == "readMember" || op == "readMemberStatus"; }

bool needs_user(std::string_view status) {
  for (const char* s : {"PREVENTED", "DENIED", "CHALLENGED", "LOCKED", "IMPEDED", "EXPIRED",
                        "IMPAIRED", "IMPORTED"}) {
    if (status == s) return true;
  }
  return false;
}

// Statuses after which the member's credentials are known to be wrong or missing.
bool needs_credentials(std::string_view status) {
  for (const char* s : {"PREVENTED", "DENIED", "IMPAIRED", "IMPORTED", "REJECTED", "EXPIRED"}) {
    if (status == s) return true;
  }
  return false;
}

double seconds(std::chrono::system_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// The larger of the wall-clock and emulated gaps, in seconds.
double gap(const JournalEntry& earlier, const JournalEntry& later) {
  return std::max(seconds(later.wall_time - earlier.wall_time),
                  seconds(later.emulated_time - earlier.emulated_time));
}

std::string fixed1(double v) {
  const long tenths = static_cast<long>(v * 10.0 + 0.5);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

std::string institution_of(const JournalEntry& create) {
  json body = json::parse(create.request_body.str(), nullptr, /*allow_exceptions=*/false);
  if (!body.is_object()) return {};
  auto member = body.find("member");
  if (member == body.end() || !member->is_object()) return {};
  for (const char* key : {"institution_code", "institution_guid"}) {
    if (auto it = member->find(key); it != member->end() && it->is_string()) return *it;
  }
  return {};
}

struct MemberView {
  std::string status;  // as last shown to the client
  std::string user;
  std::string institution;
  std::uint64_t created = 0;  // sequence of the create, 0 when not seen
  const JournalEntry* last_poll = nullptr;
  std::vector<std::uint64_t> fast_polls;
  double shortest = 1e18;
  const JournalEntry* throttled = nullptr;    // the last 202 aggregate that started no job
  const JournalEntry* pending_job = nullptr;  // a 202 job start not yet followed by a read
};

class Evaluator {
 public:
  std::vector<Finding> run(const std::deque<JournalEntry>& entries) {
    for (const JournalEntry& e : entries) {
      if (e.scope != "mx" || e.status == 0) continue;
      ++evaluated_;
      step(e);
    }
    finish();
    std::vector<Finding> out;
    for (const ConformanceRule& rule : kRules) {
      auto& found = by_rule_[std::string(rule.id)];
      out.insert(out.end(), found.begin(), found.end());
    }
    return out;
  }

  std::size_t evaluated() const { return evaluated_; }

 private:
  void add(const char* rule, std::string message, std::vector<std::uint64_t> sequences) {
    auto& found = by_rule_[rule];
    if (found.size() >= kMaxFindingsPerRule) return;
    const auto& r = *std::find_if(kRules.begin(), kRules.end(),
                                  [&](const ConformanceRule& x) { return x.id == rule; });
    found.push_back(Finding{rule, std::string(r.severity), std::move(message), std::move(sequences),
                            std::string(r.reference)});
  }

  void step(const JournalEntry& e) {
    const std::string key = std::string(to_string(e.method)) + " " + e.path.str();
    const std::string_view op = e.operation_id;
    if (!e.version.empty()) versions_[std::string(e.version)].push_back(e.sequence);

    // Retry-After: the same request again too early.
    if (auto it = retry_after_.find(key); it != retry_after_.end()) {
      const JournalEntry& limited = *it->second;
      if (gap(limited, e) < *limited.retry_after_seconds) {
        add(kRetryBeforeRetryAfter,
            key + " was sent again " + fixed1(gap(limited, e)) + " s after a " +
                std::to_string(limited.status) +
                " that said Retry-After: " + std::to_string(*limited.retry_after_seconds),
            {limited.sequence, e.sequence});
      }
      retry_after_.erase(it);
    }
    // 409: the same write again with no read of the user in between.
    if (e.method == Method::kGet) {
      for (auto it = conflicts_.begin(); it != conflicts_.end();) {
        it = it->second->user_guid == e.user_guid ? conflicts_.erase(it) : std::next(it);
      }
    } else if (auto it = conflicts_.find(key); it != conflicts_.end()) {
      add(kRetried409, key + " was sent again after its 409 with no read in between",
          {it->second->sequence, e.sequence});
      conflicts_.erase(it);
    }

    MemberView* m = e.member_guid.empty() ? nullptr : &members_[e.member_guid];
    if (m && m->user.empty()) m->user = e.user_guid;
    if (op == "createMember") on_create(e, m);
    if (m) on_member_request(e, *m);

    if (e.retry_after_seconds) retry_after_[key] = &e;
    if (e.status == 409 && e.method != Method::kGet) conflicts_[key] = &e;
    if (m && !e.connection_status.empty()) m->status = e.connection_status;
  }

  void on_create(const JournalEntry& e, MemberView* created) {
    const std::string institution = institution_of(e);
    if (institution.empty()) return;
    if (created && e.status < 300) {
      created->institution = institution;
      created->created = e.sequence;
    }
    for (const auto& [guid, other] : members_) {
      if (&other == created || other.user != e.user_guid || other.institution != institution ||
          other.created == 0) {
        continue;
      }
      if (e.status == 409 || needs_credentials(other.status)) {
        add(kDuplicateMember,
            "created another member at " + institution + " for user " + e.user_guid.str() +
                " while " + guid + " (" + (other.status.empty() ? "status unknown" : other.status) +
                ") needed its credentials updated",
            {other.created, e.sequence});
        return;
      }
    }
    if (e.status == 409) {
      add(kDuplicateMember,
          "created a member at " + institution + " that already exists for user " +
              e.user_guid.str(),
          {e.sequence});
    }
  }

  void on_member_request(const JournalEntry& e, MemberView& m) {
    const std::string_view op = e.operation_id;
    if (e.method == Method::kGet) m.pending_job = nullptr;
    if (is_poll(op) && e.status == 200) {
      if (m.last_poll) {
        const double g = gap(*m.last_poll, e);
        if (g < kMinPollSeconds) {
          if (m.fast_polls.empty()) m.fast_polls.push_back(m.last_poll->sequence);
          if (m.fast_polls.size() < kMaxEvidence) m.fast_polls.push_back(e.sequence);
          m.shortest = std::min(m.shortest, g);
        }
      }
      m.last_poll = &e;
    }
    const bool job = is_job(op) || op == "resumeAggregation";
    if ((job || op == "deleteMember") && m.pending_job) {
      add(kAcceptedAsError,
          e.path.str() + ": " + to_string(e.method).data() + " after the 202 of " +
              std::string(m.pending_job->operation_id) + " without reading the member's status",
          {m.pending_job->sequence, e.sequence});
      m.pending_job = nullptr;
    }
    // Judged by MX's own answer: the window is the institution's (3 h by default).
    const bool throttled_again =
        op == "aggregateMember" && e.status == 202 && !e.is_being_aggregated.value_or(true);
    if (throttled_again && m.throttled) {
      add(kReaggregateThrottled,
          "aggregated member " + e.member_guid.str() + " again " + fixed1(gap(*m.throttled, e)) +
              " s after a 202 that started no job, still inside the throttle window",
          {m.throttled->sequence, e.sequence});
    }
    if (is_job(op) && needs_user(m.status)) {
      add(kJobNeedsUser,
          std::string(op) + " for member " + e.member_guid.str() + " while it was " + m.status +
              ", which only its user can end",
          {e.sequence});
    }
    if (op == "resumeAggregation" && e.status != 404 && e.status != 429 &&
        ((!m.status.empty() && m.status != "CHALLENGED") || (e.status >= 400 && e.status < 500))) {
      add(kResumeNotChallenged,
          "resumed member " + e.member_guid.str() + " while it was " +
              (m.status.empty() ? "not CHALLENGED" : m.status),
          {e.sequence});
    }
    if ((job || op == "createMember" || op == "updateMember") && e.status >= 200 &&
        e.status < 300) {
      if (e.is_being_aggregated.value_or(false)) {
        m.pending_job = job ? &e : nullptr;
        m.throttled = nullptr;
      } else if (op == "aggregateMember" && e.status == 202) {
        m.throttled = &e;
      }
      if (op == "updateMember") m.throttled = nullptr;
    }
    if (op == "deleteMember" && e.status < 300) m.created = 0;
  }

  void finish() {
    for (auto& [guid, m] : members_) {
      if (m.fast_polls.empty()) continue;
      add(kPollTooFast,
          std::to_string(m.fast_polls.size() - 1) + " reads of member " + guid +
              " came less than 3 s after the previous one (shortest gap " + fixed1(m.shortest) +
              " s)",
          m.fast_polls);
    }
    if (versions_.size() > 1) {
      std::vector<std::uint64_t> first;
      std::string counts;
      for (const auto& [version, seqs] : versions_) {
        first.push_back(seqs.front());
        counts += (counts.empty() ? "" : ", ") + std::to_string(seqs.size()) + " in " + version;
      }
      std::sort(first.begin(), first.end());
      add(kMixedVersions, "MX requests used both versions: " + counts, first);
    }
    auto& polls = by_rule_[kPollTooFast];
    std::sort(polls.begin(), polls.end(),
              [](const Finding& a, const Finding& b) { return a.sequences < b.sequences; });
  }

  std::size_t evaluated_ = 0;
  std::map<std::string, std::vector<Finding>> by_rule_;
  std::map<std::string, MemberView> members_;
  std::map<std::string, const JournalEntry*> retry_after_;  // "METHOD path" → its limited answer
  std::map<std::string, const JournalEntry*> conflicts_;    // "METHOD path" → its 409
  std::map<std::string, std::vector<std::uint64_t>> versions_;
};

}  // namespace

const std::vector<ConformanceRule>& conformance_rules() { return kRules; }

std::vector<Finding> evaluate_conformance(const std::deque<JournalEntry>& entries) {
  return Evaluator().run(entries);
}

json conformance_json(const std::vector<Finding>& findings, std::size_t evaluated) {
  json list = json::array();
  for (const Finding& f : findings) {
    list.push_back({{"rule", f.rule},
                    {"severity", f.severity},
                    {"message", f.message},
                    {"sequences", f.sequences},
                    {"reference", f.reference}});
  }
  json rules = json::array();
  for (const ConformanceRule& r : kRules) {
    rules.push_back({{"id", r.id},
                     {"severity", r.severity},
                     {"summary", r.summary},
                     {"reference", r.reference}});
  }
  return {
      {"clean", findings.empty()}, {"evaluated", evaluated}, {"findings", list}, {"rules", rules}};
}

}  // namespace mxemu::api
