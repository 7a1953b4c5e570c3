// The platform rules the ISD-R enforces (SGP.02 §2.2, §3.2-§3.7, §3.16, §3.25-§3.29 as digested
// in shared/spec/sgp02-architecture.md §4.3, §4.5, §9.19) and the default-notification machine
// with roll-back and fall-back (§3.15, §3.16; architecture digest §9.14, §9.16). Status words per
// resolutions §4 [C2 WHTY + Njiwa]; every choice without public text is in
// docs/spec-map.parts/euicc-card.md.
#include <algorithm>

#include "euicc/card_state.h"
#include "gp/get_status.h"
#include "gp/status_word.h"
#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

using gp::kLifeCycleDisabled;
using gp::kLifeCycleEnabled;

bool HasPol1(const IsdpRecord& p, uint8_t bit) {
  return p.profile.has_value() && (p.profile->pol1 & bit) != 0;
}

// Switches the enabled profile and asks the device for a REFRESH (SGP.02 §3.2 step "REFRESH").
void Switch(CardState& s, IsdpRecord* from, IsdpRecord& to) {
  if (from != nullptr) from->life_cycle = kLifeCycleDisabled;
  to.life_cycle = kLifeCycleEnabled;
  s.refresh_pending = true;
  InvalidateUsim(s);
}

void StartChange(CardState& s, uint8_t kind, IsdpRecord* from, IsdpRecord& to) {
  std::optional<Aid> previous;
  if (from != nullptr) previous = from->aid;
  Switch(s, from, to);
  s.change = PendingChange{kind, ChangePhase::kRefresh, std::move(previous), to.aid, 0, 0};
}

// Sequence numbers are 16 bits (`4E 02`); they never repeat while a notification with the same
// number is still unconfirmed (wrap-around skips those).
uint16_t Queue(CardState& s, uint8_t type, const Aid& aid, std::optional<Aid> disabled) {
  uint16_t seq = s.next_sequence;
  for (size_t guard = 0; guard < 0x10000; ++guard) {
    const bool used = std::any_of(s.notifications.begin(), s.notifications.end(),
                                  [&](const NotificationRecord& n) { return n.sequence == seq; });
    if (!used) break;
    ++seq;
  }
  s.next_sequence = static_cast<uint16_t>(seq + 1);
  // Bounded queue: the oldest unconfirmed notification gives way (it is superseded anyway).
  if (s.notifications.size() >= kMaxNotifications) s.notifications.erase(s.notifications.begin());
  s.notifications.push_back(NotificationRecord{seq, type, aid, 0, 0, std::move(disabled)});
  return seq;
}

// now − since ≥ interval, without overflow for any restored or supplied times.
bool Elapsed(int64_t now, int64_t since, int64_t interval) {
  if (now < since) return false;
  return static_cast<uint64_t>(now) - static_cast<uint64_t>(since) >=
         static_cast<uint64_t>(interval);
}

// A notification sent `max_attempts` times is dropped once the retransmission interval after
// its last transmission has passed: the SM-SR may still confirm that last copy until then, and
// nothing would ever send it again afterwards [M].
void ExpireNotifications(CardState& s, int64_t now) {
  if (s.timers.max_attempts <= 0) return;
  std::erase_if(s.notifications, [&](const NotificationRecord& n) {
    return n.attempts >= s.timers.max_attempts &&
           Elapsed(now, n.last_sent, s.timers.retransmission_interval_seconds);
  });
}

void Forget(CardState& s, uint16_t sequence) {
  std::erase_if(s.notifications,
                [&](const NotificationRecord& n) { return n.sequence == sequence; });
}

// The network refused the profile just enabled (attach failure or, for a profile change, no
// confirmation in time): roll back to the previous profile (type 03); if the roll-back target
// fails too, the fall-back profile takes over (type 05); if that fails, nothing is left to try.
void Failure(CardState& s) {
  PendingChange c = *s.change;
  s.change.reset();
  IsdpRecord* current = s.FindIsdp(c.current);
  if (c.phase == ChangePhase::kConfirm) Forget(s, c.sequence);
  if (c.kind == kNotifyProfileChange && c.previous.has_value()) {
    IsdpRecord* previous = s.FindIsdp(*c.previous);
    if (previous != nullptr) {
      StartChange(s, kNotifyRollBack, current, *previous);
      return;
    }
  }
  if (c.kind != kNotifyFallBack) {
    IsdpRecord* fallback = s.FallBack();
    if (fallback != nullptr && fallback != current) {
      // SGP.02 §3.16: POL1 of the profile being disabled is ignored.
      StartChange(s, kNotifyFallBack, current, *fallback);
    }
  }
}

}  // namespace

