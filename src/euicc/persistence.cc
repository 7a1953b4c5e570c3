// The card image: the whole CardState as one TLV, `E0 { 80 version, ... }` (layout in
// docs/formats/euicc.md §Persistence). Restore is strict: every element is checked (sizes,
// ranges, AIDs, curve points, invariants such as at most one enabled ISD-P), unknown tags and
// trailing bytes are refused, and limits bound every list, so arbitrary bytes give an error.
#include <set>

#include "euicc/card_state.h"
#include "gp/aids.h"
#include "gp/get_status.h"
#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

constexpr uint8_t kFormatVersion = 1;
constexpr tlv::Limits kLimits{.max_size = kMaxImageSize, .max_depth = 6, .max_elements = 4096};

// Upper bounds of the encoded parts of the image (ImageSizeBound). The parts whose count or
// size is bounded by the card (key sets, notifications, pending change, SQN arrays, timers,
// addresses) are reserved at their maximum, so only the parts that grow through budgeted
// operations (CreateISDP, installation, SCP03/SCP03t session logs, downloads) vary.
constexpr size_t kImageFixed = 1024;  // E0 header, identity, address, memory, timers, flags
constexpr size_t kScp80SetBound = 48 + 3 * kMaxScp80Key;
constexpr size_t kPskOverhead = 32;
constexpr size_t kNotificationBound = 96;  // AF { 80, 81, 82 AID, 83, 84, 85 AID }
constexpr size_t kUsimStateBound = 1600;   // 256 × 6-byte SQN entries (UsimState)
// AD header, AID, state, flags, quota, token key, profile and TLV headers of the variable parts.
constexpr size_t kIsdpBound = 256 + kUsimStateBound;

Bytes U(uint64_t v, size_t width) {
  Bytes b;
  AppendBigEndian(b, v, width);
  return b;
}

void AddIfSet(tlv::Builder& b, tlv::Tag tag, ByteView v) {
  if (!v.empty()) b.Add(tag, v);
}

Status Bad(const char* what) { return ParseError(std::string("card image: ") + what); }

Result<uint64_t> ReadUint(const tlv::Tlv& t, size_t width) {
  if (t.value.size() != width) return Bad("integer of the wrong size");
  uint64_t v = 0;
  for (uint8_t b : t.value) v = (v << 8) | b;
  return v;
}

Result<std::string> ReadDigits(const tlv::Tlv& t) {
  if (t.value.size() > 20) return Bad("address too long");
  std::string s(t.value.begin(), t.value.end());
  for (char c : s)
    if (c < '0' || c > '9') return Bad("address is not digits");
  return s;
}

Result<Aid> ReadAid(const tlv::Tlv& t) {
  auto a = Aid::FromBytes(t.value);
  if (!a.ok()) return Bad("bad AID");
  return *a;
}

// Calls fn(tag, tlv) for each child; refuses duplicates.
// For ForEach calls whose lambdas themselves use M2_RETURN_IF_ERROR (no shadowing).
#define M2_RETURN_IF_ERROR_NESTED(expr)            \
  do {                                             \
    ::m2mrsp::Status outer_status_ = (expr);       \
    if (!outer_status_.ok()) return outer_status_; \
  } while (0)

template <typename Fn>
Status ForEach(const tlv::Tlv& parent, Fn fn) {
  M2_ASSIGN_OR_RETURN(auto kids, tlv::Children(parent, kLimits));
  std::set<tlv::Tag> seen;
  for (const auto& k : kids) {
    if (!seen.insert(k.tag).second) return Bad("duplicate element");
    M2_RETURN_IF_ERROR(fn(k));
  }
  return Status::Ok();
}

Status ReadProfile(const tlv::Tlv& t, InstalledProfile& p) {
  return ForEach(t, [&](const tlv::Tlv& k) -> Status {
    switch (k.tag) {
      case 0x80: {
        M2_ASSIGN_OR_RETURN(p.iccid, ReadDigits(k));
        return Status::Ok();
      }
      case 0x81: {
        M2_ASSIGN_OR_RETURN(auto v, ReadUint(k, 1));
        p.pol1 = static_cast<uint8_t>(v);
        return Status::Ok();
      }
      case 0x82: {
        M2_ASSIGN_OR_RETURN(auto v, ReadUint(k, 4));
        p.footprint = static_cast<uint32_t>(v);
        return Status::Ok();
      }
      case 0x83:
        p.connectivity_parameters.assign(k.value.begin(), k.value.end());
        return Status::Ok();
      case 0x84:
        p.content.assign(k.value.begin(), k.value.end());
        return Status::Ok();
      default:
        return Bad("unknown profile element");
    }
  });
}

}  // namespace

