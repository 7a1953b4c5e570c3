#include "crypto/secure_random.h"

#include <openssl/rand.h>

#include <climits>

#include "crypto/ossl.h"

namespace m2mrsp::crypto {

Status SecureRandom::Fill(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    const size_t n = std::min<size_t>(out.size() - done, INT_MAX);
    if (RAND_priv_bytes(out.data() + done, static_cast<int>(n)) != 1) {
      return internal::OpenSslError("random generator");
    }
    done += n;
  }
  return Status::Ok();
}

SecureRandom& SecureRandom::Instance() {
  static SecureRandom instance;
  return instance;
}

}  // namespace m2mrsp::crypto
