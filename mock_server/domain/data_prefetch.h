#pragma once

#include <string>
#include <vector>

#include "domain/catalog.h"
#include "domain/clock.h"
#include "domain/data_generator.h"
#include "domain/institution.h"
#include "domain/records.h"
#include "domain/timestamps.h"

// A member's data made ahead of the job step that stores it (Emulator::produce_data), so that
// the costly part, generating it (about 900 transactions and 6 ms for a new MX Bank member),
// can run outside the world's lock while other requests are served. The generator is a pure
// function of the order, so prefetched data is exactly what the step would have made inline;
// a step that finds none, or one made for other days or another time, generates inline.
namespace mxemu::domain {

// Transaction days [from, to], both inclusive; none when from > to.
struct TransactionDays {
  DayNumber from = 0;
  DayNumber to = -1;
  bool empty() const { return from > to; }
  bool operator==(const TransactionDays& o) const { return from == o.from && to == o.to; }
};

// What one job step will generate: produce_data's inputs, copied.
struct DataOrder {
  Institution institution;  // a copy: the emulator's list may be replaced meanwhile
  MemberDataContext ctx;
  JobType type = JobType::kAggregate;
  TimePoint at;          // the step's due time, produce_data's `now`
  TransactionDays days;  // the transaction days it pulls (empty for most premium jobs)
};

struct PreparedData {
  std::string member_guid;
  JobType type = JobType::kAggregate;
  TimePoint at;
  TransactionDays days;
  std::vector<Account> accounts;
  std::vector<Transaction> transactions;  // not yet stamped with created_at/updated_at
};

// Pure: what produce_data generates for `order`. Safe on any thread, with no lock held.
PreparedData prepare_data(const DataOrder& order, const DataCatalog& catalog);

}  // namespace mxemu::domain
