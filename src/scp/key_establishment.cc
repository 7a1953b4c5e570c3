#include "scp/key_establishment.h"

#include "crypto/cmac.h"
#include "crypto/kdf.h"
#include "tlv/ber.h"
#include "tlv/dgi.h"

namespace m2mrsp::scp {
namespace {

constexpr size_t kRcSize = 16;
constexpr size_t kDrSize = 16;  // for ECC keys of at most 383 bits (GP Amd A Table 3-27) [C]
constexpr size_t kReceiptSize = 16;
constexpr uint16_t kDgiCertificate = 0x3A01;
constexpr uint16_t kDgiKeyParameters = 0x3A02;
constexpr uint16_t kDgiPublicKey = 0x7F49;
constexpr uint16_t kDgiSignature = 0x5F37;

Status Malformed(std::string what) { return ParseError("key establishment: " + what); }

// GP key parameter reference (GP Amd E, `F0`): 00 NIST P-256, 03 brainpoolP256r1 [M].
uint8_t KeyParameterReference(crypto::Curve curve) {
  return curve == crypto::Curve::kNistP256 ? 0x00 : 0x03;
}

// 7F49 value: B0 41 04‖X‖Y, F0 01 ref (resolutions §2.1, Njiwa's form citing SGP.02 Table 24).
Bytes PublicKeyTemplate(const crypto::EcPublicKey& key) {
  tlv::Builder b;
  b.Add(0xB0, key.ToUncompressed()).Add(0xF0, {KeyParameterReference(key.curve())});
  return std::move(b).Finish();
}

Result<crypto::EcPublicKey> ParsePublicKeyTemplate(ByteView value, crypto::Curve curve) {
  // B0 and F0 are primitive here although their constructed bit is set: parse flat.
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> items, tlv::ParseSequence(value));
  if (items.size() != 2 || items[0].tag != 0xB0 || items[1].tag != 0xF0) {
    return Malformed("7F49 must hold B0 (point) then F0 (key parameter reference)");
  }
  if (items[1].value.size() != 1 || items[1].value[0] != KeyParameterReference(curve)) {
    return Malformed("ephemeral key is not on the ECASD's curve");
  }
  return crypto::EcPublicKey::FromUncompressed(curve, items[0].value);
}

Bytes SignedData(ByteView dgi_3a02, ByteView dgi_7f49, ByteView rc) {
  Bytes out = Concat({dgi_3a02, dgi_7f49});
  Append(out, {0x00, 0x85, static_cast<uint8_t>(rc.size())});
  Append(out, rc);
  return out;
}

Bytes SharedInfo(const KeyAgreementCrt& crt, ByteView dr) {
  Bytes out = {crt.key_usage, crt.key_type, crt.key_length};
  Append(out, dr);
  return out;
}

struct Derived {
  SecretBytes receipt_key;
  EstablishedKeys keys;
};

Result<Derived> Derive(ByteView shs, const KeyAgreementCrt& crt, ByteView dr) {
  const size_t n = crt.key_length;
  M2_ASSIGN_OR_RETURN(SecretBytes data,
                      crypto::X963KdfSha256(shs, SharedInfo(crt, dr), n * (1 + crt.key_count())));
  Derived d;
  d.receipt_key = SecretBytes(data.view().first(n));
  d.keys.kvn = crt.kvn;
  d.keys.first_key_id = crt.first_key_id;
  d.keys.key_type = crt.key_type;
  for (size_t i = 0; i < crt.key_count(); ++i) {
    d.keys.keys.emplace_back(data.view().subspan(n * (1 + i), n));
  }
  return d;
}

// receipt = CMAC(receipt key, A6 TLV exactly as sent ‖ [85 L DR]) — no pre-padding
// (resolutions §2.3). The card passes the bytes it received, not a re-encoding, so a host that
// used a non-minimal length still gets a receipt it can check.
Result<Bytes> Receipt(ByteView receipt_key, ByteView crt_tlv, ByteView dr) {
  Bytes input(crt_tlv.begin(), crt_tlv.end());
  if (!dr.empty()) tlv::AppendTlv(input, 0x85, dr);
  return crypto::AesCmac(receipt_key, input);
}

}  // namespace

// --- KeyAgreementCrt ----------------------------------------------------------------------

Bytes KeyAgreementCrt::Encode() const {
  tlv::Builder b;
  b.Open(0xA6)
      .Add(0x90, {0x03, scenario_params})
      .Add(0x95, {key_usage})
      .Add(0x80, {key_type})
      .Add(0x81, {key_length})
      .Add(0x82, {first_key_id})
      .Add(0x83, {kvn})
      .Add(0x91, initial_counter)
      .Close();
  return std::move(b).Finish();
}

