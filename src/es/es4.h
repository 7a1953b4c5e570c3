// ES4 (Operator / M2M SP ↔ SM-SR) messages (es-messages.md §5.4; GSMA schema
// euicc.request.ES4.xsd). pol2 is mandatory in ES4 UpdatePolicyRules (optional on ES2/ES3);
// AuditEIS may name 0..n ICCIDs. Callback Actions of the asynchronous functions are those of the
// /1 ES4_MNO.wsdl [C-/1]. Plain values.
#pragma once

#include "es/shapes.h"

namespace m2mrsp::es {

struct Es4GetEisRequest
    : EidRequest<"ES4-GetEISRequest", "http://gsma.com/ES4/ProfileManagement/ES4-GetEISRequest",
                 soap::Exchange::kSynchronous> {};
struct Es4GetEisResponse
    : EisResponse<"ES4-GetEISResponse", "http://gsma.com/ES4/ProfileManagement/ES4-GetEISResponse",
                  soap::Exchange::kSynchronous> {};

struct Es4AuditEisRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES4-AuditEISRequest", "http://gsma.com/ES4/ProfileManagement/ES4-AuditEIS",
                     kAsynchronous);
  Eid eid = UnsetEid();
  std::vector<Iccid> iccids;  // the profiles to audit
  bool operator==(const Es4AuditEisRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.List("Iccid", s.iccids, 0, SIZE_MAX);
  }
};
struct Es4AuditEisResponse
    : EisResponse<"ES4-AuditEISResponse",
                  "http://gsma.com/ES4/ProfileManagementCallBack/ES4-AuditEIS",
                  soap::Exchange::kAsynchronous> {};

struct Es4UpdatePolicyRulesRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES4-UpdatePolicyRulesRequest",
                     "http://gsma.com/ES4/ProfileManagement/ES4-UpdatePolicyRulesRequest",
                     kSynchronous);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  Pol2 pol2;
  bool operator==(const Es4UpdatePolicyRulesRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("pol2", s.pol2);
  }
};
struct Es4UpdatePolicyRulesResponse
    : BaseOnlyResponse<"ES4-UpdatePolicyRulesResponse",
                       "http://gsma.com/ES4/ProfileManagement/ES4-UpdatePolicyRulesResponse",
                       soap::Exchange::kSynchronous> {};

struct Es4UpdateSubscriptionAddressRequest
    : SubscriptionAddressRequest<
          "ES4-UpdateSubscriptionAddressRequest",
          "http://gsma.com/ES4/ProfileManagement/ES4-UpdateSubscriptionAddressRequest",
          soap::Exchange::kSynchronous> {};
struct Es4UpdateSubscriptionAddressResponse
    : BaseOnlyResponse<
          "ES4-UpdateSubscriptionAddressResponse",
          "http://gsma.com/ES4/ProfileManagement/ES4-UpdateSubscriptionAddressResponse",
          soap::Exchange::kSynchronous> {};

struct Es4EnableProfileRequest
    : EidIccidRequest<"ES4-EnableProfileRequest",
                      "http://gsma.com/ES4/PlatformManagement/ES4-EnableProfile",
                      soap::Exchange::kAsynchronous> {};
struct Es4EnableProfileResponse
    : EuiccDataResponse<"ES4-EnableProfileResponse",
                        "http://gsma.com/ES4/PlatformManagementCallBack/ES4-EnableProfile",
                        soap::Exchange::kAsynchronous> {};
struct Es4DisableProfileRequest
    : EidIccidRequest<"ES4-DisableProfileRequest",
                      "http://gsma.com/ES4/PlatformManagement/ES4-DisableProfile",
                      soap::Exchange::kAsynchronous> {};
struct Es4DisableProfileResponse
    : EuiccDataResponse<"ES4-DisableProfileResponse",
                        "http://gsma.com/ES4/PlatformManagementCallBack/ES4-DisableProfile",
                        soap::Exchange::kAsynchronous> {};
struct Es4DeleteProfileRequest
    : EidIccidRequest<"ES4-DeleteProfileRequest",
                      "http://gsma.com/ES4/PlatformManagement/ES4-DeleteProfile",
                      soap::Exchange::kAsynchronous> {};
struct Es4DeleteProfileResponse
    : EuiccDataResponse<"ES4-DeleteProfileResponse",
                        "http://gsma.com/ES4/PlatformManagementCallBack/ES4-DeleteProfile",
                        soap::Exchange::kAsynchronous> {};

// Sent to the new SM-SR [S].
struct Es4PrepareSmsrChangeRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES4-PrepareSMSRChangeRequest",
                     "http://gsma.com/ES4/eUICCManagement/ES4-PrepareSMSRChange", kAsynchronous);
  Eid eid = UnsetEid();
  Oid current_smsr_id;
  bool operator==(const Es4PrepareSmsrChangeRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("CurrentSMSRid", s.current_smsr_id);
  }
};
struct Es4PrepareSmsrChangeResponse
    : BaseOnlyResponse<"ES4-PrepareSMSRChangeResponse",
                       "http://gsma.com/ES4/eUICCManagementCallBack/ES4-PrepareSMSRChange",
                       soap::Exchange::kAsynchronous> {};

// Sent to the current SM-SR [S].
struct Es4SmsrChangeRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES4-SMSRChangeRequest", "http://gsma.com/ES4/eUICCManagement/ES4-SMSRChange",
                     kAsynchronous);
  Eid eid = UnsetEid();
  Oid target_smsr_id;
  bool operator==(const Es4SmsrChangeRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Target-Smsr-id", s.target_smsr_id);
  }
};
struct Es4SmsrChangeResponse
    : BaseOnlyResponse<"ES4-SMSRChangeResponse",
                       "http://gsma.com/ES4/eUICCManagementCallBack/ES4-SMSRChange",
                       soap::Exchange::kAsynchronous> {};

struct Es4HandleProfileDisabledNotification
    : ProfileChangeNotification<
          "ES4-HandleProfileDisabledNotification",
          "http://gsma.com/ES4/PlatformManagement/ES4-HandleProfileDisabledNotification"> {};
struct Es4HandleProfileEnabledNotification
    : ProfileChangeNotification<
          "ES4-HandleProfileEnabledNotification",
          "http://gsma.com/ES4/PlatformManagement/ES4-HandleProfileEnabledNotification"> {};
struct Es4HandleProfileDeletedNotification
    : ProfileChangeNotification<
          "ES4-HandleProfileDeletedNotification",
          "http://gsma.com/ES4/PlatformManagement/ES4-HandleProfileDeletedNotification"> {};
struct Es4HandleSmsrChangeNotification
    : SmsrChangeNotification<
          "ES4-HandleSMSRChangeNotification",
          "http://gsma.com/ES4/eUICCManagement/ES4-HandleSMSRChangeNotification"> {};

}  // namespace m2mrsp::es
