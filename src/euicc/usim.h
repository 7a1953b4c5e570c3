// The USIM of an enabled profile: 3G AUTHENTICATE (3GPP TS 31.102 §7.1.2, INS 88, P2 81) with
// MILENAGE (TS 35.206) or the TS 34.108 §8.1.2 test algorithm, the SQN array of TS 33.102 Annex C
// (UsimState, persistent), and minimal file access (UsimFiles: SELECT, READ BINARY) over a
// ProfileContent's files for the device side (EF.IMSI, EF.ICCID, EF.AD).
//
// Authenticate() reads the profile's AkaConfig and updates the caller's UsimState; the caller
// persists the state after every call. AkaFunctions is also what a simulated network uses to build
// authentication vectors for the same profile. Not thread-safe (one card = one owner). Layouts,
// SQN reading and worked hex: docs/formats/usim.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/secret.h"
#include "base/status.h"
#include "euicc/profile.h"

namespace m2mrsp::euicc {

// The f-functions of one algorithm, keyed with one profile's K (and OPc).
class AkaFunctions {
 public:
  virtual ~AkaFunctions() = default;
  // rand 16, sqn 6, amf 2 → MAC-A (f1) and MAC-S (f1*), 8 bytes each.
  virtual Status F1(ByteView rand, ByteView sqn, ByteView amf, Bytes& mac_a, Bytes& mac_s) = 0;
  // rand 16 → RES (f2, 8 bytes), CK (f3), IK (f4), AK (f5, 6 bytes).
  virtual Status F2345(ByteView rand, Bytes& res, SecretBytes& ck, SecretBytes& ik, Bytes& ak) = 0;
  // rand 16 → AK for resynchronisation (f5*, 6 bytes).
  virtual Status F5Star(ByteView rand, Bytes& ak) = 0;
};

// MILENAGE (with the config's rotation/xoring constants) or the test algorithm; kInvalidArgument
// for TUAK (not implemented) and for keys of the wrong size.
Result<std::unique_ptr<AkaFunctions>> MakeAkaFunctions(const AkaConfig& aka);

// SQN management parameters read from AkaConfig (TS 33.102 Annex C; decoding of SAIP sqnOptions in
// docs/formats/usim.md §SQN).
struct SqnPolicy {
  unsigned ind_bits = 5;      // length of IND; the array has 2^ind_bits entries
  bool check_delta = true;    // Annex C.2.2: SEQ - SEQ_MS <= Δ
  bool check_age = false;     // Annex C.2.2: SEQ_MS - SEQ <= L (age limit)
  uint64_t delta = 1u << 28;  // Δ as an SQN difference (sqnDelta, 48 bits)
  uint64_t age_limit = 1u << 28;
  static Result<SqnPolicy> FromConfig(const AkaConfig& aka);
};

// The persistent SQN array SEQ_MS(0..2^ind_bits-1) of TS 33.102 Annex C.1.2.
struct UsimState {
  std::vector<uint64_t> seq;  // SEQ part (SQN >> ind_bits) of the highest SQN accepted per IND

  // From sqnInit (each entry an SQN whose SEQ part initialises SEQ_MS(i)).
  static Result<UsimState> Initial(const AkaConfig& aka);
  // SQN_MS: the highest SQN accepted so far (SEQ_MS ‖ its IND), what AUTS conceals.
  uint64_t HighestSqn(unsigned ind_bits) const;

  Bytes Serialize() const;
  static Result<UsimState> Deserialize(ByteView data);
};

// The outcome of the 3G authentication procedure (TS 33.102 §6.3.3).
struct AkaResult {
  enum class Kind { kSuccess, kSyncFailure, kMacFailure };
  Kind kind = Kind::kMacFailure;
  Bytes res;       // kSuccess
  SecretBytes ck;  // kSuccess
  SecretBytes ik;  // kSuccess
  SecretBytes kc;  // kSuccess: c3(CK, IK) (TS 33.102 §6.8.1.2)
  Bytes auts;      // kSyncFailure: SQN_MS ⊕ AK* (6) ‖ MAC-S (8)
};

// Verifies AUTN = SQN⊕AK ‖ AMF ‖ MAC-A against `rand` and the SQN array, updating `state` on
// success. Errors are for unusable configs/inputs of the wrong size, not for card outcomes.
Result<AkaResult> RunAka(const AkaConfig& aka, UsimState& state, ByteView rand, ByteView autn);

// TS 31.102 §7.1.2 AUTHENTICATE, 3G context (CLA 00, INS 88, P1 00, P2 81, data
// `10 RAND 10 AUTN`, Le). Returns the R-APDU: `DB 08 RES 10 CK 10 IK 08 Kc` 9000, `DC 0E AUTS`
// 9000, 9862 on a MAC failure, 6A86/6700/6A80/6D00 for other commands. Never fails.
Bytes Authenticate(const AkaConfig& aka, UsimState& state, ByteView command_apdu);

// Minimal ISO 7816-4 file access over a profile's files (TS 31.102 / TS 102 221): SELECT
// (00 A4, P1 00 by FID from the current DF, 04 by AID for ADF.USIM, 08 path from the MF,
// 09 path from the current DF; P2 04 returns the FCP, 0C nothing) and READ BINARY (00 B0,
// offset in P1 P2). Holds a reference to the profile, which must outlive it.
class UsimFiles {
 public:
  explicit UsimFiles(const ProfileContent& profile) : profile_(profile) {}

  // One command APDU → R-APDU (data ‖ SW): 6A82 not found, 6986 no EF selected, 6B00 offset
  // beyond the file, 6700/6A86/6D00/6E00 malformed. Never fails.
  Bytes ProcessApdu(ByteView command_apdu);

  // The selected file's path ("" before any SELECT).
  const std::string& current_path() const { return current_; }

 private:
  Bytes Select(uint8_t p1, uint8_t p2, ByteView data);
  Bytes ReadBinary(uint8_t p1, uint8_t p2, size_t le);

  const ProfileContent& profile_;
  std::string current_;     // selected file
  std::string current_df_;  // the DF/ADF that relative selections start from
};

}  // namespace m2mrsp::euicc
