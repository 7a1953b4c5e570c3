// Message shapes of the SGP.02 v3.1+/v4 functions that the GSMA /3 bundle lacks (PLMA, ONC,
// attribute functions, newer notifications), in the style of es/shapes.h: templates over the
// body element name, the Action and the exchange pattern, base elements first, then the
// function's own children. Names and order are our choices [?] (docs/spec-map.parts/es-store.md);
// the XSD that declares them is docs/schema/es-v4-additions.xsd. Plain values.
#pragma once

#include <cstdint>

#include "es/plma.h"
#include "es/shapes.h"

namespace m2mrsp::es {

// Decoding bound on the PLMA/ONC lists in Get responses (the XSD says unbounded).
inline constexpr size_t kMaxPolicyEntries = 1024;

// ES2 requests naming a profile through the SM-DP: Eid, Smsr-id, Iccid (the order of
// ES2-DisableProfileRequest, the regular one of the bundle's three).
template <Name E, Name A, soap::Exchange X>
struct SmsrEidIccidRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, X);
  Eid eid = UnsetEid();
  Oid smsr_id;
  Iccid iccid = UnsetIccid();
  bool operator==(const SmsrEidIccidRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Smsr-id", s.smsr_id);
    v.Element("Iccid", s.iccid);
  }
};

// SetPLMA on ES3/ES4A: one Plma.
template <Name E, Name A>
struct SetPlmaRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kSynchronous);
  Plma plma;
  bool operator==(const SetPlmaRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Plma", s.plma);
  }
};

// SetPLMA on ES2: the SM-DP needs the SM-SR to relay to.
template <Name E, Name A>
struct SmsrSetPlmaRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kSynchronous);
  Oid smsr_id;
  Plma plma;
  bool operator==(const SmsrSetPlmaRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Smsr-id", s.smsr_id);
    v.Element("Plma", s.plma);
  }
};

// GetPLMA on ES3/ES4A (the Operator reads what it granted): optional filters.
template <Name E, Name A>
struct GetPlmaRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kSynchronous);
  std::optional<Oid> m2m_sp_id;
  std::optional<std::string> profile_type;
  bool operator==(const GetPlmaRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("M2MSP-id", s.m2m_sp_id);
    v.Element("ProfileType", s.profile_type, Facet::kString100);
  }
};

// GetPLMA on ES2.
template <Name E, Name A>
struct SmsrGetPlmaRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kSynchronous);
  Oid smsr_id;
  std::optional<Oid> m2m_sp_id;
  std::optional<std::string> profile_type;
  bool operator==(const SmsrGetPlmaRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Smsr-id", s.smsr_id);
    v.Element("M2MSP-id", s.m2m_sp_id);
    v.Element("ProfileType", s.profile_type, Facet::kString100);
  }
};

// GetPLMA responses: the matching authorisations.
template <Name E, Name A>
struct PlmaListResponse : BaseResponse {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kSynchronous);
  std::vector<Plma> plmas;
  bool operator==(const PlmaListResponse&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.List("Plma", s.plmas, 0, kMaxPolicyEntries);
  }
};

// SetONC on ES3/ES4A.
template <Name E, Name A>
struct SetOncRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kSynchronous);
  Onc onc;
  bool operator==(const SetOncRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Onc", s.onc);
  }
};

// SetONC on ES2.
template <Name E, Name A>
struct SmsrSetOncRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kSynchronous);
  Oid smsr_id;
  Onc onc;
  bool operator==(const SmsrSetOncRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Smsr-id", s.smsr_id);
    v.Element("Onc", s.onc);
  }
};

// GetONC on ES3/ES4A.
template <Name E, Name A>
struct GetOncRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kSynchronous);
  std::optional<std::string> profile_type;
  bool operator==(const GetOncRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("ProfileType", s.profile_type, Facet::kString100);
  }
};

// GetONC on ES2.
template <Name E, Name A>
struct SmsrGetOncRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kSynchronous);
  Oid smsr_id;
  std::optional<std::string> profile_type;
  bool operator==(const SmsrGetOncRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Smsr-id", s.smsr_id);
    v.Element("ProfileType", s.profile_type, Facet::kString100);
  }
};

template <Name E, Name A>
struct OncListResponse : BaseResponse {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kSynchronous);
  std::vector<Onc> oncs;
  bool operator==(const OncListResponse&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.List("Onc", s.oncs, 0, kMaxPolicyEntries);
  }
};

// HandleProfilePOL2UpdatedNotification on ES2/ES4: the ProfileChangeNotification children plus
// the new pol2 before the timestamp.
template <Name E, Name A>
struct Pol2UpdatedNotification : BaseNotification {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kNotification);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  Pol2 pol2;
  DateTime completion_timestamp;
  bool operator==(const Pol2UpdatedNotification&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("pol2", s.pol2);
    v.Element("CompletionTimestamp", s.completion_timestamp);
  }
};

// The same on ES3, with Mno-id (as the bundle's ES3 profile notifications).
template <Name E, Name A>
struct MnoPol2UpdatedNotification : BaseNotification {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kNotification);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  Oid mno_id;
  Pol2 pol2;
  DateTime completion_timestamp;
  bool operator==(const MnoPol2UpdatedNotification&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("Mno-id", s.mno_id);
    v.Element("pol2", s.pol2);
    v.Element("CompletionTimestamp", s.completion_timestamp);
  }
};

// HandlePLMASettingNotification: the PLMA now in force (its Mno-id names the Operator).
template <Name E, Name A>
struct PlmaSettingNotification : BaseNotification {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kNotification);
  Plma plma;
  DateTime completion_timestamp;
  bool operator==(const PlmaSettingNotification&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Plma", s.plma);
    v.Element("CompletionTimestamp", s.completion_timestamp);
  }
};

}  // namespace m2mrsp::es