uint16_t EnableProfile(CardState& s, const Aid& aid) {
  IsdpRecord* target = s.FindIsdp(aid);
  if (target == nullptr) return gp::kSwReferencedDataNotFound;
  if (target->life_cycle != kLifeCycleDisabled) return gp::kSwConditionsOfUseNotSatisfied;
  if (s.change.has_value()) return gp::kSwConditionsOfUseNotSatisfied;  // switch in progress [M]
  IsdpRecord* current = s.Enabled();
  if (current != nullptr && HasPol1(*current, kPol1DisableNotAllowed)) return gp::kSwPol1Refused;
  StartChange(s, kNotifyProfileChange, current, *target);
  return gp::kSwOk;
}

uint16_t DisableProfile(CardState& s, const Aid& aid) {
  IsdpRecord* target = s.FindIsdp(aid);
  if (target == nullptr) return gp::kSwReferencedDataNotFound;
  if (target->life_cycle != kLifeCycleEnabled || target->fallback)
    return gp::kSwConditionsOfUseNotSatisfied;
  if (s.change.has_value()) return gp::kSwConditionsOfUseNotSatisfied;
  if (HasPol1(*target, kPol1DisableNotAllowed)) return gp::kSwPol1Refused;
  // Exactly one profile stays enabled: the fall-back profile takes over (SGP.02 §3.4 [S]); with
  // no fall-back profile on the card the disable is refused [M].
  IsdpRecord* fallback = s.FallBack();
  if (fallback == nullptr) return gp::kSwConditionsOfUseNotSatisfied;
  StartChange(s, kNotifyProfileChange, target, *fallback);
  return gp::kSwOk;
}

uint16_t DeleteProfile(CardState& s, const Aid& aid) {
  IsdpRecord* target = s.FindIsdp(aid);
  if (target == nullptr) return gp::kSwReferencedDataNotFound;
  if (target->life_cycle == kLifeCycleEnabled || target->fallback || target->emergency)
    return gp::kSwConditionsOfUseNotSatisfied;
  if (HasPol1(*target, kPol1DeleteNotAllowed)) return gp::kSwPol1Refused;
  std::erase_if(s.isdps, [&](const IsdpRecord& r) { return r.aid == aid; });
  InvalidateUsim(s);
  return gp::kSwOk;
}

// SGP.02 §3.27: the attribute moves to `aid` (implicitly unset on the previous holder); a
// profile cannot be both fall-back and emergency [S]; it must hold an installed profile [S].
uint16_t SetFallBack(CardState& s, const Aid& aid) {
  IsdpRecord* target = s.FindIsdp(aid);
  if (target == nullptr) return gp::kSwReferencedDataNotFound;
  if (!target->profile.has_value() || target->emergency) return gp::kSwConditionsOfUseNotSatisfied;
  for (auto& r : s.isdps) r.fallback = false;
  target->fallback = true;
  return gp::kSwOk;
}

uint16_t SetEmergency(CardState& s, const Aid& aid) {
  IsdpRecord* target = s.FindIsdp(aid);
  if (target == nullptr) return gp::kSwReferencedDataNotFound;
  if (!target->profile.has_value() || target->fallback) return gp::kSwConditionsOfUseNotSatisfied;
  for (auto& r : s.isdps) r.emergency = false;
  target->emergency = true;
  return gp::kSwOk;
}

