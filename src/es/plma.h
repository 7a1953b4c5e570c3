// Data types of the SGP.02 v3.1+ policy functions that the GSMA /3 schema bundle lacks: the
// Profile Lifecycle Management Authorisation (PLMA) an Operator grants an M2M SP, and the
// Operator Notification Configuration (ONC) (SGP.02 v4.2 §3.20, §3.21, §5.7; digest
// sgp02-architecture.md §8.5, §10.3). No XSD for them is public: element names, order and the
// enumeration literals are our choices in the bundle's style (capitalised, hyphenated ids such as
// `Mno-id`), declared in docs/schema/es-v4-additions.xsd and recorded in
// docs/spec-map.parts/es-store.md with confidence [?]. Plain values; not synchronised.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "es/types.h"

namespace m2mrsp::es {

// ES4 functions an Operator may authorise an M2M SP to call on its profiles (PLMA, §3.20) [?].
enum class PlmaFunction {
  kGetEis,
  kAuditEis,
  kEnableProfile,
  kDisableProfile,
  kDeleteProfile,
  kUpdateSubscriptionAddress,
  kSetFallBackAttribute,
  kSetEmergencyProfileAttribute,
};
template <>
struct EnumText<PlmaFunction> {
  static constexpr std::array<std::string_view, 8> kNames = {"GetEIS",
                                                             "AuditEIS",
                                                             "EnableProfile",
                                                             "DisableProfile",
                                                             "DeleteProfile",
                                                             "UpdateSubscriptionAddress",
                                                             "SetFallBackAttribute",
                                                             "SetEmergencyProfileAttribute"};
};

// Notifications an SM-SR can send about a profile: what a PLMA lets an M2M SP receive and what an
// ONC tells the SM-SR to withhold from the Operator (§3.21) [?].
enum class NotificationKind {
  kProfileEnabled,
  kProfileDisabled,
  kProfileDeleted,
  kSmsrChange,
  kProfileDownloaded,
  kProfilePol2Updated,
  kFallBackAttributeSet,
  kFallBackAttributeUnset,
  kEmergencyProfileAttributeSet,
  kEmergencyProfileAttributeUnset,
};
template <>
struct EnumText<NotificationKind> {
  static constexpr std::array<std::string_view, 10> kNames = {
      "HandleProfileEnabledNotification",
      "HandleProfileDisabledNotification",
      "HandleProfileDeletedNotification",
      "HandleSMSRChangeNotification",
      "HandleProfileDownloadedNotification",
      "HandleProfilePOL2UpdatedNotification",
      "HandleFallBackAttributeSetNotification",
      "HandleFallBackAttributeUnsetNotification",
      "HandleEmergencyProfileAttributeSetNotification",
      "HandleEmergencyProfileAttributeUnsetNotification"};
};

// PLMAType [?]: the Operator (owner of the profiles of one Profile Type) authorises an M2M SP.
// An empty function list withdraws the authorisation.
struct Plma {
  Oid mno_id;
  Oid m2m_sp_id;
  std::string profile_type;
  std::vector<PlmaFunction> functions;
  std::vector<NotificationKind> notifications;
  bool operator==(const Plma&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Mno-id", s.mno_id);
    v.Element("M2MSP-id", s.m2m_sp_id);
    v.Element("ProfileType", s.profile_type, Facet::kString100);
    v.List("AuthorisedFunction", s.functions, 0, EnumText<PlmaFunction>::kNames.size());
    v.List("AuthorisedNotification", s.notifications, 0, EnumText<NotificationKind>::kNames.size());
  }
};

// ONCType [?]: the notifications the Operator does not want for one Profile Type. No ONC set
// means every notification is delivered (digest §8.5).
struct Onc {
  Oid mno_id;
  std::string profile_type;
  std::vector<NotificationKind> discarded;
  bool operator==(const Onc&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Mno-id", s.mno_id);
    v.Element("ProfileType", s.profile_type, Facet::kString100);
    v.List("DiscardedNotification", s.discarded, 0, EnumText<NotificationKind>::kNames.size());
  }
};

}  // namespace m2mrsp::es