Result<KeyAgreementCrt> KeyAgreementCrt::Decode(ByteView a6_tlv) {
  M2_ASSIGN_OR_RETURN(tlv::Tlv a6, tlv::ParseOne(a6_tlv));
  if (a6.tag != 0xA6) return Malformed("CRT tag is not A6");
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> items, tlv::ParseSequence(a6.value));
  static constexpr tlv::Tag kOrder[] = {0x90, 0x95, 0x80, 0x81, 0x82, 0x83, 0x91};
  if (items.size() != std::size(kOrder)) {
    return Malformed("CRT must hold 90 95 80 81 82 83 91 (HostID/SDIN are not supported)");
  }
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].tag != kOrder[i]) return Malformed("CRT element out of order or unknown");
    const size_t want = kOrder[i] == 0x90 ? 2 : kOrder[i] == 0x91 ? items[i].value.size() : 1;
    if (items[i].value.size() != want) return Malformed("CRT element of wrong length");
  }
  KeyAgreementCrt c;
  if (items[0].value[0] != 0x03) return Malformed("scenario is not #3");
  c.scenario_params = items[0].value[1];
  c.key_usage = items[1].value[0];
  c.key_type = items[2].value[0];
  c.key_length = items[3].value[0];
  c.first_key_id = items[4].value[0];
  c.kvn = items[5].value[0];
  c.initial_counter.assign(items[6].value.begin(), items[6].value.end());
  if ((c.scenario_params & 0x04) != 0)
    return Malformed("HostID/SIN/SDIN (scenario bit 04) not supported");
  if ((c.scenario_params & 0xF0) != 0) return Malformed("unknown scenario parameter bits");
  if (c.key_usage != 0x10 && c.key_usage != 0x5C) return Malformed("key usage must be 10 or 5C");
  if (c.key_type != 0x88 && c.key_type != 0x85)
    return Malformed("key type must be 88 (AES) or 85 (PSK)");
  if (c.key_length != 16 && c.key_length != 24 && c.key_length != 32) {
    return Malformed("key length must be 16, 24 or 32");
  }
  if (!c.initial_counter.empty() && c.initial_counter.size() != 5) {
    return Malformed("initial counter must be empty or 5 bytes");
  }
  return c;
}

// --- Host ----------------------------------------------------------------------------------

KeyEstablishmentHost::KeyEstablishmentHost(const crypto::EcPrivateKey& signing_key,
                                           crypto::EcPublicKey ecasd_key, KeyAgreementCrt crt,
                                           Random& random)
    : signing_key_(signing_key),
      ecasd_key_(std::move(ecasd_key)),
      crt_(std::move(crt)),
      random_(random) {}

Result<Bytes> KeyEstablishmentHost::CertificateData(ByteView certificate) {
  return tlv::EncodeDgi(kDgiCertificate, certificate);
}

Status KeyEstablishmentHost::AcceptChallenge(ByteView response) {
  auto t = tlv::ParseOne(response);
  if (!t.ok() || t->tag != 0x85 || t->value.size() != kRcSize) {
    return Malformed("answer to the certificate must be 85 10 <RC>");
  }
  rc_ = Bytes(t->value.begin(), t->value.end());
  return Status::Ok();
}

Result<Bytes> KeyEstablishmentHost::KeyParametersData() {
  if (!rc_) return Status::Error(ErrorKind::kFailedPrecondition, "no random challenge yet");
  M2_ASSIGN_OR_RETURN(crypto::EcPrivateKey eph,
                      crypto::EcPrivateKey::GenerateWith(ecasd_key_.curve(), random_));
  M2_ASSIGN_OR_RETURN(Bytes dgi_3a02, tlv::EncodeDgi(kDgiKeyParameters, crt_.Encode()));
  M2_ASSIGN_OR_RETURN(Bytes dgi_7f49,
                      tlv::EncodeDgi(kDgiPublicKey, PublicKeyTemplate(eph.PublicKey())));
  M2_ASSIGN_OR_RETURN(Bytes sig,
                      crypto::EcdsaSignRaw(signing_key_, SignedData(dgi_3a02, dgi_7f49, *rc_)));
  Bytes out = Concat({dgi_3a02, dgi_7f49});
  M2_RETURN_IF_ERROR(tlv::AppendDgi(out, kDgiSignature, sig));
  ephemeral_.emplace(std::move(eph));
  return out;
}

