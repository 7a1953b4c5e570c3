#include "base/random.h"

#include <algorithm>

namespace m2mrsp {

Status ScriptedRandom::Fill(std::span<uint8_t> out) {
  std::lock_guard<std::mutex> lock(mu_);
  if (script_.size() - pos_ < out.size()) {
    return Status::Error(ErrorKind::kFailedPrecondition,
                         "ScriptedRandom: script exhausted (" + std::to_string(out.size()) +
                             " bytes asked, " + std::to_string(script_.size() - pos_) + " left)");
  }
  std::copy_n(script_.begin() + static_cast<std::ptrdiff_t>(pos_), out.size(), out.begin());
  pos_ += out.size();
  return Status::Ok();
}

size_t ScriptedRandom::remaining() const {
  std::lock_guard<std::mutex> lock(mu_);
  return script_.size() - pos_;
}

}  // namespace m2mrsp
