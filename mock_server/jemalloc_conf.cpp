// jemalloc's start-up options for the mxemu server (linked only when MXEMU_JEMALLOC is on).
//
// jemalloc reads this symbol before the first allocation; MALLOC_CONF in the environment still
// overrides it. Why these values (docs/benchmarks.md, "Allocator"):
//  - narenas:2 — 256 pool threads each get a thread cache; two arenas behind the caches hold
//    RSS near glibc's two-arena figure (records outlive their requests, so many arenas each keep
//    fragments of them) without bringing back glibc's allocator lock.
//  - dirty_decay_ms:1000, muzzy_decay_ms:0 — pages freed after a burst (a member's ~900
//    generated transactions, a deleted tenant) go back to the kernel within a second.
#include <cstddef>

#include "worker_memory.h"

extern "C" {
// jemalloc's control interface (Debian builds it without a symbol prefix).
int mallctl(const char* name, void* oldp, std::size_t* oldlenp, void* newp, std::size_t newlen);

// NOLINTNEXTLINE(readability-identifier-naming): the name jemalloc looks up.
extern const char* const malloc_conf;
const char* const malloc_conf = "narenas:2,dirty_decay_ms:1000,muzzy_decay_ms:0";
}

namespace mxemu {
namespace {

void set_thread_cache(bool enabled) {
  mallctl("thread.tcache.enabled", nullptr, nullptr, &enabled, sizeof(enabled));
}

}  // namespace

// Turning a thread's cache off destroys it: its cached blocks go back to their arena, where
// freed pages decay back to the kernel, and so do the cache's own arrays (~29 KB a thread, which
// a flush keeps: 7 MB of jemalloc's metadata across 256 idle workers). Turning it on again
// makes a fresh one, once per connection (ServerOptions::before_connection/after_connection).
void release_thread_cache() { set_thread_cache(false); }
void resume_thread_cache() { set_thread_cache(true); }

// 4096 is MALLCTL_ARENAS_ALL: every arena.
void decay_freed_pages() { mallctl("arena.4096.decay", nullptr, nullptr, nullptr, 0); }

}  // namespace mxemu
