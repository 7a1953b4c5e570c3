// Key establishment between an off-card entity and an on-card security domain: GlobalPlatform
// Amendment E scenario #3 (ECKA-EG with the ECASD's static key and an ephemeral off-card key,
// signed by the off-card entity), as SGP.02 uses it for ES8.EstablishISDPKeySet (SM-DP → ISD-P,
// SGP.02 §4.1.3.1, §5.5) and ES5.EstablishISDRKeySet (SM-SR change, §5.6).
//
// Two STORE DATA commands carry it (shared/spec/sgp02-resolutions.md §2, [C2]):
//   #1  80 E2 09 00  DGI 3A01 (the off-card certificate, 7F21)      → 85 10 RC
//   #2  80 E2 89 01  DGI 3A02 (CRT A6) ‖ DGI 7F49 (ePK) ‖ DGI 5F37  → [85 L DR] 86 10 receipt
// signed data = DGI 3A02 ‖ DGI 7F49 ‖ 00 85 ‖ len ‖ RC; ShS = ECDH x-coordinate; key data =
// X9.63-KDF-SHA256(ShS, key usage ‖ key type ‖ key length [‖ DR]) split as receipt key ‖ keys in
// key-id order; receipt = AES-CMAC(receipt key, CRT TLV [‖ 85 L DR]).
// This file works on STORE DATA data fields, not APDUs, so it serves any transport (ES8 over
// SCP03t scripts, ES5 over SCP80/SCP81). One object per exchange; not thread-safe. Ephemeral
// keys, RC and derived keys are wiped with the object. Worked bytes:
// docs/formats/key-establishment.md.
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "base/bytes.h"
#include "base/random.h"
#include "base/secret.h"
#include "base/status.h"
#include "crypto/ec.h"

namespace m2mrsp::scp {

// STORE DATA P1 values of the two commands (GP Card Spec §11.11.2.1: b8 last block, b4 DGI
// format, b1 = 1 on #1 and b8|b4|b1 on #2 as both reference implementations send them [C2]).
inline constexpr uint8_t kStoreDataP1Certificate = 0x09;
inline constexpr uint8_t kStoreDataP1KeyParameters = 0x89;

// The key agreement control reference template `A6` (GP Amd E; values per resolutions §2.2).
struct KeyAgreementCrt {
  uint8_t scenario_params =
      0x09;                     // 90 02 03 <p>: 01 delete key set, 02 DR, 04 HostID, 08 cert check
  uint8_t key_usage = 0x10;     // 95: 10 = three keys (ENC/MAC/DEK or KIc/KID/KIK), 5C = one key
  uint8_t key_type = 0x88;      // 80: 88 = AES
  uint8_t key_length = 16;      // 81
  uint8_t first_key_id = 0x01;  // 82
  uint8_t kvn = 0x30;           // 83: SCP03 range for ISD-P sets (resolutions §1.6)
  Bytes initial_counter;        // 91: empty, or the 5-byte SCP80 counter of a new OTA set

  bool with_dr() const { return (scenario_params & 0x02) != 0; }
  size_t key_count() const { return key_usage == 0x10 ? 3 : 1; }

  Bytes Encode() const;  // the whole A6 TLV
  // Strict: exactly the tags above in that order, scenario #3, supported values only.
  static Result<KeyAgreementCrt> Decode(ByteView a6_tlv);
};

struct EstablishedKeys {
  uint8_t kvn = 0;
  uint8_t first_key_id = 0;
  uint8_t key_type = 0;
  std::vector<SecretBytes> keys;  // key-id order: ENC, MAC, DEK (or KIc, KID, KIK)
};

// Off-card side (SM-DP, or the new SM-SR in an SM-SR change).
class KeyEstablishmentHost {
 public:
  // signing_key: SK.DP.ECDSA / SK.SR.ECDSA; ecasd_key: PK.ECASD.ECKA from the verified eUICC
  // certificate. `random` draws the ephemeral key.
  KeyEstablishmentHost(const crypto::EcPrivateKey& signing_key, crypto::EcPublicKey ecasd_key,
                       KeyAgreementCrt crt, Random& random);

  // Data field of STORE DATA #1: DGI 3A01 with the host's certificate (7F21 ...).
  static Result<Bytes> CertificateData(ByteView certificate);
  // The card's answer to #1: `85 10 RC`.
  Status AcceptChallenge(ByteView response);
  // Data field of STORE DATA #2. REQUIRES: AcceptChallenge succeeded.
  Result<Bytes> KeyParametersData();
  // Verifies the card's answer to #2 and returns the new keys.
  Result<EstablishedKeys> Finish(ByteView response);

 private:
  const crypto::EcPrivateKey& signing_key_;
  crypto::EcPublicKey ecasd_key_;
  KeyAgreementCrt crt_;
  Random& random_;
  std::optional<Bytes> rc_;
  std::optional<crypto::EcPrivateKey> ephemeral_;
};

// On-card side (ISD-P or ISD-R, using the ECASD's SK.ECASD.ECKA).
class KeyEstablishmentCard {
 public:
  // Verifies the DGI 3A01 value (an off-card certificate) against the card's trust anchors and
  // returns the signer's public key (PK.DP.ECDSA / PK.SR.ECDSA).
  using CertificateVerifier = std::function<Result<crypto::EcPublicKey>(ByteView certificate)>;

  KeyEstablishmentCard(const crypto::EcPrivateKey& ecasd_key, CertificateVerifier verifier,
                       Random& random);

  // STORE DATA #1 → response data `85 10 RC`.
  Result<Bytes> HandleCertificate(ByteView data);
  // STORE DATA #2 → response data `[85 L DR] 86 10 receipt`, and the keys to install. The
  // challenge is single-use: success or failure, a new exchange must start at #1.
  Result<Bytes> HandleKeyParameters(ByteView data, EstablishedKeys& keys);

 private:
  const crypto::EcPrivateKey& ecasd_key_;
  CertificateVerifier verifier_;
  Random& random_;
  std::optional<crypto::EcPublicKey> signer_;
  std::optional<Bytes> rc_;
};

// The status word the card answers when a Handle* call fails (ISO 7816-4 / GP §11.1.3):
// 6982 security (signature, certificate), 6985 out of sequence, 6A80 malformed data.
uint16_t KeyEstablishmentStatusWord(const Status& error);

}  // namespace m2mrsp::scp
