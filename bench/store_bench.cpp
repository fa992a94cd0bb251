// store_bench: "listing a page of transactions costs the same with 1k or 1M stored".
// Fills a domain::Store with N transactions of one user (dates spread over ~3 years, four
// accounts) and times Store::list_transactions for three listings:
//   page1   the first page of the user's transactions (per_page 25)
//   middle  a page in the middle of the list (rotating over 64 pages of the middle half)
//   dated   page 1 of a one-month from_date/to_date window (rotating over 64 windows)
// Rotating keeps the 1M case from timing the same few cache lines over and over.
// Prints one line per (size, case): "store_bench size=N case=C ns_per_call=X items=I total=T",
// then the 1M/1k ratios. bench/ may read the real clock: std::chrono::steady_clock.
//
// Usage: store_bench [--sizes 1000,1000000] [--min-ms 300]
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "domain/store.h"
#include "domain/timestamps.h"

namespace {

using mxemu::domain::DayNumber;
using mxemu::domain::PageRequest;
using mxemu::domain::Store;
using mxemu::domain::Transaction;
using mxemu::domain::TransactionFilter;
using mxemu::domain::TransactionScope;
using SteadyClock = std::chrono::steady_clock;

constexpr int kPerPage = 25;
constexpr int kRotation = 64;
constexpr DayNumber kSpanDays = 3 * 365;

std::uint64_t next_random(std::uint64_t& state) {  // splitmix64: deterministic, cheap
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A guid shaped like the emulator's ("TRN-" + 8-4-4-4-12 hex), so string sizes are realistic.
std::string guid(const char* prefix, std::uint64_t n) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%08llx-%04llx-%04llx-%04llx-%012llx", prefix,
                static_cast<unsigned long long>(n >> 32 & 0xffffffff),
                static_cast<unsigned long long>(n >> 16 & 0xffff),
                static_cast<unsigned long long>(n & 0xffff), 0x4000ULL,
                static_cast<unsigned long long>(n * 0x9E3779B97F4AULL & 0xffffffffffffULL));
  return buf;
}

const std::string kUser = guid("USR", 1);
const std::string kMember = guid("MBR", 1);
const DayNumber kFirstDay = *mxemu::domain::parse_day("2023-01-01");

void fill(Store& store, std::size_t n) {
  std::vector<std::string> accounts;
  for (int a = 0; a < 4; ++a) accounts.push_back(guid("ACT", static_cast<std::uint64_t>(a + 1)));
  std::uint64_t rng = 42;
  constexpr std::size_t kBatch = 50000;  // what one aggregation might bring, and bounded memory
  std::vector<Transaction> batch;
  batch.reserve(std::min(n, kBatch));
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t r = next_random(rng);
    const DayNumber day = kFirstDay + static_cast<DayNumber>(r % kSpanDays);
    Transaction t;
    t.guid = guid("TRN", r ^ i);
    t.user_guid = kUser;
    t.member_guid = kMember;
    t.account_guid = accounts[i % accounts.size()];
    t.amount = static_cast<double>(r % 100000) / 100.0;
    t.type = (r & 1) ? "DEBIT" : "CREDIT";
    t.status = "POSTED";
    t.transacted_at = mxemu::domain::start_of_day(day) + std::chrono::hours(12);
    t.posted_at = t.transacted_at;
    t.date = mxemu::domain::format_day(day);
    t.original_description = "POS PURCHASE 4417";
    t.description = "Grocery Store";
    t.category = "Groceries";
    t.category_guid = "CAT-bd56d35a";
    t.top_level_category = "Food & Dining";
    t.created_at = t.transacted_at;
    t.updated_at = t.transacted_at;
    batch.push_back(std::move(t));
    if (batch.size() == kBatch || i + 1 == n) {
      store.upsert_transactions(batch);
      batch.clear();
    }
  }
}

struct Case {
  std::string name;
  std::vector<std::pair<TransactionFilter, PageRequest>> calls;  // rotated through
};

struct Result {
  double ns_per_call = 0;
  std::size_t items = 0;
  std::size_t total = 0;
};

