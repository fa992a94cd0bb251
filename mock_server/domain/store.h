#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/pagination.h"
#include "domain/per_user_lists.h"
#include "domain/processor_token.h"
#include "domain/records.h"
#include "domain/timestamps.h"
#include "domain/transaction_table.h"

namespace mxemu::domain {

// Which transactions a listing covers.
enum class TransactionScope { kUser, kMember, kAccount };

struct TransactionFilter {
  TransactionScope scope = TransactionScope::kUser;
  std::string key;                             // the user, member or account guid
  std::optional<std::string> from_date;        // YYYY-MM-DD, inclusive
  std::optional<std::string> to_date;          // YYYY-MM-DD, inclusive
  std::optional<std::string> from_updated_on;  // YYYY-MM-DD, inclusive (updated_at's day)
  std::optional<std::string> to_updated_on;
};

struct StoreSnapshot;

struct UpsertCounts {
  int created = 0;
  int updated = 0;
};

// The emulator's records and their indexes. In memory; node-based maps keep record addresses
// stable. Transactions, the bulk of the data, live in a compact TransactionTable and are
// returned as values. Listing a page of transactions costs O(log n + page) for any number
// stored (date-sorted indexes per user, member and account).
// Thread safety: none; the Emulator serialises all access.
class Store {
 public:
  // The day sits beside the row id so that date bounds are found by binary search over a
  // contiguous array, without touching the records: a page costs the same at 1k or 1M.
  struct IndexEntry {
    std::int32_t day;
    TransactionTable::RowId row;
  };

  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  // Forgets every record: the store is as new.
  void clear();
  // Every record in canonical order, and back (store_snapshot.cpp). restore() REQUIRES a
  // checked snapshot (Emulator::restore checks it) and replaces everything. Without
  // `with_transactions` the snapshot's transactions stay empty: persistence writes them per user
  // (transactions_of_user), only for the users whose transactions_revision moved.
  StoreSnapshot snapshot(bool with_transactions = true) const;
  void restore(const StoreSnapshot& s);
  // One user's transactions in the snapshot's order (date, then guid).
  std::vector<Transaction> transactions_of_user(std::string_view user_guid) const;
  // A number that changes whenever one of the user's transactions is added, changed or removed
  // (never reused, not even after clear()); 0 while none has been since the store was made or
  // cleared. Persistence compares it with the number it last wrote.
  std::uint64_t transactions_revision(std::string_view user_guid) const;

  // --- users (listed in creation order)
  User& add_user(User user);
  User* find_user(std::string_view guid);
  User* find_user_by_id(std::string_view partner_id);
  void rename_user_id(User& user, std::optional<std::string> new_id);
  const std::vector<std::string>& user_guids() const { return user_order_; }
  // Deletes the user and everything under it.
  void remove_user(const std::string& guid);

  // --- members (listed per user in creation order)
  Member& add_member(Member member);
  Member* find_member(std::string_view guid);
  std::vector<Member*> members_of(std::string_view user_guid);
  std::size_t member_count(std::string_view user_guid) const;
  // Deletes the member and its accounts, transactions, holdings, statements, numbers, owners,
  // rewards.
  void remove_member(const std::string& guid);
  std::vector<std::string> all_member_guids() const;

  // --- accounts
  // Inserts or replaces accounts by guid, keeping the member's order.
  void upsert_accounts(const std::vector<Account>& accounts);
  Account* find_account(std::string_view guid);
  std::vector<const Account*> accounts_of_user(std::string_view user_guid) const;
  std::vector<const Account*> accounts_of_member(std::string_view member_guid) const;
  // Removes the account with its transactions and the member's records about it (holdings,
  // numbers, owners, statements, rewards).
  void remove_account(const std::string& guid);
  // Accounts merged away (mergeAccounts): the member's later aggregations leave them out.
  void mark_merged(const Account& gone) { merged_accounts_[gone.guid] = gone.member_guid; }
  bool merged_away(std::string_view account_guid) const {
    return merged_accounts_.count(std::string(account_guid)) != 0;
  }

