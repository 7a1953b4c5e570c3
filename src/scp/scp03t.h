// SCP03t: SCP03 carried in BER-TLVs for profile download (SGP.02 §4.1.3.3), SM-DP (Scp03tHost)
// and ISD-P (Scp03tCard) sides. The TLVs travel directly in the expanded remote command script of
// ES3.SendData → ES5, without status words (shared/spec/sgp02-resolutions.md §1):
//   84 0A  KVN ‖ key id ‖ host challenge          → 84 20 <INITIALIZE UPDATE response, 32 bytes>
//   85 11  SL(33) ‖ host cryptogram ‖ C-MAC        → 85 00
//   86 L   AES-CBC(S-ENC) segment ‖ C-MAC          → 86 00, or 86 L R-ENC data ‖ R-MAC
//   errors → 9F44 / 9F45 / 9F46 01 <01 length-structure | 02 security | 03 unknown key>
// C-MAC = CMAC(S-MAC, MCV ‖ tag ‖ length ‖ value without MAC), the length counting the MAC; the
// MCV starts at zero for `85` and chains through every `86`; the counter is 0 after `85` and
// incremented before each `86`; R-MAC = CMAC(S-RMAC, MCV ‖ 86 ‖ L ‖ encrypted data). What is
// spec, what is [C2]/[C] and what is reconstructed: docs/formats/scp03t.md.
// The host can protect a whole package before sending it (it keeps, per `86`, what is needed to
// check the matching response later) and can predict the card challenge from the sequence counter
// so `84` and `85` go in one script. The card checks order and integrity, decrypts, passes each
// segment to a handler (default: reassembly within Scp03tLimits) and closes its session on any
// error: the host must restart with `84`. Single-session objects; not thread-safe.
#pragma once

#include <deque>
#include <functional>
#include <utility>

#include "base/random.h"
#include "scp/scp03.h"

namespace m2mrsp::scp {

inline constexpr uint8_t kScp03tInitializeUpdate = 0x84;
inline constexpr uint8_t kScp03tExternalAuthenticate = 0x85;
inline constexpr uint8_t kScp03tData = 0x86;
// SGP.02 §4.1.3.3 via resolutions §1.1: the only security level offered.
inline constexpr uint8_t kScp03tSecurityLevel = 0x33;
// Error response values (resolutions §1.3, [C] WHTY + field report).
inline constexpr uint8_t kScp03tErrorLength = 0x01;
inline constexpr uint8_t kScp03tErrorSecurity = 0x02;
inline constexpr uint8_t kScp03tErrorUnknownKey = 0x03;
// Resolutions §1.5: at most 1024 bytes per `86` TLV; 1000 plaintext bytes give 1020.
inline constexpr size_t kScp03tMaxTlvSize = 1024;
inline constexpr size_t kScp03tDefaultSegmentSize = 1000;

// The error TLV `9F (tag - 40) 01 reason` for a command tag 84/85/86.
Bytes Scp03tErrorTlv(uint8_t command_tag, uint8_t reason);

class Scp03tHost {
 public:
  // key_id: the second byte of `84` (WHTY 00, Njiwa 01; resolutions §1.1).
  Scp03tHost(Scp03Keys keys, Random& random, uint8_t key_id = 0x00)
      : keys_(std::move(keys)), random_(random), key_id_(key_id) {}

  Result<Bytes> InitializeUpdate();
  // Lets `85` be built before the card answers `84`: derives the card challenge the card will use
  // with sequence counter `next_counter` (last known + 1) and the ISD-P AID (resolutions §1.4).
  Status PredictCardChallenge(ByteView sd_aid, uint32_t next_counter);
  // Checks `84 20 …` (or a prediction made earlier against it); a `9F44` TLV becomes an error.
  Status CheckInitializeUpdateResponse(ByteView tlv);
  Result<Bytes> ExternalAuthenticate();
  Status CheckExternalAuthenticateResponse(ByteView tlv);

  // One protected `86` TLV. plain: 1..max_plain bytes (the TLV must stay within 1024 bytes).
  Result<Bytes> ProtectSegment(ByteView plain);
  // Cuts `package` (opaque bytes) into segments of at most `segment_size` plaintext bytes.
  Result<std::vector<Bytes>> ProtectPackage(ByteView package,
                                            size_t segment_size = kScp03tDefaultSegmentSize);
  // Checks the response to the oldest unanswered `86`, in order: `86 00` → empty; `86 L` →
  // decrypted response data; `9F46 …` → error (and the session is over).
  Result<Bytes> CheckDataResponse(ByteView tlv);
  size_t pending_responses() const { return pending_.size(); }

 private:
  enum class State { kIdle, kChallengeSent, kKeysDerived, kExtAuthSent, kAuthenticated };
  struct Pending {  // what the response to one `86` is checked against
    Bytes mcv;
    uint64_t counter;
  };
  Status Open(ByteView card_challenge);
  void Reset();

  Scp03Keys keys_;
  Random& random_;
  uint8_t key_id_;
  State state_ = State::kIdle;
  bool predicted_ = false;
  bool card_confirmed_ = false;
  Bytes host_challenge_;
  Bytes card_challenge_;
  std::optional<Scp03Channel> channel_;
  std::deque<Pending> pending_;
};

struct Scp03tLimits {
  size_t max_tlv_size = kScp03tMaxTlvSize;  // whole `86` TLV, tag and length included
  size_t max_package_size = 1 << 20;        // reassembled profile package (default handler)
};

class Scp03tCard {
 public:
  // Receives each decrypted segment in order; returns the response data for it (empty → `86 00`;
  // e.g. the SAIP EUICCResponse after the last segment) or an error, which is answered as a
  // `9F46 01 01` and ends the session.
  using SegmentHandler = std::function<Result<Bytes>(ByteView segment)>;

  explicit Scp03tCard(Scp03CardConfig config, Scp03tLimits limits = {});

  // Replaces the default handler (reassembly into package()).
  void set_segment_handler(SegmentHandler handler) { handler_ = std::move(handler); }

  // One command TLV → one response TLV. Never fails: errors are `9F4x` TLVs (status()).
  Bytes Process(ByteView command_tlv);
  // A script body of TLVs → the concatenated responses; stops after the first error response.
  Bytes ProcessScript(ByteView tlvs);

  // The last error (OK after a successful command).
  const Status& status() const { return status_; }
  bool authenticated() const { return state_ == State::kAuthenticated; }
  uint32_t sequence_counter() const { return config_.sequence_counter; }
  // What the default handler reassembled in the current session (a new `84` empties it: after an
  // error the SM-DP restarts the download from its first segment [M]).
  const Bytes& package() const { return package_; }
  Bytes TakePackage() { return std::exchange(package_, Bytes{}); }

 private:
  enum class State { kIdle, kInitialized, kAuthenticated };
  Bytes Fail(uint8_t tag, uint8_t reason, Status status);
  Bytes HandleInitializeUpdate(ByteView value);
  Bytes HandleExternalAuthenticate(ByteView header, ByteView value);
  Bytes HandleData(ByteView header, ByteView value);
  Result<Bytes> Reassemble(ByteView segment);  // the default handler
  void Close();

  Scp03CardConfig config_;
  Scp03tLimits limits_;
  SegmentHandler handler_;
  State state_ = State::kIdle;
  Status status_;
  std::optional<Scp03Channel> channel_;
  Bytes package_;
};

}  // namespace m2mrsp::scp
