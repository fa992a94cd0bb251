// release_unused_stack (mock_server/worker_memory.h): a worker that served one deep request
// gives the stack pages below its current frame back to the kernel, and keeps working.
#include "worker_memory.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sys/mman.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <thread>
#include <vector>

namespace mxemu::testing {
namespace {

struct StackRange {
  std::uintptr_t low = 0;
  std::uintptr_t high = 0;  // exclusive; the caller's frame, less a margin
};

// The calling thread's stack from its lowest page up to 64 KB below this frame.
StackRange stack_below_here() {
  pthread_attr_t attr;
  EXPECT_EQ(pthread_getattr_np(pthread_self(), &attr), 0);
  void* base = nullptr;
  std::size_t size = 0;
  EXPECT_EQ(pthread_attr_getstack(&attr, &base, &size), 0);
  pthread_attr_destroy(&attr);
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  volatile char marker = 0;
  const auto here = reinterpret_cast<std::uintptr_t>(&marker);
  const auto low = reinterpret_cast<std::uintptr_t>(base);
  return {(low + page - 1) & ~(page - 1), (here - std::uintptr_t{64} * 1024) & ~(page - 1)};
}

std::size_t resident_pages(StackRange r) {
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> in_core((r.high - r.low) / page);
  // NOLINTNEXTLINE(performance-no-int-to-ptr): the stack's own addresses, from pthread.
  if (mincore(reinterpret_cast<void*>(r.low), r.high - r.low, in_core.data()) != 0) return 0;
  std::size_t n = 0;
  for (unsigned char c : in_core) n += c & 1U;
  return n;
}

// Touches about depth * 4 KB of stack below the caller, as a deep parse or regex match does.
std::size_t touch_stack(int depth) {
  std::array<volatile char, 4096> frame{};
  for (std::size_t i = 0; i < frame.size(); i += 512) frame[i] = static_cast<char>(depth);
  const auto slot = static_cast<std::size_t>(depth % 8) * 512;
  return depth == 0 ? frame[0] : frame[slot] + touch_stack(depth - 1);
}

TEST(WorkerMemory, AReleasedStackKeepsNoPagesBelowTheCurrentFrame) {
  std::size_t touched = 0;
  std::size_t after = 0;
  std::size_t again = 0;
  std::thread worker([&] {
    const StackRange below = stack_below_here();
    touch_stack(256);  // 1 MB
    touched = resident_pages(below);
    release_unused_stack();
    after = resident_pages(below);
    touch_stack(256);  // the released pages come back as fresh zero pages
    again = resident_pages(below);
  });
  worker.join();
  EXPECT_GE(touched, 200U);
  EXPECT_LE(after, 2U);
  EXPECT_GE(again, 200U);
}

}  // namespace
}  // namespace mxemu::testing
