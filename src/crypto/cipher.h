// Block ciphers without padding: AES-128/192/256 in CBC and ECB, and DES/3DES in CBC, plus the
// DES CBC-MAC of ETSI TS 102 225 §5.1.2 (cryptographic checksum for KID algorithms `x1`/`x5`/
// `x9`). Padding is the protocols' business (SCP03 `80 00..`, SCP80 zero padding with a
// padding counter), so data must already be a whole number of blocks.
//
// Keys are borrowed views (pass SecretBytes::view()); OpenSSL wipes its internal copies.
// Stateless functions; thread-safe. AesEcbEncryptor keeps a keyed context for many blocks
// (MILENAGE kernel, SCP03 ICVs) and is not thread-safe itself.
#pragma once

#include <array>
#include <memory>

#include "base/bytes.h"
#include "base/status.h"

struct evp_cipher_ctx_st;

namespace m2mrsp::crypto {

constexpr size_t kAesBlock = 16;
constexpr size_t kDesBlock = 8;

// key: 16, 24 or 32 bytes; iv: 16 bytes; data: a multiple of 16 bytes (may be empty).
Result<Bytes> AesCbcEncrypt(ByteView key, ByteView iv, ByteView data);
Result<Bytes> AesCbcDecrypt(ByteView key, ByteView iv, ByteView data);
Result<Bytes> AesEcbEncrypt(ByteView key, ByteView data);
Result<Bytes> AesEcbDecrypt(ByteView key, ByteView data);

// key: 8 bytes (single DES), 16 bytes (two-key 3DES, K1 K2 K1) or 24 bytes (three-key 3DES);
// iv: 8 bytes; data: a multiple of 8 bytes. Single DES runs as 3DES with K1 = K2 = K3, which is
// the same permutation and needs no OpenSSL legacy provider.
Result<Bytes> DesCbcEncrypt(ByteView key, ByteView iv, ByteView data);
Result<Bytes> DesCbcDecrypt(ByteView key, ByteView iv, ByteView data);
// Last 8-byte block of DesCbcEncrypt with a zero IV. data: a non-empty multiple of 8 bytes.
Result<Bytes> DesCbcMac(ByteView key, ByteView data);

class AesEcbEncryptor {
 public:
  static Result<AesEcbEncryptor> Create(ByteView key);
  AesEcbEncryptor(AesEcbEncryptor&&) noexcept;
  AesEcbEncryptor& operator=(AesEcbEncryptor&&) noexcept;
  ~AesEcbEncryptor();

  // One block. Fails only if OpenSSL does.
  Status EncryptBlock(const uint8_t in[kAesBlock], uint8_t out[kAesBlock]);

 private:
  struct CtxDeleter {
    void operator()(evp_cipher_ctx_st* ctx) const;
  };
  explicit AesEcbEncryptor(std::unique_ptr<evp_cipher_ctx_st, CtxDeleter> ctx)
      : ctx_(std::move(ctx)) {}
  std::unique_ptr<evp_cipher_ctx_st, CtxDeleter> ctx_;
};

}  // namespace m2mrsp::crypto
