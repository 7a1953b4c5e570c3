// Euicc: the SGP.02 eUICC simulator core — ECASD, ISD-R, ISD-Ps, the platform rules (one enabled
// profile, POL1, fall-back and emergency attributes, memory), default notifications with
// roll-back and fall-back, and persistence of the whole card. It implements OtaCard, the face the
// SCP80/SCP81 front ends see, plus a device-side API (REFRESH, network attach results, time).
//
// The card does no I/O: time arrives as arguments (and through the injected Clock, which must
// outlive the card), randomness through the injected Random (also outliving the card). All state
// lives behind one heap object, so an Euicc moves cheaply and keeps the addresses that
// Scp80Keys()/Scp80Counters() hand out. Command handling and the state machine are documented in
// docs/formats/euicc.md; decisions not backed by public spec text in
// docs/spec-map.parts/euicc-card.md. Not thread-safe: one owner serialises all calls.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/clock.h"
#include "base/eid.h"
#include "base/random.h"
#include "base/secret.h"
#include "base/status.h"
#include "crypto/ec.h"
#include "euicc/ota_card.h"

namespace m2mrsp::euicc {

// POL1 rule bits as this card reads them (no public source for the coding: [?], spec-map).
inline constexpr uint8_t kPol1DisableNotAllowed = 0x01;
inline constexpr uint8_t kPol1DeleteNotAllowed = 0x02;
inline constexpr uint8_t kPol1DeleteWhenDisabled = 0x04;

// Default notification types (SGP.02 §4.1.1.11, tag `4D`).
inline constexpr uint8_t kNotifyFirstAttach = 0x01;
inline constexpr uint8_t kNotifyProfileChange = 0x02;
inline constexpr uint8_t kNotifyRollBack = 0x03;
inline constexpr uint8_t kNotifyFallBack = 0x05;

// What the ISD-R needs to know about an installed profile: POL1, the connectivity parameters
// (the only parts visible across the ISD-P boundary, SGP.02 §4.4), the memory it occupies, and
// the profile content itself as opaque bytes (ProfileContent::Serialize() of the ISD-P side).
struct InstalledProfile {
  std::string iccid;  // decimal digits, may be empty
  uint8_t pol1 = 0;
  uint32_t footprint = 0;  // bytes of NVM the profile occupies
  Bytes connectivity_parameters;
  Bytes content;
};

// A SAIP profile package (DER) as the card installs it: saip::Validate, then
// ProfileContent::FromPackage (POL1, connectivity parameters, footprint, serialised content).
// For pre-installed profiles at manufacturing; downloads use the same mapping.
Result<InstalledProfile> InstalledProfileFromPackage(ByteView der);

struct Scp80KeySetConfig {
  uint8_t kvn = 1;  // 1..15: the key-set nibble of KIc/KID
  SecretBytes kic, kid, kik;
  uint64_t counter = 0;  // last accepted replay counter
};

struct Scp81PskConfig {
  Bytes identity;      // PSK-TLS identity as received in the handshake
  uint8_t kvn = 0x40;  // 40..4F (security digest §1.2)
  SecretBytes psk;
};

struct CardTimers {
  int64_t confirmation_timeout_seconds = 600;  // no HandleNotificationConfirmation → roll back
  int64_t retransmission_interval_seconds = 120;
  int max_attempts = 0;  // transmissions per notification; 0 = unlimited
};

// A profile present at manufacturing (the provisioning profile), installed Enabled.
struct PreinstalledProfile {
  uint32_t tar = 0x000010;  // ISD-P AID = A0000005591010FFFFFFFF89 ‖ tar ‖ 00
  InstalledProfile profile;
  bool fallback = true;
};

struct ManufacturingConfig {
  std::string eid;  // 32 digits
  crypto::Curve curve = crypto::Curve::kNistP256;
  SecretBytes ecasd_private_scalar;  // SK.ECASD.ECKA
  Bytes ecasd_certificate;           // CERT.ECASD.ECKA, the whole `7F21` TLV
  Bytes ci_public_point;             // PK.CI.ECDSA, uncompressed point on `curve`
  std::vector<Scp80KeySetConfig> scp80_key_sets;
  std::vector<Scp81PskConfig> scp81_keys;
  SmsrAddress smsr_address;
  uint32_t total_memory = 512 * 1024;  // NVM for ISD-Ps and profiles
  uint32_t free_ram = 16 * 1024;       // reported in FF21 `83`
  CardTimers timers;
  Bytes imei;  // 8 bytes BCD (tag `14`), empty = not reported
  std::optional<PreinstalledProfile> preinstalled;
};

struct CardState;

// The largest card image Restore() accepts; Serialize() never produces a larger one.
inline constexpr size_t kMaxCardImage = size_t{8} << 20;

class Euicc final : public OtaCard {
 public:
  // Validates the configuration (EID check digits, key on curve, KVN ranges, unique identities,
  // key and certificate sizes, timers, the pre-installed profile) as Restore validates an image.
  static Result<Euicc> Manufacture(ManufacturingConfig config, const Clock& clock, Random& random);
  // Rebuilds a card from Serialize() output; any malformed image is an error.
  static Result<Euicc> Restore(ByteView image, const Clock& clock, Random& random);
  // The complete card image (NVM): it holds key material, so treat it as a secret at rest.
  Bytes Serialize() const;

