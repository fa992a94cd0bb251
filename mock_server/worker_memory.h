#pragma once

// What an HTTP pool worker gives back to the kernel between connections
// (ServerOptions::after_connection, set by main). Linux only; the server binary's, not a layer's.
namespace mxemu {

// Gives back the pages of the calling thread's stack below its current frame (worker_memory.cpp).
void release_unused_stack();

#ifdef MXEMU_JEMALLOC
// Gives the calling thread's allocator cache back, its cached blocks and its own arrays
// (jemalloc_conf.cpp): the thread allocates uncached until resume_thread_cache.
void release_thread_cache();
void resume_thread_cache();
// Lets the arenas give back the pages freed since their last purge that their decay time says
// are due. jemalloc purges only when an arena allocates, so after a burst an idle server would
// keep its freed pages (up to 25 MB after the bench's loads) until its next request; main's
// ticker calls this once a second.
void decay_freed_pages();
#endif

}  // namespace mxemu
