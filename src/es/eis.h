// EISType, the eUICC Information Set (GSMA RPS schema euicc.common.types.xsd; es-messages.md
// §4): EumSignedInfo with the eUICC capabilities and the ECASD, the EUM signature, memory, the
// ProfileInfo list with POL2, the ISD-R with its key sets, the audit trail and additional
// properties. Children are listed in schema order in each Visit(); es/codec.h encodes them.
//
// EumSignature (ds:SignatureType) is kept as XML: the decoder copies its children verbatim (with
// the namespace declarations they need made explicit), the encoder writes them back. Checking
// that signature (XML-DSig over EumSignedInfo) is the EUM-certificate code's job. Plain values;
// not synchronised.
#pragma once

#include <variant>

#include "es/types.h"

namespace m2mrsp::es {

// KeyType/KeyComponents: an empty element with attributes type (1 octet) and value.
struct KeyComponent {
  Bytes type;
  Bytes value;
  bool operator==(const KeyComponent&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Attribute("type", s.type, Facet::kOneOctet);
    v.Attribute("value", s.value);
  }
};

// KeyType (§4.8): attribute kcv, then Index and 1..n KeyComponents.
struct Key {
  Bytes kcv;
  int64_t index = 0;
  std::vector<KeyComponent> components;
  bool operator==(const Key&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Attribute("kcv", s.kcv);
    v.Element("Index", s.index, Facet::kKeyIndex);
    v.List("KeyComponents", s.components, 1, SIZE_MAX);
  }
};

// GPCertificateType (§4.8).
struct GpCertificate {
  int64_t index = 0;
  Oid ca_id;
  Bytes value;
  bool operator==(const GpCertificate&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Index", s.index, Facet::kKeyIndex);
    v.Element("CaId", s.ca_id);
    v.Element("Value", s.value);
  }
};

// SecurityDomainType/Keyset (§4.8): keys and certificates may be mixed in any order (choice
// 0..128 in /3).
struct Keyset {
  int64_t version = 1;
  std::optional<KeysetUsage> type;
  std::optional<uint64_t> counter;
  std::vector<std::variant<Key, GpCertificate>> entries;
  bool operator==(const Keyset&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Version", s.version, Facet::kKeysetVersion);
    v.Element("Type", s.type);
    v.Element("Cntr", s.counter);
    v.Choice("Key", "Certificate", s.entries, 0, 128);
  }
};

// SecurityDomainType (§4.8), for Isd-r and Ecasd.
struct SecurityDomain {
  Aid aid = UnsetAid();
  std::vector<Tar> tars;
  Bytes sin;
  Bytes sdin;
  SdRole role = SdRole::kIsdR;
  std::vector<Keyset> keysets;  // 1..127
  bool operator==(const SecurityDomain&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Aid", s.aid);
    v.List("Tar", s.tars, 0, SIZE_MAX);
    v.Element("Sin", s.sin, Facet::kHex16);
    v.Element("Sdin", s.sdin, Facet::kHex16);
    v.Element("Role", s.role);
    v.List("Keyset", s.keysets, 1, 127);
  }
};

// EuiccCapabilities (§4.3).
struct EuiccCapabilities {
  bool cattp_support = false;
  std::optional<std::string> cattp_version;
  bool http_support = false;
  std::optional<std::string> http_version;
  std::string secure_packet_version;
  std::string remote_provisioning_version;
  bool operator==(const EuiccCapabilities&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("CattpSupport", s.cattp_support);
    v.Element("CattpVersion", s.cattp_version, Facet::kThreeDigitVersion);
    v.Element("HttpSupport", s.http_support);
    v.Element("HttpVersion", s.http_version, Facet::kThreeDigitVersion);
    v.Element("SecurePacketVersion", s.secure_packet_version, Facet::kThreeDigitVersion);
    v.Element("RemoteProvisioningVersion", s.remote_provisioning_version,
              Facet::kThreeDigitVersion);
  }
};

// EumSignedInfo (§4.2): the part of the EIS the EUM signs.
struct EumSignedInfo {
  Eid eid = UnsetEid();
  Oid eum_id;
  DateTime production_date;
  std::string platform_type;
  std::string platform_version;
  Aid isd_p_loadfile_aid = UnsetAid();
  Aid isd_p_module_aid = UnsetAid();
  SecurityDomain ecasd;
  EuiccCapabilities euicc_capabilities;
  bool operator==(const EumSignedInfo&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Eum-id", s.eum_id);
    v.Element("ProductionDate", s.production_date);
    v.Element("PlatformType", s.platform_type, Facet::kString100);
    v.Element("PlatformVersion", s.platform_version, Facet::kThreeDigitVersion);
    v.Element("Isd-p-loadfile-aid", s.isd_p_loadfile_aid);
    v.Element("Isd-p-module-aid", s.isd_p_module_aid);
    v.Element("Ecasd", s.ecasd);
    v.Element("EuiccCapabilities", s.euicc_capabilities);
  }
};

// An element whose content is foreign XML kept verbatim: `children` is the serialised child
// nodes (each carrying the namespace declarations it needs), `id` the optional Id attribute.
struct XmlFragment {
  std::optional<std::string> id;
  std::string children;
  bool operator==(const XmlFragment&) const = default;
};

// ProfileInfo (§4.5).
struct ProfileInfo {
  Iccid iccid = UnsetIccid();
  Aid isd_p_aid = UnsetAid();
  Oid mno_id;
  bool fallback_attribute = false;
  SubscriptionAddress subscription_address;
  ProfileState state = ProfileState::kCreated;
  std::optional<Oid> smdp_id;
  std::optional<std::string> profile_type;
  uint64_t allocated_memory = 0;
  std::optional<uint64_t> free_memory;
  Pol2 pol2;  // required even without rules
  bool operator==(const ProfileInfo&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Iccid", s.iccid);
    v.Element("Isd-p-aid", s.isd_p_aid);
    v.Element("Mno-id", s.mno_id);
    v.Element("FallbackAttribute", s.fallback_attribute);
    v.Element("SubscriptionAddress", s.subscription_address);
    v.Element("State", s.state);
    v.Element("Smdp-id", s.smdp_id);
    v.Element("ProfileType", s.profile_type, Facet::kString100);
    v.Element("AllocatedMemory", s.allocated_memory);
    v.Element("FreeMemory", s.free_memory);
    v.Element("pol2", s.pol2);
  }
};

// AuditTrailRecordType (§4.9).
struct AuditTrailRecord {
  Eid eid = UnsetEid();
  Oid smsr_id;
  DateTime operation_date;
  Bytes operation_type;  // 2 octets, code table in the spec annex
  std::optional<Oid> requester_id;
  std::optional<FunctionExecutionStatus> operation_execution_status;
  std::optional<Aid> isd_p_aid;
  std::optional<Iccid> iccid;
  std::optional<Bytes> imei;
  std::optional<Bytes> meid;
  bool operator==(const AuditTrailRecord&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Smsr-id", s.smsr_id);
    v.Element("OperationDate", s.operation_date);
    v.Element("OperationType", s.operation_type, Facet::kTwoOctets);
    v.Element("RequesterId", s.requester_id);
    v.Element("OperationExecutionStatus", s.operation_execution_status);
    v.Element("Isd-p-aid", s.isd_p_aid);
    v.Element("Iccid", s.iccid);
    v.Element("Imei", s.imei);
    v.Element("Meid", s.meid);
  }
};

struct AuditTrail {
  std::vector<AuditTrailRecord> records;
  bool operator==(const AuditTrail&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.List("Record", s.records, 0, SIZE_MAX);
  }
};

// PropertyType (§4.10): attributes key (non-empty) and value.
struct Property {
  std::string key;
  std::string value;
  bool operator==(const Property&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Attribute("key", s.key, Facet::kNonEmpty);
    v.Attribute("value", s.value);
  }
};

struct AdditionalProperties {
  std::vector<Property> properties;  // 1..n
  bool operator==(const AdditionalProperties&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.List("Property", s.properties, 1, SIZE_MAX);
  }
};

// EISType (§4.1).
struct Eis {
  EumSignedInfo eum_signed_info;
  XmlFragment eum_signature;
  uint64_t remaining_memory = 0;
  uint64_t available_memory_for_profiles = 0;
  std::optional<DateTime> last_audit_date;
  Oid smsr_id;
  std::vector<ProfileInfo> profile_info;
  SecurityDomain isd_r;
  std::optional<AuditTrail> audit_trail;
  std::optional<AdditionalProperties> additional_properties;
  bool operator==(const Eis&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("EumSignedInfo", s.eum_signed_info);
    v.Fragment("EumSignature", s.eum_signature);
    v.Element("RemainingMemory", s.remaining_memory);
    v.Element("AvailableMemoryForProfiles", s.available_memory_for_profiles);
    v.Element("LastAuditDate", s.last_audit_date);
    v.Element("Smsr-id", s.smsr_id);
    v.List("ProfileInfo", s.profile_info, 0, SIZE_MAX);
    v.Element("Isd-r", s.isd_r);
    v.Element("AuditTrail", s.audit_trail);
    v.Element("AdditionalProperties", s.additional_properties);
  }
};

}  // namespace m2mrsp::es