Status ValidateTimers(const CardTimers& t) {
  constexpr int64_t kMaxSeconds = int64_t{1} << 40;
  if (t.confirmation_timeout_seconds < 0 || t.confirmation_timeout_seconds > kMaxSeconds ||
      t.retransmission_interval_seconds < 0 || t.retransmission_interval_seconds > kMaxSeconds)
    return InvalidArgument("timers must be 0..2^40 seconds");
  if (t.max_attempts < 0 || t.max_attempts > 0xFFFF)
    return InvalidArgument("max_attempts must be 0..65535");
  return Status::Ok();
}

size_t ImageSizeBound(const CardState& s) {
  size_t n = kImageFixed + s.ecasd_certificate.size() + 15 * kScp80SetBound +
             kMaxNotifications * kNotificationBound;
  for (const auto& p : s.psks) n += kPskOverhead + p.identity.size() + p.psk.size();
  for (const auto& r : s.isdps) {
    n += kIsdpBound + r.download.size();
    if (r.security) n += r.security->SerializedSizeBound();
    if (r.profile.has_value()) {
      n += r.profile->iccid.size() + r.profile->connectivity_parameters.size() +
           r.profile->content.size();
    }
  }
  return n;
}

bool FitsImage(const CardState& s, size_t growth) {
  const size_t bound = ImageSizeBound(s);
  return bound <= kMaxImageSize && growth <= kMaxImageSize - bound;
}

Bytes SerializeState(const CardState& s) {
  tlv::Builder b;
  b.Open(0xE0).Add(0x80, {kFormatVersion});
  b.Add(0x81, AsView(s.eid.ToBcd()));
  b.Add(0x82, {static_cast<uint8_t>(s.ecasd_key.curve() == crypto::Curve::kNistP256 ? 1 : 2)});
  {
    auto scalar = s.ecasd_key.ExportScalar();
    if (!scalar.ok()) FatalError("ECASD key cannot be exported");
    b.Add(0x83, scalar->view());
  }
  AddIfSet(b, 0x84, AsView(s.ecasd_certificate));
  b.Add(0x85, AsView(s.ci_key.ToUncompressed()));
  for (const auto& k : s.scp80) {
    b.Open(0xA6).Add(0x80, {k.kvn}).Add(0x81, k.keys.kic.view()).Add(0x82, k.keys.kid.view());
    AddIfSet(b, 0x83, k.kik.view());
    b.Add(0x84, AsView(U(k.counter, 8)));
    if (k.mo_counter != 0) b.Add(0x85, AsView(U(k.mo_counter, 8)));
    b.Close();
  }
  for (const auto& p : s.psks)
    b.Open(0xA7).Add(0x80, AsView(p.identity)).Add(0x81, {p.kvn}).Add(0x82, p.psk.view()).Close();
  b.Open(0xA8);
  AddIfSet(b, 0x80, AsBytes(s.smsr.msisdn));
  AddIfSet(b, 0x81, AsBytes(s.smsr.smsc_address));
  b.Close();
  b.Add(0x89, AsView(U(s.total_memory, 4))).Add(0x8A, AsView(U(s.free_ram, 4)));
  b.Open(0xAB)
      .Add(0x80, AsView(U(static_cast<uint64_t>(s.timers.confirmation_timeout_seconds), 8)))
      .Add(0x81, AsView(U(static_cast<uint64_t>(s.timers.retransmission_interval_seconds), 8)))
      .Add(0x82, AsView(U(static_cast<uint64_t>(s.timers.max_attempts), 4)))
      .Close();
  AddIfSet(b, 0x8C, AsView(s.imei));
  for (const auto& r : s.isdps) {
    b.Open(0xAD).Add(0x80, r.aid.bytes()).Add(0x81, {r.life_cycle});
    b.Add(0x82, {static_cast<uint8_t>((r.fallback ? 1 : 0) | (r.emergency ? 2 : 0))});
    if (r.quota.has_value()) b.Add(0x83, AsView(U(*r.quota, 4)));
    if (r.profile.has_value()) {
      const auto& p = *r.profile;
      b.Open(0xA4);
      AddIfSet(b, 0x80, AsBytes(p.iccid));
      b.Add(0x81, {p.pol1}).Add(0x82, AsView(U(p.footprint, 4)));
      AddIfSet(b, 0x83, AsView(p.connectivity_parameters));
      AddIfSet(b, 0x84, AsView(p.content));
      b.Close();
    }
    AddIfSet(b, 0x85, r.token_key.view());
    if (r.security) b.Add(0x86, AsView(r.security->Serialize()));
    AddIfSet(b, 0x87, AsView(r.download));
    AddIfSet(b, 0x88, AsView(r.usim_state));
    b.Close();
  }
  if (s.change.has_value()) {
    const auto& c = *s.change;
    b.Open(0xAE).Add(0x80, {c.kind}).Add(0x81, {static_cast<uint8_t>(c.phase)});
    if (c.previous.has_value()) b.Add(0x82, c.previous->bytes());
    b.Add(0x83, c.current.bytes())
        .Add(0x84, AsView(U(static_cast<uint64_t>(c.deadline), 8)))
        .Add(0x85, AsView(U(c.sequence, 2)))
        .Close();
  }
  for (const auto& n : s.notifications) {
    b.Open(0xAF)
        .Add(0x80, AsView(U(n.sequence, 2)))
        .Add(0x81, {n.type})
        .Add(0x82, n.aid.bytes())
        .Add(0x83, AsView(U(static_cast<uint64_t>(n.attempts), 4)))
        .Add(0x84, AsView(U(static_cast<uint64_t>(n.last_sent), 8)));
    if (n.disabled.has_value()) b.Add(0x85, n.disabled->bytes());
    b.Close();
  }
  b.Add(0x90, AsView(U(s.next_sequence, 2)));
  b.Add(0x91, {static_cast<uint8_t>((s.declared ? 1 : 0) | (s.refresh_pending ? 2 : 0))});
  b.Close();
  return std::move(b).Finish();
}

