// GlobalPlatform compact certificate, tag `7F21` (GP Card Spec Amendment A v1.2 Table 3-6 /
// Amendment E; SGP.02 §2.3 and §4.1.3.1): CERT.ECASD.ECKA (eUICC, signed by the EUM),
// CERT.DP.ECDSA / CERT.DP.ECKA and CERT.SR.ECDSA / CERT.SR.ECKA (signed by the CI).
// Byte layout with a worked example: docs/formats/gp-certificate.md.
//
// GpCertificate is an immutable value holding copies of the decoded fields and the exact
// signed bytes (the TLVs before `5F37`, as received: never re-encoded). Decode() is strict:
// one `7F21` TLV within kMaxCertificateSize, known tags only, no duplicates, `5F37` last,
// mandatory fields present, BCD dates that are real calendar dates, a 65-byte uncompressed
// point and a 64-byte r‖s signature. Sign() builds a certificate in the canonical field order.
// Chain policy (which issuer, role, dates) is in pki/chain.h. Thread-safe for const use.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/status.h"
#include "crypto/ec.h"

namespace m2mrsp::pki {

inline constexpr size_t kMaxCertificateSize = 1024;

// Tag `95` (GPC 2.3.1 §11.1.9 Tables 11-17/11-18).
enum class GpKeyUsage { kVerification, kKeyAgreement };

// What the certificate is for, from key usage and the `C8` entity type in `73`
// (SGP.02 §4.1.3.1 tables as read by Njiwa/WHTY; docs/spec-map.parts/pki.md).
enum class GpRole { kEcasdEcka, kDpEcdsa, kDpEcka, kSrEcdsa, kSrEcka };
std::string_view GpRoleName(GpRole role);  // "CERT.DP.ECDSA", ...

// `73` discretionary data `C8`: entity type.
inline constexpr uint8_t kEntitySmDp = 0x01;
inline constexpr uint8_t kEntitySmSr = 0x02;

// GP key parameter reference (GPC 2.3.1 Table B-2) of the two SGP.02 curves.
uint8_t KeyParameterReference(crypto::Curve curve);
Result<crypto::Curve> CurveFromReference(uint8_t reference);

struct GpCertificateFields {
  Bytes serial;      // `93`, 1..20 bytes
  Bytes ca_id;       // `42`, 1..64 bytes: the issuer's key identifier in our PKI
  Bytes subject_id;  // `5F20`, 1..64 bytes
  GpKeyUsage usage = GpKeyUsage::kVerification;
  std::optional<std::chrono::year_month_day> effective;  // `5F25`
  std::chrono::year_month_day expiration{};              // `5F24`
  std::optional<uint8_t> entity_type;                    // `73`/`C8`
  Bytes authority_key_id;                                // `73`/`C9`, empty = absent
  std::optional<crypto::EcPublicKey> public_key;         // `7F49`, required
};

class GpCertificate {
 public:
  // `data` must be exactly one `7F21` TLV.
  static Result<GpCertificate> Decode(ByteView data);
  // Encodes `fields` (canonical order: 93 42 5F20 95 5F25 5F24 73 7F49) and signs them with
  // ECDSA-SHA256 (plain r‖s, BSI TR-03111 §5.2.1).
  static Result<GpCertificate> Sign(const GpCertificateFields& fields,
                                    const crypto::EcPrivateKey& issuer_key);

  const Bytes& encoded() const { return encoded_; }          // 7F21 L ...
  const Bytes& signed_data() const { return signed_data_; }  // the TLVs before 5F37
  const Bytes& signature() const { return signature_; }      // r ‖ s

  const Bytes& serial() const { return serial_; }
  const Bytes& ca_id() const { return ca_id_; }
  const Bytes& subject_id() const { return subject_id_; }
  const Bytes& key_usage_raw() const { return key_usage_; }
  // kParse for a usage this implementation does not know.
  Result<GpKeyUsage> usage() const;
  const std::optional<std::chrono::year_month_day>& effective() const { return effective_; }
  std::chrono::year_month_day expiration() const { return expiration_; }
  const Bytes& image_number() const { return image_number_; }    // `45`, may be empty
  const Bytes& discretionary() const { return discretionary_; }  // `53`/`73` value
  std::optional<uint8_t> entity_type() const { return entity_type_; }
  const Bytes& authority_key_id() const { return authority_key_id_; }
  const Bytes& public_point() const { return point_; }  // 04 ‖ X ‖ Y
  uint8_t key_parameter_reference() const { return key_ref_; }
  // The subject key on its curve (kParse when the reference or point is not usable).
  Result<crypto::EcPublicKey> PublicKey() const;
  // The role the fields describe, or kParse.
  Result<GpRole> Role() const;

  // OK when `5F37` verifies over signed_data() with `issuer`; kSecurity otherwise.
  Status Verify(const crypto::EcPublicKey& issuer) const;

 private:
  GpCertificate() = default;
  Bytes encoded_, signed_data_, signature_;
  Bytes serial_, ca_id_, subject_id_, key_usage_, image_number_, discretionary_;
  std::optional<std::chrono::year_month_day> effective_;
  std::chrono::year_month_day expiration_{};
  std::optional<uint8_t> entity_type_;
  Bytes authority_key_id_, point_;
  uint8_t key_ref_ = 0;
};

// "YYYY-MM-DD".
std::string FormatDate(std::chrono::year_month_day date);

}  // namespace m2mrsp::pki
