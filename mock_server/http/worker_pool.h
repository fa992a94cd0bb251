#pragma once

#include <httplib.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

// Internal to mxemu_http (includes httplib.h: only .cpp files of http/ include this header).
namespace mxemu::http {

// The server's workers: at most `max_threads`, each started when a connection first needs it.
// httplib's ThreadPool starts all of them in its constructor, and 256 threads were most of
// mxemu's start-up (docs/benchmarks.md) and an idle stack each for a server that serves two
// clients. A task (one connection, served to its end) goes to an idle worker; when none is idle
// and fewer than `max_threads` run, a new worker starts for it; otherwise it waits in the
// queue, as with httplib. Workers stay until shutdown(), which runs what is queued, then joins.
//
// `before` and `after` (optional) run on the worker around each task.
// Thread safety: enqueue() from any thread; shutdown() once, after the last enqueue().
class WorkerPool final : public httplib::TaskQueue {
 public:
  WorkerPool(std::size_t max_threads, std::function<void()> before, std::function<void()> after);
  ~WorkerPool() override;
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  void enqueue(std::function<void()> task) override;
  void shutdown() override;

  // Workers started so far.
  std::size_t threads() const;

 private:
  void work();

  const std::size_t max_threads_;
  const std::function<void()> before_;
  const std::function<void()> after_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::function<void()>> tasks_;
  std::vector<std::thread> threads_;
  std::size_t idle_ = 0;  // workers waiting for a task
  bool stopping_ = false;
};

}  // namespace mxemu::http