  Euicc(Euicc&&) noexcept;
  Euicc& operator=(Euicc&&) noexcept;
  ~Euicc() override;

  // --- OtaCard --------------------------------------------------------------------------------
  std::optional<Aid> ApplicationForTar(const Tar& tar) const override;
  const scp::Scp80CardKeys& Scp80Keys() const override;
  scp::Scp80CounterStore& Scp80Counters() override;
  std::optional<SecretBytes> Scp81Psk(ByteView identity) const override;
  Bytes ProcessApdu(const Aid& target, ByteView command_apdu) override;
  Bytes ProcessScp03t(const Aid& target, ByteView command_tlvs) override;
  std::vector<OutgoingNotification> DueNotifications(int64_t now_unix_seconds) override;
  void NotificationSent(uint16_t sequence_number, int64_t now_unix_seconds) override;
  SmsrAddress SmsrAddressing() const override;
  // The lowest-numbered SCP80 key set left on the ISD-R (spec-map [?]): it follows the key sets
  // through EstablishISDRKeySet / FinaliseISDRhandover.
  std::optional<uint8_t> NotificationKeySet() const override;
  Result<uint64_t> NextOriginatedCounter(uint8_t key_set) override;

  // --- Device side (SGP.02 §3.15, §3.16) -------------------------------------------------------
  // A REFRESH proactive command is waiting for the device (after a profile switch).
  bool PendingRefresh() const;
  void RefreshDone();
  // The device's network attach outcome with the enabled profile.
  void OnAttachResult(bool attached, int64_t now_unix_seconds);
  // Deadlines: an unconfirmed profile change rolls back after CardTimers::confirmation_timeout.
  void Tick(int64_t now_unix_seconds);
  void SetImei(Bytes imei_bcd);
  // The device's basic channel: the USIM of the enabled profile (TS 31.102: SELECT, READ BINARY,
  // AUTHENTICATE). 6A82 when no profile is enabled. Never fails.
  Bytes Transmit(ByteView command_apdu);

  // --- Provisioning hooks for the ISD-P side --------------------------------------------------
  // Installs a profile into an ISD-P in state SELECTABLE or PERSONALIZED, which becomes DISABLED.
  // Errors: unknown ISD-P (kNotFound), wrong state (kFailedPrecondition), memory (kLimitExceeded).
  Status InstallProfile(const Aid& isdp, InstalledProfile profile);
  // The MasterDelete token key of an ISD-P (what PUT KEY KVN 70 provisions; resolutions §4).
  Status SetTokenKey(const Aid& isdp, SecretBytes key);

  // --- Observers -------------------------------------------------------------------------------
  const Eid& eid() const;
  std::optional<Aid> EnabledProfile() const;
  std::optional<uint8_t> LifeCycle(const Aid& isdp) const;
  std::optional<InstalledProfile> Profile(const Aid& isdp) const;
  bool IsFallBack(const Aid& isdp) const;
  bool IsEmergency(const Aid& isdp) const;
  uint32_t FreeMemory() const;
  std::vector<Aid> Isdps() const;
  // An upper bound of Serialize().size(); the card refuses work ("not enough memory") that would
  // take it past kMaxCardImage, the largest image Restore accepts.
  size_t ImageSizeBound() const;

 private:
  Euicc(std::unique_ptr<CardState> state, const Clock& clock, Random& random);
  std::unique_ptr<CardState> state_;
  const Clock* clock_;
  Random* random_;
};

}  // namespace m2mrsp::euicc
