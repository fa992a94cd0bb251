// Emulator::snapshot() and restore(): the whole emulator as a value, and the checks that keep an
// imported value from leaving the emulator inconsistent.
#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "domain/emulator.h"
#include "domain/timestamps.h"

namespace mxemu::domain {
namespace {

std::string at(std::string_view list, std::size_t i, std::string_view field = {}) {
  std::string p = "/store/" + std::string(list) + "/" + std::to_string(i);
  if (!field.empty()) p += "/" + std::string(field);
  return p;
}

template <class T>
bool sorted_unique_by(const std::vector<T>& items, std::string T::*key) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (!(items[i - 1].*key < items[i].*key)) return false;
  }
  return true;
}

// Referential checks of the store: every record's owners exist and agree, guids are unique.
std::optional<SnapshotProblem> check_store(const StoreSnapshot& s,
                                           const std::vector<Institution>& institutions,
                                           const DataCatalog& catalog) {
  std::unordered_map<std::string, std::size_t> users;
  std::unordered_set<std::string> partner_ids;
  for (std::size_t i = 0; i < s.users.size(); ++i) {
    const User& u = s.users[i];
    if (u.guid.empty() || !users.emplace(u.guid, i).second) {
      return SnapshotProblem{at("users", i, "guid"), "empty or repeated user guid"};
    }
    if (u.id && !partner_ids.insert(*u.id).second) {
      return SnapshotProblem{at("users", i, "id"), "repeated user id " + *u.id};
    }
  }
  std::unordered_map<std::string, const Member*> members;
  std::size_t user_pos = 0;
  for (std::size_t i = 0; i < s.members.size(); ++i) {
    const Member& m = s.members[i];
    if (m.guid.empty() || !members.emplace(m.guid, &m).second) {
      return SnapshotProblem{at("members", i, "guid"), "empty or repeated member guid"};
    }
    const auto owner = users.find(m.user_guid);
    if (owner == users.end()) {
      return SnapshotProblem{at("members", i, "user_guid"), "no user " + m.user_guid};
    }
    if (owner->second < user_pos) {
      return SnapshotProblem{at("members", i, "user_guid"), "members must follow users' order"};
    }
    user_pos = owner->second;
    const bool known = std::any_of(institutions.begin(), institutions.end(),
                                   [&](const auto& in) { return in.code == m.institution_code; });
    if (!known) {
      return SnapshotProblem{at("members", i, "institution_code"),
                             "no institution " + m.institution_code};
    }
  }
  std::unordered_map<std::string, const Account*> accounts;
  for (std::size_t i = 0; i < s.accounts.size(); ++i) {
    const Account& a = s.accounts[i];
    if (a.guid.empty() || !accounts.emplace(a.guid, &a).second) {
      return SnapshotProblem{at("accounts", i, "guid"), "empty or repeated account guid"};
    }
    if (users.count(a.user_guid) == 0) {
      return SnapshotProblem{at("accounts", i, "user_guid"), "no user " + a.user_guid};
    }
    if (!a.member_guid.empty()) {
      const auto m = members.find(a.member_guid);
      if (m == members.end() || m->second->user_guid != a.user_guid) {
        return SnapshotProblem{at("accounts", i, "member_guid"),
                               "no member " + a.member_guid + " of user " + a.user_guid};
      }
    }
  }
  std::unordered_set<std::string> transactions;
  for (std::size_t i = 0; i < s.transactions.size(); ++i) {
    const Transaction& t = s.transactions[i];
    if (t.guid.empty() || !transactions.insert(t.guid).second) {
      return SnapshotProblem{at("transactions", i, "guid"), "empty or repeated transaction guid"};
    }
    const auto a = accounts.find(t.account_guid);
    if (a == accounts.end() || a->second->member_guid != t.member_guid ||
        a->second->user_guid != t.user_guid) {
      return SnapshotProblem{at("transactions", i, "account_guid"),
                             "no account " + t.account_guid + " of member " + t.member_guid +
                                 " and user " + t.user_guid};
    }
    if (!parse_day(t.date)) {
      return SnapshotProblem{at("transactions", i, "date"), "not a YYYY-MM-DD date: " + t.date};
    }
  }
  auto check_member_data = [&](const auto& list,
                               std::string_view name) -> std::optional<SnapshotProblem> {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto m = members.find(list[i].member_guid);
      if (m == members.end() || m->second->user_guid != list[i].user_guid) {
        return SnapshotProblem{at(name, i, "member_guid"), "no member " + list[i].member_guid +
                                                               " of user " + list[i].user_guid};
      }
    }
    return std::nullopt;
  };
  if (auto p = check_member_data(s.holdings, "holdings")) return p;
  if (auto p = check_member_data(s.account_numbers, "account_numbers")) return p;
  if (auto p = check_member_data(s.account_owners, "account_owners")) return p;
  if (auto p = check_member_data(s.statements, "statements")) return p;
  if (auto p = check_member_data(s.rewards, "rewards")) return p;
  std::unordered_set<std::string> categories;
  for (std::size_t i = 0; i < s.categories.size(); ++i) {
    const CustomCategory& c = s.categories[i];
    if (c.guid.empty() || catalog.find_category_by_guid(c.guid) != nullptr ||
        !categories.insert(c.guid).second) {
      return SnapshotProblem{at("categories", i, "guid"),
                             "empty or repeated category guid, or a default category's"};
    }
    if (users.count(c.user_guid) == 0) {
      return SnapshotProblem{at("categories", i, "user_guid"), "no user " + c.user_guid};
    }
    const Category* parent = catalog.find_category_by_guid(c.parent_guid);
    if (parent == nullptr || !parent->is_top_level()) {
      return SnapshotProblem{at("categories", i, "parent_guid"),
                             "not a top-level default category: " + c.parent_guid};
    }
    if (c.name.empty()) return SnapshotProblem{at("categories", i, "name"), "empty name"};
  }
  std::unordered_map<std::string, const Tag*> tags;
  for (std::size_t i = 0; i < s.tags.size(); ++i) {
    const Tag& t = s.tags[i];
    if (t.guid.empty() || !tags.emplace(t.guid, &t).second) {
      return SnapshotProblem{at("tags", i, "guid"), "empty or repeated tag guid"};
    }
    if (users.count(t.user_guid) == 0) {
      return SnapshotProblem{at("tags", i, "user_guid"), "no user " + t.user_guid};
    }
  }
  std::unordered_set<std::string> rules;
  for (std::size_t i = 0; i < s.rules.size(); ++i) {
    const TransactionRule& r = s.rules[i];
    if (r.guid.empty() || !rules.insert(r.guid).second) {
      return SnapshotProblem{at("rules", i, "guid"), "empty or repeated rule guid"};
    }
    if (users.count(r.user_guid) == 0) {
      return SnapshotProblem{at("rules", i, "user_guid"), "no user " + r.user_guid};
    }
    if (r.match_description.empty()) {
      return SnapshotProblem{at("rules", i, "match_description"), "empty match_description"};
    }
  }
  std::unordered_set<std::string> taggings;
  for (std::size_t i = 0; i < s.taggings.size(); ++i) {
    const Tagging& g = s.taggings[i];
    if (g.guid.empty() || !taggings.insert(g.guid).second) {
      return SnapshotProblem{at("taggings", i, "guid"), "empty or repeated tagging guid"};
    }
    const auto tag = tags.find(g.tag_guid);
    if (tag == tags.end() || tag->second->user_guid != g.user_guid) {
      return SnapshotProblem{at("taggings", i, "tag_guid"),
                             "no tag " + g.tag_guid + " of user " + g.user_guid};
    }
  }
  std::unordered_set<std::string> microdeposits;
  for (std::size_t i = 0; i < s.microdeposits.size(); ++i) {
    const Microdeposit& m = s.microdeposits[i];
    if (m.guid.empty() || !microdeposits.insert(m.guid).second) {
      return SnapshotProblem{at("microdeposits", i, "guid"), "empty or repeated microdeposit guid"};
    }
    if (users.count(m.user_guid) == 0) {
      return SnapshotProblem{at("microdeposits", i, "user_guid"), "no user " + m.user_guid};
    }
  }
  for (const auto& [account, member] : s.merged_accounts) {
    if (members.count(member) == 0) {
      return SnapshotProblem{"/merged_accounts/" + account, "no member " + member};
    }
  }
  // A code's or token's scope names records of this snapshot, each under the one before.
  auto check_scope = [&](const ProcessorScope& scope) -> std::optional<std::string> {
    if (users.count(scope.user_guid) == 0) return "no user " + scope.user_guid;
    if (scope.member_guid.empty()) {
      if (!scope.account_guid.empty()) return "an account without a member";
      return std::nullopt;
    }
    const auto m = members.find(scope.member_guid);
    if (m == members.end() || m->second->user_guid != scope.user_guid) {
      return "no member " + scope.member_guid + " of user " + scope.user_guid;
    }
    if (scope.account_guid.empty()) return std::nullopt;
    const auto a = accounts.find(scope.account_guid);
    if (a == accounts.end() || a->second->member_guid != scope.member_guid) {
      return "no account " + scope.account_guid + " of member " + scope.member_guid;
    }
    return std::nullopt;
  };
  std::unordered_set<std::string> processor_keys;
  for (std::size_t i = 0; i < s.authorization_codes.size(); ++i) {
    const AuthorizationCode& c = s.authorization_codes[i];
    if (c.code.empty() || !processor_keys.insert(c.code).second) {
      return SnapshotProblem{at("authorization_codes", i, "code"), "empty or repeated code"};
    }
    if (auto p = check_scope(c.scope))
      return SnapshotProblem{at("authorization_codes", i, "scope"), *p};
  }
  for (std::size_t i = 0; i < s.processor_tokens.size(); ++i) {
    const ProcessorToken& t = s.processor_tokens[i];
    if (t.access_token.empty() || !processor_keys.insert(t.access_token).second) {
      return SnapshotProblem{at("processor_tokens", i, "access_token"),
                             "empty or repeated access token (or one that is also a code)"};
    }
    if (auto p = check_scope(t.scope))
      return SnapshotProblem{at("processor_tokens", i, "scope"), *p};
  }
  return std::nullopt;
}

