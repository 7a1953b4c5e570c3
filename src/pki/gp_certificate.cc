#include "pki/gp_certificate.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "tlv/ber.h"

namespace m2mrsp::pki {
namespace {

namespace chr = std::chrono;

// Tags: GP Amd A v1.2 Table 3-6 (also GlobalPlatformPro GPCertificate, SGP.02 §4.1.3.1).
constexpr tlv::Tag kCertificate = 0x7F21;
constexpr tlv::Tag kSerial = 0x93;
constexpr tlv::Tag kCaId = 0x42;
constexpr tlv::Tag kSubjectId = 0x5F20;
constexpr tlv::Tag kKeyUsage = 0x95;
constexpr tlv::Tag kEffective = 0x5F25;
constexpr tlv::Tag kExpiration = 0x5F24;
constexpr tlv::Tag kImageNumber = 0x45;
constexpr tlv::Tag kDiscretionary = 0x53;
constexpr tlv::Tag kDiscretionaryTlv = 0x73;
constexpr tlv::Tag kAuthorizations = 0xBF20;  // Amd F v1.4 Table 6-1 (SCP11); tolerated
constexpr tlv::Tag kPublicKey = 0x7F49;
constexpr tlv::Tag kSignature = 0x5F37;
constexpr tlv::Tag kPoint = 0xB0;
constexpr tlv::Tag kKeyRef = 0xF0;
constexpr tlv::Tag kEntityType = 0xC8;    // SGP.02 discretionary data: 01 SM-DP, 02 SM-SR
constexpr tlv::Tag kAuthorityKey = 0xC9;  // SGP.02 discretionary data: signer's key id

constexpr std::array<tlv::Tag, 12> kKnownTags = {
    kSerial,      kCaId,          kSubjectId,        kKeyUsage,       kEffective, kExpiration,
    kImageNumber, kDiscretionary, kDiscretionaryTlv, kAuthorizations, kPublicKey, kSignature};

Status Bad(std::string why) { return ParseError("GP certificate: " + std::move(why)); }

Bytes Copy(ByteView v) { return Bytes(v.begin(), v.end()); }

Status CheckLength(const char* name, ByteView v, size_t min, size_t max) {
  if (v.size() < min || v.size() > max) {
    return Bad(std::string(name) + " has length " + std::to_string(v.size()));
  }
  return Status::Ok();
}

int BcdByte(uint8_t b) {
  if ((b >> 4) > 9 || (b & 0x0F) > 9) return -1;
  return (b >> 4) * 10 + (b & 0x0F);
}

// YYYYMMDD in BCD, four bytes (GP Amd A Table 3-6; not Njiwa's YYMMDD).
Result<chr::year_month_day> DecodeDate(const char* name, ByteView v) {
  if (v.size() != 4) return Bad(std::string(name) + " is not 4 bytes");
  int d[4];
  for (size_t i = 0; i < 4; ++i) {
    d[i] = BcdByte(v[i]);
    if (d[i] < 0) return Bad(std::string(name) + " is not BCD");
  }
  chr::year_month_day ymd{chr::year(d[0] * 100 + d[1]), chr::month(static_cast<unsigned>(d[2])),
                          chr::day(static_cast<unsigned>(d[3]))};
  if (!ymd.ok()) return Bad(std::string(name) + " is not a calendar date");
  return ymd;
}

uint8_t ToBcd(int v) { return static_cast<uint8_t>(((v / 10) << 4) | (v % 10)); }

Bytes EncodeDate(chr::year_month_day ymd) {
  const int y = static_cast<int>(ymd.year());
  return {ToBcd(y / 100), ToBcd(y % 100), ToBcd(static_cast<int>(unsigned(ymd.month()))),
          ToBcd(static_cast<int>(unsigned(ymd.day())))};
}

// 73: BER-TLVs; C8 entity type (1 byte) and C9 authority key id are interpreted, others kept.
Status DecodeDiscretionary(ByteView v, std::optional<uint8_t>& type, Bytes& aki) {
  tlv::Limits limits;
  limits.max_size = kMaxCertificateSize;
  limits.max_elements = 32;
  auto seq = tlv::ParseSequence(v, limits);
  if (!seq.ok()) return Bad("discretionary data 73 is not BER-TLV");
  bool seen_type = false, seen_aki = false;
  for (const tlv::Tlv& t : *seq) {
    if (t.tag == kEntityType) {
      if (seen_type || t.value.size() != 1) return Bad("bad or repeated C8 entity type");
      seen_type = true;
      type = t.value[0];
    } else if (t.tag == kAuthorityKey) {
      if (seen_aki || t.value.empty() || t.value.size() > 64) return Bad("bad or repeated C9");
      seen_aki = true;
      aki = Copy(t.value);
    }
  }
  return Status::Ok();
}

}  // namespace

std::string_view GpRoleName(GpRole role) {
  switch (role) {
    case GpRole::kEcasdEcka:
      return "CERT.ECASD.ECKA";
    case GpRole::kDpEcdsa:
      return "CERT.DP.ECDSA";
    case GpRole::kDpEcka:
      return "CERT.DP.ECKA";
    case GpRole::kSrEcdsa:
      return "CERT.SR.ECDSA";
    case GpRole::kSrEcka:
      return "CERT.SR.ECKA";
  }
  return "?";
}

uint8_t KeyParameterReference(crypto::Curve curve) {
  return curve == crypto::Curve::kNistP256 ? 0x00 : 0x03;  // GPC 2.3.1 Table B-2
}

Result<crypto::Curve> CurveFromReference(uint8_t reference) {
  if (reference == 0x00) return crypto::Curve::kNistP256;
  if (reference == 0x03) return crypto::Curve::kBrainpoolP256r1;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02X", reference);
  return Bad(std::string("key parameter reference ") + buf + " is not an SGP.02 curve");
}

std::string FormatDate(chr::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), unsigned(d.month()),
                unsigned(d.day()));
  return buf;
}

