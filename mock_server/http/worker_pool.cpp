#include "http/worker_pool.h"

#include <algorithm>
#include <utility>

namespace mxemu::http {

WorkerPool::WorkerPool(std::size_t max_threads, std::function<void()> before,
                       std::function<void()> after)
    : max_threads_(std::max<std::size_t>(max_threads, 1)),
      before_(std::move(before)),
      after_(std::move(after)) {}

WorkerPool::~WorkerPool() { shutdown(); }

void WorkerPool::enqueue(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (stopping_) return;  // httplib enqueues nothing after shutdown()
  tasks_.push_back(std::move(task));
  // A worker that is woken claims one task, so more queued tasks than idle workers means one
  // more worker is needed (while the bound allows).
  if (tasks_.size() > idle_ && threads_.size() < max_threads_) {
    threads_.emplace_back([this] { work(); });
  } else {
    ready_.notify_one();
  }
}

void WorkerPool::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  ready_.notify_all();
  for (auto& t : threads) t.join();
}

std::size_t WorkerPool::threads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return threads_.size();
}

void WorkerPool::work() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      ++idle_;
      ready_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      --idle_;
      if (tasks_.empty()) return;  // stopping, and nothing is left to run
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    if (before_) before_();
    task();
    if (after_) after_();
  }
}

}  // namespace mxemu::http
