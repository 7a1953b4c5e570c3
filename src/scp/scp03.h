// SCP03 over APDUs (GlobalPlatform Card Spec v2.2 Amendment D), both ends: Scp03Host (off-card
// entity: SM-DP for ES8.UpdateConnectivityParameters, test tools) and Scp03Card (a security domain
// of the simulated eUICC). Framing per Amd D §7.1:
//   INITIALIZE UPDATE        80 50 KVN 00 08 <host challenge> 00  → 29/32-byte response + 9000
//   EXTERNAL AUTHENTICATE    84 82 SL 00 10 <host cryptogram> <C-MAC>  (never encrypted)
//   secured command          (CLA|04) INS P1 P2 Lc+8 [enc] data C-MAC [Le]
//   secured response         [enc] data [R-MAC] SW  (only for 9000/62xx/63xx)
// Short APDUs only (Lc <= 255), S8 mode only, pseudo-random (i=70) or random card challenge.
// The host draws its challenge from an injected Random. The card derives its challenge from the
// sequence counter (i = 70), which it increments at every INITIALIZE UPDATE; the caller persists
// sequence_counter() after each one. Any verification failure closes the card's session (Amd D
// §6.2.4: the secure channel is terminated). Objects are single-session state machines; not
// thread-safe; keys are wiped with them. Worked bytes: docs/formats/scp03.md.
#pragma once

#include <optional>

#include "base/random.h"
#include "scp/scp03_channel.h"

namespace m2mrsp::scp {

class Scp03Host {
 public:
  Scp03Host(Scp03Keys keys, Random& random) : keys_(std::move(keys)), random_(random) {}

  // Draws a host challenge and returns the INITIALIZE UPDATE APDU (P1 = the key set's KVN).
  Result<Bytes> InitializeUpdate();
  // Checks the card's answer (data without SW): KVN, SCP 03, S8, card cryptogram; opens the
  // session keys. sw must be 9000.
  Status CheckInitializeUpdateResponse(ByteView data, uint16_t sw);
  // EXTERNAL AUTHENTICATE with the host cryptogram and C-MAC. level: IsScp03SecurityLevel, and
  // R-MAC / R-ENC only when the card's i parameter announced them.
  Result<Bytes> ExternalAuthenticate(uint8_t security_level);
  Status CheckExternalAuthenticateResponse(uint16_t sw);

  // Protects a plain short command APDU (first interindustry CLA, no SM bits set).
  Result<Bytes> Wrap(ByteView command);
  // Verifies/decrypts the response data of the last wrapped command.
  Result<Bytes> Unwrap(ByteView response_data, uint16_t sw);

  const std::optional<InitializeUpdateResponse>& card_info() const { return card_info_; }
  bool authenticated() const { return state_ == State::kAuthenticated; }

 private:
  enum class State { kIdle, kChallengeSent, kKeysDerived, kExtAuthSent, kAuthenticated };
  Scp03Keys keys_;
  Random& random_;
  State state_ = State::kIdle;
  uint8_t level_ = 0;
  Bytes host_challenge_;
  std::optional<InitializeUpdateResponse> card_info_;
  std::optional<Scp03Channel> channel_;
};

struct Scp03CardConfig {
  Scp03Keys keys;
  Bytes sd_aid;                   // AID of the security domain (context of the card challenge)
  uint32_t sequence_counter = 0;  // last value used; the next INITIALIZE UPDATE uses +1
  Bytes key_diversification = Bytes(10, 0);
};

class Scp03Card {
 public:
  explicit Scp03Card(Scp03CardConfig config) : config_(std::move(config)) {}

  // Each handler returns response data (without SW) or an error; status_word() then gives the SW
  // the card answers (GP Card Spec v2.3 §11.1.3 / Amd D §7.1.1.7, §7.1.2.7).
  // INITIALIZE UPDATE: 6A88 unknown KVN, 6700 wrong length, 6A86 bad P2, 6985 counter exhausted.
  Result<Bytes> InitializeUpdate(ByteView command);
  // EXTERNAL AUTHENTICATE: 6985 out of sequence, 6A86 bad level, 6300 host cryptogram, 6982 MAC.
  Result<Bytes> ExternalAuthenticate(ByteView command);
  // A secured command → the plain APDU (CLA without SM bits, Lc without MAC and padding, Le kept).
  // 6982 before authentication or on C-MAC / decryption / padding failure, 6700 length.
  Result<Bytes> UnwrapCommand(ByteView command);
  // Protects the response to the last unwrapped command: R-ENC then R-MAC per the session's
  // level, only for 9000/62xx/63xx (others go out as they are).
  Result<Bytes> WrapResponse(ByteView data, uint16_t sw);

  uint16_t status_word() const { return sw_; }
  bool authenticated() const { return state_ == State::kAuthenticated; }
  uint8_t security_level() const { return level_; }
  uint32_t sequence_counter() const { return config_.sequence_counter; }
  void Close();

 private:
  enum class State { kIdle, kInitialized, kAuthenticated };
  Status Fail(uint16_t sw, Status status);

  Scp03CardConfig config_;
  State state_ = State::kIdle;
  uint8_t level_ = 0;
  uint16_t sw_ = 0x9000;
  std::optional<Scp03Channel> channel_;
};

// 9000, 62xx, 63xx: the responses Amd D §6.2.5 protects (wire digest §4.1 [V pySim]).
bool Scp03ProtectsResponse(uint16_t sw);

}  // namespace m2mrsp::scp
