// WorkerPool: a fixed number of threads running queued tasks, with a bounded queue, so that ES
// handlers that block (database, OTA waits) never run on the HTTP server's I/O threads and a
// burst of requests is refused (HTTP 503) instead of queued without bound.
// Thread-safe. The destructor (or Stop()) stops accepting, runs what is already queued, and
// joins the threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace m2mrsp::binding {

class WorkerPool {
 public:
  // REQUIRES: threads >= 1, max_queued >= 1 (smaller values are raised to 1).
  WorkerPool(size_t threads, size_t max_queued);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False when the queue is full or the pool stopped. `beyond_bound` admits the task even when
  // the queue is full (work already accepted elsewhere, e.g. completing a pending call; its count
  // is bounded by its owner's table).
  bool TrySubmit(std::function<void()> task, bool beyond_bound = false);
  void Stop();

 private:
  void Run();

  const size_t max_queued_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopped_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace m2mrsp::binding
