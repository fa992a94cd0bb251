// What a pool worker gives back when its connection closes (ServerOptions::after_connection,
// set by main): the pages of its stack that the connection's deepest request touched.
#include "worker_memory.h"

#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

namespace mxemu {

// Below the current frame the calling thread's stack holds nothing live. A deep request (a
// large JSON body parsed, a long path matched by std::regex, ~570 bytes of stack per path byte)
// leaves pages there that the thread would keep for its whole life, in each of up to 256
// workers. MADV_DONTNEED gives them back; a later touch maps a fresh zero page. The margin keeps
// the page under madvise's own frame.
void release_unused_stack() {
  pthread_attr_t attr;
  if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
  void* base = nullptr;
  std::size_t size = 0;
  const int rc = pthread_attr_getstack(&attr, &base, &size);
  pthread_attr_destroy(&attr);
  if (rc != 0 || base == nullptr) return;
  const long page_size = sysconf(_SC_PAGESIZE);
  if (page_size <= 0) return;
  const auto page = static_cast<std::uintptr_t>(page_size);
  constexpr std::uintptr_t kMargin = std::uintptr_t{8} * 1024;
  const auto low = reinterpret_cast<std::uintptr_t>(base);
  volatile char marker = 0;
  const auto here = reinterpret_cast<std::uintptr_t>(&marker);
  if (here < low || here - low <= kMargin + page) return;
  const std::uintptr_t start = (low + page - 1) & ~(page - 1);
  const std::uintptr_t end = (here - kMargin) & ~(page - 1);
  // NOLINTNEXTLINE(performance-no-int-to-ptr): the stack's own addresses, from pthread.
  if (end > start) madvise(reinterpret_cast<void*>(start), end - start, MADV_DONTNEED);
}

}  // namespace mxemu