  // --- transactions
  // New guids are inserted; known ones take the institution-reported fields (status, date,
  // amount, posted/transacted times) and keep what users edit (description, memo, category).
  UpsertCounts upsert_transactions(std::vector<Transaction> txns);
  std::optional<Transaction> find_transaction(std::string_view guid) const;
  // Stores a user's edit of a known transaction (the API's update). The guid, owners and date
  // must be the stored ones: edits never move a row. False when the guid is unknown.
  bool update_transaction(const Transaction& txn);
  Page<Transaction> list_transactions(const TransactionFilter& filter,
                                      const PageRequest& page) const;
  void remove_transaction(const std::string& guid);
  std::size_t transaction_count() const { return transactions_.size(); }

  // --- custom categories (listed per user in creation order; store_user_records.cpp)
  CustomCategory& add_category(CustomCategory category);
  // nullptr unless `guid` is one of the user's own categories.
  CustomCategory* find_category(std::string_view user_guid, std::string_view guid);
  const std::vector<CustomCategory>& categories_of(std::string_view user_guid) const;
  void remove_category(std::string_view user_guid, std::string_view guid);

  // --- tags and taggings (listed per user in creation order; store_user_records.cpp)
  Tag& add_tag(Tag tag);
  Tag* find_tag(std::string_view user_guid, std::string_view guid);
  const std::vector<Tag>& tags_of(std::string_view user_guid) const;
  // Removes the tag and its taggings.
  void remove_tag(std::string_view user_guid, std::string_view guid);
  Tagging& add_tagging(Tagging tagging);
  Tagging* find_tagging(std::string_view user_guid, std::string_view guid);
  const std::vector<Tagging>& taggings_of(std::string_view user_guid) const;
  void remove_tagging(std::string_view user_guid, std::string_view guid);

  // --- transaction rules (listed per user in creation order; store_user_records.cpp)
  TransactionRule& add_rule(TransactionRule rule);
  TransactionRule* find_rule(std::string_view user_guid, std::string_view guid);
  const std::vector<TransactionRule>& rules_of(std::string_view user_guid) const;
  void remove_rule(std::string_view user_guid, std::string_view guid);

  // --- microdeposits (listed per user in creation order; store_user_records.cpp)
  Microdeposit& add_microdeposit(Microdeposit microdeposit);
  // nullptr unless `guid` is one of the user's microdeposits.
  Microdeposit* find_microdeposit(std::string_view user_guid, std::string_view guid);
  // Any user's (verify takes no user); nullptr when unknown.
  Microdeposit* find_microdeposit(std::string_view guid);
  const Microdeposit* find_microdeposit(std::string_view guid) const;
  const std::vector<Microdeposit>& microdeposits_of(std::string_view user_guid) const;
  void remove_microdeposit(std::string_view user_guid, std::string_view guid);
  // Calls f(const Microdeposit&) for every user's, in no particular order.
  template <class F>
  void for_each_microdeposit(F f) const {
    for (const auto& [guid, user] : microdeposit_owner_) {
      if (const Microdeposit* m = find_microdeposit(guid)) f(*m);
    }
  }

  // --- processor access (store_processor.cpp). Deleting a user, member or account deletes the
  // codes and tokens whose scope names it.
  void add_authorization_code(AuthorizationCode code);
  // Takes the code out (it is one-time use); nullopt when unknown.
  std::optional<AuthorizationCode> take_authorization_code(std::string_view code);
  void add_processor_token(ProcessorToken token);
  const ProcessorToken* find_processor_token(std::string_view access_token) const;
  // Whether `key` is one of the codes or tokens here (the service routes a processor by it).
  bool has_processor_key(std::string_view key) const;
  // Calls f(const AuthorizationCode&) / f(const ProcessorToken&) for each, in no particular order.
  template <class F>
  void for_each_authorization_code(F f) const {
    for (const auto& entry : authorization_codes_) f(entry.second);
  }
  template <class F>
  void for_each_processor_token(F f) const {
    for (const auto& entry : processor_tokens_) f(entry.second);
  }

