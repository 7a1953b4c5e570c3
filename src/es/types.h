// The common data types of the SGP.02 ES messages (GSMA RPS schema, namespace
// http://namespaces.gsma.org/esim-messaging/3, euicc.common.types.xsd; es-messages.md §3-§4):
// simple types, enumerations, FunctionExecutionStatus, the base request/response parts and the
// full EIS tree.
//
// Composite types list their XML children, in schema order, in a static Visit(self, visitor)
// template; es/codec.h supplies the visitors that encode and decode them, so the element names
// and order are written once. Required EID/ICCID/AID/TAR fields of a default-constructed value
// hold placeholders (UnsetEid() ...) until the caller or the decoder sets them. Plain values;
// not synchronised.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/eid.h"
#include "base/iccid.h"
#include "base/status.h"

namespace m2mrsp::es {

// Placeholders for required identifier fields of default-constructed values: a valid EID of
// all zeros ("…0001"), the ICCID "890000000000000000" + Luhn, the AID 00 00 00 00 00, TAR 000000.
const Eid& UnsetEid();
const Iccid& UnsetIccid();
const Aid& UnsetAid();
const Tar& UnsetTar();

// ObjectIdentifierType: dotted decimal ([\d]+[.])*[\d]+ (entity ids, status codes).
struct Oid {
  std::string value;
  auto operator<=>(const Oid&) const = default;
};

// xs:dateTime, kept at second precision in UTC. Written "YYYY-MM-DDThh:mm:ssZ"; read with an
// optional fraction (dropped) and an optional Z / ±hh:mm offset (none = UTC).
struct DateTime {
  std::chrono::sys_seconds time{};
  auto operator<=>(const DateTime&) const = default;
  static Result<DateTime> Parse(std::string_view text);
  std::string ToString() const;
};

// Enumerations: the XSD literals are EnumText<E>::kNames, indexed by the enum value.
template <typename E>
struct EnumText;

// StatusType (es-messages.md §3.4: upper case with underscores, not the prose "Executed-Success").
enum class ExecutionStatus { kExecutedSuccess, kExecutedWithWarning, kFailed, kExpired };
template <>
struct EnumText<ExecutionStatus> {
  static constexpr std::array<std::string_view, 4> kNames = {
      "EXECUTED_SUCCESS", "EXECUTED_WITHWARNING", "FAILED", "EXPIRED"};
};
enum class ProfileState { kCreated, kDisabled, kEnabled };
template <>
struct EnumText<ProfileState> {
  static constexpr std::array<std::string_view, 3> kNames = {"Created", "Disabled", "Enabled"};
};
enum class SdRole { kIsdR, kEcasd };
template <>
struct EnumText<SdRole> {
  static constexpr std::array<std::string_view, 2> kNames = {"ISD-R", "ECASD"};
};
enum class KeysetUsage { kScp03, kScp80, kScp81, kTokenGeneration, kReceiptVerification, kCa };
template <>
struct EnumText<KeysetUsage> {
  static constexpr std::array<std::string_view, 6> kNames = {
      "SCP03", "SCP80", "SCP81", "TokenGeneration", "ReceiptVerification", "CA"};
};
enum class Pol2Subject { kProfile };
template <>
struct EnumText<Pol2Subject> {
  static constexpr std::array<std::string_view, 1> kNames = {"PROFILE"};
};
enum class Pol2Action { kEnable, kDisable, kDelete };
template <>
struct EnumText<Pol2Action> {
  static constexpr std::array<std::string_view, 3> kNames = {"ENABLE", "DISABLE", "DELETE"};
};
enum class Pol2Qualification { kNotAllowed, kAutoDelete };
template <>
struct EnumText<Pol2Qualification> {
  static constexpr std::array<std::string_view, 2> kNames = {"Not-Allowed", "Auto-Delete"};
};
enum class EccKeyLength { kEcc256, kEcc384, kEcc512, kEcc521 };
template <>
struct EnumText<EccKeyLength> {
  static constexpr std::array<std::string_view, 4> kNames = {"ECC-256", "ECC-384", "ECC-512",
                                                             "ECC-521"};
};

// XSD restrictions of simple values, checked when encoding and when decoding.
enum class Facet : uint8_t {
  kNone,
  kString100,          // String100: maxLength 100
  kNonEmpty,           // minLength 1 (PropertyType/@key)
  kThreeDigitVersion,  // \d+[.]\d+[.]\d+
  kImsi,               // \d{0,15}
  kMsisdn,             // \d{3,15}
  kHex16,              // hexBinary16: at most 16 octets
  kOneOctet,           // KeyTypeCodingType: exactly 1 octet
  kTwoOctets,          // audit OperationType: exactly 2 octets
  kPositive,           // xs:positiveInteger
  kKeysetVersion,      // 1..127
  kKeyIndex,           // 0..127
  kByte,               // xs:byte: -128..127
};

// StatusCodeDataType (es-messages.md §3.4).
struct StatusCodeData {
  Oid subject;
  Oid reason;
  std::optional<std::string> subject_identifier;
  std::optional<std::string> message;
  bool operator==(const StatusCodeData&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Subject", s.subject);
    v.Element("Reason", s.reason);
    v.Element("SubjectIdentifier", s.subject_identifier);
    v.Element("Message", s.message);
  }
};

// ExecutionStatusType: FunctionExecutionStatus and audit OperationExecutionStatus.
struct FunctionExecutionStatus {
  ExecutionStatus status = ExecutionStatus::kExecutedSuccess;
  std::optional<StatusCodeData> status_code_data;
  bool operator==(const FunctionExecutionStatus&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Status", s.status);
    v.Element("StatusCodeData", s.status_code_data);
  }

