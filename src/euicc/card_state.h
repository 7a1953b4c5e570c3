// Internal to src/euicc: the complete state of one simulated eUICC (what its NVM holds) and the
// functions of the card's files that operate on it. Euicc owns one CardState on the heap; the
// ISD-R/ECASD handlers (isd_r.cc, ecasd.cc), the platform rules and notification machine
// (card_rules.cc) and persistence (persistence.cc) all work on it. CardState is also the SCP80
// key and counter store handed to the OTA front ends (stable address). Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "base/aid.h"
#include "base/eid.h"
#include "base/random.h"
#include "crypto/ec.h"
#include "euicc/euicc.h"
#include "euicc/isdp_security.h"
#include "euicc/profile.h"
#include "euicc/usim.h"
#include "gp/apdu.h"
#include "gp/get_status.h"
#include "scp/key_establishment.h"
#include "scp/scp80_card.h"

namespace m2mrsp::euicc {

// Fixed NVM cost of one ISD-P (registry entry, keys, security state) on top of its quota or
// profile footprint; a documented model, not a measured figure.
inline constexpr uint32_t kIsdpOverhead = 1024;
// ISD-P TARs the ISD-R accepts at CreateISDP (SGP.02 Annex H [C Njiwa]).
inline constexpr uint32_t kIsdpTarFirst = 0x000010;
inline constexpr uint32_t kIsdpTarLast = 0x00FFFF;
inline constexpr size_t kMaxIsdps = 64;
inline constexpr size_t kMaxNotifications = 64;
// Largest profile package accepted over SCP03t (the card's NVM bounds it anyway).
inline constexpr size_t kMaxPackage = size_t{1} << 20;
// Largest card image Restore accepts. Every change that would let SerializeState outgrow it is
// refused with the command's "not enough memory" answer (ImageSizeBound below) [M].
inline constexpr size_t kMaxImageSize = kMaxCardImage;
// Sizes Manufacture and Restore both enforce, so that the fixed part of the image is bounded.
inline constexpr size_t kMaxScp80Key = 32;
inline constexpr size_t kMaxPskIdentity = 128;
inline constexpr size_t kMaxPsk = 64;
inline constexpr size_t kMaxEcasdCertificate = 1024;

struct Scp80KeySetRecord {
  uint8_t kvn = 0;
  scp::Scp80KeySet keys;  // KIc, KID
  SecretBytes kik;
  uint64_t counter = 0;     // last accepted counter of incoming packets
  uint64_t mo_counter = 0;  // last counter the card used in a packet it originated
};

struct PskRecord {
  Bytes identity;
  uint8_t kvn = 0;
  SecretBytes psk;
};

struct IsdpRecord {
  IsdpRecord(Aid a, uint8_t lcs) : aid(std::move(a)), life_cycle(lcs) {}
  Aid aid;
  uint8_t life_cycle = 0;
  bool fallback = false;
  bool emergency = false;
  std::optional<uint32_t> quota;
  std::optional<InstalledProfile> profile;
  SecretBytes token_key;  // empty = none provisioned (see also security->token_key())
  std::unique_ptr<IsdpSecurity> security;  // engineer B's SCP03/SCP03t/key establishment
  // SCP03t segments of a profile package received so far in the open SCP03t session; empty
  // whenever no such session is open (a new session restarts the package).
  Bytes download;
  Bytes usim_state;  // UsimState::Serialize() of the profile's SQN array; empty = initial
  // Transient: `download` up to here is whole top-level TLVs (profile elements) already scanned,
  // so each segment is scanned once; 0 after a restore (one rescan).
  size_t download_scanned = 0;
};

// The profile switch the card is seeing through (SGP.02 §3.15/§3.16). The kind is the
// notification type the switch ends in when the network attach succeeds.
enum class ChangePhase : uint8_t { kRefresh = 1, kAttach = 2, kConfirm = 3 };
struct PendingChange {
  uint8_t kind = kNotifyProfileChange;  // 02 change, 03 roll-back, 05 fall-back
  ChangePhase phase = ChangePhase::kRefresh;
  std::optional<Aid> previous;  // enabled before the switch (target of a roll-back)
  Aid current;                  // enabled now
  int64_t deadline = 0;         // kConfirm: roll back when reached
  uint16_t sequence = 0;        // kConfirm: the notification awaiting confirmation
};

struct NotificationRecord {
  uint16_t sequence = 0;
  uint8_t type = 0;
  Aid aid;
  int attempts = 0;
  int64_t last_sent = 0;
  // The ISD-P a successful profile change disabled: POL1 "delete when disabled" applies to it
  // when this notification is confirmed.
  std::optional<Aid> disabled;
};

struct CardState final : scp::Scp80CardKeys, scp::Scp80CounterStore {
  CardState(Eid e, crypto::EcPrivateKey key, crypto::EcPublicKey ci)
      : eid(std::move(e)), ecasd_key(std::move(key)), ci_key(std::move(ci)) {}