Result<EstablishedKeys> KeyEstablishmentHost::Finish(ByteView response) {
  if (!ephemeral_) return Status::Error(ErrorKind::kFailedPrecondition, "key parameters not sent");
  auto items = tlv::ParseSequence(response);
  if (!items.ok()) return Malformed("answer to the key parameters is not TLV");
  const size_t want = crt_.with_dr() ? 2 : 1;
  if (items->size() != want) return Malformed("answer must be [85 DR] 86 receipt");
  ByteView dr;
  if (crt_.with_dr()) {
    const tlv::Tlv& t = (*items)[0];
    if (t.tag != 0x85 || t.value.size() < 16 || t.value.size() > 32) {
      return Malformed("derivation random must be 85 with 16..32 bytes");
    }
    dr = t.value;
  }
  const tlv::Tlv& r = items->back();
  if (r.tag != 0x86 || r.value.size() != kReceiptSize) return Malformed("receipt must be 86 10");
  M2_ASSIGN_OR_RETURN(SecretBytes shs, crypto::Ecdh(*ephemeral_, ecasd_key_));
  ephemeral_.reset();  // single use
  M2_ASSIGN_OR_RETURN(Derived d, Derive(shs.view(), crt_, dr));
  M2_ASSIGN_OR_RETURN(Bytes expected, Receipt(d.receipt_key.view(), crt_.Encode(), dr));
  if (!ConstantTimeEqual(expected, r.value)) {
    return Status::Sgp(ErrorKind::kSecurity, "8.1", "6.1",
                       "key establishment receipt does not verify");
  }
  return std::move(d.keys);
}

// --- Card ----------------------------------------------------------------------------------

KeyEstablishmentCard::KeyEstablishmentCard(const crypto::EcPrivateKey& ecasd_key,
                                           CertificateVerifier verifier, Random& random)
    : ecasd_key_(ecasd_key), verifier_(std::move(verifier)), random_(random) {}

Result<Bytes> KeyEstablishmentCard::HandleCertificate(ByteView data) {
  signer_.reset();
  rc_.reset();
  auto dgi = tlv::ParseOneDgi(data);
  if (!dgi.ok() || dgi->tag != kDgiCertificate) return Malformed("expected one DGI 3A01");
  auto signer = verifier_(dgi->value);
  if (!signer.ok()) return SecurityError("certificate refused: " + signer.status().message());
  M2_ASSIGN_OR_RETURN(Bytes rc, random_.Generate(kRcSize));
  signer_.emplace(std::move(signer).value());
  rc_ = rc;
  return tlv::Encode(0x85, rc);
}

Result<Bytes> KeyEstablishmentCard::HandleKeyParameters(ByteView data, EstablishedKeys& keys) {
  if (!signer_ || !rc_) {
    return Status::Error(ErrorKind::kFailedPrecondition,
                         "no certificate accepted before the key parameters");
  }
  const Bytes rc = std::move(*rc_);
  rc_.reset();  // single-use challenge, whatever the outcome
  auto dgis = tlv::ParseDgis(data);
  if (!dgis.ok() || dgis->size() != 3 || (*dgis)[0].tag != kDgiKeyParameters ||
      (*dgis)[1].tag != kDgiPublicKey || (*dgis)[2].tag != kDgiSignature) {
    return Malformed("expected DGIs 3A02, 7F49, 5F37 in this order");
  }
  const tlv::Dgi& d3a02 = (*dgis)[0];
  const tlv::Dgi& d7f49 = (*dgis)[1];
  M2_ASSIGN_OR_RETURN(KeyAgreementCrt crt, KeyAgreementCrt::Decode(d3a02.value));
  M2_ASSIGN_OR_RETURN(crypto::EcPublicKey eph,
                      ParsePublicKeyTemplate(d7f49.value, ecasd_key_.curve()));
  const Status sig =
      crypto::EcdsaVerifyRaw(*signer_, SignedData(d3a02.raw, d7f49.raw, rc), (*dgis)[2].value);
  if (!sig.ok()) return SecurityError("key parameters signature: " + sig.message());
  M2_ASSIGN_OR_RETURN(SecretBytes shs, crypto::Ecdh(ecasd_key_, eph));
  Bytes dr;
  if (crt.with_dr()) {
    M2_ASSIGN_OR_RETURN(dr, random_.Generate(kDrSize));
  }
  M2_ASSIGN_OR_RETURN(Derived derived, Derive(shs.view(), crt, dr));
  M2_ASSIGN_OR_RETURN(Bytes receipt, Receipt(derived.receipt_key.view(), d3a02.value, dr));
  Bytes response;
  if (crt.with_dr()) tlv::AppendTlv(response, 0x85, dr);
  tlv::AppendTlv(response, 0x86, receipt);
  keys = std::move(derived.keys);
  return response;
}

uint16_t KeyEstablishmentStatusWord(const Status& error) {
  switch (error.kind()) {
    case ErrorKind::kSecurity:
      return 0x6982;
    case ErrorKind::kFailedPrecondition:
      return 0x6985;
    default:
      return 0x6A80;
  }
}

}  // namespace m2mrsp::scp