uint16_t ConfirmNotification(CardState& s, uint16_t sequence, std::vector<Aid>& deleted) {
  auto it = std::find_if(s.notifications.begin(), s.notifications.end(),
                         [&](const NotificationRecord& n) { return n.sequence == sequence; });
  if (it == s.notifications.end()) return gp::kSwReferencedDataNotFound;  // [M]
  std::optional<Aid> disabled = it->disabled;
  s.notifications.erase(it);
  if (s.change.has_value() && s.change->phase == ChangePhase::kConfirm &&
      s.change->sequence == sequence) {
    s.change.reset();
  }
  // POL1 "delete when disabled" (architecture digest §9.19): executed by the ISD-R after the
  // confirmation, reported in the response; never for the fall-back or emergency profile.
  if (disabled.has_value()) {
    IsdpRecord* p = s.FindIsdp(*disabled);
    if (p != nullptr && p->life_cycle == kLifeCycleDisabled && !p->fallback && !p->emergency &&
        HasPol1(*p, kPol1DeleteWhenDisabled)) {
      deleted.push_back(p->aid);
      std::erase_if(s.isdps, [&](const IsdpRecord& r) { return r.aid == *disabled; });
      InvalidateUsim(s);
    }
  }
  return gp::kSwOk;
}

void OnAttach(CardState& s, bool attached, int64_t now) {
  s.refresh_pending = false;  // an attach result implies the REFRESH was done
  if (!s.change.has_value()) {
    IsdpRecord* enabled = s.Enabled();
    if (enabled == nullptr) return;
    if (attached) {
      if (!s.declared) {
        s.declared = true;
        Queue(s, kNotifyFirstAttach, enabled->aid, std::nullopt);
      }
      return;
    }
    // Loss of connectivity (SGP.02 §3.16): fall-back, ignoring POL1, not from the emergency
    // profile and not when the fall-back profile is the enabled one.
    IsdpRecord* fallback = s.FallBack();
    if (fallback != nullptr && fallback != enabled && !enabled->emergency)
      StartChange(s, kNotifyFallBack, enabled, *fallback);
    return;
  }
  PendingChange& c = *s.change;
  if (c.phase == ChangePhase::kConfirm) {
    if (!attached) Failure(s);
    return;
  }
  if (!attached) {
    Failure(s);
    return;
  }
  s.declared = true;
  std::optional<Aid> disabled;
  if (c.kind == kNotifyProfileChange) disabled = c.previous;
  const uint16_t seq = Queue(s, c.kind, c.current, std::move(disabled));
  if (c.kind == kNotifyProfileChange) {
    c.phase = ChangePhase::kConfirm;
    c.deadline = now + s.timers.confirmation_timeout_seconds;
    c.sequence = seq;
  } else {
    s.change.reset();
  }
}

void OnTick(CardState& s, int64_t now) {
  ExpireNotifications(s, now);
  if (s.change.has_value() && s.change->phase == ChangePhase::kConfirm &&
      now >= s.change->deadline) {
    Failure(s);
  }
}

std::vector<OutgoingNotification> Due(CardState& s, int64_t now) {
  ExpireNotifications(s, now);
  std::vector<OutgoingNotification> out;
  for (const auto& n : s.notifications) {
    if (s.timers.max_attempts > 0 && n.attempts >= s.timers.max_attempts) continue;
    if (n.attempts > 0 && !Elapsed(now, n.last_sent, s.timers.retransmission_interval_seconds))
      continue;
    out.push_back(OutgoingNotification{n.sequence, EncodeNotification(s, n), n.attempts + 1});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.sequence_number < b.sequence_number; });
  return out;
}

void Sent(CardState& s, uint16_t sequence, int64_t now) {
  for (auto& n : s.notifications) {
    if (n.sequence == sequence) {
      ++n.attempts;
      n.last_sent = now;
    }
  }
}

// SGP.02 §4.1.1.11: E1 { 4C EID, 4D type, 4E seq, 4F AID, [14 IMEI] }; `4F` for the AID as
// in a real card's MO SMS (resolutions §5 [C2]).
Bytes EncodeNotification(const CardState& s, const NotificationRecord& n) {
  tlv::Builder b;
  b.Open(0xE1)
      .Add(0x4C, AsView(s.eid.ToBcd()))
      .Add(0x4D, {n.type})
      .Add(0x4E, {static_cast<uint8_t>(n.sequence >> 8), static_cast<uint8_t>(n.sequence)})
      .Add(0x4F, n.aid.bytes());
  if (!s.imei.empty()) b.Add(0x14, AsView(s.imei));
  b.Close();
  return std::move(b).Finish();
}

}  // namespace m2mrsp::euicc