std::optional<SnapshotProblem> check_rest(const EmulatorSnapshot& s,
                                          const std::vector<Institution>& institutions) {
  if (s.offset.count() < 0) return SnapshotProblem{"/offset", "the offset cannot be negative"};
  std::unordered_set<std::uint64_t> timer_ids;
  for (std::size_t i = 0; i < s.timers.size(); ++i) {
    const Timer& t = s.timers[i];
    if (t.id == 0 || t.id >= s.next_timer_id || !timer_ids.insert(t.id).second) {
      return SnapshotProblem{"/timers/" + std::to_string(i) + "/id",
                             "timer ids are unique, positive and below next_timer_id"};
    }
  }
  for (std::size_t i = 0; i < s.events.size(); ++i) {
    const auto seq = s.events[i].sequence;
    if (seq >= s.next_event_sequence || (i > 0 && seq <= s.events[i - 1].sequence)) {
      return SnapshotProblem{"/events/" + std::to_string(i) + "/sequence",
                             "event sequences increase and stay below next_event_sequence"};
    }
  }
  auto known = [&](const std::string& code) {
    return std::any_of(institutions.begin(), institutions.end(),
                       [&](const auto& in) { return in.code == code; });
  };
  for (std::size_t i = 0; i < s.institution_faults.size(); ++i) {
    const auto& f = s.institution_faults[i];
    if (!known(f.institution_code) || f.outcome == AuthOutcome::kReject) {
      return SnapshotProblem{"/institution_faults/" + std::to_string(i),
                             "a known institution and an outcome other than reject"};
    }
  }
  for (std::size_t i = 0; i < s.discontinued.size(); ++i) {
    if (!known(s.discontinued[i])) {
      return SnapshotProblem{"/discontinued/" + std::to_string(i),
                             "no institution " + s.discontinued[i]};
    }
  }
  for (std::size_t i = 0; i < s.queued_outcomes.size(); ++i) {
    for (std::size_t k = 0; k < s.queued_outcomes[i].outcomes.size(); ++k) {
      if (s.queued_outcomes[i].outcomes[k] == AuthOutcome::kReject) {
        return SnapshotProblem{
            "/queued_outcomes/" + std::to_string(i) + "/outcomes/" + std::to_string(k),
            "reject is a verdict on an answer, not a login outcome"};
      }
    }
  }
  if (!sorted_unique_by(s.queued_outcomes, &QueuedOutcomes::member_guid)) {
    return SnapshotProblem{"/queued_outcomes", "sorted by member_guid, each once"};
  }
  if (!sorted_unique_by(s.institution_faults, &InstitutionFault::institution_code)) {
    return SnapshotProblem{"/institution_faults", "sorted by institution_code, each once"};
  }
  if (!sorted_unique_by(s.storm_gates, &StormStarts::institution_code)) {
    return SnapshotProblem{"/storm_gates", "sorted by institution_code, each once"};
  }
  if (!std::is_sorted(s.discontinued.begin(), s.discontinued.end()) ||
      std::adjacent_find(s.discontinued.begin(), s.discontinued.end()) != s.discontinued.end()) {
    return SnapshotProblem{"/discontinued", "sorted, each once"};
  }
  if (!sorted_unique_by(s.widgets, &WidgetRecord::token)) {
    return SnapshotProblem{"/widgets", "sorted by token, each once"};
  }
  if (!sorted_unique_by(s.pending_answers, &PendingAnswers::member_guid)) {
    return SnapshotProblem{"/pending_answers", "sorted by member_guid, each once"};
  }
  return std::nullopt;
}

}  // namespace

