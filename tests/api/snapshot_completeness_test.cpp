// The snapshot's completeness guard. Each size below is what the type had when every one of its
// fields was captured by the snapshot. When one fails, a field was added or changed: put it in
// domain::EmulatorSnapshot (domain/emulator_snapshot.h, filled in emulator_snapshot.cpp or
// store_snapshot.cpp) or api::WorldSnapshot (api/world_snapshot.{h,cpp}), and in the codec's
// field list (api/snapshot_codec.cpp, `fields`), prove it with tests/api/snapshot_test.cpp's
// rich world, then update the number here. This file is the one place to touch.
#include <gtest/gtest.h>

#include "api/world.h"
#include "api/world_snapshot.h"
#include "domain/emulator.h"

namespace mxemu::testing {
namespace {

#if defined(__GLIBCXX__) && defined(__x86_64__) && !defined(_GLIBCXX_DEBUG)
#define MXEMU_SNAPSHOT_SIZE(T, n)                                                       \
  static_assert(sizeof(T) == (n), #T                                                    \
                " changed: capture the new field in the snapshot (see the top of this " \
                "file), then update its size here")
MXEMU_SNAPSHOT_SIZE(domain::User, 176);
MXEMU_SNAPSHOT_SIZE(domain::Job, 72);
MXEMU_SNAPSHOT_SIZE(domain::CredentialValue, 64);
MXEMU_SNAPSHOT_SIZE(domain::ChallengeOption, 128);
MXEMU_SNAPSHOT_SIZE(domain::Challenge, 160);
MXEMU_SNAPSHOT_SIZE(domain::FailureRecord, 32);
MXEMU_SNAPSHOT_SIZE(domain::MachineState, 12);
MXEMU_SNAPSHOT_SIZE(domain::OAuthWindow, 160);
MXEMU_SNAPSHOT_SIZE(domain::Member, 832);
MXEMU_SNAPSHOT_SIZE(domain::Account, 536);
MXEMU_SNAPSHOT_SIZE(domain::Transaction, 800);
MXEMU_SNAPSHOT_SIZE(domain::Holding, 344);
MXEMU_SNAPSHOT_SIZE(domain::AccountNumber, 200);
MXEMU_SNAPSHOT_SIZE(domain::AccountOwner, 448);
MXEMU_SNAPSHOT_SIZE(domain::Statement, 208);
MXEMU_SNAPSHOT_SIZE(domain::CustomCategory, 184);
MXEMU_SNAPSHOT_SIZE(domain::Reward, 280);
MXEMU_SNAPSHOT_SIZE(domain::Tag, 96);
MXEMU_SNAPSHOT_SIZE(domain::Tagging, 128);
MXEMU_SNAPSHOT_SIZE(domain::TransactionRule, 184);
MXEMU_SNAPSHOT_SIZE(domain::Microdeposit, 488);
MXEMU_SNAPSHOT_SIZE(domain::Timer, 56);
MXEMU_SNAPSHOT_SIZE(domain::TimerQueue, 32);
MXEMU_SNAPSHOT_SIZE(domain::StormGate, 80);
MXEMU_SNAPSHOT_SIZE(domain::GuidGenerator, 16);
MXEMU_SNAPSHOT_SIZE(domain::WidgetSession, 352);
MXEMU_SNAPSHOT_SIZE(domain::DomainEvent, 304);
// Store: +64 for the per-user transactions revisions, persistence's bookkeeping (not state);
// +48 for the transaction table's string-pool reference counts and free ids (how rows store
// their texts, rebuilt by inserting the rows); +592 for the table's rows in chunks and its guid
// lookup in 16 shards (how rows are kept, not what they hold); +56 for the users' custom
// categories (captured: store.categories); +56 for the members' rewards (store.rewards); +112
// for the users' tags and taggings (store.tags, store.taggings); +56 for their transaction
// rules (store.rules); +112 for the users' microdeposits and their guid → user lookup
// (store.microdeposits; the lookup is rebuilt by adding them); +56 for the accounts merged away
// (store.merged_accounts).
MXEMU_SNAPSHOT_SIZE(domain::Store, 2312);
// Emulator: +48 for prepared_, prefetched data: a cache of what a job step generates, not state;
// +48 for the Store's pool above; +8 for keep_events_after_, which the webhook outbox's cursor
// sets again before every request; -40 since the institutions and catalog are shared pointers
// to the fixtures (read-only: a snapshot names institutions by code and guid, as before);
// +592 for the Store's chunks and shards above; +56 for its custom categories; +56 for
// its rewards; +112 for its tags and taggings; +56 for its transaction rules; +112 for its
// microdeposits; +56 for its merged accounts.
MXEMU_SNAPSHOT_SIZE(domain::Emulator, 3088);
MXEMU_SNAPSHOT_SIZE(domain::TenantClock, 40);
MXEMU_SNAPSHOT_SIZE(api::FaultRule, 320);
MXEMU_SNAPSHOT_SIZE(api::FaultRules, 32);
MXEMU_SNAPSHOT_SIZE(api::RateLimits, 12);
MXEMU_SNAPSHOT_SIZE(api::RateLimiter, 48);
MXEMU_SNAPSHOT_SIZE(api::WebhookSubscription, 136);
MXEMU_SNAPSHOT_SIZE(api::WebhookDelivery, 272);
MXEMU_SNAPSHOT_SIZE(api::WebhookAttempt, 168);
MXEMU_SNAPSHOT_SIZE(api::WebhookOutbox, 184);
// ServiceState's request journal is deliberately not in a snapshot: it is the record of what
// was asked of this process, not state a world continues from (docs/control-api.md, Snapshot).
// +104 for the journal's body budget and its recent shared header sets (its bound comes from
// the tenant's config, which persistence keeps); +80 for its pool of shared texts; +40 for the
// journal's own mutex.
MXEMU_SNAPSHOT_SIZE(api::ServiceState, 864);
// World's wall clock belongs to the process, like its credentials and base URL.
// World: +80 for the Store above, its WorldStore pointer and removed flag (persistence); +48 for
// the Emulator's prefetch cache; +56 for the Emulator's string pool and event reader above;
// +184 for ServiceState's journal above; +24 for holding the shared fixtures by value (not a
// reference), with the Emulator's -40 and ServiceState's +40 above; +592 for the Store's
// chunks and shards; +56 for its custom categories; +56 for its rewards; +112 for its
// tags and taggings; +56 for its transaction rules; +112 for its microdeposits; +56 for its
// merged accounts.
MXEMU_SNAPSHOT_SIZE(api::World, 4160);
#undef MXEMU_SNAPSHOT_SIZE
#endif

// The guard above is compile-time; this names it in the test list and keeps the file a test.
TEST(SnapshotCompleteness, GuardedTypesKeepTheirSizes) { SUCCEED(); }

}  // namespace
}  // namespace mxemu::testing
