// The cryptographic core of a GlobalPlatform SCP03 session (GP Card Spec v2.2 Amendment D), shared
// by the APDU framing (scp03.h: INITIALIZE UPDATE / EXTERNAL AUTHENTICATE / wrapped APDUs) and the
// TLV framing of SGP.02 §4.1.3.3 (scp03t.h: `84` / `85` / `86`), on the host and on the card.
//
// Scp03Channel owns the three session keys (S-ENC, S-MAC, S-RMAC, derived with crypto::Scp03Kdf),
// the MAC chaining value (MCV) and the encryption counter. It knows nothing about framing: callers
// hand it the bytes to MAC (header ‖ data) and the data to encrypt. Amd D rules implemented here:
//   §6.2.4  C-MAC = CMAC(S-MAC, MCV ‖ header ‖ data); MCV := the full 16-byte C-MAC; 8 bytes sent.
//   §6.2.5  R-MAC = CMAC(S-RMAC, MCV ‖ data ‖ SW)[0..8], MCV = C-MAC of the command answered.
//   §6.2.6  C-DEC: data ‖ 80 00.. to 16 bytes, ICV = AES(S-ENC, counter as 16 bytes), AES-CBC.
//   §6.2.7  R-ENC: ICV = AES(S-ENC, 80 ‖ counter as 15 bytes), AES-CBC, padding 80 00...
// One object per session; not thread-safe. Keys are wiped with the object. Byte layouts and worked
// hex: docs/formats/scp03.md.
#pragma once

#include <cstdint>
#include <optional>

#include "base/bytes.h"
#include "base/secret.h"
#include "base/status.h"
#include "crypto/cmac.h"

namespace m2mrsp::scp {

// Security level bits (GP Amd D §5.1, EXTERNAL AUTHENTICATE P1).
inline constexpr uint8_t kScp03CMac = 0x01;
inline constexpr uint8_t kScp03CDecryption = 0x02;
inline constexpr uint8_t kScp03RMac = 0x10;
inline constexpr uint8_t kScp03REncryption = 0x20;
// 01, 03, 11, 13, 33: the combinations Amd D allows (R-ENC needs R-MAC and C-DEC).
bool IsScp03SecurityLevel(uint8_t level);

inline constexpr uint8_t kScp03Identifier = 0x03;
// "i" parameter: b5 (10) pseudo-random card challenge, b6 (20) R-MAC, b7 (40) R-ENC supported;
// b1 (01) would select S16 mode, which we do not implement. SGP.02 ISD-Ps use 70 (resolutions
// §1.1).
inline constexpr uint8_t kScp03iPseudoRandom = 0x70;
inline constexpr size_t kScp03ChallengeSize = 8;   // S8 mode
inline constexpr size_t kScp03CryptogramSize = 8;  // S8 mode
inline constexpr size_t kScp03MacSize = 8;
inline constexpr uint32_t kScp03MaxSequenceCounter = 0xFFFFFF;  // 3 bytes on the wire

// A static SCP03 key set: KVN and the AES keys Key-ENC, Key-MAC, Key-DEK (all 16, 24 or 32 bytes,
// all the same length).
struct Scp03Keys {
  uint8_t kvn = 0x30;
  SecretBytes enc;
  SecretBytes mac;
  SecretBytes dek;

  Scp03Keys Clone() const { return Scp03Keys{kvn, enc.Clone(), mac.Clone(), dek.Clone()}; }
  Status Validate() const;
};

// The data field of the INITIALIZE UPDATE response (Amd D §7.1.1.6), S8 mode:
// key diversification data (10) ‖ KVN ‖ 03 ‖ i ‖ card challenge (8) ‖ card cryptogram (8)
// [‖ sequence counter (3) when i has the pseudo-random bit].
struct InitializeUpdateResponse {
  Bytes key_diversification = Bytes(10, 0);
  uint8_t kvn = 0;
  uint8_t i = kScp03iPseudoRandom;
  Bytes card_challenge;
  Bytes card_cryptogram;
  std::optional<uint32_t> sequence_counter;

