// Clock: the one seam through which code reads time, so tests and simulations run on a fake
// clock (ValidityPeriod expiry, notification timeouts, retry back-off).
//
// Now() is wall-clock UTC (for timestamps that leave the process: SOAP ProcessingStart, audit
// trail); Monotonic() only moves forward (for deadlines and timeouts).
// SystemClock is stateless and thread-safe. FakeClock is thread-safe (atomic fields).
#pragma once

#include <atomic>
#include <chrono>

namespace m2mrsp {

class Clock {
 public:
  using WallTime = std::chrono::system_clock::time_point;
  using MonoTime = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  virtual WallTime Now() const = 0;
  virtual MonoTime Monotonic() const = 0;
};

class SystemClock final : public Clock {
 public:
  WallTime Now() const override { return std::chrono::system_clock::now(); }
  MonoTime Monotonic() const override { return std::chrono::steady_clock::now(); }
  // A process-wide instance.
  static const SystemClock& Instance();
};

// A clock that moves only when told. Both views advance together.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(WallTime start = WallTime(std::chrono::seconds(1'700'000'000)))
      : wall_ns_(start.time_since_epoch().count()) {}

  WallTime Now() const override { return WallTime(WallTime::duration(wall_ns_.load())); }
  MonoTime Monotonic() const override { return MonoTime(MonoTime::duration(mono_ns_.load())); }

  void Advance(std::chrono::nanoseconds d) {
    wall_ns_ += std::chrono::duration_cast<WallTime::duration>(d).count();
    mono_ns_ += std::chrono::duration_cast<MonoTime::duration>(d).count();
  }
  // Moves wall time only (e.g. an NTP step); monotonic time is unaffected.
  void SetWallTime(WallTime t) { wall_ns_ = t.time_since_epoch().count(); }

 private:
  std::atomic<WallTime::rep> wall_ns_;
  std::atomic<MonoTime::rep> mono_ns_{0};
};

}  // namespace m2mrsp