EmulatorSnapshot Emulator::snapshot(bool with_transactions) const {
  EmulatorSnapshot s;
  s.now = now_;
  s.offset = offset_;
  s.guids_issued = guids_.issued();
  s.store = store_.snapshot(with_transactions);
  s.timers = timers_.pending();
  s.next_timer_id = timers_.next_id();
  for (const auto& [member, outcomes] : queued_outcomes_) {
    s.queued_outcomes.push_back({member, {outcomes.begin(), outcomes.end()}});
  }
  for (const auto& [code, outcome] : institution_faults_) {
    s.institution_faults.push_back({code, outcome});
  }
  for (const auto& [code, gate] : storm_gates_) {
    s.storm_gates.push_back({code, {gate.starts().begin(), gate.starts().end()}});
  }
  s.discontinued.assign(discontinued_.begin(), discontinued_.end());
  for (const auto& [token, w] : widgets_) {
    s.widgets.push_back({w.token, w.user_guid, w.widget_type, w.current_member_guid,
                         w.update_credentials, w.current_institution, w.disable_institution_search,
                         w.mode, w.is_mobile_webview, w.webview_url_scheme,
                         w.wait_for_full_aggregation, w.products, w.issued_at, w.used,
                         w.current_microdeposit_guid});
  }
  for (const auto& [member, answers] : pending_answers_) {
    s.pending_answers.push_back({member, answers});
  }
  s.events.assign(events_.begin(), events_.end());
  s.next_event_sequence = next_event_sequence_;
  s.current_callback_payload = current_callback_payload_;
  return s;
}

