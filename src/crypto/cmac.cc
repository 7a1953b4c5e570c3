#include "crypto/cmac.h"

#include "crypto/ossl.h"

namespace m2mrsp::crypto {

void Cmac::CtxDeleter::operator()(evp_mac_ctx_st* ctx) const { EVP_MAC_CTX_free(ctx); }

Cmac::Cmac(Cmac&&) noexcept = default;
Cmac& Cmac::operator=(Cmac&&) noexcept = default;
Cmac::~Cmac() = default;

Result<Cmac> Cmac::Create(ByteView key) {
  const char* cipher = key.size() == 16   ? "AES-128-CBC"
                       : key.size() == 24 ? "AES-192-CBC"
                       : key.size() == 32 ? "AES-256-CBC"
                                          : nullptr;
  if (cipher == nullptr) {
    return InvalidArgument("AES-CMAC key must be 16, 24 or 32 bytes, got " +
                           std::to_string(key.size()));
  }
  EVP_MAC* mac = internal::CmacAlgorithm();
  if (mac == nullptr) return internal::OpenSslError("CMAC not available");
  std::unique_ptr<evp_mac_ctx_st, CtxDeleter> ctx(EVP_MAC_CTX_new(mac));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string("cipher", const_cast<char*>(cipher), 0),
      OSSL_PARAM_construct_end(),
  };
  if (!ctx || EVP_MAC_init(ctx.get(), key.data(), key.size(), params) != 1) {
    return internal::OpenSslError("CMAC key setup");
  }
  return Cmac(std::move(ctx));
}

Status Cmac::Compute(std::initializer_list<ByteView> parts, uint8_t out[kCmacSize]) {
  // Re-initialising with a null key starts a new message under the same key (OpenSSL 3 CMAC).
  if (EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) != 1) {
    return internal::OpenSslError("CMAC init");
  }
  for (ByteView p : parts) {
    if (!p.empty() && EVP_MAC_update(ctx_.get(), p.data(), p.size()) != 1) {
      return internal::OpenSslError("CMAC update");
    }
  }
  size_t n = 0;
  if (EVP_MAC_final(ctx_.get(), out, &n, kCmacSize) != 1 || n != kCmacSize) {
    return internal::OpenSslError("CMAC final");
  }
  return Status::Ok();
}

Result<Bytes> Cmac::Compute(ByteView data) {
  Bytes out(kCmacSize);
  M2_RETURN_IF_ERROR(Compute({data}, out.data()));
  return out;
}

Result<Bytes> AesCmac(ByteView key, ByteView data) {
  M2_ASSIGN_OR_RETURN(Cmac cmac, Cmac::Create(key));
  return cmac.Compute(data);
}

}  // namespace m2mrsp::crypto
