// SecureRandom: the production Random, backed by OpenSSL's DRBG (RAND_priv_bytes, seeded from
// the OS). Thread-safe; use SecureRandom::Instance().
#pragma once

#include "base/random.h"

namespace m2mrsp::crypto {

class SecureRandom final : public Random {
 public:
  Status Fill(std::span<uint8_t> out) override;
  static SecureRandom& Instance();
};

}  // namespace m2mrsp::crypto
