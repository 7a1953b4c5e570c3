// The ISD-R command set (ES5, SGP.02 §4.1.1), CLA 80..83, as decoded C-APDUs. Byte layouts per
// shared/spec/sgp02-resolutions.md §3-§5 and security digest §6; every refusal is a status word.
// Worked examples: docs/formats/euicc.md.
#include <algorithm>

#include "crypto/cmac.h"
#include "euicc/card_state.h"
#include "gp/aids.h"
#include "gp/delete_command.h"
#include "gp/get_data.h"
#include "gp/get_status.h"
#include "gp/install.h"
#include "gp/status_word.h"
#include "gp/store_data.h"
#include "pki/gp_certificate.h"
#include "tlv/ber.h"
#include "tlv/dgi.h"

namespace m2mrsp::euicc {
namespace {

// DGIs of the ISD-R STORE DATA functions (SGP.02 §4.1.1; resolutions §4).
constexpr uint16_t kDgiCertificate = 0x3A01;    // EstablishISDRKeySet #1 [C2]
constexpr uint16_t kDgiKeyParameters = 0x3A02;  // EstablishISDRKeySet #2 [C2]
constexpr uint16_t kDgiEnable = 0x3A03;         // [C2]
constexpr uint16_t kDgiDisable = 0x3A04;        // [C2]
constexpr uint16_t kDgiFallBack = 0x3A05;       // [C WHTY]
constexpr uint16_t kDgiEmergency = 0x3A06;      // no public source [?]
constexpr uint16_t kDgiSmsrAddress = 0x3A07;    // A3 { 81 ... } [C WHTY, weak]
constexpr uint16_t kDgiConfirmation = 0x3A08;   // 4E 02 seq [C2]

constexpr tlv::Limits kTlvLimits{.max_size = 1024, .max_depth = 4, .max_elements = 32};
constexpr tlv::DgiLimits kDgiLimits{.max_size = 1024, .max_count = 4};

// `4F L AID` and nothing else.
std::optional<Aid> ParseAidTlv(ByteView value) {
  auto t = tlv::ParseOne(value, kTlvLimits);
  if (!t.ok() || t->tag != 0x4F) return std::nullopt;
  auto aid = Aid::FromBytes(t->value);
  if (!aid.ok()) return std::nullopt;
  return *aid;
}

Bytes CreateIsdp(CardState& s, Random& random, const gp::CommandApdu& apdu) {
  if (apdu.p1 != gp::kInstallP1ForInstallAndMakeSelectable) return Sw(gp::kSwIncorrectP1P2);
  auto install = gp::ParseInstallForInstall(apdu);
  if (!install.ok()) return Sw(gp::kSwIncorrectData);
  // The ISD-P executable load file and module are the only ones on the card (SGP.02 §4.1.1.1).
  if (install->elf_aid != gp::IsdPElfAid() || install->module_aid != gp::IsdPModuleAid())
    return Sw(gp::kSwReferencedDataNotFound);
  auto tar = gp::TarOfIsdPAid(install->instance_aid);
  if (!tar.ok() || tar->value() < kIsdpTarFirst || tar->value() > kIsdpTarLast)
    return Sw(gp::kSwIncorrectData);
  if (s.FindIsdp(install->instance_aid) != nullptr) return Sw(gp::kSwConditionsOfUseNotSatisfied);
  const uint64_t need = uint64_t{kIsdpOverhead} + install->parameters.reserved_memory.value_or(0);
  // The registry entry also needs room in the card image (kMaxImageSize) for its security
  // state and SQN array; ImageSizeBound grows by this when it is added.
  constexpr size_t kRecordGrowth = 4096;
  if (s.isdps.size() >= kMaxIsdps || need > s.FreeMemory() || !FitsImage(s, kRecordGrowth))
    return Sw(gp::kSwNotEnoughMemory);
  IsdpRecord r{install->instance_aid, gp::kLifeCycleSelectable};
  r.quota = install->parameters.reserved_memory;
  r.security = std::make_unique<IsdpSecurity>(install->instance_aid, random);
  s.isdps.push_back(std::move(r));
  return WithSw({0x00}, gp::kSwOk);  // GP §11.5.3: response data `00`
}

// MasterDelete (SGP.02 §3.10; resolutions §4 [C WHTY]): token = AES-CMAC(token key, P1 ‖ P2 ‖
// Lc ‖ data without the `9E` TLV), Lc counting that shortened data [?].
Bytes MasterDelete(CardState& s, const gp::CommandApdu& apdu, const gp::DeleteRequest& req) {
  if (!req.control_reference.has_value() || !req.token.has_value()) return Sw(gp::kSwIncorrectData);
  IsdpRecord* p = s.FindIsdp(req.aid);
  if (p == nullptr) return Sw(gp::kSwReferencedDataNotFound);
  if (p->life_cycle != gp::kLifeCycleDisabled || p->fallback || p->emergency)
    return Sw(gp::kSwConditionsOfUseNotSatisfied);
  // The token key from PUT KEY KVN 70 in the ISD-P's SCP03 session, else one set directly.
  const bool put_key = p->security && p->security->token_key().has_value();
  if (!put_key && p->token_key.empty()) return Sw(gp::kSwConditionsOfUseNotSatisfied);
  Bytes signed_part;
  tlv::AppendTlv(signed_part, 0x4F, req.aid.bytes());
  tlv::AppendTlv(signed_part, 0xB6, AsView(*req.control_reference));
  if (signed_part.size() > 255) return Sw(gp::kSwIncorrectData);
  Bytes mac_input{apdu.p1, apdu.p2, static_cast<uint8_t>(signed_part.size())};
  Append(mac_input, AsView(signed_part));
  if (put_key) {
    if (!p->security->VerifyToken(AsView(mac_input), AsView(*req.token)).ok())
      return Sw(gp::kSwSecurityStatusNotSatisfied);
  } else {
    auto mac = crypto::AesCmac(p->token_key.view(), AsView(mac_input));
    if (!mac.ok() || !ConstantTimeEqual(AsView(*mac), AsView(*req.token)))
      return Sw(gp::kSwSecurityStatusNotSatisfied);
  }
  // A valid token deletes ignoring POL1 (architecture digest §9.19).
  std::erase_if(s.isdps, [&](const IsdpRecord& r) { return r.aid == req.aid; });
  InvalidateUsim(s);
  return WithSw({0x00}, gp::kSwOk);
}

// FinaliseISDRhandover (SGP.02 §4.1.1.9): `F2 03 KVN first-KID last-KID`, repeated [C2].
Bytes FinaliseHandover(CardState& s, const gp::CommandApdu& apdu) {
  if (apdu.p2 != gp::kDeleteP2ObjectOnly) return Sw(gp::kSwIncorrectP1P2);
  auto items = tlv::ParseSequence(apdu.data, kTlvLimits);
  if (!items.ok() || items->empty()) return Sw(gp::kSwIncorrectData);
  std::vector<uint8_t> kvns;
  for (const auto& t : *items) {
    if (t.tag != 0xF2 || t.value.size() != 3 || t.value[1] == 0 || t.value[1] > t.value[2])
      return Sw(gp::kSwIncorrectData);
    kvns.push_back(t.value[0]);
  }
  // All or nothing; refuse to remove the last SCP80 key set (the card would be unreachable).
  size_t scp80_removed = 0;
  for (uint8_t kvn : kvns) {
    const bool in80 =
        std::any_of(s.scp80.begin(), s.scp80.end(), [&](const auto& k) { return k.kvn == kvn; });
    const bool in81 =
        std::any_of(s.psks.begin(), s.psks.end(), [&](const auto& k) { return k.kvn == kvn; });
    if (!in80 && !in81) return Sw(gp::kSwReferencedDataNotFound);
    if (in80) ++scp80_removed;
  }
  if (scp80_removed >= s.scp80.size()) return Sw(gp::kSwConditionsOfUseNotSatisfied);
  for (uint8_t kvn : kvns) {
    std::erase_if(s.scp80, [&](const auto& k) { return k.kvn == kvn; });
    std::erase_if(s.psks, [&](const auto& k) { return k.kvn == kvn; });
  }
  return WithSw({0x00}, gp::kSwOk);
}

Bytes Delete(CardState& s, const gp::CommandApdu& apdu) {
  if (apdu.p1 != 0x00) return Sw(gp::kSwIncorrectP1P2);
  if (!apdu.data.empty() && apdu.data[0] == 0xF2) return FinaliseHandover(s, apdu);
  auto req = gp::ParseDelete(apdu);
  if (!req.ok()) return Sw(gp::kSwIncorrectData);
  // An ISD-P always goes with its content: P2 40 (what servers send [C2]) or 80 (GP).
  if (req->p2 == gp::kDeleteP2ObjectOnly) return Sw(gp::kSwIncorrectP1P2);
  if (req->control_reference.has_value() || req->token.has_value())
    return MasterDelete(s, apdu, *req);
  const uint16_t sw = DeleteProfile(s, req->aid);
  return sw == gp::kSwOk ? WithSw({0x00}, sw) : Sw(sw);
}

// `53` attribute byte of an ISD-P: b1 fall-back [C Njiwa], b2 emergency [?].
uint8_t Attributes(const IsdpRecord& r) {
  return static_cast<uint8_t>((r.fallback ? 0x01 : 0x00) | (r.emergency ? 0x02 : 0x00));
}

bool Wanted(const std::vector<tlv::Tag>& tags, tlv::Tag t) {
  return tags.empty() || std::find(tags.begin(), tags.end(), t) != tags.end();
}

// GET STATUS (GP §11.4; SGP.02 audit, resolutions §5): ISD-P entries `E3 { 4F, 9F70, 53 }`,
// filtered by an AID prefix, reduced to a `5C` tag list, paged with 6310.
Bytes GetStatus(CardState& s, const gp::CommandApdu& apdu) {
  auto req = gp::ParseGetStatus(apdu);
  if (!req.ok()) return Sw(gp::kSwIncorrectP1P2);
  if (req->subset != gp::kGetStatusApplications) return Sw(gp::kSwIncorrectP1P2);
  if (req->next) {
    if (!s.get_status_open || req->aid_filter != s.get_status_filter)
      return Sw(gp::kSwReferencedDataNotFound);
  } else {
    s.get_status_open = true;
    s.get_status_next = 0;
    s.get_status_filter = req->aid_filter;
    s.get_status_tags = req->tag_list;
  }
  std::vector<gp::RegistryEntry> entries;
  for (const auto& r : s.isdps) {
    const ByteView aid = r.aid.bytes();
    if (req->aid_filter.size() > aid.size() ||
        !std::equal(req->aid_filter.begin(), req->aid_filter.end(), aid.begin()))
      continue;
    gp::RegistryEntry e;
    e.aid.assign(aid.begin(), aid.end());
    if (Wanted(s.get_status_tags, 0x9F70)) e.life_cycle = r.life_cycle;
    if (Wanted(s.get_status_tags, 0x53)) e.sgp_attributes = Bytes{Attributes(r)};
    entries.push_back(std::move(e));
  }
  if (entries.empty()) {
    s.get_status_open = false;
    return Sw(gp::kSwReferencedDataNotFound);
  }
  auto page = gp::MakeGetStatusPage(entries, std::min(s.get_status_next, entries.size()));
  if (!page.ok()) return Sw(gp::kSwNoPreciseDiagnosis);
  s.get_status_next = page->next;
  if (!page->more) s.get_status_open = false;
  return WithSw(std::move(page->data), page->sw());
}

Bytes Resources(const CardState& s) {
  gp::CardResources r;
  r.installed_applications = static_cast<uint32_t>(2 + s.isdps.size());  // ISD-R, ECASD, ISD-Ps
  r.free_non_volatile = s.FreeMemory();
  r.free_volatile = s.free_ram;
  return gp::EncodeCardResources(r);
}

Bytes GetData(CardState& s, const gp::CommandApdu& apdu) {
  auto req = gp::ParseGetData(apdu);
  if (!req.ok()) return Sw(gp::kSwIncorrectData);
  if (req->p1p2 == gp::kGetDataCardResources && req->tag_list.empty())
    return WithSw(Resources(s), gp::kSwOk);
  // The BF30 audit form with a tag list (resolutions §5 [C2 shape, ? content]): the ISD-R
  // answers `FF21` when listed; unknown tags are left out.
  if (req->p1p2 == gp::kGetDataEuiccCapabilities && !req->tag_list.empty()) {
    tlv::Builder b;
    b.Open(0xBF30);
    for (tlv::Tag t : req->tag_list)
      if (t == gp::kGetDataCardResources) b.AddRaw(AsView(Resources(s)));
    b.Close();
    return WithSw(std::move(b).Finish(), gp::kSwOk);
  }
  return Sw(gp::kSwReferencedDataNotFound);
}

// TS 102 223 §8.1 address: TON/NPI ‖ swapped BCD, F-padded. Digits out, or nullopt.
std::optional<std::string> DecodeAddress(ByteView v) {
  if (v.size() < 2 || v.size() > 11) return std::nullopt;
  std::string digits;
  for (size_t i = 1; i < v.size(); ++i) {
    for (int half = 0; half < 2; ++half) {
      const uint8_t d = half == 0 ? (v[i] & 0x0F) : (v[i] >> 4);
      if (d == 0x0F && i + 1 == v.size() && half == 1) break;
      if (d > 9) return std::nullopt;
      digits.push_back(static_cast<char>('0' + d));
    }
  }
  return digits;
}

// UpdateSMSRAddressingParameters (SGP.02 §4.1.1.10): `A3 { 81 SM-SR MSISDN [82 SMSC] }`, each a
// TS 102 223 address (structure from WHTY [C weak], element coding ours [?]).
uint16_t UpdateSmsrAddress(CardState& s, ByteView value) {
  auto outer = tlv::ParseOne(value, kTlvLimits);
  if (!outer.ok() || outer->tag != 0xA3) return gp::kSwIncorrectData;
  auto items = tlv::Children(*outer, kTlvLimits);
  if (!items.ok()) return gp::kSwIncorrectData;
  SmsrAddress next = s.smsr;
  bool any = false;
  for (const auto& t : *items) {
    auto digits = DecodeAddress(t.value);
    if (!digits.has_value()) return gp::kSwIncorrectData;
    if (t.tag == 0x81 && !any) {
      next.msisdn = *digits;
      any = true;
    } else if (t.tag == 0x82) {
      next.smsc_address = *digits;
    } else {
      return gp::kSwIncorrectData;
    }
  }
  if (!any) return gp::kSwIncorrectData;
  s.smsr = std::move(next);
  return gp::kSwOk;
}

// EstablishISDRKeySet (SGP.02 §4.1.1.8, §3.8; security digest §3.6): key establishment with
// CERT.SR.ECDSA verified against PK.CI; the new keys become an SCP80 key set (KIc, KID, KIK).
Bytes KeyEstablishment(CardState& s, Random& random, uint16_t dgi, ByteView data) {
  if (dgi == kDgiCertificate) {
    const crypto::EcPublicKey ci = s.ci_key;
    s.isdr_key_establishment.emplace(
        s.ecasd_key,
        [ci](ByteView cert) -> Result<crypto::EcPublicKey> {
          M2_ASSIGN_OR_RETURN(auto c, pki::GpCertificate::Decode(cert));
          M2_ASSIGN_OR_RETURN(auto role, c.Role());
          if (role != pki::GpRole::kSrEcdsa) return SecurityError("not CERT.SR.ECDSA");
          M2_RETURN_IF_ERROR(c.Verify(ci));
          return c.PublicKey();
        },
        random);
    auto out = s.isdr_key_establishment->HandleCertificate(data);
    if (!out.ok()) {
      s.isdr_key_establishment.reset();
      return Sw(scp::KeyEstablishmentStatusWord(out.status()));
    }
    return WithSw(std::move(*out), gp::kSwOk);
  }
  if (!s.isdr_key_establishment.has_value()) return Sw(gp::kSwConditionsOfUseNotSatisfied);
  scp::EstablishedKeys keys;
  auto out = s.isdr_key_establishment->HandleKeyParameters(data, keys);
  s.isdr_key_establishment.reset();
  if (!out.ok()) return Sw(scp::KeyEstablishmentStatusWord(out.status()));
  // SCP80 key sets are numbered 1..15 (KIc/KID high nibble) and hold three AES keys.
  if (keys.kvn == 0 || keys.kvn > 0x0F || keys.keys.size() != 3 || keys.key_type != 0x88)
    return Sw(gp::kSwIncorrectData);
  for (const auto& k : keys.keys)
    if (k.size() > kMaxScp80Key) return Sw(gp::kSwIncorrectData);
  // A KVN in use is refused: replacing it would change the keys of the very packet carrying this
  // command (and the old SM-SR's), and FinaliseISDRhandover removes old sets explicitly
  // (SGP.02 §3.8) [M].
  if (std::any_of(s.scp80.begin(), s.scp80.end(), [&](const auto& k) { return k.kvn == keys.kvn; }))
    return Sw(gp::kSwConditionsOfUseNotSatisfied);
  Scp80KeySetRecord rec;
  rec.kvn = keys.kvn;
  rec.keys.kic = std::move(keys.keys[0]);
  rec.keys.kid = std::move(keys.keys[1]);
  rec.kik = std::move(keys.keys[2]);
  s.scp80.push_back(std::move(rec));
  return WithSw(std::move(*out), gp::kSwOk);
}

Bytes StoreData(CardState& s, Random& random, const gp::CommandApdu& apdu) {
  auto p1 = gp::StoreDataP1::Decode(apdu.p1);
  if (!p1.ok()) return Sw(gp::kSwIncorrectP1P2);
  if (p1->structure != gp::StoreDataStructure::kDgi || apdu.data.empty())
    return Sw(gp::kSwIncorrectData);
  // Every ISD-R function fits one block; each STORE DATA is handled on its own.
  auto dgis = tlv::ParseDgis(apdu.data, kDgiLimits);
  if (!dgis.ok() || dgis->empty()) return Sw(gp::kSwIncorrectData);
  const tlv::Dgi& first = (*dgis)[0];
  if (first.tag == kDgiKeyParameters) return KeyEstablishment(s, random, first.tag, apdu.data);
  if (dgis->size() != 1) return Sw(gp::kSwIncorrectData);
  switch (first.tag) {
    case kDgiCertificate:
      return KeyEstablishment(s, random, first.tag, apdu.data);
    case kDgiEnable:
    case kDgiDisable:
    case kDgiFallBack:
    case kDgiEmergency: {
      auto aid = ParseAidTlv(first.value);
      if (!aid.has_value()) return Sw(gp::kSwIncorrectData);
      if (first.tag == kDgiEnable) return Sw(EnableProfile(s, *aid));
      if (first.tag == kDgiDisable) return Sw(DisableProfile(s, *aid));
      if (first.tag == kDgiFallBack) return Sw(SetFallBack(s, *aid));
      return Sw(SetEmergency(s, *aid));
    }
    case kDgiSmsrAddress:
      return Sw(UpdateSmsrAddress(s, first.value));
    case kDgiConfirmation: {
      auto t = tlv::ParseOne(first.value, kTlvLimits);
      if (!t.ok() || t->tag != 0x4E || t->value.size() != 2) return Sw(gp::kSwIncorrectData);
      std::vector<Aid> deleted;
      const auto seq = static_cast<uint16_t>((t->value[0] << 8) | t->value[1]);
      const uint16_t sw = ConfirmNotification(s, seq, deleted);
      if (sw != gp::kSwOk) return Sw(sw);
      Bytes list;
      for (const auto& a : deleted) tlv::AppendTlv(list, 0x4F, a.bytes());
      return WithSw(tlv::Encode(0x80, AsView(list)), gp::kSwOk);  // `80 L {4F AID}*` [C]
    }
    default:
      return Sw(gp::kSwReferencedDataNotFound);
  }
}

}  // namespace

Bytes HandleIsdR(CardState& s, Random& random, const gp::CommandApdu& apdu) {
  // ES5 commands arrive in plain GP class (the OTA layer secures them): 80..83.
  if ((apdu.cla & 0xFC) != 0x80) return Sw(gp::kSwClaNotSupported);
  switch (apdu.ins) {
    case gp::kInsInstall:
      return CreateIsdp(s, random, apdu);
    case gp::kInsStoreData:
      return StoreData(s, random, apdu);
    case gp::kInsDelete:
      return Delete(s, apdu);
    case gp::kInsGetStatus:
      return GetStatus(s, apdu);
    case gp::kInsGetData:
      return GetData(s, apdu);
    default:
      return Sw(gp::kSwInsNotSupported);
  }
}

}  // namespace m2mrsp::euicc
