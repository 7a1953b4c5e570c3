// IsdpSecurity: the security of one ISD-P on the simulated eUICC, as the card's dispatcher calls
// it. It holds the ISD-P's SCP03 key set and token key and runs, on the card side:
//   - key establishment (ES8.EstablishISDPKeySet, GP Amd E scenario #3, SGP.02 §4.1.3.1):
//     the data fields of STORE DATA `3A01` / `3A02` through scp::KeyEstablishmentCard, the SM-DP
//     certificate checked by a caller-supplied verifier, SK.ECASD.ECKA supplied by the caller;
//     the new keys become the SCP03 key set (KVN per the CRT, `30` by default, resolutions §1.6);
//   - an SCP03 session over APDUs (INITIALIZE UPDATE 8050, EXTERNAL AUTHENTICATE 8482, then
//     CLA 84 commands unwrapped to plain APDUs, responses wrapped) through scp::Scp03Card;
//   - SCP03t (SGP.02 §4.1.3.3) through scp::Scp03tCard; decrypted segments go to the caller's
//     handler, which accumulates and installs the package;
//   - PUT KEY of the token key (KVN 70, resolutions §4) inside the SCP03 session.
// It knows nothing about ISD-R rules or profile states. Serialize()/Restore() keep the keys, the
// sequence counters and the open sessions: a session is restored by replaying the commands it
// has accepted into a fresh scp card object (both are deterministic given keys and counter);
// a key establishment between `3A01` and `3A02` is not kept (the SM-DP restarts at `3A01`).
// docs/formats/usim.md §ISD-P state. Keys are wiped with the object. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/clock.h"
#include "base/random.h"
#include "base/secret.h"
#include "base/status.h"
#include "crypto/ec.h"
#include "crypto/x509.h"
#include "scp/key_establishment.h"
#include "scp/scp03.h"
#include "scp/scp03t.h"

namespace m2mrsp::euicc {

// The token key set (resolutions §4: KVN 70, one AES key id 01, used for MasterDelete tokens).
inline constexpr uint8_t kTokenKeyVersion = 0x70;

// The standard SM-DP certificate check: CERT.DP.ECDSA (`7F21`) chained to the CI at clock.Now().
// `ci` is copied; `clock` must outlive the verifier.
scp::KeyEstablishmentCard::CertificateVerifier SmDpCertificateVerifier(
    const crypto::X509Certificate& ci, const Clock& clock);

class IsdpSecurity {
 public:
  // Receives each decrypted SCP03t segment in order; returns the response data for it (empty for
  // intermediate segments; the SAIP EUICCResponse once the package is complete) or an error
  // (answered as `9F46 01 01`, the session ends). A non-empty answer ends the SCP03t session
  // after it is sent (the download is over, SGP.02 §4.1.3.3 [M]): its replay log is dropped.
  using SegmentHandler = std::function<Result<Bytes>(ByteView segment)>;

  // Bounds of one session's replay log; past either the session is closed (the host restarts).
  // Serialize() output always fits what Restore() accepts (kMaxSerializedSize).
  static constexpr size_t kMaxSessionLog = size_t{2} << 20;
  static constexpr size_t kMaxSessionCommands = 16384;

  // `random` draws the key-establishment challenges; it must outlive the object.
  IsdpSecurity(Aid isdp_aid, Random& random);
  ~IsdpSecurity();
  IsdpSecurity(IsdpSecurity&&) noexcept;
  IsdpSecurity& operator=(IsdpSecurity&&) noexcept;

  const Aid& aid() const { return aid_; }

  // --- Key establishment (STORE DATA data fields, P1 09 then 89) -------------------------------
  // `3A01`: returns `85 10 RC`. ecasd_key must stay alive until HandleKeyParameters returns.
  Result<Bytes> HandleCertificate(ByteView data, const crypto::EcPrivateKey& ecasd_key,
                                  scp::KeyEstablishmentCard::CertificateVerifier verifier);
  // `3A02 ‖ 7F49 ‖ 5F37`: returns `[85 L DR] 86 10 receipt` and installs the SCP03 key set
  // (replacing any previous one; open sessions are closed).
  Result<Bytes> HandleKeyParameters(ByteView data);
  // The SW for a failed Handle* call (6982 / 6985 / 6A80; scp::KeyEstablishmentStatusWord).
  static uint16_t KeyEstablishmentStatusWord(const Status& error);

