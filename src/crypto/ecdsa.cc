// ECDSA-SHA256 and ECDH on top of the keys of ec.h.
#include <openssl/core_names.h>
#include <openssl/err.h>

#include "crypto/ec.h"
#include "crypto/ossl.h"

namespace m2mrsp::crypto {
namespace {

using internal::BnPtr;
using internal::EcdsaSigPtr;
using internal::MdCtxPtr;
using internal::OpenSslError;
using internal::PkeyCtxPtr;

Status Malformed(std::string why) {
  ERR_clear_error();
  return InvalidArgument("malformed ECDSA signature: " + why);
}

}  // namespace

Result<Bytes> EcdsaDerToRaw(ByteView der) {
  const unsigned char* p = der.data();
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) return Malformed("not a DER ECDSA-Sig-Value");
  if (p != der.data() + der.size()) return Malformed("trailing bytes");
  unsigned char* reencoded = nullptr;
  const int n = i2d_ECDSA_SIG(sig.get(), &reencoded);
  const bool canonical =
      n == static_cast<int>(der.size()) && std::equal(der.begin(), der.end(), reencoded);
  OPENSSL_free(reencoded);
  if (!canonical) return Malformed("non-canonical DER");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  if (BN_is_negative(r) || BN_is_negative(s) || BN_num_bytes(r) > static_cast<int>(kFieldSize) ||
      BN_num_bytes(s) > static_cast<int>(kFieldSize)) {
    return Malformed("r or s longer than 32 bytes");
  }
  Bytes out(kRawSignatureSize);
  BN_bn2binpad(r, out.data(), kFieldSize);
  BN_bn2binpad(s, out.data() + kFieldSize, kFieldSize);
  return out;
}

Result<Bytes> EcdsaRawToDer(ByteView raw) {
  if (raw.size() != kRawSignatureSize) {
    return Malformed("r || s must be 64 bytes, got " + std::to_string(raw.size()));
  }
  BnPtr r(BN_bin2bn(raw.data(), kFieldSize, nullptr));
  BnPtr s(BN_bin2bn(raw.data() + kFieldSize, kFieldSize, nullptr));
  EcdsaSigPtr sig(ECDSA_SIG_new());
  if (!r || !s || !sig || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) {
    return OpenSslError("ECDSA signature");
  }
  r.release();  // owned by sig now
  s.release();
  unsigned char* buf = nullptr;
  const int n = i2d_ECDSA_SIG(sig.get(), &buf);
  if (n <= 0) return OpenSslError("ECDSA signature encoding");
  Bytes out(buf, buf + n);
  OPENSSL_free(buf);
  return out;
}

Result<Bytes> EcdsaSignDer(const EcPrivateKey& key, ByteView message) {
  MdCtxPtr md(EVP_MD_CTX_new());
  size_t len = 0;
  if (!md ||
      EVP_DigestSignInit_ex(md.get(), nullptr, "SHA256", nullptr, nullptr, key.handle(), nullptr) !=
          1 ||
      EVP_DigestSign(md.get(), nullptr, &len, message.data(), message.size()) != 1) {
    return OpenSslError("ECDSA sign");
  }
  Bytes sig(len);
  if (EVP_DigestSign(md.get(), sig.data(), &len, message.data(), message.size()) != 1) {
    return OpenSslError("ECDSA sign");
  }
  sig.resize(len);
  return sig;
}

Result<Bytes> EcdsaSignRaw(const EcPrivateKey& key, ByteView message) {
  M2_ASSIGN_OR_RETURN(Bytes der, EcdsaSignDer(key, message));
  return EcdsaDerToRaw(der);
}

Status EcdsaVerifyDer(const EcPublicKey& key, ByteView message, ByteView signature) {
  // Refuse malformed or non-canonical encodings before OpenSSL sees them.
  M2_RETURN_IF_ERROR(EcdsaDerToRaw(signature).status());
  MdCtxPtr md(EVP_MD_CTX_new());
  if (!md || EVP_DigestVerifyInit_ex(md.get(), nullptr, "SHA256", nullptr, nullptr, key.handle(),
                                     nullptr) != 1) {
    return OpenSslError("ECDSA verify");
  }
  const int rc = EVP_DigestVerify(md.get(), signature.data(), signature.size(), message.data(),
                                  message.size());
  ERR_clear_error();
  if (rc != 1) return SecurityError("ECDSA signature does not verify");
  return Status::Ok();
}

Status EcdsaVerifyRaw(const EcPublicKey& key, ByteView message, ByteView signature) {
  M2_ASSIGN_OR_RETURN(Bytes der, EcdsaRawToDer(signature));
  return EcdsaVerifyDer(key, message, der);
}

Result<SecretBytes> Ecdh(const EcPrivateKey& own, const EcPublicKey& peer) {
  if (own.curve() != peer.curve()) {
    return InvalidArgument("ECDH: own key on " + std::string(CurveName(own.curve())) +
                           ", peer key on " + std::string(CurveName(peer.curve())));
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own.handle(), nullptr));
  size_t len = 0;
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 ||
      EVP_PKEY_derive_set_peer_ex(ctx.get(), peer.handle(), 1) != 1 ||
      EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1 || len != kFieldSize) {
    return OpenSslError("ECDH");
  }
  SecretBytes shared(len);
  if (EVP_PKEY_derive(ctx.get(), shared.data(), &len) != 1 || len != kFieldSize) {
    return OpenSslError("ECDH");
  }
  return shared;
}

}  // namespace m2mrsp::crypto
