// Euicc: manufacturing, the APDU dispatcher (SGP.02 §2.4 routing of ES5/ES8 by target), the
// OtaCard key access and the device-side entry points. The command handlers live in isd_r.cc and
// ecasd.cc, the rules and notification machine in card_rules.cc, the image in persistence.cc.
#include "euicc/euicc.h"

#include <algorithm>
#include <set>

#include "euicc/card_state.h"
#include "gp/aids.h"
#include "gp/apdu.h"
#include "gp/get_status.h"
#include "gp/status_word.h"
#include "tlv/ber.h"

namespace m2mrsp::euicc {

Bytes Sw(uint16_t sw) { return {gp::Sw1(sw), gp::Sw2(sw)}; }
Bytes WithSw(Bytes data, uint16_t sw) {
  data.push_back(gp::Sw1(sw));
  data.push_back(gp::Sw2(sw));
  return data;
}

uint32_t IsdpUsage(const IsdpRecord& isdp) {
  const uint32_t footprint = isdp.profile.has_value() ? isdp.profile->footprint : 0;
  return kIsdpOverhead + std::max(isdp.quota.value_or(0), footprint);
}

// --- CardState ------------------------------------------------------------------------------

std::optional<scp::MinimumSecurity> CardState::FindTar(const Tar& tar) const {
  if (tar.value() == 0x000001 || tar.value() == 0x000002)
    return scp::MinimumSecurity{true, false, false};
  for (const auto& r : isdps) {
    auto t = gp::TarOfIsdPAid(r.aid);
    if (t.ok() && *t == tar) return scp::MinimumSecurity{true, false, false};
  }
  return std::nullopt;
}

const scp::Scp80KeySet* CardState::FindKeySet(const Tar& tar, uint8_t key_set) const {
  if (!FindTar(tar).has_value()) return nullptr;
  for (const auto& k : scp80)
    if (k.kvn == key_set) return &k.keys;
  return nullptr;
}

Result<uint64_t> CardState::Load(uint8_t key_set) {
  for (const auto& k : scp80)
    if (k.kvn == key_set) return k.counter;
  return uint64_t{0};
}

Status CardState::Save(uint8_t key_set, uint64_t counter) {
  for (auto& k : scp80) {
    if (k.kvn == key_set) {
      k.counter = counter;
      return Status::Ok();
    }
  }
  return Status::Error(ErrorKind::kNotFound, "no SCP80 key set with this number");
}

IsdpRecord* CardState::FindIsdp(const Aid& aid) {
  for (auto& r : isdps)
    if (r.aid == aid) return &r;
  return nullptr;
}
const IsdpRecord* CardState::FindIsdp(const Aid& aid) const {
  for (const auto& r : isdps)
    if (r.aid == aid) return &r;
  return nullptr;
}
IsdpRecord* CardState::Enabled() {
  for (auto& r : isdps)
    if (r.life_cycle == gp::kLifeCycleEnabled) return &r;
  return nullptr;
}
IsdpRecord* CardState::FallBack() {
  for (auto& r : isdps)
    if (r.fallback) return &r;
  return nullptr;
}
uint32_t CardState::UsedMemory() const {
  uint64_t used = 0;
  for (const auto& r : isdps) used += IsdpUsage(r);
  return static_cast<uint32_t>(std::min<uint64_t>(used, UINT32_MAX));
}
uint32_t CardState::FreeMemory() const {
  const uint32_t used = UsedMemory();
  return used >= total_memory ? 0 : total_memory - used;
}

// --- Manufacturing --------------------------------------------------------------------------

Euicc::Euicc(std::unique_ptr<CardState> state, const Clock& clock, Random& random)
    : state_(std::move(state)), clock_(&clock), random_(&random) {}
Euicc::Euicc(Euicc&&) noexcept = default;
Euicc& Euicc::operator=(Euicc&&) noexcept = default;
Euicc::~Euicc() = default;

Result<Euicc> Euicc::Manufacture(ManufacturingConfig config, const Clock& clock, Random& random) {
  M2_ASSIGN_OR_RETURN(Eid eid, Eid::Parse(config.eid));
  M2_ASSIGN_OR_RETURN(
      auto key, crypto::EcPrivateKey::FromScalar(config.curve, config.ecasd_private_scalar.view()));
  M2_ASSIGN_OR_RETURN(
      auto ci, crypto::EcPublicKey::FromUncompressed(config.curve, AsView(config.ci_public_point)));
  if (config.scp80_key_sets.empty()) return InvalidArgument("the ISD-R needs an SCP80 key set");
  if (config.imei.size() != 0 && config.imei.size() != 8)
    return InvalidArgument("IMEI must be 8 bytes of BCD");
  // The checks persistence.cc applies to an image, so that every manufactured card restores.
  M2_RETURN_IF_ERROR(ValidateTimers(config.timers));
  if (config.ecasd_certificate.size() > kMaxEcasdCertificate)
    return InvalidArgument("ECASD certificate too long");
  auto state = std::make_unique<CardState>(std::move(eid), std::move(key), std::move(ci));
  state->ecasd_certificate = std::move(config.ecasd_certificate);
  std::set<uint8_t> kvns;
  for (auto& k : config.scp80_key_sets) {
    if (k.kvn == 0 || k.kvn > 0x0F || !kvns.insert(k.kvn).second)
      return InvalidArgument("SCP80 KVN must be 1..15 and unique");
    if (k.kic.empty() || k.kid.empty()) return InvalidArgument("SCP80 key set without keys");
    if (k.kic.size() > kMaxScp80Key || k.kid.size() > kMaxScp80Key || k.kik.size() > kMaxScp80Key)
      return InvalidArgument("SCP80 keys are at most 32 bytes");
    Scp80KeySetRecord r;
    r.kvn = k.kvn;
    r.keys.kic = std::move(k.kic);
    r.keys.kid = std::move(k.kid);
    r.kik = std::move(k.kik);
    r.counter = k.counter;
    state->scp80.push_back(std::move(r));
  }
  for (auto& p : config.scp81_keys) {
    if (p.kvn < 0x40 || p.kvn > 0x4F || !kvns.insert(p.kvn).second || p.identity.empty() ||
        p.psk.empty() || p.identity.size() > kMaxPskIdentity || p.psk.size() > kMaxPsk)
      return InvalidArgument(
          "SCP81 key set: KVN 40..4F, unique, identity (≤ 128 bytes) and PSK (≤ 64) required");
    for (const auto& q : state->psks)
      if (q.identity == p.identity) return InvalidArgument("duplicate PSK identity");
    state->psks.push_back(PskRecord{std::move(p.identity), p.kvn, std::move(p.psk)});
  }
  state->smsr = std::move(config.smsr_address);
  state->total_memory = config.total_memory;
  state->free_ram = config.free_ram;
  state->timers = config.timers;
  state->imei = std::move(config.imei);
  if (config.preinstalled.has_value()) {
    auto& pre = *config.preinstalled;
    if (pre.tar < kIsdpTarFirst || pre.tar > kIsdpTarLast)
      return InvalidArgument("pre-installed ISD-P TAR out of range");
    IsdpRecord r{gp::IsdPAidForTar(Tar::FromValue(pre.tar)), gp::kLifeCycleEnabled};
    r.fallback = pre.fallback;
    r.security = std::make_unique<IsdpSecurity>(r.aid, random);
    M2_RETURN_IF_ERROR(ValidateInstalledProfile(pre.profile));
    r.profile = std::move(pre.profile);
    if (IsdpUsage(r) > state->total_memory) return InvalidArgument("profile exceeds the memory");
    state->isdps.push_back(std::move(r));
    if (euicc::ImageSizeBound(*state) > kMaxImageSize)
      return InvalidArgument("pre-installed profile exceeds the card image");
  }
  return Euicc(std::move(state), clock, random);
}

Result<Euicc> Euicc::Restore(ByteView image, const Clock& clock, Random& random) {
  M2_ASSIGN_OR_RETURN(auto state, RestoreState(image, random));
  return Euicc(std::move(state), clock, random);
}

Bytes Euicc::Serialize() const { return SerializeState(*state_); }

// --- OtaCard --------------------------------------------------------------------------------

std::optional<Aid> Euicc::ApplicationForTar(const Tar& tar) const {
  if (tar.value() == 0x000001) return gp::IsdRAid();
  if (tar.value() == 0x000002) return gp::EcasdAid();
  for (const auto& r : state_->isdps) {
    auto t = gp::TarOfIsdPAid(r.aid);
    if (t.ok() && *t == tar) return r.aid;
  }
  return std::nullopt;
}

const scp::Scp80CardKeys& Euicc::Scp80Keys() const { return *state_; }
scp::Scp80CounterStore& Euicc::Scp80Counters() { return *state_; }

std::optional<SecretBytes> Euicc::Scp81Psk(ByteView identity) const {
  for (const auto& p : state_->psks)
    if (ConstantTimeEqual(AsView(p.identity), identity)) return p.psk.Clone();
  return std::nullopt;
}

Bytes Euicc::ProcessApdu(const Aid& target, ByteView command_apdu) {
  auto apdu = gp::DecodeCommand(command_apdu, gp::ApduLimits{.max_data = 4096});
  if (!apdu.ok()) return Sw(gp::kSwWrongLength);
  const bool known =
      target == gp::IsdRAid() || target == gp::EcasdAid() || state_->FindIsdp(target) != nullptr;
  if (!known) return Sw(gp::kSwFileOrAppNotFound);
  // SELECT by name of the addressed application (ISO 7816-4 §11.1.1): FCI `6F { 84 AID }`.
  if (apdu->ins == 0xA4 && (apdu->cla & 0xFC) == 0x00) {
    if (apdu->p1 != 0x04) return Sw(gp::kSwIncorrectP1P2);
    if (!std::equal(apdu->data.begin(), apdu->data.end(), target.bytes().begin(),
                    target.bytes().end()))
      return Sw(gp::kSwFileOrAppNotFound);
    tlv::Builder b;
    b.Open(0x6F).Add(0x84, target.bytes()).Close();
    return WithSw(std::move(b).Finish(), gp::kSwOk);
  }
  if (target == gp::IsdRAid()) return HandleIsdR(*state_, *random_, *apdu);
  if (target == gp::EcasdAid()) return HandleEcasd(*state_, *apdu);
  return HandleIsdp(*state_, *state_->FindIsdp(target), command_apdu);
}

// SCP03t (SGP.02 §4.1.3.3): for an unknown ISD-P the INITIALIZE UPDATE error "referenced data
// not found" (`9F44 01 03`, resolutions §1.3) whatever the command.
Bytes Euicc::ProcessScp03t(const Aid& target, ByteView command_tlvs) {
  IsdpRecord* p = state_->FindIsdp(target);
  if (p == nullptr) return HexOrDie("9F440103");
  return HandleIsdpScp03t(*state_, *p, command_tlvs);
}

std::vector<OutgoingNotification> Euicc::DueNotifications(int64_t now_unix_seconds) {
  return Due(*state_, now_unix_seconds);
}
void Euicc::NotificationSent(uint16_t sequence_number, int64_t now_unix_seconds) {
  Sent(*state_, sequence_number, now_unix_seconds);
}
SmsrAddress Euicc::SmsrAddressing() const { return state_->smsr; }

std::optional<uint8_t> Euicc::NotificationKeySet() const {
  std::optional<uint8_t> lowest;
  for (const auto& k : state_->scp80)
    if (!lowest.has_value() || k.kvn < *lowest) lowest = k.kvn;
  return lowest;
}

Result<uint64_t> Euicc::NextOriginatedCounter(uint8_t key_set) {
  for (auto& k : state_->scp80) {
    if (k.kvn != key_set) continue;
    // TS 102 225 §5.1.1: a 5-byte counter; at its end the key set cannot originate any more.
    if (k.mo_counter >= 0xFFFFFFFFFFu) return LimitExceeded("originated counter exhausted");
    return ++k.mo_counter;
  }
  return Status::Error(ErrorKind::kNotFound, "no SCP80 key set with this number");
}

// --- Device side ----------------------------------------------------------------------------

bool Euicc::PendingRefresh() const { return state_->refresh_pending; }
void Euicc::RefreshDone() {
  state_->refresh_pending = false;
  if (state_->change.has_value() && state_->change->phase == ChangePhase::kRefresh)
    state_->change->phase = ChangePhase::kAttach;
}
void Euicc::OnAttachResult(bool attached, int64_t now_unix_seconds) {
  OnAttach(*state_, attached, now_unix_seconds);
}
void Euicc::Tick(int64_t now_unix_seconds) { OnTick(*state_, now_unix_seconds); }
Bytes Euicc::Transmit(ByteView command_apdu) { return HandleDevice(*state_, command_apdu); }

void Euicc::SetImei(Bytes imei_bcd) {
  if (imei_bcd.empty() || imei_bcd.size() == 8) state_->imei = std::move(imei_bcd);
}

// --- Provisioning hooks ---------------------------------------------------------------------

Status Euicc::InstallProfile(const Aid& isdp, InstalledProfile profile) {
  IsdpRecord* r = state_->FindIsdp(isdp);
  if (r == nullptr) return Status::Error(ErrorKind::kNotFound, "no such ISD-P");
  return Install(*state_, *r, std::move(profile));
}

Status Euicc::SetTokenKey(const Aid& isdp, SecretBytes key) {
  IsdpRecord* r = state_->FindIsdp(isdp);
  if (r == nullptr) return Status::Error(ErrorKind::kNotFound, "no such ISD-P");
  if (key.size() != 16 && key.size() != 24 && key.size() != 32)
    return InvalidArgument("token key must be an AES key");
  r->token_key = std::move(key);
  return Status::Ok();
}

// --- Observers ------------------------------------------------------------------------------

const Eid& Euicc::eid() const { return state_->eid; }
std::optional<Aid> Euicc::EnabledProfile() const {
  IsdpRecord* r = state_->Enabled();
  if (r == nullptr) return std::nullopt;
  return r->aid;
}
std::optional<uint8_t> Euicc::LifeCycle(const Aid& isdp) const {
  const IsdpRecord* r = static_cast<const CardState&>(*state_).FindIsdp(isdp);
  if (r == nullptr) return std::nullopt;
  return r->life_cycle;
}
std::optional<InstalledProfile> Euicc::Profile(const Aid& isdp) const {
  const IsdpRecord* r = static_cast<const CardState&>(*state_).FindIsdp(isdp);
  if (r == nullptr) return std::nullopt;
  return r->profile;
}
bool Euicc::IsFallBack(const Aid& isdp) const {
  const IsdpRecord* r = static_cast<const CardState&>(*state_).FindIsdp(isdp);
  return r != nullptr && r->fallback;
}
bool Euicc::IsEmergency(const Aid& isdp) const {
  const IsdpRecord* r = static_cast<const CardState&>(*state_).FindIsdp(isdp);
  return r != nullptr && r->emergency;
}
uint32_t Euicc::FreeMemory() const { return state_->FreeMemory(); }
size_t Euicc::ImageSizeBound() const { return euicc::ImageSizeBound(*state_); }
std::vector<Aid> Euicc::Isdps() const {
  std::vector<Aid> out;
  for (const auto& r : state_->isdps) out.push_back(r.aid);
  return out;
}

}  // namespace m2mrsp::euicc
