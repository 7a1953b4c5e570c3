#include "crypto/ossl.h"

#include <openssl/err.h>

namespace m2mrsp::crypto::internal {

Status OpenSslError(std::string_view what) {
  std::string msg(what);
  char buf[256];
  bool first = true;
  while (unsigned long e = ERR_get_error()) {
    ERR_error_string_n(e, buf, sizeof buf);
    msg += first ? ": " : "; ";
    msg += buf;
    first = false;
  }
  return InternalError(std::move(msg));
}

const EVP_CIPHER* AesCbc(size_t key_size) {
  static EVP_CIPHER* const k128 = EVP_CIPHER_fetch(nullptr, "AES-128-CBC", nullptr);
  static EVP_CIPHER* const k192 = EVP_CIPHER_fetch(nullptr, "AES-192-CBC", nullptr);
  static EVP_CIPHER* const k256 = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
  switch (key_size) {
    case 16:
      return k128;
    case 24:
      return k192;
    case 32:
      return k256;
    default:
      return nullptr;
  }
}

const EVP_CIPHER* AesEcb(size_t key_size) {
  static EVP_CIPHER* const k128 = EVP_CIPHER_fetch(nullptr, "AES-128-ECB", nullptr);
  static EVP_CIPHER* const k192 = EVP_CIPHER_fetch(nullptr, "AES-192-ECB", nullptr);
  static EVP_CIPHER* const k256 = EVP_CIPHER_fetch(nullptr, "AES-256-ECB", nullptr);
  switch (key_size) {
    case 16:
      return k128;
    case 24:
      return k192;
    case 32:
      return k256;
    default:
      return nullptr;
  }
}

const EVP_CIPHER* DesEde3Cbc() {
  static EVP_CIPHER* const c = EVP_CIPHER_fetch(nullptr, "DES-EDE3-CBC", nullptr);
  return c;
}

const EVP_MD* Sha256() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

EVP_MAC* CmacAlgorithm() {
  static EVP_MAC* const mac = EVP_MAC_fetch(nullptr, "CMAC", nullptr);
  return mac;
}

EVP_KDF* X963KdfAlgorithm() {
  static EVP_KDF* const kdf = EVP_KDF_fetch(nullptr, "X963KDF", nullptr);
  return kdf;
}

}  // namespace m2mrsp::crypto::internal
