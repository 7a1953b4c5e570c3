// AES-CMAC (NIST SP 800-38B, RFC 4493): the MAC of SCP03, SCP03t, SCP80 (KID `x2`) and of the
// key-establishment receipt.
//
// AesCmac() is the one-shot form. Cmac keeps a keyed OpenSSL context so repeated MACs under one
// key (a secure-channel session, a KDF loop) skip the key schedule; one instance is not
// thread-safe, use one per session/thread.
#pragma once

#include <memory>

#include "base/bytes.h"
#include "base/status.h"

struct evp_mac_ctx_st;

namespace m2mrsp::crypto {

constexpr size_t kCmacSize = 16;

// key: 16, 24 or 32 bytes. Returns the full 16-byte tag (callers truncate as their protocol says).
Result<Bytes> AesCmac(ByteView key, ByteView data);

class Cmac {
 public:
  static Result<Cmac> Create(ByteView key);
  Cmac(Cmac&&) noexcept;
  Cmac& operator=(Cmac&&) noexcept;
  ~Cmac();

  // MAC of the concatenation of `parts` (saves callers building MCV ‖ header ‖ data buffers).
  Status Compute(std::initializer_list<ByteView> parts, uint8_t out[kCmacSize]);
  Result<Bytes> Compute(ByteView data);

 private:
  struct CtxDeleter {
    void operator()(evp_mac_ctx_st* ctx) const;
  };
  explicit Cmac(std::unique_ptr<evp_mac_ctx_st, CtxDeleter> ctx) : ctx_(std::move(ctx)) {}
  std::unique_ptr<evp_mac_ctx_st, CtxDeleter> ctx_;
};

}  // namespace m2mrsp::crypto
