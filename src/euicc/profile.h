// ProfileContent: what an installed profile holds on the simulated eUICC, distilled from a decoded
// SAIP profile package (TCA eUICC Profile Package: Interoperable Format): the header (ICCID, POL1?,
// connectivity parameters), the file system (MF/USIM files with their FCP and content), the
// network-access parameters (akaParameter), PIN/PUK codes and the MNO-SD with its keys. The ISD-P
// that owns the profile owns one ProfileContent; USIM authentication (usim.h) and file access read
// it. Keys are SecretBytes (wiped with the object, never printed). Serialize()/Deserialize() give
// the persistent form (TLV with a leading format version, docs/formats/usim.md §Profile);
// Deserialize validates everything. Plain data; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/iccid.h"
#include "base/secret.h"
#include "base/status.h"
#include "saip/package.h"

namespace m2mrsp::euicc {

// SAIP AlgorithmID (akaParameter.algoConfiguration.algoParameter.algorithmID).
enum class AkaAlgorithm : uint8_t { kMilenage = 1, kTuak = 2, kTestAlgorithm = 3 };

// The network-access parameters of one akaParameter PE. Defaults are the SAIP ASN.1 DEFAULTs.
struct AkaConfig {
  AkaAlgorithm algorithm = AkaAlgorithm::kMilenage;
  uint8_t algorithm_options = 0;  // SAIP algorithmOptions (opaque to us)
  SecretBytes k;                  // 16 bytes (MILENAGE, test algorithm)
  SecretBytes opc;                // 16 bytes (MILENAGE); unused by the test algorithm
  // MILENAGE r1..r5 in bits (SAIP rotationConstants, default '4000204060'H).
  std::array<uint8_t, 5> rotation = {0x40, 0x00, 0x20, 0x40, 0x60};
  // MILENAGE c1..c5 (SAIP xoringConstants, 80 bytes); empty = the TS 35.206 defaults.
  Bytes xoring;
  // SQN management (SAIP sqnOptions / sqnDelta / sqnAgeLimit / sqnInit; usim.h, TS 33.102 Annex C).
  uint8_t sqn_options = 0x02;
  Bytes sqn_delta = {0x00, 0x00, 0x10, 0x00, 0x00, 0x00};      // 6 bytes
  Bytes sqn_age_limit = {0x00, 0x00, 0x10, 0x00, 0x00, 0x00};  // 6 bytes
  std::vector<Bytes> sqn_init;  // up to 32 × 6 bytes; empty = all zero

  AkaConfig Clone() const;
};

// A PIN or PUK code of the profile (SAIP pinCodes / pukCodes).
struct SecretCode {
  uint8_t key_reference = 0;  // e.g. 01 PIN1, 81 PIN2, 0A ADM1; PUK: 01, 81
  SecretBytes value;          // 8 bytes, FF-padded
  uint8_t max_attempts = 3;
  uint8_t remaining_attempts = 3;
  bool disabled = false;  // PINs only (SAIP pinAttributes "disabled")

  SecretCode Clone() const;
};

// One key of a security domain (GP key information: KVN, key id, usage qualifier, key type).
struct SdKey {
  uint8_t kvn = 0;
  uint8_t key_id = 0;
  uint8_t usage = 0;    // GP key usage qualifier (e.g. 38 = C-MAC/R-MAC/C-DEC/R-ENC sets)
  uint8_t type = 0x88;  // GP key type: 88 AES, 80 DES
  SecretBytes key;

  SdKey Clone() const;
};

// The MNO-SD of the profile (SAIP securityDomain PE with the MNO-SD template).
struct MnoSecurityDomain {
  Aid aid;
  std::vector<SdKey> keys;

  MnoSecurityDomain Clone() const;
};

// One elementary or dedicated file of the profile: its FCP template (`62 …`) and, for EFs, the
// content (FCP fields the SAIP template supplies by default may be absent). Paths name files by FID
// from the MF ("3F00", "3F00/2FE2") or from an ADF
// ("ADF.USIM", "ADF.USIM/6F07"); see docs/formats/usim.md §Paths.
struct ProfileFile {
  Bytes fcp;
  Bytes content;
  bool is_df = false;  // MF, DF or ADF (SAIP templates may leave the descriptor out of fcp)
};

struct ProfileContent {
  explicit ProfileContent(Iccid profile_iccid) : iccid(std::move(profile_iccid)) {}
  ProfileContent(ProfileContent&&) noexcept = default;
  ProfileContent& operator=(ProfileContent&&) noexcept = default;

  // Maps the decoded package: header (ICCID, POL1, connectivity parameters), MF/USIM files,
  // akaParameter, pinCodes/pukCodes and the MNO-SD. Errors name the PE that is not usable.
  static Result<ProfileContent> FromPackage(const saip::Package& package);

  Bytes Serialize() const;
  static Result<ProfileContent> Deserialize(ByteView data);
  // The value rules Deserialize enforces (PIN/PUK attempt counts, key and constant sizes, list
  // lengths, file paths, IMSI digits, serialised size): FromPackage applies them too, so every
  // mapped package deserialises again. Errors are kInvalidArgument naming the field.
  Status Validate() const;
  ProfileContent Clone() const;

  // Sum of file sizes + fixed overheads (docs/formats/usim.md §Footprint); recomputed by
  // FromPackage/Deserialize, recompute after editing files.
  size_t ComputeFootprint() const;

  Iccid iccid;
  std::string imsi;  // digits, from EF.IMSI when present
  uint8_t pol1 = 0;  // 0 when absent
  Bytes connectivity_parameters;
  std::vector<AkaConfig> aka;
  std::vector<SecretCode> pins;
  std::vector<SecretCode> puks;
  std::optional<MnoSecurityDomain> mno_sd;
  std::map<std::string, ProfileFile> files;
  size_t footprint = 0;
};

// Fixed overheads of the footprint (docs/formats/usim.md §Footprint).
inline constexpr size_t kProfileFixedOverhead = 512;
inline constexpr size_t kFileOverhead = 32;

}  // namespace m2mrsp::euicc