  static FunctionExecutionStatus Success() { return {}; }
  // FAILED with the Status's SGP.02 codes (subject 1.2 "Function provider" / reason 4.2
  // "Execution error" when it carries none) and its message.
  static FunctionExecutionStatus FromError(const Status& status);
};

// BaseRequestType (§3.1): FunctionCallIdentifier, ValidityPeriod (seconds, positive).
struct BaseRequest {
  std::string function_call_identifier;
  std::optional<uint64_t> validity_period;
  bool operator==(const BaseRequest&) const = default;
  template <typename S, typename V>
  static void VisitBase(S& s, V& v) {
    v.Element("FunctionCallIdentifier", s.function_call_identifier);
    v.Element("ValidityPeriod", s.validity_period, Facet::kPositive);
  }
};

// BaseResponseType (§3.2).
struct BaseResponse {
  std::optional<DateTime> processing_start;
  std::optional<DateTime> processing_end;
  std::optional<uint64_t> acceptable_validity_period;
  FunctionExecutionStatus function_execution_status;
  bool operator==(const BaseResponse&) const = default;
  template <typename S, typename V>
  static void VisitBase(S& s, V& v) {
    v.Element("ProcessingStart", s.processing_start);
    v.Element("ProcessingEnd", s.processing_end);
    v.Element("AcceptableValidityPeriod", s.acceptable_validity_period, Facet::kPositive);
    v.Element("FunctionExecutionStatus", s.function_execution_status);
  }
};

// BaseNotificationType (§3.3) is empty in /3.
struct BaseNotification {
  bool operator==(const BaseNotification&) const = default;
};

// SubscriptionAddressType (§4.6).
struct SubscriptionAddress {
  std::optional<std::string> imsi;
  std::optional<std::string> msisdn;
  bool operator==(const SubscriptionAddress&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Imsi", s.imsi, Facet::kImsi);
    v.Element("Msisdn", s.msisdn, Facet::kMsisdn);
  }
};

// POL2RuleType / POL2Type (§4.7). An empty Pol2 means "no rule".
struct Pol2Rule {
  Pol2Subject subject = Pol2Subject::kProfile;
  Pol2Action action = Pol2Action::kDisable;
  Pol2Qualification qualification = Pol2Qualification::kNotAllowed;
  bool operator==(const Pol2Rule&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.Element("Subject", s.subject);
    v.Element("Action", s.action);
    v.Element("Qualification", s.qualification);
  }
};
struct Pol2 {
  std::vector<Pol2Rule> rules;
  bool operator==(const Pol2&) const = default;
  template <typename S, typename V>
  static void Visit(S& s, V& v) {
    v.List("Rule", s.rules, 0, SIZE_MAX);
  }
};

}  // namespace m2mrsp::es
