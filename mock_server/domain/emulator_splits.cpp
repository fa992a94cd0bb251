// What a user does to its own data that MX then keeps: split transactions (one transaction
// becomes the parent of two or more parts, each with its own amount, description, memo and
// category; both specs' createSplitTransactions and deleteSplitTransactions) and merged accounts
// (v20250224's mergeAccounts). docs/api-coverage.md says where the emulator had to choose.
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_set>
#include <utility>

#include "domain/emulator.h"

namespace mxemu::domain {
namespace {

long long cents(double amount) { return std::llround(amount * 100.0); }

std::string dollars(long long cents) {
  std::array<char, 32> out{};
  std::snprintf(out.data(), out.size(), "%lld.%02lld", cents / 100, cents % 100);
  return out.data();
}

}  // namespace

Result<std::vector<Transaction>> Emulator::split_transaction(std::string_view user,
                                                             std::string_view guid,
                                                             IdentifierMode mode,
                                                             std::vector<SplitPart> parts) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  auto parent = store_.find_transaction(guid);
  if (!parent || parent->user_guid != (*u)->guid) return record_not_found();
  if (parent->has_been_split) {
    return refuse(ErrorCode::kConflict, Reason::kSplitAlreadySplit);
  }
  if (parent->parent_guid) return refuse(ErrorCode::kBadRequest, Reason::kSplitOfAPart);
  if (parts.empty()) return refuse(ErrorCode::kBadRequest, Reason::kSplitPartsRequired);
  long long total = 0;
  for (const SplitPart& p : parts) {
    if (!std::isfinite(p.amount) || cents(p.amount) <= 0 ||
        std::fabs(p.amount * 100.0 - static_cast<double>(cents(p.amount))) > 1e-6) {
      return refuse(ErrorCode::kBadRequest, Reason::kSplitAmountInvalid);
    }
    total += cents(p.amount);
  }
  const long long whole = cents(parent->amount);
  if (parts.size() == 1) {
    // The specs' request holds one part: the amount to file differently. The rest of the
    // parent's amount stays as it was, in a second part.
    if (total >= whole) {
      return refuse(ErrorCode::kBadRequest, Reason::kSplitTotalMismatch, {dollars(whole)});
    }
    SplitPart rest;
    rest.amount = static_cast<double>(whole - total) / 100.0;
    parts.push_back(rest);
  } else if (total != whole) {
    return refuse(ErrorCode::kBadRequest, Reason::kSplitTotalMismatch, {dollars(whole)});
  }

  std::vector<Transaction> children;
  for (const SplitPart& p : parts) {
    Transaction child = *parent;
    child.guid = guids_.next("TRN");
    child.id.reset();
    child.amount = p.amount;
    if (p.description) child.description = *p.description;
    child.memo = p.memo;
    child.metadata.reset();
    child.parent_guid = parent->guid;
    child.has_been_split = false;
    child.created_at = child.updated_at = now_;
    if (p.category_guid) {
      if (auto s = categorize(**u, *p.category_guid, child); !s) return s.error();
    }
    children.push_back(std::move(child));
  }
  parent->has_been_split = true;
  parent->updated_at = now_;
  store_.update_transaction(*parent);
  store_.upsert_transactions(children);
  return children;
}

Status Emulator::unsplit_transaction(std::string_view user, std::string_view guid,
                                     IdentifierMode mode) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  auto parent = store_.find_transaction(guid);
  if (!parent || parent->user_guid != (*u)->guid) return record_not_found();
  for (const Transaction& t : store_.transactions_of_user((*u)->guid)) {
    if (t.parent_guid == parent->guid) store_.remove_transaction(t.guid);
  }
  if (parent->has_been_split) {
    parent->has_been_split = false;
    parent->updated_at = now_;
    store_.update_transaction(*parent);
  }
  return ok_status();
}

Result<const Account*> Emulator::merge_accounts(std::string_view user, IdentifierMode mode,
                                                const std::vector<std::string>& account_guids) {
  auto u = user_or_error(user, mode);
  if (!u) return u.error();
  const std::unordered_set<std::string> distinct(account_guids.begin(), account_guids.end());
  if (account_guids.size() < 2 || distinct.size() != account_guids.size()) {
    return refuse(ErrorCode::kBadRequest, Reason::kMergeNeedsTwo);
  }
  for (const auto& guid : account_guids) {
    const Account* a = store_.find_account(guid);
    if (a == nullptr || a->user_guid != (*u)->guid) return record_not_found();
  }
  for (std::size_t i = 1; i < account_guids.size(); ++i) {
    const Account gone = *store_.find_account(account_guids[i]);
    if (!gone.member_guid.empty()) store_.mark_merged(gone);
    store_.remove_account(gone.guid);
  }
  Account* kept = store_.find_account(account_guids.front());
  kept->updated_at = now_;
  return kept;
}

}  // namespace mxemu::domain
