// ES8 on the card (SGP.02 §4.1.3): the ISD-R forwards commands targeted at an ISD-P to it; the
// ISD-P's security (key establishment, SCP03, SCP03t, token key) is engineer B's IsdpSecurity,
// the rules around it (life cycle, memory, installation) are here. Also the device's basic
// channel: the USIM of the enabled profile (B's usim.h). Layouts: docs/formats/euicc.md §ES8.
#include <algorithm>

#include "crypto/cmac.h"
#include "euicc/card_state.h"
#include "gp/get_status.h"
#include "gp/install.h"
#include "gp/status_word.h"
#include "gp/store_data.h"
#include "pki/gp_certificate.h"
#include "saip/package.h"
#include "tlv/ber.h"
#include "tlv/dgi.h"

namespace m2mrsp::euicc {
namespace {

constexpr uint16_t kDgiCertificate = 0x3A01;
constexpr uint16_t kDgiKeyParameters = 0x3A02;
constexpr uint16_t kDgiConnectivity = 0x3A07;  // ES8.UpdateConnectivityParameters [C2]
constexpr uint8_t kInsPutKey = 0xD8;
// SAIP EUICCResponse status codes (PEDefinitions PEStatus).
constexpr uint8_t kPeOk = 0;
constexpr uint8_t kPeBadValues = 3;
constexpr uint8_t kPeNotEnoughMemory = 4;

// SAIP EUICCResponse (PEDefinitions, automatic tags): 30 { A0 { 30 { 80 status [81 id] } }
// [81 00 installation aborted] }; layout confirmed by a public parser test holding
// `300CA008300680010581010C8100` [C]. Status 0 ok, 3 bad-values, 4 not-enough-memory.
Bytes EuiccResponse(uint8_t status, std::optional<uint16_t> element) {
  tlv::Builder b;
  b.Open(0x30).Open(0xA0).Open(0x30).Add(0x80, {status});
  if (element.has_value()) {
    Bytes id;
    AppendBigEndian(id, *element, *element > 0x7F ? 2 : 1);
    b.Add(0x81, AsView(id));
  }
  b.Close().Close();
  if (status != 0) b.Add(0x81, ByteView{});
  b.Close();
  return std::move(b).Finish();
}

// The SM-DP certificate check of the card: CERT.DP.ECDSA signed by PK.CI (the card has no
// trusted clock, so no date check; pki/chain.h).
scp::KeyEstablishmentCard::CertificateVerifier DpVerifier(const crypto::EcPublicKey& ci) {
  return [ci](ByteView cert) -> Result<crypto::EcPublicKey> {
    M2_ASSIGN_OR_RETURN(auto c, pki::GpCertificate::Decode(cert));
    M2_ASSIGN_OR_RETURN(auto role, c.Role());
    if (role != pki::GpRole::kDpEcdsa) return SecurityError("not CERT.DP.ECDSA");
    M2_RETURN_IF_ERROR(c.Verify(ci));
    return c.PublicKey();
  };
}

Bytes StoreData(CardState& s, IsdpRecord& p, const gp::CommandApdu& apdu, bool secured) {
  auto p1 = gp::StoreDataP1::Decode(apdu.p1);
  if (!p1.ok()) return Sw(gp::kSwIncorrectP1P2);
  auto dgis = tlv::ParseDgis(apdu.data, tlv::DgiLimits{.max_size = 4096, .max_count = 4});
  if (!dgis.ok() || dgis->empty() || p1->structure != gp::StoreDataStructure::kDgi)
    return Sw(gp::kSwIncorrectData);
  const uint16_t tag = (*dgis)[0].tag;
  if (tag == kDgiCertificate) {
    auto r = p.security->HandleCertificate(apdu.data, s.ecasd_key, DpVerifier(s.ci_key));
    if (!r.ok()) return Sw(IsdpSecurity::KeyEstablishmentStatusWord(r.status()));
    return WithSw(std::move(*r), gp::kSwOk);
  }
  if (tag == kDgiKeyParameters) {
    auto r = p.security->HandleKeyParameters(apdu.data);
    if (!r.ok()) return Sw(IsdpSecurity::KeyEstablishmentStatusWord(r.status()));
    // SGP.02 §4.3 life cycle: SELECTABLE → PERSONALIZED once the ISD-P has keys.
    if (p.life_cycle == gp::kLifeCycleSelectable) p.life_cycle = gp::kLifeCyclePersonalized;
    return WithSw(std::move(*r), gp::kSwOk);
  }
  if (tag == kDgiConnectivity && dgis->size() == 1) {
    // Only inside the SCP03 session (SGP.02 §3.14), and only for an installed profile.
    if (!secured) return Sw(gp::kSwSecurityStatusNotSatisfied);
    if (!p.profile.has_value()) return Sw(gp::kSwConditionsOfUseNotSatisfied);
    const ByteView value = (*dgis)[0].value;
    if (!tlv::ParseSequence(value, tlv::Limits{.max_size = 1024, .max_depth = 4}).ok())
      return Sw(gp::kSwIncorrectData);
    // The parameters live twice (ISD-R view and profile content): both change or neither. A
    // content that does not deserialise is a card fault, reported as such (Install refuses it).
    auto content = ProfileContent::Deserialize(p.profile->content);
    if (!content.ok()) return Sw(gp::kSwNoPreciseDiagnosis);
    const size_t old_size = p.profile->connectivity_parameters.size();
    if (value.size() > old_size && !FitsImage(s, 2 * (value.size() - old_size)))
      return Sw(gp::kSwNotEnoughMemory);
    p.profile->connectivity_parameters.assign(value.begin(), value.end());
    content->connectivity_parameters = p.profile->connectivity_parameters;
    p.profile->content = content->Serialize();
    InvalidateUsim(s);
    return Sw(gp::kSwOk);
  }
  return Sw(gp::kSwReferencedDataNotFound);
}

// One plain command (after SCP03 unwrapping when `secured`).
Bytes Plain(CardState& s, IsdpRecord& p, ByteView raw, bool secured) {
  auto apdu = gp::DecodeCommand(raw, gp::ApduLimits{.max_data = 4096});
  if (!apdu.ok()) return Sw(gp::kSwWrongLength);
  if ((apdu->cla & 0xF0) != 0x80) return Sw(gp::kSwClaNotSupported);
  switch (apdu->ins) {
    case gp::kInsInstall: {
      // INSTALL [for personalization] of this ISD-P (ES8.EstablishISDPKeySet step 1 [C2]).
      auto aid = gp::ParseInstallForPersonalization(*apdu);
      if (!aid.ok()) return Sw(gp::kSwIncorrectData);
      if (*aid != p.aid) return Sw(gp::kSwReferencedDataNotFound);
      return WithSw({0x00}, gp::kSwOk);
    }
    case gp::kInsStoreData:
      return StoreData(s, p, *apdu, secured);
    case kInsPutKey: {
      if (!secured) return Sw(gp::kSwSecurityStatusNotSatisfied);
      auto r = p.security->PutTokenKey(raw);
      if (!r.ok())
        return Sw(r.status().kind() == ErrorKind::kFailedPrecondition
                      ? gp::kSwConditionsOfUseNotSatisfied
                      : gp::kSwIncorrectData);
      return WithSw(std::move(*r), gp::kSwOk);
    }
    default:
      return Sw(gp::kSwInsNotSupported);
  }
}

// The package is complete when it ends with a whole `end` profile element. Only the bytes past
// the last whole top-level TLV are scanned for each segment (p.download_scanned), so a download
// costs one pass; the full decode runs once, when `end` arrives.
bool EndReceived(IsdpRecord& p) {
  ByteReader reader(ByteView(p.download).subspan(p.download_scanned));
  bool end = false;
  while (!reader.empty()) {
    auto t = tlv::ReadTlv(reader, tlv::Limits{.max_size = kMaxPackage});
    if (!t.ok()) break;  // truncated (more segments to come) or malformed (never completes)
    p.download_scanned += t->raw.size();
    end = saip::ElementTypeForTag(t->tag) == saip::ElementType::kEnd;
  }
  return end && p.download_scanned == p.download.size();
}

void DropDownload(IsdpRecord& p) {
  p.download.clear();
  p.download_scanned = 0;
}

Result<InstalledProfile> FromPackage(const saip::Package& package) {
  M2_RETURN_IF_ERROR(saip::Validate(package));
  M2_ASSIGN_OR_RETURN(auto content, ProfileContent::FromPackage(package));
  InstalledProfile installed;
  installed.iccid = content.iccid.ToString();
  installed.pol1 = content.pol1;
  installed.footprint = static_cast<uint32_t>(std::min<size_t>(content.footprint, UINT32_MAX));
  installed.connectivity_parameters = content.connectivity_parameters;
  installed.content = content.Serialize();
  return installed;
}

// SGP.02 §4.1.3.2 / resolutions §1.5: the answer to the segment that completes the package.
Bytes InstallDownload(CardState& s, IsdpRecord& p) {
  auto package = saip::Decode(p.download);
  DropDownload(p);
  if (!package.ok() || package->elements.empty() ||
      package->elements.back().type != saip::ElementType::kEnd)
    return EuiccResponse(kPeBadValues, std::nullopt);
  auto installed = FromPackage(*package);
  if (!installed.ok()) return EuiccResponse(kPeBadValues, std::nullopt);
  const Status st = Install(s, p, std::move(*installed));
  if (st.kind() == ErrorKind::kLimitExceeded)
    return EuiccResponse(kPeNotEnoughMemory, std::nullopt);
  if (!st.ok()) return EuiccResponse(kPeBadValues, std::nullopt);
  return EuiccResponse(kPeOk, std::nullopt);
}

}  // namespace

Result<InstalledProfile> InstalledProfileFromPackage(ByteView der) {
  M2_ASSIGN_OR_RETURN(auto package, saip::Decode(der));
  return FromPackage(package);
}

Status ValidateInstalledProfile(const InstalledProfile& profile) {
  // What persistence.cc's ReadProfile and the device channel will need of it later.
  if (profile.iccid.size() > 20 || !std::all_of(profile.iccid.begin(), profile.iccid.end(),
                                                [](char c) { return c >= '0' && c <= '9'; }))
    return InvalidArgument("profile ICCID must be up to 20 digits");
  auto content = ProfileContent::Deserialize(profile.content);
  if (!content.ok()) return InvalidArgument("profile content: " + content.status().message());
  return Status::Ok();
}

Status Install(CardState& s, IsdpRecord& p, InstalledProfile profile) {
  if (p.life_cycle != gp::kLifeCycleSelectable && p.life_cycle != gp::kLifeCyclePersonalized)
    return Status::Error(ErrorKind::kFailedPrecondition, "ISD-P already holds a profile");
  M2_RETURN_IF_ERROR(ValidateInstalledProfile(profile));
  // Memory: within the quota when CreateISDP reserved one, else within the free NVM.
  const uint64_t limit = p.quota.has_value()
                             ? uint64_t{*p.quota}
                             : uint64_t{s.FreeMemory()} + IsdpUsage(p) - kIsdpOverhead;
  if (profile.footprint > limit) return LimitExceeded("not enough memory for the profile");
  // ... and within the card image (kMaxImageSize).
  if (!FitsImage(s, profile.iccid.size() + profile.connectivity_parameters.size() +
                        profile.content.size()))
    return LimitExceeded("not enough memory for the profile (card image)");
  p.profile = std::move(profile);
  p.life_cycle = gp::kLifeCycleDisabled;
  InvalidateUsim(s);
  return Status::Ok();
}

Bytes HandleIsdp(CardState& s, IsdpRecord& p, ByteView raw) {
  Bytes out = [&]() -> Bytes {
    if (raw.size() < 4) return Sw(gp::kSwWrongLength);
    const uint8_t cla = raw[0], ins = raw[1];
    // GP Amd D: INITIALIZE UPDATE in plain class, EXTERNAL AUTHENTICATE with C-MAC.
    if ((cla == 0x80 && ins == 0x50) || (cla == 0x84 && ins == 0x82)) {
      if (!FitsImage(s, raw.size() + IsdpSecurity::kLoggedCommandOverhead)) {
        p.security->CloseSessions();
        return Sw(gp::kSwNotEnoughMemory);
      }
      return p.security->ProcessSessionApdu(raw);
    }
    if (cla == 0x84) {
      // The session log keeps every accepted command (isdp_security.h): budgeted like NVM.
      if (p.security->session_open() &&
          !FitsImage(s, raw.size() + IsdpSecurity::kLoggedCommandOverhead)) {
        p.security->CloseSessions();
        return Sw(gp::kSwNotEnoughMemory);
      }
      auto inner = p.security->UnwrapCommand(raw);
      if (!inner.ok()) return Sw(p.security->session_status_word());
      return p.security->WrapResponse(Plain(s, p, *inner, true));
    }
    return Plain(s, p, raw, false);
  }();
  // Any SCP03 activity may have ended the SCP03t session (one secure channel per SD).
  if (!p.security->scp03t_open()) DropDownload(p);
  return out;
}

Bytes HandleIsdpScp03t(CardState& s, IsdpRecord& p, ByteView tlvs) {
  auto handler = [&s, &p](ByteView segment) -> Result<Bytes> {
    // The first segment of a session starts the package afresh: an SM-DP restarts an
    // interrupted download from its first segment in a new session [M].
    if (p.security->scp03t_segments() == 0) DropDownload(p);
    if (p.life_cycle != gp::kLifeCycleSelectable && p.life_cycle != gp::kLifeCyclePersonalized)
      return Status::Error(ErrorKind::kFailedPrecondition, "profile already installed");
    if (p.download.size() + segment.size() > kMaxPackage) {
      DropDownload(p);
      return EuiccResponse(kPeNotEnoughMemory, std::nullopt);  // ends the session
    }
    // The segment is kept twice until the package completes: in the download and, encrypted
    // (≤ 32 bytes more), in the session's replay log.
    if (!FitsImage(s, 2 * segment.size() + 32 + IsdpSecurity::kLoggedCommandOverhead)) {
      DropDownload(p);
      return EuiccResponse(kPeNotEnoughMemory, std::nullopt);
    }
    Append(p.download, segment);
    if (!EndReceived(p)) return Bytes{};  // intermediate segment: `86 00`
    return InstallDownload(s, p);
  };
  if (!FitsImage(s, tlvs.size() + IsdpSecurity::kLoggedCommandOverhead)) {
    // Not even the INITIALIZE UPDATE / EXTERNAL AUTHENTICATE can be logged.
    p.security->CloseSessions();
    DropDownload(p);
    const bool known =
        !tlvs.empty() && tlvs[0] >= scp::kScp03tInitializeUpdate && tlvs[0] <= scp::kScp03tData;
    return scp::Scp03tErrorTlv(known ? tlvs[0] : scp::kScp03tData, scp::kScp03tErrorLength);
  }
  Bytes out = p.security->ProcessScp03t(tlvs, handler);
  if (!p.security->scp03t_open()) DropDownload(p);
  return out;
}

void InvalidateUsim(CardState& s) {
  s.usim_files.reset();
  s.usim_profile.reset();
  s.usim_aid.reset();
}

// TS 31.102 over the basic channel: AUTHENTICATE with the first akaParameter of the enabled
// profile and its persistent SQN array; SELECT/READ BINARY on its files.
Bytes HandleDevice(CardState& s, ByteView raw) {
  IsdpRecord* enabled = s.Enabled();
  if (enabled == nullptr || !enabled->profile.has_value()) return Sw(gp::kSwFileOrAppNotFound);
  if (!s.usim_aid.has_value() || *s.usim_aid != enabled->aid || !s.usim_profile) {
    InvalidateUsim(s);
    auto content = ProfileContent::Deserialize(enabled->profile->content);
    if (!content.ok()) return Sw(gp::kSwNoPreciseDiagnosis);
    s.usim_profile = std::make_unique<ProfileContent>(std::move(*content));
    s.usim_files = std::make_unique<UsimFiles>(*s.usim_profile);
    s.usim_aid = enabled->aid;
  }
  if (raw.size() >= 2 && raw[1] == 0x88) {
    if (s.usim_profile->aka.empty()) return Sw(gp::kSwConditionsOfUseNotSatisfied);
    const AkaConfig& aka = s.usim_profile->aka.front();
    auto state = enabled->usim_state.empty() ? UsimState::Initial(aka)
                                             : UsimState::Deserialize(enabled->usim_state);
    if (!state.ok()) return Sw(gp::kSwNoPreciseDiagnosis);
    Bytes r = Authenticate(aka, *state, raw);
    enabled->usim_state = state->Serialize();
    return r;
  }
  return s.usim_files->ProcessApdu(raw);
}

}  // namespace m2mrsp::euicc
