#include "domain/transaction_table.h"

#include <array>
#include <cassert>
#include <tuple>
#include <utility>

#include "domain/timestamps.h"

namespace mxemu::domain {
namespace {

// A field added to Transaction must be packed and unpacked here too; this trips when the
// record's size changes so that nobody forgets (x86-64 libstdc++ layout).
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(Transaction) == 800, "Transaction changed: update TransactionTable");
#endif

constexpr std::string_view kGuidPrefix = "TRN-";
constexpr std::size_t kGuidLength = 40;  // "TRN-" + 8-4-4-4-12 hex digits

// Flag bits of Row::flags.
enum : std::uint16_t {
  kBillPay = 1U << 0U,
  kDirectDeposit = 1U << 1U,
  kExpense = 1U << 2U,
  kFee = 1U << 3U,
  kIncome = 1U << 4U,
  kOverdraftFee = 1U << 5U,
  kPayrollAdvance = 1U << 6U,
  kRecurring = 1U << 7U,
  kSubscription = 1U << 8U,
  kManual = 1U << 9U,
  kHasPostedAt = 1U << 10U,
  kHasLatitude = 1U << 11U,
  kHasLongitude = 1U << 12U,
  kHasBeenSplit = 1U << 13U,
};

bool is_dash_position(std::size_t i) { return i == 12 || i == 17 || i == 22 || i == 27; }

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<TransactionTable::GuidBits> TransactionTable::parse_guid(std::string_view guid) {
  if (guid.size() != kGuidLength || guid.substr(0, kGuidPrefix.size()) != kGuidPrefix) {
    return std::nullopt;
  }
  GuidBits bits;
  int digits = 0;
  for (std::size_t i = kGuidPrefix.size(); i < guid.size(); ++i) {
    if (is_dash_position(i)) {
      if (guid[i] != '-') return std::nullopt;
      continue;
    }
    const int v = hex_value(guid[i]);
    if (v < 0) return std::nullopt;
    std::uint64_t& word = digits < 16 ? bits.hi : bits.lo;
    word = (word << 4U) | static_cast<std::uint64_t>(v);
    ++digits;
  }
  return bits;
}

std::string TransactionTable::format_guid(GuidBits bits) {
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string out(kGuidPrefix);
  out.reserve(kGuidLength);
  for (std::uint64_t word : {bits.hi, bits.lo}) {
    for (int nibble = 15; nibble >= 0; --nibble) {
      if (is_dash_position(out.size())) out += '-';
      out += kHex[(word >> (static_cast<unsigned>(nibble) * 4U)) & 0xfU];
    }
  }
  return out;
}

TransactionTable::Row TransactionTable::pack(const Transaction& t) {
  Row r;
  if (auto bits = parse_guid(t.guid)) {
    r.guid = *bits;
  } else {
    r.text[kOddGuid] = pool_.intern(t.guid);
  }
  const auto day = parse_day(t.date);
  if (day && format_day(*day) == t.date) {
    r.day = static_cast<std::int32_t>(*day);
  } else {
    // Listing treats an unreadable date as day 0, as it always has; the text is kept verbatim.
    r.text[kOddDate] = pool_.intern(t.date);
  }
  r.text[kUser] = pool_.intern(t.user_guid);
  r.text[kMember] = pool_.intern(t.member_guid);
  r.text[kAccount] = pool_.intern(t.account_guid);
  r.text[kId] = pool_.intern_optional(t.id);
  r.text[kType] = pool_.intern(t.type);
  r.text[kStatus] = pool_.intern(t.status);
  r.text[kOriginalDescription] = pool_.intern(t.original_description);
  r.text[kDescription] = pool_.intern(t.description);
  r.text[kCategory] = pool_.intern(t.category);
  r.text[kCategoryGuid] = pool_.intern(t.category_guid);
  r.text[kTopLevelCategory] = pool_.intern(t.top_level_category);
  r.text[kMerchantGuid] = pool_.intern_optional(t.merchant_guid);
  r.text[kMerchantLocationGuid] = pool_.intern_optional(t.merchant_location_guid);
  r.text[kMerchantCategoryCode] = pool_.intern_optional(t.merchant_category_code);
  r.text[kMemo] = pool_.intern_optional(t.memo);
  r.text[kMetadata] = pool_.intern_optional(t.metadata);
  r.text[kParentGuid] = pool_.intern_optional(t.parent_guid);
  r.text[kCurrencyCode] = pool_.intern(t.currency_code);
  r.amount = t.amount;
  r.transacted_at = t.transacted_at.time_since_epoch().count();
  r.created_at = t.created_at.time_since_epoch().count();
  r.updated_at = t.updated_at.time_since_epoch().count();
  std::uint16_t flags = 0;
  if (t.posted_at) {
    r.posted_at = t.posted_at->time_since_epoch().count();
    flags |= kHasPostedAt;
  }
  if (t.latitude) {
    r.latitude = *t.latitude;
    flags |= kHasLatitude;
  }
  if (t.longitude) {
    r.longitude = *t.longitude;
    flags |= kHasLongitude;
  }
  const std::array<std::pair<bool, std::uint16_t>, 11> bools = {
      {{t.is_bill_pay, kBillPay},
       {t.is_direct_deposit, kDirectDeposit},
       {t.is_expense, kExpense},
       {t.is_fee, kFee},
       {t.is_income, kIncome},
       {t.is_overdraft_fee, kOverdraftFee},
       {t.is_payroll_advance, kPayrollAdvance},
       {t.is_recurring, kRecurring},
       {t.is_subscription, kSubscription},
       {t.is_manual, kManual},
       {t.has_been_split, kHasBeenSplit}}};
  for (const auto& [on, bit] : bools) {
    if (on) flags |= bit;
  }
  r.flags = flags;
  return r;
}

Transaction TransactionTable::get(RowId row) const {
  const Row& r = at(row);
  auto text = [&](Text field) -> const std::string& { return pool_.view(r.text[field]); };
  auto time = [](TimePoint::rep ticks) { return TimePoint(TimePoint::duration(ticks)); };
  Transaction t;
  t.guid = guid(row);
  t.user_guid = text(kUser);
  t.member_guid = text(kMember);
  t.account_guid = text(kAccount);
  t.id = pool_.optional(r.text[kId]);
  t.amount = r.amount;
  t.type = text(kType);
  t.status = text(kStatus);
  t.date = r.text[kOddDate] != StringPool::kNone ? text(kOddDate) : format_day(r.day);
  t.transacted_at = time(r.transacted_at);
  if ((r.flags & kHasPostedAt) != 0) t.posted_at = time(r.posted_at);
  t.original_description = text(kOriginalDescription);
  t.description = text(kDescription);
  t.category = text(kCategory);
  t.category_guid = text(kCategoryGuid);
  t.top_level_category = text(kTopLevelCategory);
  t.merchant_guid = pool_.optional(r.text[kMerchantGuid]);
  t.merchant_location_guid = pool_.optional(r.text[kMerchantLocationGuid]);
  t.merchant_category_code = pool_.optional(r.text[kMerchantCategoryCode]);
  t.memo = pool_.optional(r.text[kMemo]);
  t.metadata = pool_.optional(r.text[kMetadata]);
  t.parent_guid = pool_.optional(r.text[kParentGuid]);
  t.currency_code = text(kCurrencyCode);
  t.is_bill_pay = (r.flags & kBillPay) != 0;
  t.is_direct_deposit = (r.flags & kDirectDeposit) != 0;
  t.is_expense = (r.flags & kExpense) != 0;
  t.is_fee = (r.flags & kFee) != 0;
  t.is_income = (r.flags & kIncome) != 0;
  t.is_overdraft_fee = (r.flags & kOverdraftFee) != 0;
  t.is_payroll_advance = (r.flags & kPayrollAdvance) != 0;
  t.is_recurring = (r.flags & kRecurring) != 0;
  t.is_subscription = (r.flags & kSubscription) != 0;
  t.is_manual = (r.flags & kManual) != 0;
  t.has_been_split = (r.flags & kHasBeenSplit) != 0;
  if ((r.flags & kHasLatitude) != 0) t.latitude = r.latitude;
  if ((r.flags & kHasLongitude) != 0) t.longitude = r.longitude;
  t.created_at = time(r.created_at);
  t.updated_at = time(r.updated_at);
  return t;
}

std::optional<TransactionTable::RowId> TransactionTable::find(std::string_view guid) const {
  if (auto bits = parse_guid(guid)) {
    return shard_of(*bits).find(*bits);
  }
  auto it = by_odd_guid_.find(std::string(guid));
  if (it == by_odd_guid_.end()) return std::nullopt;
  return it->second;
}

TransactionTable::RowId TransactionTable::insert(const Transaction& t) {
  assert(!find(t.guid));
  RowId id = 0;
  if (!free_.empty()) {
    id = free_.back();
    free_.pop_back();
  } else {
    id = end_++;
    if (id % kChunkRows == 0) chunks_.push_back(std::make_unique<Chunk>());
  }
  Row& r = at(id);
  r = pack(t);
  if (r.text[kOddGuid] != StringPool::kNone) {
    by_odd_guid_.emplace(t.guid, id);
  } else {
    shard_of(r.guid).insert(r.guid, id);
  }
  return id;
}

void TransactionTable::assign(RowId row, const Transaction& t) {
  assert(guid(row) == t.guid);
  Row packed = pack(t);  // first: texts the row keeps are never released in between
  release_texts(at(row));
  at(row) = packed;
}

void TransactionTable::release_texts(const Row& r) {
  for (const StringPool::Id id : r.text) pool_.release(id);
}

void TransactionTable::erase(RowId row) {
  Row& r = at(row);
  if (r.text[kOddGuid] != StringPool::kNone) {
    by_odd_guid_.erase(pool_.view(r.text[kOddGuid]));
  } else {
    shard_of(r.guid).erase(r.guid);
  }
  release_texts(r);
  r = Row{};
  free_.push_back(row);
}

std::string TransactionTable::guid(RowId row) const {
  const Row& r = at(row);
  if (r.text[kOddGuid] != StringPool::kNone) return pool_.view(r.text[kOddGuid]);
  return format_guid(r.guid);
}

bool TransactionTable::guid_less(RowId a, RowId b) const {
  const Row& ra = at(a);
  const Row& rb = at(b);
  if (ra.text[kOddGuid] == StringPool::kNone && rb.text[kOddGuid] == StringPool::kNone) {
    // Same prefix, length and dash positions: numeric order is the strings' order.
    return std::tie(ra.guid.hi, ra.guid.lo) < std::tie(rb.guid.hi, rb.guid.lo);
  }
  return guid(a) < guid(b);
}

const std::string& TransactionTable::user_guid(RowId row) const {
  return pool_.view(at(row).text[kUser]);
}
const std::string& TransactionTable::member_guid(RowId row) const {
  return pool_.view(at(row).text[kMember]);
}
const std::string& TransactionTable::account_guid(RowId row) const {
  return pool_.view(at(row).text[kAccount]);
}
TimePoint TransactionTable::updated_at(RowId row) const {
  return TimePoint(TimePoint::duration(at(row).updated_at));
}

}  // namespace mxemu::domain