  // --- per-member data produced by premium jobs (replaced wholesale by each job)
  void set_holdings(const std::string& member_guid, std::vector<Holding> holdings);
  void set_account_numbers(const std::string& member_guid, std::vector<AccountNumber> numbers);
  void set_account_owners(const std::string& member_guid, std::vector<AccountOwner> owners);
  void set_statements(const std::string& member_guid, std::vector<Statement> statements);
  void set_rewards(const std::string& member_guid, std::vector<Reward> rewards);
  const std::vector<Holding>& holdings_of_member(std::string_view member_guid) const;
  const std::vector<AccountNumber>& account_numbers_of_member(std::string_view member_guid) const;
  const std::vector<AccountOwner>& account_owners_of_member(std::string_view member_guid) const;
  const std::vector<Statement>& statements_of_member(std::string_view member_guid) const;
  const std::vector<Reward>& rewards_of_member(std::string_view member_guid) const;

 private:
  using Index = std::vector<IndexEntry>;  // sorted by (day, guid)
  Index* index_for(TransactionScope scope, const std::string& key);
  const Index* index_for(TransactionScope scope, const std::string& key) const;
  void index_insert(const std::vector<TransactionTable::RowId>& added);
  void index_erase(TransactionTable::RowId row);
  bool entry_before(const IndexEntry& a, const IndexEntry& b) const;
  void touch_transactions(const std::string& user_guid);
  // Deletes the codes and tokens whose scope names `guid` as its `field` (store_processor.cpp).
  void drop_processor_access(std::string ProcessorScope::*field, const std::string& guid);
  // Removes the user's taggings whose transaction is gone (store_user_records.cpp).
  void drop_dangling_taggings(const std::string& user_guid);

  std::unordered_map<std::string, User> users_;
  std::vector<std::string> user_order_;
  std::unordered_map<std::string, std::string> user_by_id_;

  std::unordered_map<std::string, Member> members_;
  std::unordered_map<std::string, std::vector<std::string>> members_by_user_;

  std::unordered_map<std::string, Account> accounts_;
  std::unordered_map<std::string, std::vector<std::string>> accounts_by_member_;

  TransactionTable transactions_;
  std::unordered_map<std::string, Index> txn_by_user_;
  std::unordered_map<std::string, Index> txn_by_member_;
  std::unordered_map<std::string, Index> txn_by_account_;
  // transactions_revision(): the last change per user, from one counter that only grows.
  std::unordered_map<std::string, std::uint64_t> txn_revision_by_user_;
  std::uint64_t txn_revisions_ = 0;

  store_detail::PerUser<CustomCategory> categories_;
  store_detail::PerUser<Tag> tags_;
  store_detail::PerUser<Tagging> taggings_;
  store_detail::PerUser<TransactionRule> rules_;
  store_detail::PerUser<Microdeposit> microdeposits_;
  std::unordered_map<std::string, std::string> merged_accounts_;     // account guid → member guid
  std::unordered_map<std::string, std::string> microdeposit_owner_;  // guid → user guid
  std::unordered_map<std::string, AuthorizationCode> authorization_codes_;  // by code
  std::unordered_map<std::string, ProcessorToken> processor_tokens_;        // by access token

  std::unordered_map<std::string, std::vector<Holding>> holdings_;
  std::unordered_map<std::string, std::vector<AccountNumber>> account_numbers_;
  std::unordered_map<std::string, std::vector<AccountOwner>> account_owners_;
  std::unordered_map<std::string, std::vector<Statement>> statements_;
  std::unordered_map<std::string, std::vector<Reward>> rewards_;
};

}  // namespace mxemu::domain
