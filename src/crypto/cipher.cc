#include "crypto/cipher.h"

#include "base/secret.h"
#include "crypto/ossl.h"

namespace m2mrsp::crypto {
namespace {

using internal::CipherCtxPtr;
using internal::OpenSslError;

Result<Bytes> RunCipher(const EVP_CIPHER* cipher, ByteView key, ByteView iv, ByteView data,
                        bool encrypt, size_t block) {
  if (cipher == nullptr) return InternalError("cipher not available from the OpenSSL provider");
  if (data.size() % block != 0) {
    return InvalidArgument("data length " + std::to_string(data.size()) +
                           " is not a multiple of the " + std::to_string(block) +
                           "-byte block (no padding is applied)");
  }
  const int iv_len = EVP_CIPHER_get_iv_length(cipher);
  if (static_cast<size_t>(iv_len) != iv.size()) {
    return InvalidArgument("IV must be " + std::to_string(iv_len) + " bytes, got " +
                           std::to_string(iv.size()));
  }
  Bytes out(data.size());
  if (data.empty()) return out;
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int n1 = 0;
  int n2 = 0;
  if (!ctx ||
      EVP_CipherInit_ex2(ctx.get(), cipher, key.data(), iv.empty() ? nullptr : iv.data(),
                         encrypt ? 1 : 0, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1 ||
      EVP_CipherUpdate(ctx.get(), out.data(), &n1, data.data(), static_cast<int>(data.size())) !=
          1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + n1, &n2) != 1) {
    return OpenSslError("block cipher");
  }
  if (static_cast<size_t>(n1 + n2) != data.size()) return InternalError("cipher output length");
  return out;
}

Result<Bytes> Aes(ByteView key, ByteView iv, ByteView data, bool encrypt, bool cbc) {
  if (key.size() != 16 && key.size() != 24 && key.size() != 32) {
    return InvalidArgument("AES key must be 16, 24 or 32 bytes, got " + std::to_string(key.size()));
  }
  const EVP_CIPHER* c = cbc ? internal::AesCbc(key.size()) : internal::AesEcb(key.size());
  return RunCipher(c, key, iv, data, encrypt, kAesBlock);
}

// Expands an 8/16/24-byte DES key to the 24-byte three-key form.
Result<SecretBytes> ExpandDesKey(ByteView key) {
  SecretBytes k(24);
  switch (key.size()) {
    case 8:
      for (size_t i = 0; i < 3; ++i) std::copy(key.begin(), key.end(), k.data() + 8 * i);
      return k;
    case 16:
      std::copy(key.begin(), key.end(), k.data());
      std::copy(key.begin(), key.begin() + 8, k.data() + 16);
      return k;
    case 24:
      std::copy(key.begin(), key.end(), k.data());
      return k;
    default:
      return InvalidArgument("DES key must be 8, 16 or 24 bytes, got " +
                             std::to_string(key.size()));
  }
}

Result<Bytes> Des(ByteView key, ByteView iv, ByteView data, bool encrypt) {
  M2_ASSIGN_OR_RETURN(SecretBytes k, ExpandDesKey(key));
  return RunCipher(internal::DesEde3Cbc(), k.view(), iv, data, encrypt, kDesBlock);
}

}  // namespace

Result<Bytes> AesCbcEncrypt(ByteView key, ByteView iv, ByteView data) {
  return Aes(key, iv, data, true, true);
}
Result<Bytes> AesCbcDecrypt(ByteView key, ByteView iv, ByteView data) {
  return Aes(key, iv, data, false, true);
}
Result<Bytes> AesEcbEncrypt(ByteView key, ByteView data) { return Aes(key, {}, data, true, false); }
Result<Bytes> AesEcbDecrypt(ByteView key, ByteView data) {
  return Aes(key, {}, data, false, false);
}

Result<Bytes> DesCbcEncrypt(ByteView key, ByteView iv, ByteView data) {
  return Des(key, iv, data, true);
}
Result<Bytes> DesCbcDecrypt(ByteView key, ByteView iv, ByteView data) {
  return Des(key, iv, data, false);
}

Result<Bytes> DesCbcMac(ByteView key, ByteView data) {
  if (data.empty()) return InvalidArgument("CBC-MAC over empty data");
  const uint8_t zero_iv[kDesBlock] = {};
  M2_ASSIGN_OR_RETURN(Bytes ct, Des(key, ByteView(zero_iv, kDesBlock), data, true));
  return Bytes(ct.end() - kDesBlock, ct.end());
}

void AesEcbEncryptor::CtxDeleter::operator()(evp_cipher_ctx_st* ctx) const {
  EVP_CIPHER_CTX_free(ctx);
}

AesEcbEncryptor::AesEcbEncryptor(AesEcbEncryptor&&) noexcept = default;
AesEcbEncryptor& AesEcbEncryptor::operator=(AesEcbEncryptor&&) noexcept = default;
AesEcbEncryptor::~AesEcbEncryptor() = default;

Result<AesEcbEncryptor> AesEcbEncryptor::Create(ByteView key) {
  const EVP_CIPHER* c = internal::AesEcb(key.size());
  if (c == nullptr) {
    return InvalidArgument("AES key must be 16, 24 or 32 bytes, got " + std::to_string(key.size()));
  }
  std::unique_ptr<evp_cipher_ctx_st, CtxDeleter> ctx(EVP_CIPHER_CTX_new());
  if (!ctx || EVP_EncryptInit_ex2(ctx.get(), c, key.data(), nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return OpenSslError("AES-ECB key setup");
  }
  return AesEcbEncryptor(std::move(ctx));
}

Status AesEcbEncryptor::EncryptBlock(const uint8_t in[kAesBlock], uint8_t out[kAesBlock]) {
  int n = 0;
  if (EVP_EncryptUpdate(ctx_.get(), out, &n, in, static_cast<int>(kAesBlock)) != 1 ||
      n != static_cast<int>(kAesBlock)) {
    return OpenSslError("AES-ECB block");
  }
  return Status::Ok();
}

}  // namespace m2mrsp::crypto
