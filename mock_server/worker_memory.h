#pragma once

// What an HTTP pool worker gives back to the kernel between connections
// (ServerOptions::after_connection, set by main). Linux only; the server binary's, not a layer's.
namespace mxemu {

// Gives back the pages of the calling thread's stack below its current frame (worker_memory.cpp).
void release_unused_stack();

#ifdef MXEMU_JEMALLOC
// Gives the calling thread's cached blocks back to their arena (jemalloc_conf.cpp).
void release_thread_cache();
#endif

}  // namespace mxemu