Result<GpCertificate> GpCertificate::Decode(ByteView data) {
  if (data.size() > kMaxCertificateSize) return LimitExceeded("GP certificate: too large");
  tlv::Limits limits;
  limits.max_size = kMaxCertificateSize;
  limits.max_elements = 32;
  auto outer = tlv::ParseOne(data, limits);
  if (!outer.ok()) return Bad("not one TLV: " + outer.status().message());
  if (outer->tag != kCertificate) return Bad("outer tag is not 7F21");
  auto fields = tlv::ParseSequence(outer->value, limits);
  if (!fields.ok()) return Bad("fields: " + fields.status().message());

  GpCertificate c;
  c.encoded_ = Copy(data);
  std::vector<tlv::Tag> seen;
  const tlv::Tlv* sig = nullptr;
  for (const tlv::Tlv& f : *fields) {
    if (sig != nullptr) return Bad("field after the signature 5F37");
    if (std::find(kKnownTags.begin(), kKnownTags.end(), f.tag) == kKnownTags.end()) {
      char tag[12];
      std::snprintf(tag, sizeof tag, "%X", f.tag);
      return Bad(std::string("unknown tag ") + tag);
    }
    if (std::find(seen.begin(), seen.end(), f.tag) != seen.end()) return Bad("duplicate tag");
    seen.push_back(f.tag);
    switch (f.tag) {
      case kSerial:
        M2_RETURN_IF_ERROR(CheckLength("serial 93", f.value, 1, 20));
        c.serial_ = Copy(f.value);
        break;
      case kCaId:
        M2_RETURN_IF_ERROR(CheckLength("CA identifier 42", f.value, 1, 64));
        c.ca_id_ = Copy(f.value);
        break;
      case kSubjectId:
        M2_RETURN_IF_ERROR(CheckLength("subject identifier 5F20", f.value, 1, 64));
        c.subject_id_ = Copy(f.value);
        break;
      case kKeyUsage:
        M2_RETURN_IF_ERROR(CheckLength("key usage 95", f.value, 1, 2));
        c.key_usage_ = Copy(f.value);
        break;
      case kEffective: {
        M2_ASSIGN_OR_RETURN(c.effective_, DecodeDate("effective date 5F25", f.value));
        break;
      }
      case kExpiration: {
        M2_ASSIGN_OR_RETURN(c.expiration_, DecodeDate("expiration date 5F24", f.value));
        break;
      }
      case kImageNumber:
        M2_RETURN_IF_ERROR(CheckLength("image number 45", f.value, 1, 64));
        c.image_number_ = Copy(f.value);
        break;
      case kDiscretionaryTlv:
        M2_RETURN_IF_ERROR(DecodeDiscretionary(f.value, c.entity_type_, c.authority_key_id_));
        [[fallthrough]];
      case kDiscretionary:
        c.discretionary_ = Copy(f.value);
        break;
      case kPublicKey: {
        // B0/F0 carry the constructed bit but are primitive: read one level, never deeper.
        auto kids = tlv::ParseSequence(f.value, limits);
        if (!kids.ok() || kids->size() != 2 || (*kids)[0].tag != kPoint ||
            (*kids)[1].tag != kKeyRef) {
          return Bad("public key 7F49 must be B0 then F0");
        }
        M2_RETURN_IF_ERROR(CheckLength("point B0", (*kids)[0].value, 65, 65));
        if ((*kids)[0].value[0] != 0x04) return Bad("point B0 is not uncompressed");
        M2_RETURN_IF_ERROR(CheckLength("key parameter reference F0", (*kids)[1].value, 1, 1));
        c.point_ = Copy((*kids)[0].value);
        c.key_ref_ = (*kids)[1].value[0];
        break;
      }
      case kSignature:
        M2_RETURN_IF_ERROR(CheckLength("signature 5F37", f.value, 64, 64));
        sig = &f;
        c.signature_ = Copy(f.value);
        c.signed_data_ = Bytes(outer->value.data(), f.raw.data());
        break;
      default:  // kAuthorizations: kept only inside the signed data
        break;
    }
  }
  if (sig == nullptr) return Bad("no signature 5F37");
  const std::pair<tlv::Tag, const char*> kMandatory[] = {
      {kSerial, "serial 93"},           {kCaId, "CA identifier 42"},
      {kSubjectId, "subject 5F20"},     {kKeyUsage, "key usage 95"},
      {kExpiration, "expiration 5F24"}, {kPublicKey, "public key 7F49"}};
  for (const auto& [tag, name] : kMandatory) {
    if (std::find(seen.begin(), seen.end(), tag) == seen.end()) {
      return Bad(std::string("missing ") + name);
    }
  }
  if (std::find(seen.begin(), seen.end(), kDiscretionary) != seen.end() &&
      std::find(seen.begin(), seen.end(), kDiscretionaryTlv) != seen.end()) {
    return Bad("both 53 and 73 discretionary data");
  }
  if (c.effective_ && chr::sys_days(*c.effective_) > chr::sys_days(c.expiration_)) {
    return Bad("effective date after expiration date");
  }
  return c;
}