  Bytes Encode() const;
  // Strict: 29 or 32 bytes, SCP identifier 03, S8 mode, counter present iff i says so.
  static Result<InitializeUpdateResponse> Decode(ByteView data);
};

// Amd D §6.2.2.1: card challenge = KDF(Key-ENC, constant 02, L = 64, context = sequence counter
// (3 bytes) ‖ AID of the security domain). Verified against the sysmoEUICC1 traces
// (tests/vectors/scp03_apdu.vec) with the ISD-R AID.
Result<Bytes> PseudoRandomCardChallenge(ByteView key_enc, uint32_t sequence_counter,
                                        ByteView sd_aid);

class Scp03Channel {
 public:
  // Derives S-ENC, S-MAC, S-RMAC and both cryptograms from the static keys and the challenges.
  // The MCV starts as 16 zero bytes and the counter at 0 (Amd D §6.2.3, §6.2.6).
  static Result<Scp03Channel> Open(const Scp03Keys& keys, ByteView host_challenge,
                                   ByteView card_challenge);

  Scp03Channel(Scp03Channel&&) noexcept = default;
  Scp03Channel& operator=(Scp03Channel&&) noexcept = default;

  ByteView card_cryptogram() const { return card_cryptogram_; }
  ByteView host_cryptogram() const { return host_cryptogram_; }
  ByteView mcv() const { return mcv_; }
  uint64_t counter() const { return counter_; }

  // Increments the encryption counter; done before every command after EXTERNAL AUTHENTICATE,
  // with or without data (confirmed by the pySim case-1..4 traces, scp03_apdu.vec).
  Status NextCommand();

  // Full 16-byte CMAC(S-MAC, MCV ‖ parts...). Does not change the MCV.
  Result<Bytes> CommandMac(std::initializer_list<ByteView> parts);
  // MCV := full_mac (after the C-MAC was sent or verified).
  void Chain(ByteView full_mac) { mcv_.assign(full_mac.begin(), full_mac.end()); }
  // Computes the C-MAC of `parts`, compares its first 8 bytes with `received` in constant time,
  // and chains on success. On failure the MCV is unchanged and a kSecurity error is returned.
  Status VerifyCommandMac(std::initializer_list<ByteView> parts, ByteView received);

  // First 8 bytes of CMAC(S-RMAC, MCV ‖ parts...).
  Result<Bytes> ResponseMac(std::initializer_list<ByteView> parts);
  Status VerifyResponseMac(std::initializer_list<ByteView> parts, ByteView received);

  // C-DEC with the current counter: pads `80 00..` (always) and encrypts.
  Result<Bytes> EncryptCommandData(ByteView plain);
  // Reverses EncryptCommandData; a length that is not a positive multiple of 16 or a bad padding
  // is a kSecurity error (no distinction visible to the sender: no padding oracle).
  Result<Bytes> DecryptCommandData(ByteView cipher);
  // R-ENC with the current counter (the one of the command being answered).
  Result<Bytes> EncryptResponseData(ByteView plain);
  Result<Bytes> DecryptResponseData(ByteView cipher);

  // The same checks against an earlier command's MCV and counter: a host that sent several
  // commands before reading their responses (SCP03t scripts) checks each response with them.
  Result<Bytes> ResponseMacAt(ByteView mcv, std::initializer_list<ByteView> parts);
  Result<Bytes> DecryptResponseDataAt(uint64_t counter, ByteView cipher);

 private:
  Scp03Channel() = default;
  Result<Bytes> Icv(bool response, uint64_t counter);

  SecretBytes s_enc_;
  std::optional<crypto::Cmac> s_mac_;
  std::optional<crypto::Cmac> s_rmac_;
  Bytes card_cryptogram_;
  Bytes host_cryptogram_;
  Bytes mcv_ = Bytes(16, 0);
  uint64_t counter_ = 0;
};

// `80 00..` padding to a multiple of 16 (always adds at least one byte), and its strict removal.
Bytes Pad80(ByteView data);
Result<Bytes> Unpad80(ByteView data);

}  // namespace m2mrsp::scp