  // Installs a key set directly (personalisation of a test card, restoring from an EIS).
  Status SetKeys(scp::Scp03Keys keys);
  bool has_keys() const { return keys_.has_value(); }
  uint8_t kvn() const;  // 0 without keys

  // --- SCP03 over APDUs (GP Amd D) --------------------------------------------------------------
  // INITIALIZE UPDATE (80 50) or EXTERNAL AUTHENTICATE (84 82) → R-APDU (data ‖ SW); 6A88 without
  // keys. Never fails.
  Bytes ProcessSessionApdu(ByteView apdu);
  // A C-MAC'd (and C-DEC'd) command with CLA 84 → the plain inner APDU (CLA 80). On failure the
  // session is closed and session_status_word() gives the SW to answer (6982, 6700, ...).
  Result<Bytes> UnwrapCommand(ByteView apdu);
  // Protects the R-APDU (data ‖ SW) of the last unwrapped command per the session's level.
  Bytes WrapResponse(ByteView rapdu);
  uint16_t session_status_word() const { return sw_; }
  bool session_open() const;

  // PUT KEY of the token key (plain APDU after UnwrapCommand: 80 D8 00 01 Lc 70 88 L L
  // <AES-CBC(Key-DEK, zero IV, key)> 03 <KCV>): returns the response data `70 ‖ KCV(3)` (GP CS
  // §11.8.3); errors: 6A80 malformed / KCV mismatch, 6985 without an authenticated session.
  Result<Bytes> PutTokenKey(ByteView apdu);
  const std::optional<SecretBytes>& token_key() const { return token_key_; }
  // Checks a 16-byte AES-CMAC token made with the token key over `signed_data` (MasterDelete,
  // resolutions §4); kSecurity when it does not match or no token key is set.
  Status VerifyToken(ByteView signed_data, ByteView token) const;

  // --- SCP03t (SGP.02 §4.1.3.3) -----------------------------------------------------------------
  // A script body of `84`/`85`/`86` TLVs → the response TLVs (`9F4x` errors included); segments
  // go to `handler` in order. Never fails; without keys `84` answers `9F44 01 03`.
  Bytes ProcessScp03t(ByteView command_tlvs, const SegmentHandler& handler);
  bool scp03t_open() const;
  // Segments (`86`) the current SCP03t session has accepted; 0 without a session. The card uses
  // it to start a new package with the first segment of each session.
  size_t scp03t_segments() const;
  uint32_t sequence_counter() const { return sequence_counter_; }

  // Ends any open SCP03 or SCP03t session (the card refuses work it cannot persist).
  void CloseSessions();

  // --- Persistence ------------------------------------------------------------------------------
  Bytes Serialize() const;
  // An upper bound of Serialize().size(), computed without serialising (the card budgets its
  // image with it). Grows by at most `command.size() + kLoggedCommandOverhead` per logged command.
  size_t SerializedSizeBound() const;
  static constexpr size_t kLoggedCommandOverhead = 8;
  // Replaces this object's state with `data` (validated; on error the object is unchanged).
  Status Restore(ByteView data);

 private:
  struct Session;  // the replayable state of one SCP03 or SCP03t session

  Aid aid_;
  Random* random_;
  std::optional<scp::Scp03Keys> keys_;
  std::optional<SecretBytes> token_key_;
  // The key set's sequence counter (GP Amd D §6.2.2.1), shared by both framings: the SM-DP
  // predicts the next card challenge from it whichever framing it uses [M]. Opening a session in
  // one framing closes one open in the other (one secure channel per SD).
  uint32_t sequence_counter_ = 0;
  uint16_t sw_ = 0x9000;
  std::unique_ptr<scp::KeyEstablishmentCard> key_establishment_;
  std::unique_ptr<Session> apdu_session_;
  std::unique_ptr<Session> tlv_session_;
};

}  // namespace m2mrsp::euicc
