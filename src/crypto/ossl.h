// Internal to the crypto library: owning handles for OpenSSL objects and error reporting.
// No other library includes OpenSSL headers (DESIGN.md §2); this header is not installed and is
// included only by crypto/*.cc.
#pragma once

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace m2mrsp::crypto::internal {

template <auto Fn>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    if (p != nullptr) Fn(p);
  }
};

using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, Deleter<EVP_MAC_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, Deleter<EVP_KDF_CTX_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using SecretBnPtr = std::unique_ptr<BIGNUM, Deleter<BN_clear_free>>;
using BnCtxPtr = std::unique_ptr<BN_CTX, Deleter<BN_CTX_free>>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP_free>>;
using EcPointPtr = std::unique_ptr<EC_POINT, Deleter<EC_POINT_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;

// Drains OpenSSL's thread-local error queue into one line, prefixed with `what`.
// OpenSSL error strings never contain key material.
Status OpenSslError(std::string_view what);

// Algorithms fetched once per process and reused (DESIGN.md §7: per-call fetches cost more
// than the work). Never freed; nullptr when the provider lacks them (then callers fail).
const EVP_CIPHER* AesCbc(size_t key_size);  // 16, 24, 32; nullptr otherwise
const EVP_CIPHER* AesEcb(size_t key_size);
const EVP_CIPHER* DesEde3Cbc();
const EVP_MD* Sha256();
EVP_MAC* CmacAlgorithm();
EVP_KDF* X963KdfAlgorithm();

}  // namespace m2mrsp::crypto::internal
