#include "base/clock.h"

namespace m2mrsp {

const SystemClock& SystemClock::Instance() {
  static const SystemClock clock;
  return clock;
}

}  // namespace m2mrsp
