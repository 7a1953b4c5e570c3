// SHA-256 (FIPS 180-4). Stateless; thread-safe.
#pragma once

#include "base/bytes.h"
#include "base/status.h"

namespace m2mrsp::crypto {

constexpr size_t kSha256Size = 32;

Result<Bytes> Sha256(ByteView data);

}  // namespace m2mrsp::crypto
