// ES3 (SM-DP ↔ SM-SR) messages (es-messages.md §5.3; GSMA schema euicc.request.ES3.xsd).
// Irregularities kept as the schema has them: the ProfileDownloadCompleted Actions say
// "ProfileDownloadedCompleted" (sic) while the elements say "ProfileDownloadCompleted"; the
// SMSRChange notification's timestamp element is lower-case `completionTimestamp`; SendData names
// its target `Sd-aid`. Plain values.
#pragma once

#include "es/shapes.h"

namespace m2mrsp::es {

struct Es3GetEisRequest
    : EidRequest<"ES3-GetEISRequest", "http://gsma.com/ES3/ProfileManagement/ES3-GetEISRequest",
                 soap::Exchange::kSynchronous> {};
struct Es3GetEisResponse
    : EisResponse<"ES3-GetEISResponse", "http://gsma.com/ES3/ProfileManagement/ES3-GetEISResponse",
                  soap::Exchange::kSynchronous> {};

// The untouched /3 schema has Eid only (a vendor-edited copy adds Iccid 0..n, §8.2).
struct Es3AuditEisRequest
    : EidRequest<"ES3-AuditEISRequest", "http://gsma.com/ES3/ProfileManagement/ES3-AuditEIS",
                 soap::Exchange::kAsynchronous> {};
struct Es3AuditEisResponse
    : EisResponse<"ES3-AuditEISResponse",
                  "http://gsma.com/ES3/ProfileManagementCallBack/ES3-AuditEIS",
                  soap::Exchange::kAsynchronous> {};

struct Es3CreateIsdpRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES3-CreateISDPRequest",
                     "http://gsma.com/ES3/ProfileManagement/ES3-CreateISDP", kAsynchronous);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  Oid mno_id;
  int64_t required_memory = 0;  // xs:integer
  std::optional<bool> more_to_do;
  bool operator==(const Es3CreateIsdpRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("Mno-id", s.mno_id);
    v.Element("RequiredMemory", s.required_memory);
    v.Element("MoreToDo", s.more_to_do);
  }
};
// Isd-p-aid is required by the schema even in a FAILED callback (§9.7).
struct Es3CreateIsdpResponse : BaseResponse {
  M2_ES_MESSAGE_META("ES3-CreateISDPResponse",
                     "http://gsma.com/ES3/ProfileManagementCallBack/ES3-CreateISDP", kAsynchronous);
  Aid isd_p_aid = UnsetAid();
  std::optional<Bytes> euicc_response_data;
  bool operator==(const Es3CreateIsdpResponse&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Isd-p-aid", s.isd_p_aid);
    v.Element("EuiccResponseData", s.euicc_response_data);
  }
};

struct Es3SendDataRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES3-SendDataRequest", "http://gsma.com/ES3/ProfileManagement/ES3-SendData",
                     kAsynchronous);
  Eid eid = UnsetEid();
  Aid sd_aid = UnsetAid();
  Bytes data;  // the secured command script (ES8 content)
  std::optional<bool> more_to_do;
  bool operator==(const Es3SendDataRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Sd-aid", s.sd_aid);
    v.Element("Data", s.data);
    v.Element("MoreToDo", s.more_to_do);
  }
};
struct Es3SendDataResponse
    : EuiccDataResponse<"ES3-SendDataResponse",
                        "http://gsma.com/ES3/ProfileManagementCallBack/ES3-SendData",
                        soap::Exchange::kAsynchronous> {};

struct Es3ProfileDownloadCompletedRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES3-ProfileDownloadCompletedRequest",
                     "http://gsma.com/ES3/ProfileManagement/ES3-ProfileDownloadedCompletedRequest",
                     kSynchronous);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  std::optional<std::string> profile_type;
  std::optional<SubscriptionAddress> subscription_address;
  std::optional<Pol2> pol2;
  bool operator==(const Es3ProfileDownloadCompletedRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("ProfileType", s.profile_type);
    v.Element("SubscriptionAddress", s.subscription_address);
    v.Element("pol2", s.pol2);
  }
};
struct Es3ProfileDownloadCompletedResponse
    : BaseOnlyResponse<
          "ES3-ProfileDownloadCompletedResponse",
          "http://gsma.com/ES3/ProfileManagement/ES3-ProfileDownloadedCompletedResponse",
          soap::Exchange::kSynchronous> {};

struct Es3UpdatePolicyRulesRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES3-UpdatePolicyRulesRequest",
                     "http://gsma.com/ES3/ProfileManagement/ES3-UpdatePolicyRulesRequest",
                     kSynchronous);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  std::optional<Pol2> pol2;
  bool operator==(const Es3UpdatePolicyRulesRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("pol2", s.pol2);
  }
};
struct Es3UpdatePolicyRulesResponse
    : BaseOnlyResponse<"ES3-UpdatePolicyRulesResponse",
                       "http://gsma.com/ES3/ProfileManagement/ES3-UpdatePolicyRulesResponse",
                       soap::Exchange::kSynchronous> {};