Result<std::unique_ptr<CardState>> RestoreState(ByteView image, Random& random) {
  auto top = tlv::ParseOne(image, kLimits);
  if (!top.ok() || top->tag != 0xE0) return Bad("not a card image");
  M2_ASSIGN_OR_RETURN(auto kids, tlv::Children(*top, kLimits));
  // Singletons first: they are needed to build the state.
  const tlv::Tlv* version = tlv::Find(kids, 0x80);
  if (version == nullptr || version->value.size() != 1 || version->value[0] != kFormatVersion)
    return Bad("unsupported format version");
  const tlv::Tlv* eid_t = tlv::Find(kids, 0x81);
  const tlv::Tlv* curve_t = tlv::Find(kids, 0x82);
  const tlv::Tlv* scalar_t = tlv::Find(kids, 0x83);
  const tlv::Tlv* ci_t = tlv::Find(kids, 0x85);
  if (!eid_t || !curve_t || !scalar_t || !ci_t || curve_t->value.size() != 1)
    return Bad("missing identity element");
  auto eid = Eid::FromBcd(eid_t->value);
  if (!eid.ok()) return Bad("bad EID");
  if (curve_t->value[0] != 1 && curve_t->value[0] != 2) return Bad("bad curve");
  const auto curve =
      curve_t->value[0] == 1 ? crypto::Curve::kNistP256 : crypto::Curve::kBrainpoolP256r1;
  auto key = crypto::EcPrivateKey::FromScalar(curve, scalar_t->value);
  auto ci = crypto::EcPublicKey::FromUncompressed(curve, ci_t->value);
  if (!key.ok() || !ci.ok()) return Bad("bad ECASD key or PK.CI");
  auto s = std::make_unique<CardState>(std::move(*eid), std::move(*key), std::move(*ci));

  std::set<tlv::Tag> singletons;
  std::set<uint8_t> kvns;
  for (const auto& k : kids) {
    const bool repeatable = k.tag == 0xA6 || k.tag == 0xA7 || k.tag == 0xAD || k.tag == 0xAF;
    if (!repeatable && !singletons.insert(k.tag).second) return Bad("duplicate element");
    switch (k.tag) {
      case 0x80:
      case 0x81:
      case 0x82:
      case 0x83:
      case 0x85:
        break;  // read above
      case 0x84:
        if (k.value.size() > kMaxEcasdCertificate) return Bad("ECASD certificate too long");
        s->ecasd_certificate.assign(k.value.begin(), k.value.end());
        break;
      case 0xA6: {
        Scp80KeySetRecord r;
        bool have_kvn = false;
        M2_RETURN_IF_ERROR_NESTED(ForEach(k, [&](const tlv::Tlv& e) -> Status {
          if (e.tag == 0x80 && e.value.size() == 1) {
            r.kvn = e.value[0];
            have_kvn = true;
          } else if (e.tag == 0x81) {
            r.keys.kic = SecretBytes(e.value);
          } else if (e.tag == 0x82) {
            r.keys.kid = SecretBytes(e.value);
          } else if (e.tag == 0x83) {
            r.kik = SecretBytes(e.value);
          } else if (e.tag == 0x84) {
            M2_ASSIGN_OR_RETURN(r.counter, ReadUint(e, 8));
          } else if (e.tag == 0x85) {
            M2_ASSIGN_OR_RETURN(r.mo_counter, ReadUint(e, 8));
            if (r.mo_counter == 0) return Bad("MO counter 0 is implicit");
          } else {
            return Bad("bad SCP80 key set element");
          }
          return Status::Ok();
        }));
        if (!have_kvn || r.kvn == 0 || r.kvn > 0x0F || !kvns.insert(r.kvn).second ||
            r.keys.kic.empty() || r.keys.kid.empty() || r.keys.kic.size() > kMaxScp80Key ||
            r.keys.kid.size() > kMaxScp80Key || r.kik.size() > kMaxScp80Key)
          return Bad("bad SCP80 key set");
        s->scp80.push_back(std::move(r));
        break;
      }
      case 0xA7: {
        PskRecord r;
        M2_RETURN_IF_ERROR_NESTED(ForEach(k, [&](const tlv::Tlv& e) -> Status {
          if (e.tag == 0x80)
            r.identity.assign(e.value.begin(), e.value.end());
          else if (e.tag == 0x81 && e.value.size() == 1)
            r.kvn = e.value[0];
          else if (e.tag == 0x82)
            r.psk = SecretBytes(e.value);
          else
            return Bad("bad PSK element");
          return Status::Ok();
        }));
        if (r.kvn < 0x40 || r.kvn > 0x4F || !kvns.insert(r.kvn).second || r.identity.empty() ||
            r.psk.empty() || r.identity.size() > kMaxPskIdentity || r.psk.size() > kMaxPsk)
          return Bad("bad PSK key set");
        s->psks.push_back(std::move(r));
        break;
      }
      case 0xA8:
        M2_RETURN_IF_ERROR_NESTED(ForEach(k, [&](const tlv::Tlv& e) -> Status {
          if (e.tag == 0x80) {
            M2_ASSIGN_OR_RETURN(s->smsr.msisdn, ReadDigits(e));
          } else if (e.tag == 0x81) {
            M2_ASSIGN_OR_RETURN(s->smsr.smsc_address, ReadDigits(e));
          } else {
            return Bad("bad SM-SR address element");
          }
          return Status::Ok();
        }));
        break;
      case 0x89: {
        M2_ASSIGN_OR_RETURN(auto v, ReadUint(k, 4));
        s->total_memory = static_cast<uint32_t>(v);
        break;
      }
      case 0x8A: {
        M2_ASSIGN_OR_RETURN(auto v, ReadUint(k, 4));
        s->free_ram = static_cast<uint32_t>(v);
        break;
      }
      case 0xAB:
        M2_RETURN_IF_ERROR_NESTED(ForEach(k, [&](const tlv::Tlv& e) -> Status {
          // Read wide, then ValidateTimers: the same rule as Manufacture.
          if (e.tag == 0x80 || e.tag == 0x81) {
            M2_ASSIGN_OR_RETURN(auto v, ReadUint(e, 8));
            if (v > (uint64_t{1} << 40)) return Bad("timer out of range");
            (e.tag == 0x80 ? s->timers.confirmation_timeout_seconds
                           : s->timers.retransmission_interval_seconds) = static_cast<int64_t>(v);
          } else if (e.tag == 0x82) {
            M2_ASSIGN_OR_RETURN(auto v, ReadUint(e, 4));
            if (v > 0xFFFF) return Bad("attempts out of range");
            s->timers.max_attempts = static_cast<int>(v);
          } else {
            return Bad("bad timer element");
          }
          return Status::Ok();
        }));
        if (!ValidateTimers(s->timers).ok()) return Bad("timers out of range");
        break;
      case 0x8C:
        if (k.value.size() != 8) return Bad("bad IMEI");
        s->imei.assign(k.value.begin(), k.value.end());
        break;
      case 0xAD: {
        std::optional<Aid> aid;
        std::optional<uint8_t> lcs;
        uint8_t flags = 0;
        std::optional<uint32_t> quota;
        std::optional<InstalledProfile> profile;
        SecretBytes token;
        Bytes security, download, usim;
        M2_RETURN_IF_ERROR_NESTED(ForEach(k, [&](const tlv::Tlv& e) -> Status {
          if (e.tag == 0x80) {
            M2_ASSIGN_OR_RETURN(aid, ReadAid(e));
          } else if (e.tag == 0x81 && e.value.size() == 1) {
            lcs = e.value[0];
          } else if (e.tag == 0x82 && e.value.size() == 1 && e.value[0] <= 2) {
            flags = e.value[0];
          } else if (e.tag == 0x83) {
            M2_ASSIGN_OR_RETURN(auto v, ReadUint(e, 4));
            quota = static_cast<uint32_t>(v);
          } else if (e.tag == 0xA4) {
            profile.emplace();
            M2_RETURN_IF_ERROR(ReadProfile(e, *profile));
          } else if (e.tag == 0x85 &&
                     (e.value.size() == 16 || e.value.size() == 24 || e.value.size() == 32)) {
            token = SecretBytes(e.value);
          } else if (e.tag == 0x86) {
            security.assign(e.value.begin(), e.value.end());
          } else if (e.tag == 0x87) {
            download.assign(e.value.begin(), e.value.end());
          } else if (e.tag == 0x88) {
            if (!UsimState::Deserialize(e.value).ok()) return Bad("bad USIM state");
            usim.assign(e.value.begin(), e.value.end());
          } else {
            return Bad("bad ISD-P element");
          }
          return Status::Ok();
        }));
        if (!aid.has_value() || !lcs.has_value()) return Bad("ISD-P without AID or state");
        const bool installed = *lcs == gp::kLifeCycleDisabled || *lcs == gp::kLifeCycleEnabled;
        const bool empty = *lcs == gp::kLifeCycleSelectable || *lcs == gp::kLifeCyclePersonalized;
        if ((!installed && !empty) || installed != profile.has_value())
          return Bad("ISD-P state and content disagree");
        if (s->FindIsdp(*aid) != nullptr || s->isdps.size() >= kMaxIsdps)
          return Bad("duplicate ISD-P or too many");
        IsdpRecord r{*aid, *lcs};
        r.fallback = (flags & 1) != 0;
        r.emergency = (flags & 2) != 0;
        r.quota = quota;
        r.profile = std::move(profile);
        r.token_key = std::move(token);
        r.security = std::make_unique<IsdpSecurity>(*aid, random);
        if (!security.empty() && !r.security->Restore(security).ok())
          return Bad("bad ISD-P security state");
        if (r.security->aid() != *aid) return Bad("security state of another ISD-P");
        // A partial package exists only inside an open SCP03t session (isd_p.cc).
        if (download.size() > kMaxPackage || (!download.empty() && !r.security->scp03t_open()))
          return Bad("bad partial download");
        r.download = std::move(download);
        r.usim_state = std::move(usim);
        s->isdps.push_back(std::move(r));
        break;
      }
      case 0xAE: {
        PendingChange c{0, ChangePhase::kRefresh, std::nullopt, gp::IsdRAid(), 0, 0};
        bool have_current = false;
        M2_RETURN_IF_ERROR_NESTED(ForEach(k, [&](const tlv::Tlv& e) -> Status {
          if (e.tag == 0x80 && e.value.size() == 1) {
            c.kind = e.value[0];
          } else if (e.tag == 0x81 && e.value.size() == 1 && e.value[0] >= 1 && e.value[0] <= 3) {
            c.phase = static_cast<ChangePhase>(e.value[0]);
          } else if (e.tag == 0x82) {
            M2_ASSIGN_OR_RETURN(c.previous, ReadAid(e));
          } else if (e.tag == 0x83) {
            M2_ASSIGN_OR_RETURN(c.current, ReadAid(e));
            have_current = true;
          } else if (e.tag == 0x84) {
            M2_ASSIGN_OR_RETURN(auto v, ReadUint(e, 8));
            c.deadline = static_cast<int64_t>(v);
          } else if (e.tag == 0x85) {
            M2_ASSIGN_OR_RETURN(auto v, ReadUint(e, 2));
            c.sequence = static_cast<uint16_t>(v);
          } else {
            return Bad("bad change element");
          }
          return Status::Ok();
        }));
        if (!have_current || (c.kind != kNotifyProfileChange && c.kind != kNotifyRollBack &&
                              c.kind != kNotifyFallBack))
          return Bad("bad pending change");
        s->change = std::move(c);
        break;
      }
      case 0xAF: {
        NotificationRecord n{0, 0, gp::IsdRAid(), 0, 0, std::nullopt};
        int have = 0;
        M2_RETURN_IF_ERROR_NESTED(ForEach(k, [&](const tlv::Tlv& e) -> Status {
          if (e.tag == 0x80) {
            M2_ASSIGN_OR_RETURN(auto v, ReadUint(e, 2));
            n.sequence = static_cast<uint16_t>(v);
            ++have;
          } else if (e.tag == 0x81 && e.value.size() == 1) {
            n.type = e.value[0];
            ++have;
          } else if (e.tag == 0x82) {
            M2_ASSIGN_OR_RETURN(n.aid, ReadAid(e));
            ++have;
          } else if (e.tag == 0x83) {
            M2_ASSIGN_OR_RETURN(auto v, ReadUint(e, 4));
            if (v > 0x7FFFFFFF) return Bad("attempts out of range");
            n.attempts = static_cast<int>(v);
          } else if (e.tag == 0x84) {
            M2_ASSIGN_OR_RETURN(auto v, ReadUint(e, 8));
            n.last_sent = static_cast<int64_t>(v);
          } else if (e.tag == 0x85) {
            M2_ASSIGN_OR_RETURN(n.disabled, ReadAid(e));
          } else {
            return Bad("bad notification element");
          }
          return Status::Ok();
        }));
        if (have != 3 || s->notifications.size() >= kMaxNotifications)
          return Bad("bad notification");
        for (const auto& o : s->notifications)
          if (o.sequence == n.sequence) return Bad("duplicate sequence number");
        s->notifications.push_back(std::move(n));
        break;
      }
      case 0x90: {
        M2_ASSIGN_OR_RETURN(auto v, ReadUint(k, 2));
        s->next_sequence = static_cast<uint16_t>(v);
        break;
      }
      case 0x91:
        if (k.value.size() != 1 || k.value[0] > 3) return Bad("bad flags");
        s->declared = (k.value[0] & 1) != 0;
        s->refresh_pending = (k.value[0] & 2) != 0;
        break;
      default:
        return Bad("unknown element");
    }
  }
  if (s->scp80.empty()) return Bad("no SCP80 key set");
  size_t enabled = 0, fallback = 0, emergency = 0;
  for (const auto& r : s->isdps) {
    enabled += r.life_cycle == gp::kLifeCycleEnabled ? 1 : 0;
    fallback += r.fallback ? 1 : 0;
    emergency += r.emergency ? 1 : 0;
    if (r.fallback && r.emergency) return Bad("fall-back and emergency on one ISD-P");
  }
  if (enabled > 1 || fallback > 1 || emergency > 1) return Bad("platform rules violated");
  if (s->change.has_value() && s->FindIsdp(s->change->current) == nullptr)
    return Bad("pending change for an unknown ISD-P");
  // Whatever Restore accepts, the card may keep serialising and restoring: the image of the
  // restored card (image.size() here) stays within what the card itself would grow to.
  if (ImageSizeBound(*s) > kMaxImageSize) return Bad("image over the card's budget");
  return s;
}

}  // namespace m2mrsp::euicc
