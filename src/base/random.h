// Random: the one seam through which code obtains random bytes (challenges, ephemeral keys,
// MessageIDs, TAR selection), so tests can script them.
//
// The production implementation for key material is crypto's SecureRandom (OpenSSL DRBG).
// Here: ScriptedRandom, which hands out pre-set bytes (for reproducing traces such as a host
// challenge from a real-card log) and fails loudly when the script runs out. Not for
// production use. Implementations document their own thread-safety.
#pragma once

#include <mutex>

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` completely or returns an error (and then `out` must not be used).
  virtual Status Fill(std::span<uint8_t> out) = 0;

  Result<Bytes> Generate(size_t n) {
    Bytes b(n);
    M2_RETURN_IF_ERROR(Fill(std::span<uint8_t>(b.data(), b.size())));
    return b;
  }
};

// Hands out the concatenation of the scripted chunks, in order. Thread-safe.
class ScriptedRandom final : public Random {
 public:
  explicit ScriptedRandom(Bytes script) : script_(std::move(script)) {}
  Status Fill(std::span<uint8_t> out) override;
  size_t remaining() const;

 private:
  mutable std::mutex mu_;
  Bytes script_;
  size_t pos_ = 0;
};

}  // namespace m2mrsp
