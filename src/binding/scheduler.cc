#include "binding/scheduler.h"

#include <condition_variable>
#include <map>
#include <mutex>

namespace m2mrsp::binding {

struct Scheduler::State {
  std::mutex mu;
  std::condition_variable cv;
  std::multimap<TimePoint, std::function<void()>> tasks;
  bool stopped = false;

  void Run() {
    std::unique_lock lock(mu);
    while (!stopped) {
      if (tasks.empty()) {
        cv.wait(lock);
        continue;
      }
      const TimePoint due = tasks.begin()->first;
      if (std::chrono::steady_clock::now() < due) {
        cv.wait_until(lock, due);
        continue;
      }
      std::function<void()> task = std::move(tasks.begin()->second);
      tasks.erase(tasks.begin());
      lock.unlock();
      task();
      task = nullptr;  // release captures before re-locking
      lock.lock();
    }
  }
};

Scheduler::Scheduler() : state_(std::make_shared<State>()) {
  thread_ = std::thread([state = state_] { state->Run(); });
}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::At(TimePoint when, std::function<void()> task) {
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopped) return;
    state_->tasks.emplace(when, std::move(task));
  }
  state_->cv.notify_one();
}

void Scheduler::After(std::chrono::milliseconds delay, std::function<void()> task) {
  At(std::chrono::steady_clock::now() + delay, std::move(task));
}

void Scheduler::Stop() {
  std::multimap<TimePoint, std::function<void()>> dropped;
  {
    std::lock_guard lock(state_->mu);
    state_->stopped = true;
    dropped.swap(state_->tasks);
  }
  state_->cv.notify_one();
  dropped.clear();  // outside the lock: captures may own things whose destructors schedule
  if (!thread_.joinable()) return;
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();  // a task is destroying us; the thread keeps `state_` alive and exits
  } else {
    thread_.join();
  }
}

}  // namespace m2mrsp::binding