Result time_case(const Store& store, const Case& c, double min_ms) {
  // Warm up, then time rounds of the whole rotation until min_ms has passed; keep the best
  // round-average of 5 measurements (the least disturbed by other processes).
  std::uintptr_t sink = 0;
  Result r;
  for (const auto& [f, p] : c.calls) {
    const auto page = store.list_transactions(f, p);
    r.items = page.items.size();
    r.total = page.total_entries;
  }
  double best = 1e300;
  for (int rep = 0; rep < 5; ++rep) {
    std::size_t calls = 0;
    const auto start = SteadyClock::now();
    auto elapsed = std::chrono::duration<double, std::milli>(0);
    do {
      for (const auto& [f, p] : c.calls) {
        const auto page = store.list_transactions(f, p);
        sink += page.items.size() + reinterpret_cast<std::uintptr_t>(page.items.empty() ? nullptr : page.items.back());
        ++calls;
      }
      elapsed = SteadyClock::now() - start;
    } while (elapsed.count() < min_ms / 5);
    best = std::min(best, elapsed.count() * 1e6 / static_cast<double>(calls));
  }
  if (sink == 42) std::printf(" ");  // keep the calls observable
  r.ns_per_call = best;
  return r;
}

std::vector<Case> cases_for(std::size_t n) {
  TransactionFilter base;
  base.scope = TransactionScope::kUser;
  base.key = kUser;
  std::vector<Case> out;
  out.push_back({"page1", {{base, PageRequest{1, kPerPage}}}});
  const int pages = static_cast<int>((n + kPerPage - 1) / kPerPage);
  Case middle{"middle", {}};
  for (int k = 0; k < kRotation; ++k) {
    // Spread over the middle half of the list.
    const int page = std::max(1, pages / 4 + static_cast<int>(static_cast<long long>(pages / 2) * k / kRotation));
    middle.calls.push_back({base, PageRequest{page, kPerPage}});
  }
  out.push_back(middle);
  Case dated{"dated", {}};
  for (int k = 0; k < kRotation; ++k) {
    TransactionFilter f = base;
    const DayNumber from = kFirstDay + (kSpanDays - 31) * k / kRotation;
    f.from_date = mxemu::domain::format_day(from);
    f.to_date = mxemu::domain::format_day(from + 30);
    dated.calls.push_back({f, PageRequest{1, kPerPage}});
  }
  out.push_back(dated);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> sizes = {1000, 1000000};
  double min_ms = 300;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--sizes" && i + 1 < argc) {
      sizes.clear();
      std::stringstream list(argv[++i]);
      for (std::string item; std::getline(list, item, ',');) sizes.push_back(std::stoull(item));
    } else if (flag == "--min-ms" && i + 1 < argc) {
      min_ms = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: store_bench [--sizes 1000,1000000] [--min-ms 300]\n");
      return 2;
    }
  }
  std::map<std::string, std::map<std::size_t, double>> ns;
  for (const std::size_t n : sizes) {
    auto store = std::make_unique<Store>();
    const auto fill_start = SteadyClock::now();
    fill(*store, n);
    const double fill_ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - fill_start).count();
    std::printf("store_bench size=%zu filled_in_ms=%.0f stored=%zu\n", n, fill_ms, store->transaction_count());
    for (const auto& c : cases_for(n)) {
      const Result r = time_case(*store, c, min_ms);
      ns[c.name][n] = r.ns_per_call;
      std::printf("store_bench size=%zu case=%s ns_per_call=%.1f items=%zu total=%zu\n", n,
                  c.name.c_str(), r.ns_per_call, r.items, r.total);
      std::fflush(stdout);
    }
  }
  if (sizes.size() >= 2) {
    const std::size_t lo = sizes.front();
    const std::size_t hi = sizes.back();
    for (const char* name : {"page1", "middle", "dated"}) {
      std::printf("store_bench ratio case=%s sizes=%zu/%zu ratio=%.2f\n", name, hi, lo,
                  ns[name][hi] / ns[name][lo]);
    }
  }
  return 0;
}
