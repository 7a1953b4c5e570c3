// Scheduler: one thread that runs tasks at a steady-clock time point (callback delivery
// back-off, expiry of pending asynchronous calls). Tasks must be quick and must not block: they
// start I/O (HttpClient::SendAsync) or complete a call. Thread-safe. Stop() (and the destructor)
// drops tasks not yet due; a dropped task's owner learns of it through its own shutdown path
// (Deliverer and PendingCalls report what they still hold).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <thread>

namespace m2mrsp::binding {

class Scheduler {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  Scheduler();
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Ignored after Stop().
  void At(TimePoint when, std::function<void()> task);
  void After(std::chrono::milliseconds delay, std::function<void()> task);
  void Stop();

 private:
  struct State;  // shared with the thread, so a task may destroy the Scheduler that runs it
  std::shared_ptr<State> state_;
  std::thread thread_;
};

}  // namespace m2mrsp::binding
