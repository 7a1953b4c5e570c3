// Message shapes that recur across the ES interfaces, as templates over the body element name,
// the WS-Addressing Action and the exchange pattern (es-messages.md §5). Each instantiation is
// its own type (`struct Es3EnableProfileRequest : EidIccidRequest<...> {};`), so handlers and the
// message variant still tell them apart. A derived struct rather than an alias: symbol names
// then say `Es3EnableProfileRequest`, not the element and Action strings spelled out character by
// character (with aliases, messages.cc alone compiled to ~1 GB of object code).
//
// Every message type has: kElement (the body element in the /3 namespace), kAction (for a
// response of an asynchronous function: the "…CallBack" Action of the callback), kExchange, a
// base (BaseRequest / BaseResponse / BaseNotification, whose elements come first) and a static
// Fields(self, visitor) listing its own children in schema order. Plain values.
#pragma once

#include <cstddef>
#include <string_view>

#include "es/eis.h"
#include "soap/exchange.h"

namespace m2mrsp::es {

// A string usable as a template argument.
template <size_t N>
struct Name {
  char text[N]{};
  constexpr Name(const char (&s)[N]) {  // NOLINT(google-explicit-constructor)
    for (size_t i = 0; i < N; ++i) text[i] = s[i];
  }
  constexpr std::string_view view() const { return {text, N - 1}; }
};

#define M2_ES_SHAPE_META(E, A, X)                        \
  static constexpr std::string_view kElement = E.view(); \
  static constexpr std::string_view kAction = A.view();  \
  static constexpr soap::Exchange kExchange = X

// Requests whose body is Eid only (GetEIS, AuditEIS on ES3).
template <Name E, Name A, soap::Exchange X>
struct EidRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, X);
  Eid eid = UnsetEid();
  bool operator==(const EidRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
  }
};

// Requests whose body is Eid, Iccid (ES3/ES4 Enable/Disable/Delete...).
template <Name E, Name A, soap::Exchange X>
struct EidIccidRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, X);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  bool operator==(const EidIccidRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
  }
};

// Requests whose body is Eid, Iccid, newSubscriptionAddress (ES3/ES4 UpdateSubscriptionAddress).
template <Name E, Name A, soap::Exchange X>
struct SubscriptionAddressRequest : BaseRequest {
  M2_ES_SHAPE_META(E, A, X);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  SubscriptionAddress new_subscription_address;
  bool operator==(const SubscriptionAddressRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("newSubscriptionAddress", s.new_subscription_address);
  }
};

// Responses with the base elements only.
template <Name E, Name A, soap::Exchange X>
struct BaseOnlyResponse : BaseResponse {
  M2_ES_SHAPE_META(E, A, X);
  bool operator==(const BaseOnlyResponse&) const = default;
  template <typename S, typename V>
  static void Fields(S&, V&) {}
};

// Responses carrying the card's response data (ES3/ES4 profile operations).
template <Name E, Name A, soap::Exchange X>
struct EuiccDataResponse : BaseResponse {
  M2_ES_SHAPE_META(E, A, X);
  std::optional<Bytes> euicc_response_data;
  bool operator==(const EuiccDataResponse&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("EuiccResponseData", s.euicc_response_data);
  }
};

// GetEIS / AuditEIS responses.
template <Name E, Name A, soap::Exchange X>
struct EisResponse : BaseResponse {
  M2_ES_SHAPE_META(E, A, X);
  std::optional<Eis> eis;
  bool operator==(const EisResponse&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eis", s.eis);
  }
};

// Handle{ProfileDisabled,ProfileEnabled,ProfileDeleted}Notification on ES2/ES4 (§6).
template <Name E, Name A>
struct ProfileChangeNotification : BaseNotification {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kNotification);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  DateTime completion_timestamp;
  bool operator==(const ProfileChangeNotification&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("CompletionTimestamp", s.completion_timestamp);
  }
};

// The same on ES3, which adds Mno-id so the SM-DP knows whom to relay to (§5.3).
template <Name E, Name A>
struct MnoProfileChangeNotification : BaseNotification {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kNotification);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  Oid mno_id;
  DateTime completion_timestamp;
  bool operator==(const MnoProfileChangeNotification&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("Mno-id", s.mno_id);
    v.Element("CompletionTimestamp", s.completion_timestamp);
  }
};

// HandleSMSRChangeNotification on ES2/ES4/ES7: Eis, CompletionTimestamp.
template <Name E, Name A>
struct SmsrChangeNotification : BaseNotification {
  M2_ES_SHAPE_META(E, A, soap::Exchange::kNotification);
  Eis eis;
  DateTime completion_timestamp;
  bool operator==(const SmsrChangeNotification&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eis", s.eis);
    v.Element("CompletionTimestamp", s.completion_timestamp);
  }
};

// For the hand-written message structs.
#define M2_ES_MESSAGE_META(E, A, X)               \
  static constexpr std::string_view kElement = E; \
  static constexpr std::string_view kAction = A;  \
  static constexpr soap::Exchange kExchange = soap::Exchange::X

}  // namespace m2mrsp::es