struct Es3UpdateSubscriptionAddressRequest
    : SubscriptionAddressRequest<
          "ES3-UpdateSubscriptionAddressRequest",
          "http://gsma.com/ES3/ProfileManagement/ES3-UpdateSubscriptionAddressRequest",
          soap::Exchange::kSynchronous> {};
struct Es3UpdateSubscriptionAddressResponse
    : BaseOnlyResponse<
          "ES3-UpdateSubscriptionAddressResponse",
          "http://gsma.com/ES3/ProfileManagement/ES3-UpdateSubscriptionAddressResponse",
          soap::Exchange::kSynchronous> {};

struct Es3EnableProfileRequest
    : EidIccidRequest<"ES3-EnableProfileRequest",
                      "http://gsma.com/ES3/PlatformManagement/ES3-EnableProfile",
                      soap::Exchange::kAsynchronous> {};
struct Es3EnableProfileResponse
    : EuiccDataResponse<"ES3-EnableProfileResponse",
                        "http://gsma.com/ES3/PlatformManagementCallBack/ES3-EnableProfile",
                        soap::Exchange::kAsynchronous> {};
struct Es3DisableProfileRequest
    : EidIccidRequest<"ES3-DisableProfileRequest",
                      "http://gsma.com/ES3/PlatformManagement/ES3-DisableProfile",
                      soap::Exchange::kAsynchronous> {};
struct Es3DisableProfileResponse
    : EuiccDataResponse<"ES3-DisableProfileResponse",
                        "http://gsma.com/ES3/PlatformManagementCallBack/ES3-DisableProfile",
                        soap::Exchange::kAsynchronous> {};
// SGP.02 "DeleteProfile" on ES3 is DeleteISDP in the schema.
struct Es3DeleteIsdpRequest
    : EidIccidRequest<"ES3-DeleteISDPRequest",
                      "http://gsma.com/ES3/PlatformManagement/ES3-DeleteISDP",
                      soap::Exchange::kAsynchronous> {};
struct Es3DeleteIsdpResponse
    : EuiccDataResponse<"ES3-DeleteISDPResponse",
                        "http://gsma.com/ES3/PlatformManagementCallBack/ES3-DeleteISDP",
                        soap::Exchange::kAsynchronous> {};

struct Es3UpdateConnectivityParametersRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES3-UpdateConnectivityParametersRequest",
                     "http://gsma.com/ES3/PlatformManagement/ES3-UpdateConnectivityParameters",
                     kAsynchronous);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  Bytes connectivity_parameters;  // SCP03-protected command data
  bool operator==(const Es3UpdateConnectivityParametersRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("ConnectivityParameters", s.connectivity_parameters);
  }
};
struct Es3UpdateConnectivityParametersResponse
    : EuiccDataResponse<
          "ES3-UpdateConnectivityParametersResponse",
          "http://gsma.com/ES3/PlatformManagementCallBack/ES3-UpdateConnectivityParameters",
          soap::Exchange::kAsynchronous> {};

struct Es3HandleProfileDisabledNotification
    : MnoProfileChangeNotification<
          "ES3-HandleProfileDisabledNotification",
          "http://gsma.com/ES3/PlatformManagement/ES3-HandleProfileDisabledNotification"> {};
struct Es3HandleProfileEnabledNotification
    : MnoProfileChangeNotification<
          "ES3-HandleProfileEnabledNotification",
          "http://gsma.com/ES3/PlatformManagement/ES3-HandleProfileEnabledNotification"> {};
struct Es3HandleProfileDeletedNotification
    : MnoProfileChangeNotification<
          "ES3-HandleProfileDeletedNotification",
          "http://gsma.com/ES3/PlatformManagement/ES3-HandleProfileDeletedNotification"> {};

struct Es3HandleSmsrChangeNotification : BaseNotification {
  M2_ES_MESSAGE_META("ES3-HandleSMSRChangeNotification",
                     "http://gsma.com/ES3/PlatformManagement/ES3-HandleSMSRChangeNotification",
                     kNotification);
  Eis eis;
  Oid mno_id;
  DateTime completion_timestamp;
  bool operator==(const Es3HandleSmsrChangeNotification&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eis", s.eis);
    v.Element("Mno-id", s.mno_id);
    v.Element("completionTimestamp", s.completion_timestamp);  // lower-case c in the schema
  }
};

}  // namespace m2mrsp::es
