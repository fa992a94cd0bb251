// WorkerPool: workers start as tasks need them, up to the bound; what exceeds it waits; hooks
// run around each task on its worker; shutdown runs what is queued. Tasks block on latches the
// test opens, so every check is made at a point the pool cannot move past; nothing sleeps.
#include "http/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mxemu::http {
namespace {

// Counts tasks that started, and holds each one until released.
class Gate {
 public:
  std::function<void()> task() {
    return [this] {
      std::unique_lock<std::mutex> lock(mutex_);
      ++started_;
      changed_.notify_all();
      changed_.wait(lock, [this] { return released_ > 0; });
      --released_;
      ++finished_;
      changed_.notify_all();
    };
  }
  void wait_started(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return started_ >= n; });
  }
  void wait_finished(int n) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return finished_ >= n; });
  }
  void release(int n) {
    std::lock_guard<std::mutex> lock(mutex_);
    released_ += n;
    changed_.notify_all();
  }
  int started() {
    std::lock_guard<std::mutex> lock(mutex_);
    return started_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int started_ = 0;
  int finished_ = 0;
  int released_ = 0;
};

TEST(WorkerPool, StartsNoWorkerBeforeItsFirstTask) {
  WorkerPool pool(256, nullptr, nullptr);
  EXPECT_EQ(pool.threads(), 0U);
  Gate gate;
  pool.enqueue(gate.task());
  gate.wait_started(1);
  EXPECT_EQ(pool.threads(), 1U);
  gate.release(1);
  pool.shutdown();
}

TEST(WorkerPool, EachConcurrentTaskGetsItsOwnWorkerUpToTheBound) {
  WorkerPool pool(3, nullptr, nullptr);
  Gate gate;
  for (int i = 0; i < 5; ++i) pool.enqueue(gate.task());
  gate.wait_started(3);
  EXPECT_EQ(pool.threads(), 3U);
  EXPECT_EQ(gate.started(), 3);  // the other two wait: every worker is held
  gate.release(1);
  gate.wait_started(4);  // a freed worker takes the next queued task
  gate.release(1);
  gate.wait_started(5);
  EXPECT_EQ(pool.threads(), 3U);
  gate.release(3);
  gate.wait_finished(5);
  pool.shutdown();
}

TEST(WorkerPool, HooksRunAroundEachTaskOnItsWorker) {
  std::mutex mutex;
  std::vector<std::string> trace;
  auto note = [&](const std::string& what) {
    std::lock_guard<std::mutex> lock(mutex);
    trace.push_back(what);
  };
  std::thread::id before_on, task_on, after_on;
  {
    WorkerPool pool(
        4,
        [&] {
          before_on = std::this_thread::get_id();
          note("before");
        },
        [&] {
          after_on = std::this_thread::get_id();
          note("after");
        });
    pool.enqueue([&] {
      task_on = std::this_thread::get_id();
      note("task");
    });
    pool.shutdown();
  }
  EXPECT_EQ(trace, (std::vector<std::string>{"before", "task", "after"}));
  EXPECT_EQ(before_on, task_on);
  EXPECT_EQ(after_on, task_on);
}

TEST(WorkerPool, ShutdownRunsWhatIsQueuedThenJoins) {
  WorkerPool pool(1, nullptr, nullptr);
  Gate gate;
  std::atomic<int> ran{0};
  pool.enqueue(gate.task());
  for (int i = 0; i < 10; ++i) pool.enqueue([&] { ++ran; });
  gate.wait_started(1);
  gate.release(1);
  pool.shutdown();  // returns once the queue is empty and the worker has left
  EXPECT_EQ(ran.load(), 10);
  EXPECT_EQ(pool.threads(), 0U);
}

}  // namespace
}  // namespace mxemu::http