Result<GpKeyUsage> GpCertificate::usage() const {
  // A missing second byte means `00` (GPC 2.3.1 §11.1.9).
  const uint8_t b1 = key_usage_.empty() ? 0 : key_usage_[0];
  const uint8_t b2 = key_usage_.size() > 1 ? key_usage_[1] : 0;
  if (b1 == 0x00 && b2 == 0x80) return GpKeyUsage::kKeyAgreement;  // Table 11-18 b8
  // `82` verification + digital signature (Table 11-17); `88` as WHTY/Njiwa emit it [?].
  if ((b1 == 0x82 || b1 == 0x88) && b2 == 0x00) return GpKeyUsage::kVerification;
  return Bad("unknown key usage " + ToHexUpper(key_usage_));
}

Result<crypto::EcPublicKey> GpCertificate::PublicKey() const {
  M2_ASSIGN_OR_RETURN(crypto::Curve curve, CurveFromReference(key_ref_));
  auto key = crypto::EcPublicKey::FromUncompressed(curve, point_);
  if (!key.ok())
    return Bad("public key is not a point of " + std::string(crypto::CurveName(curve)));
  return key;
}

Result<GpRole> GpCertificate::Role() const {
  M2_ASSIGN_OR_RETURN(GpKeyUsage u, usage());
  const bool verify = u == GpKeyUsage::kVerification;
  if (!entity_type_) {
    if (verify) return Bad("signature certificate without C8 entity type");
    return GpRole::kEcasdEcka;
  }
  if (*entity_type_ == kEntitySmDp) return verify ? GpRole::kDpEcdsa : GpRole::kDpEcka;
  if (*entity_type_ == kEntitySmSr) return verify ? GpRole::kSrEcdsa : GpRole::kSrEcka;
  return Bad("unknown C8 entity type");
}

Status GpCertificate::Verify(const crypto::EcPublicKey& issuer) const {
  Status s = crypto::EcdsaVerifyRaw(issuer, signed_data_, signature_);
  if (s.ok()) return s;
  return SecurityError("GP certificate: signature 5F37 does not verify with the issuer key");
}

Result<GpCertificate> GpCertificate::Sign(const GpCertificateFields& f,
                                          const crypto::EcPrivateKey& issuer_key) {
  if (f.serial.empty() || f.serial.size() > 20 || f.ca_id.empty() || f.ca_id.size() > 64 ||
      f.subject_id.empty() || f.subject_id.size() > 64 || f.authority_key_id.size() > 64) {
    return InvalidArgument("GP certificate: identifier length out of range");
  }
  if (!f.public_key) return InvalidArgument("GP certificate: public key required");
  if (!f.expiration.ok() || (f.effective && !f.effective->ok())) {
    return InvalidArgument("GP certificate: invalid date");
  }
  tlv::Builder b;
  b.Add(kSerial, f.serial).Add(kCaId, f.ca_id).Add(kSubjectId, f.subject_id);
  if (f.usage == GpKeyUsage::kVerification) {
    b.Add(kKeyUsage, {0x82});
  } else {
    b.Add(kKeyUsage, {0x00, 0x80});
  }
  if (f.effective) b.Add(kEffective, EncodeDate(*f.effective));
  b.Add(kExpiration, EncodeDate(f.expiration));
  if (f.entity_type || !f.authority_key_id.empty()) {
    b.Open(kDiscretionaryTlv);
    if (f.entity_type) b.Add(kEntityType, {*f.entity_type});
    if (!f.authority_key_id.empty()) b.Add(kAuthorityKey, f.authority_key_id);
    b.Close();
  }
  b.Open(kPublicKey)
      .Add(kPoint, f.public_key->ToUncompressed())
      .Add(kKeyRef, {KeyParameterReference(f.public_key->curve())})
      .Close();
  const Bytes tbs = std::move(b).Finish();
  M2_ASSIGN_OR_RETURN(Bytes sig, crypto::EcdsaSignRaw(issuer_key, tbs));
  Bytes body = tbs;
  tlv::AppendTlv(body, kSignature, sig);
  return Decode(tlv::Encode(kCertificate, body));
}

}  // namespace m2mrsp::pki
