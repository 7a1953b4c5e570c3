#include "crypto/hash.h"

#include "crypto/ossl.h"

namespace m2mrsp::crypto {

Result<Bytes> Sha256(ByteView data) {
  const EVP_MD* md = internal::Sha256();
  if (md == nullptr) return internal::OpenSslError("SHA-256 not available");
  Bytes out(kSha256Size);
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, md, nullptr) != 1 || n != kSha256Size) {
    return internal::OpenSslError("SHA-256");
  }
  return out;
}

}  // namespace m2mrsp::crypto
