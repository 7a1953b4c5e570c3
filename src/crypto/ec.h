// Elliptic-curve keys on the two curves SGP.02 allows (NIST P-256 and brainpoolP256r1; GP
// Amendment E key parameter reference `00` / `03`), ECDSA-SHA256 and ECDH.
//
// EcPublicKey is an immutable, copyable handle (copies share one OpenSSL object, which is safe
// to use from several threads). EcPrivateKey is move-only; its scalar lives inside OpenSSL
// (which clears it on free) and only leaves through ExportScalar()/ExportPem(), never through
// logging. Imported points are checked to lie on the named curve and to have the right order;
// anything else is refused. OpenSSL types stay out of this header.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/random.h"
#include "base/secret.h"
#include "base/status.h"

struct evp_pkey_st;

namespace m2mrsp::crypto {

enum class Curve { kNistP256, kBrainpoolP256r1 };

constexpr size_t kFieldSize = 32;              // both curves are 256-bit
constexpr size_t kUncompressedPointSize = 65;  // 04 ‖ X ‖ Y
constexpr size_t kRawSignatureSize = 64;       // r ‖ s

// "P-256" / "brainpoolP256r1".
std::string_view CurveName(Curve curve);
// Accepts "P-256", "prime256v1", "secp256r1", "brainpoolP256r1" (case-sensitive).
Result<Curve> CurveFromName(std::string_view name);

struct PkeyFree {
  void operator()(evp_pkey_st* p) const;
};

class EcPublicKey {
 public:
  // 65 bytes, `04 ‖ X ‖ Y`. Compressed points are refused (SGP.02 carries uncompressed ones).
  static Result<EcPublicKey> FromUncompressed(Curve curve, ByteView point);
  // SubjectPublicKeyInfo, PEM ("-----BEGIN PUBLIC KEY-----") or DER.
  static Result<EcPublicKey> FromPem(std::string_view pem);
  static Result<EcPublicKey> FromDer(ByteView der);

  Curve curve() const { return curve_; }
  const Bytes& ToUncompressed() const { return point_; }
  Result<std::string> ToPem() const;
  Result<Bytes> ToDer() const;

  bool operator==(const EcPublicKey& other) const;

  evp_pkey_st* handle() const { return pkey_.get(); }  // for crypto/*.cc

 private:
  EcPublicKey(std::shared_ptr<evp_pkey_st> pkey, Curve curve)
      : pkey_(std::move(pkey)), curve_(curve) {}
  friend class EcPrivateKey;
  std::shared_ptr<evp_pkey_st> pkey_;
  Curve curve_;
  Bytes point_;  // 04 ‖ X ‖ Y, kept for comparison and export
};

class EcPrivateKey {
 public:
  // Draws the scalar from OpenSSL's DRBG.
  static Result<EcPrivateKey> Generate(Curve curve);
  // Draws 32 bytes from `random` until they form a scalar in [1, n-1] (for reproducible tests
  // and simulations with ScriptedRandom; production uses Generate()).
  static Result<EcPrivateKey> GenerateWith(Curve curve, Random& random);
  // Big-endian scalar of exactly 32 bytes in [1, n-1].
  static Result<EcPrivateKey> FromScalar(Curve curve, ByteView scalar);
  // PKCS#8 or SEC1 ("EC PRIVATE KEY") PEM, unencrypted.
  static Result<EcPrivateKey> FromPem(std::string_view pem);

  EcPrivateKey(EcPrivateKey&&) noexcept = default;
  EcPrivateKey& operator=(EcPrivateKey&&) noexcept = default;

  Curve curve() const { return curve_; }
  const EcPublicKey& PublicKey() const { return public_; }
  Result<SecretBytes> ExportScalar() const;
  // Unencrypted PKCS#8 PEM. The caller stores it with file mode 0600 or better.
  Result<std::string> ExportPem() const;

  evp_pkey_st* handle() const { return pkey_.get(); }

 private:
  EcPrivateKey(std::unique_ptr<evp_pkey_st, PkeyFree> pkey, Curve curve, EcPublicKey pub)
      : pkey_(std::move(pkey)), curve_(curve), public_(std::move(pub)) {}
  static Result<EcPrivateKey> Adopt(std::unique_ptr<evp_pkey_st, PkeyFree> pkey);
  std::unique_ptr<evp_pkey_st, PkeyFree> pkey_;
  Curve curve_;
  EcPublicKey public_;
};

// ECDSA with SHA-256 over `message` (hashing is done here).
Result<Bytes> EcdsaSignDer(const EcPrivateKey& key, ByteView message);
Result<Bytes> EcdsaSignRaw(const EcPrivateKey& key, ByteView message);  // r ‖ s, 64 bytes
// OK when the signature verifies; kSecurity when it does not; kInvalidArgument when the
// signature is malformed (bad DER, wrong size, r or s out of range).
Status EcdsaVerifyDer(const EcPublicKey& key, ByteView message, ByteView signature);
Status EcdsaVerifyRaw(const EcPublicKey& key, ByteView message, ByteView signature);

// Conversions between the DER ECDSA-Sig-Value and fixed-size r ‖ s (BSI TR-03111 plain
// format, as in GP certificate tag `5F37`). Non-canonical DER is refused.
Result<Bytes> EcdsaDerToRaw(ByteView der);
Result<Bytes> EcdsaRawToDer(ByteView raw);

// ECDH (ECKA-DH, BSI TR-03111 §4.3.1): the x-coordinate of d·Q, 32 bytes. Keys must be on the
// same curve.
Result<SecretBytes> Ecdh(const EcPrivateKey& own, const EcPublicKey& peer);

}  // namespace m2mrsp::crypto
