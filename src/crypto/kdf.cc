#include "crypto/kdf.h"

#include <algorithm>
#include <cstring>

#include "crypto/cmac.h"
#include "crypto/ossl.h"

namespace m2mrsp::crypto {

Result<SecretBytes> X963KdfSha256(ByteView shared_secret, ByteView shared_info, size_t out_len) {
  if (shared_secret.empty()) return InvalidArgument("X9.63 KDF: empty shared secret");
  if (out_len == 0 || out_len > (size_t{32} << 16)) {
    return InvalidArgument("X9.63 KDF: output length out of range");
  }
  EVP_KDF* kdf = internal::X963KdfAlgorithm();
  if (kdf == nullptr) return internal::OpenSslError("X963KDF not available");
  internal::KdfCtxPtr ctx(EVP_KDF_CTX_new(kdf));
  if (!ctx) return internal::OpenSslError("X963KDF context");
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string("digest", const_cast<char*>("SHA256"), 0),
      OSSL_PARAM_construct_octet_string("key", const_cast<uint8_t*>(shared_secret.data()),
                                        shared_secret.size()),
      OSSL_PARAM_construct_octet_string("info", const_cast<uint8_t*>(shared_info.data()),
                                        shared_info.size()),
      OSSL_PARAM_construct_end(),
  };
  SecretBytes out(out_len);
  if (EVP_KDF_derive(ctx.get(), out.data(), out_len, params) != 1) {
    return internal::OpenSslError("X9.63 KDF");
  }
  return out;
}

Result<SecretBytes> Scp03Kdf(ByteView key, Scp03Derivation constant, ByteView context,
                             size_t out_bits) {
  if (out_bits == 0 || out_bits % 8 != 0 || out_bits > 255 * 128) {
    return InvalidArgument(
        "SCP03 KDF: output length must be a multiple of 8 bits, at most 255 blocks");
  }
  M2_ASSIGN_OR_RETURN(Cmac cmac, Cmac::Create(key));
  // Fixed input before the context: label (11 zero bytes + constant), separator 00, L, counter.
  uint8_t head[16] = {};
  head[11] = static_cast<uint8_t>(constant);
  head[12] = 0x00;
  head[13] = static_cast<uint8_t>(out_bits >> 8);
  head[14] = static_cast<uint8_t>(out_bits);
  const size_t out_len = out_bits / 8;
  SecretBytes out(out_len);
  SecretBytes block(kCmacSize);  // wiped on every return path
  for (size_t done = 0, i = 1; done < out_len; ++i) {
    head[15] = static_cast<uint8_t>(i);
    M2_RETURN_IF_ERROR(cmac.Compute({ByteView(head, sizeof head), context}, block.data()));
    const size_t n = std::min(kCmacSize, out_len - done);
    std::memcpy(out.data() + done, block.data(), n);
    done += n;
  }
  return out;
}

}  // namespace m2mrsp::crypto