std::optional<SnapshotProblem> Emulator::restore(EmulatorSnapshot s) {
  if (auto problem = check_store(s.store, *institutions_, *catalog_)) return problem;
  if (auto problem = check_rest(s, *institutions_)) return problem;
  for (std::size_t i = 0; i < s.widgets.size(); ++i) {
    if (s.widgets[i].token.empty()) {
      return SnapshotProblem{"/widgets/" + std::to_string(i) + "/token", "empty token"};
    }
  }

  now_ = s.now;
  offset_ = s.offset;
  guids_ = GuidGenerator(options_.seed);
  guids_.restore_issued(s.guids_issued);
  store_.restore(s.store);
  timers_.restore(std::move(s.timers), s.next_timer_id);
  queued_outcomes_.clear();
  for (auto& q : s.queued_outcomes) {
    queued_outcomes_[q.member_guid] = {q.outcomes.begin(), q.outcomes.end()};
  }
  institution_faults_.clear();
  for (const auto& f : s.institution_faults) institution_faults_[f.institution_code] = f.outcome;
  storm_gates_.clear();
  for (auto& g : s.storm_gates) {
    storm_gates_[g.institution_code].restore({g.starts.begin(), g.starts.end()});
  }
  discontinued_ = {s.discontinued.begin(), s.discontinued.end()};
  widgets_.clear();
  for (auto& w : s.widgets) {
    widgets_[w.token] = WidgetSession{w.token,
                                      w.user_guid,
                                      w.widget_type,
                                      w.current_member_guid,
                                      w.update_credentials,
                                      w.current_institution,
                                      w.disable_institution_search,
                                      w.mode,
                                      w.is_mobile_webview,
                                      w.webview_url_scheme,
                                      w.wait_for_full_aggregation,
                                      w.products,
                                      w.issued_at,
                                      w.used,
                                      w.current_microdeposit_guid};
  }
  pending_answers_.clear();
  for (auto& p : s.pending_answers) pending_answers_[p.member_guid] = std::move(p.answers);
  events_.assign(std::make_move_iterator(s.events.begin()),
                 std::make_move_iterator(s.events.end()));
  while (events_.size() > options_.event_log_capacity) events_.pop_front();
  next_event_sequence_ = s.next_event_sequence;
  current_callback_payload_ = std::move(s.current_callback_payload);
  return std::nullopt;
}

}  // namespace mxemu::domain
