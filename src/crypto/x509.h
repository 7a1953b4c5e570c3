// X.509 v3 certificates (RFC 5280) for the SGP.02 PKI: the CI's self-signed root
// (CERT.CI.ECDSA), the EUM certificate signed by the CI (CERT.EUM.ECDSA) and the TLS
// certificates of the off-card entities (ES1-ES4, ES7), all on the two SGP.02 curves with
// ECDSA-SHA256.
//
// X509Certificate is an immutable, copyable value: it keeps the DER bytes and the fields the
// PKI checks (names, validity, key usage, basic constraints, key identifiers, the entity OID
// extension), decoded once at parse time. Parsing is strict: size limit, the whole input must be
// one certificate, extensions OpenSSL marks invalid are refused, and the key must be on P-256 or
// brainpoolP256r1. Signature checks take an explicit issuer key; chain policy (roles, dates,
// which CA) lives in the pki library. OpenSSL stays out of this header. Thread-safe for const
// use.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/clock.h"
#include "base/status.h"
#include "crypto/ec.h"

struct x509_st;

namespace m2mrsp::crypto {

// m2mrsp's private OID arc: a UUID-based OID under "2.25" (ITU-T X.667 | ISO/IEC 9834-8), which
// needs no registration and cannot collide. docs/formats/pki.md lists what lives under it.
inline constexpr const char* kM2mrspOidArc = "2.25.101888271034237228525398607593864757687";
// Non-critical extension carrying the entity's SGP.02 identifier (the OID used as EntityId in
// WS-Addressing, mnoId/smsrId/smdpId/eumId): extnValue = DER OBJECT IDENTIFIER.
inline constexpr const char* kEntityIdExtensionOid =
    "2.25.101888271034237228525398607593864757687.1.1";

// RFC 5280 §4.2.1.3 KeyUsage bits, numbered as in OpenSSL's KU_* masks.
enum KeyUsageBit : uint32_t {
  kKuDigitalSignature = 0x80,
  kKuKeyAgreement = 0x08,
  kKuKeyCertSign = 0x04,
  kKuCrlSign = 0x02,
};

struct X509Name {
  std::string common_name;   // CN, required
  std::string organization;  // O, optional
  std::string country;       // C, optional, two letters
};

// What Create() puts into a certificate.
struct X509Request {
  X509Name subject;
  Bytes serial;  // 1..20 bytes, big-endian, positive; empty = 16 random bytes
  Clock::WallTime not_before;
  Clock::WallTime not_after;
  bool ca = false;
  std::optional<int> path_len;         // only with ca
  uint32_t key_usage = 0;              // KeyUsageBit mask; 0 = no extension
  bool server_auth = false;            // extendedKeyUsage id-kp-serverAuth
  bool client_auth = false;            // extendedKeyUsage id-kp-clientAuth
  std::vector<std::string> dns_names;  // subjectAltName dNSName (letters, digits, '-', '.')
  std::string entity_oid;              // dotted OID for kEntityIdExtensionOid; empty = none
};

// RFC 7093 §2 method 1: the leftmost 160 bits of SHA-256 over the subjectPublicKey BIT STRING
// value (the uncompressed point). Used for SKI/AKI in X.509 and for the `42`/`C9` identifiers of
// GP certificates, so both formats name a key the same way.
Result<Bytes> KeyIdentifier(const EcPublicKey& key);

class X509Certificate {
 public:
  static constexpr size_t kMaxSize = 16 * 1024;

  static Result<X509Certificate> FromDer(ByteView der);
  // One "-----BEGIN CERTIFICATE-----" block; text outside it is ignored (as openssl does).
  static Result<X509Certificate> FromPem(std::string_view pem);
  // PEM when the input starts (after whitespace) with "-----BEGIN", DER otherwise.
  static Result<X509Certificate> Parse(ByteView data);

  // Issues a certificate for `subject_key` signed with `signer` (ECDSA-SHA256). `issuer` gives
  // the issuer name and authority key identifier; nullptr makes a self-signed certificate (then
  // `signer` must be the subject's own key). Adds SKI (KeyIdentifier) and, when issued, AKI.
  static Result<X509Certificate> Create(const X509Request& request, const EcPublicKey& subject_key,
                                        const EcPrivateKey& signer, const X509Certificate* issuer);

  const Bytes& der() const { return der_; }
  Result<std::string> ToPem() const;

  // RFC 2253 strings ("CN=SM-DP,O=m2mrsp test PKI,C=FR") and the parsed common parts.
  const std::string& subject_text() const { return subject_text_; }
  const std::string& issuer_text() const { return issuer_text_; }
  const X509Name& subject() const { return subject_; }
  const Bytes& serial() const { return serial_; }
  Clock::WallTime not_before() const { return not_before_; }
  Clock::WallTime not_after() const { return not_after_; }
  bool is_ca() const { return ca_; }
  std::optional<int> path_len() const { return path_len_; }
  // KeyUsageBit mask; nullopt when the extension is absent.
  std::optional<uint32_t> key_usage() const { return key_usage_; }
  bool server_auth() const { return server_auth_; }
  bool client_auth() const { return client_auth_; }
  const std::vector<std::string>& dns_names() const { return dns_names_; }
  const Bytes& subject_key_id() const { return ski_; }           // empty when absent
  const Bytes& authority_key_id() const { return aki_; }         // empty when absent
  const std::string& entity_oid() const { return entity_oid_; }  // empty when absent
  const EcPublicKey& public_key() const { return *public_key_; }

  // True when this certificate's issuer name equals `issuer`'s subject name (RFC 5280 §7.1
  // comparison as OpenSSL implements it).
  bool IssuerNameIs(const X509Certificate& issuer) const;
  // OK when the signature verifies with `issuer_key`; kSecurity when it does not.
  Status VerifySignature(const EcPublicKey& issuer_key) const;

 private:
  X509Certificate() = default;
  static Result<X509Certificate> FromHandle(std::shared_ptr<x509_st> x509);

  std::shared_ptr<x509_st> x509_;
  Bytes der_;
  std::string subject_text_, issuer_text_;
  X509Name subject_;
  Bytes serial_;
  Clock::WallTime not_before_{}, not_after_{};
  bool ca_ = false;
  std::optional<int> path_len_;
  std::optional<uint32_t> key_usage_;
  bool server_auth_ = false, client_auth_ = false;
  std::vector<std::string> dns_names_;
  Bytes ski_, aki_;
  std::string entity_oid_;
  std::optional<EcPublicKey> public_key_;
};

}  // namespace m2mrsp::crypto