  Eid eid;
  crypto::EcPrivateKey ecasd_key;
  crypto::EcPublicKey ci_key;
  Bytes ecasd_certificate;
  std::vector<Scp80KeySetRecord> scp80;
  std::vector<PskRecord> psks;
  SmsrAddress smsr;
  uint32_t total_memory = 0;
  uint32_t free_ram = 0;
  CardTimers timers;
  Bytes imei;
  std::vector<IsdpRecord> isdps;  // creation order
  std::optional<PendingChange> change;
  bool refresh_pending = false;
  bool declared = false;  // first-attach notification (type 01) already queued
  uint16_t next_sequence = 0;
  std::vector<NotificationRecord> notifications;

  // Transient (not persisted; a restored card restarts these exchanges): GET STATUS paging and
  // the ISD-R key establishment of an SM-SR change.
  size_t get_status_next = 0;
  bool get_status_open = false;
  Bytes get_status_filter;
  std::vector<tlv::Tag> get_status_tags;
  std::optional<scp::KeyEstablishmentCard> isdr_key_establishment;
  // The enabled profile's content as the device sees it; InvalidateUsim() drops it whenever an
  // ISD-P's profile or life cycle changes.
  std::optional<Aid> usim_aid;
  std::unique_ptr<ProfileContent> usim_profile;
  std::unique_ptr<UsimFiles> usim_files;

  // scp::Scp80CardKeys: every TAR of the card is served with the ISD-R key sets (ota_card.h).
  std::optional<scp::MinimumSecurity> FindTar(const Tar& tar) const override;
  const scp::Scp80KeySet* FindKeySet(const Tar& tar, uint8_t key_set) const override;
  // scp::Scp80CounterStore.
  Result<uint64_t> Load(uint8_t key_set) override;
  Status Save(uint8_t key_set, uint64_t counter) override;

  IsdpRecord* FindIsdp(const Aid& aid);
  const IsdpRecord* FindIsdp(const Aid& aid) const;
  IsdpRecord* Enabled();
  IsdpRecord* FallBack();
  uint32_t UsedMemory() const;
  uint32_t FreeMemory() const;
};

uint32_t IsdpUsage(const IsdpRecord& isdp);

// Drops the device channel's view of the enabled profile (install, delete, switch, update).
void InvalidateUsim(CardState& s);
// An upper bound of SerializeState(s).size() (persistence.cc), and whether `growth` more bytes
// keep it within kMaxImageSize.
size_t ImageSizeBound(const CardState& s);
bool FitsImage(const CardState& s, size_t growth);
// The timer values Manufacture and Restore accept.
Status ValidateTimers(const CardTimers& timers);

// --- card_rules.cc: the platform rules and the notification / roll-back machine -------------
// Each returns the status word of the ES5 command (9000 on success).
uint16_t EnableProfile(CardState& s, const Aid& aid);
uint16_t DisableProfile(CardState& s, const Aid& aid);
uint16_t DeleteProfile(CardState& s, const Aid& aid);
uint16_t SetFallBack(CardState& s, const Aid& aid);
uint16_t SetEmergency(CardState& s, const Aid& aid);
// HandleNotificationConfirmation: fills `deleted` with the ISD-Ps removed as a consequence.
uint16_t ConfirmNotification(CardState& s, uint16_t sequence, std::vector<Aid>& deleted);
void OnAttach(CardState& s, bool attached, int64_t now);
void OnTick(CardState& s, int64_t now);
std::vector<OutgoingNotification> Due(CardState& s, int64_t now);
void Sent(CardState& s, uint16_t sequence, int64_t now);
Bytes EncodeNotification(const CardState& s, const NotificationRecord& n);

// --- isd_r.cc / ecasd.cc ----------------------------------------------------------------------
Bytes HandleIsdR(CardState& s, Random& random, const gp::CommandApdu& apdu);
Bytes HandleEcasd(CardState& s, const gp::CommandApdu& apdu);
// isd_p.cc: ES8 commands to an ISD-P (raw bytes: SCP03 MACs cover them as sent).
Bytes HandleIsdp(CardState& s, IsdpRecord& p, ByteView raw);
Bytes HandleIsdpScp03t(CardState& s, IsdpRecord& p, ByteView tlvs);
// The R-APDU of the device's basic channel (USIM of the enabled profile).
Bytes HandleDevice(CardState& s, ByteView raw);
// Installs a profile into `p` (SELECTABLE/PERSONALIZED → DISABLED) within the memory rules.
Status Install(CardState& s, IsdpRecord& p, InstalledProfile profile);
// What Install requires of a profile: ICCID digits, content that ProfileContent::Deserialize
// accepts (the device channel reads it later).
Status ValidateInstalledProfile(const InstalledProfile& profile);

// --- persistence.cc ---------------------------------------------------------------------------
Bytes SerializeState(const CardState& s);
Result<std::unique_ptr<CardState>> RestoreState(ByteView image, Random& random);

// R-APDU helpers.
Bytes Sw(uint16_t sw);
Bytes WithSw(Bytes data, uint16_t sw);

}  // namespace m2mrsp::euicc
