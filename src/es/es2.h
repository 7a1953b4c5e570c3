// ES2 (Operator ↔ SM-DP) messages (es-messages.md §5.2; GSMA schema euicc.request.ES2.xsd).
// Note the schema's own spellings: `SmSr-id` in DownloadProfile and EnableProfile, `Smsr-id`
// elsewhere; DeleteProfile puts Iccid before Smsr-id; GetEIS uses the DataPreparation group.
// Callback Actions of the asynchronous functions are those of the /1 ES2_MNO.wsdl [C-/1];
// DownloadProfile's callback uses the PlatformManagementCallBack group (sic). Plain values.
#pragma once

#include "es/shapes.h"

namespace m2mrsp::es {

struct Es2GetEisRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES2-GetEISRequest", "http://gsma.com/ES2/DataPreparation/ES2-GetEISRequest",
                     kSynchronous);
  Eid eid = UnsetEid();
  Oid smsr_id;
  bool operator==(const Es2GetEisRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Smsr-id", s.smsr_id);
  }
};
struct Es2GetEisResponse
    : EisResponse<"ES2-GetEISResponse", "http://gsma.com/ES2/DataPreparation/ES2-GetEISResponse",
                  soap::Exchange::kSynchronous> {};

struct Es2DownloadProfileRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES2-DownloadProfileRequest",
                     "http://gsma.com/ES2/ProfileManagement/ES2-DownloadProfile", kAsynchronous);
  Eid eid = UnsetEid();
  Oid smsr_id;
  std::optional<std::string> profile_type;  // either this or iccid names the profile
  std::optional<Iccid> iccid;
  bool enable_profile = false;
  bool operator==(const Es2DownloadProfileRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("SmSr-id", s.smsr_id);
    v.Element("ProfileType", s.profile_type);
    v.Element("Iccid", s.iccid);
    v.Element("EnableProfile", s.enable_profile);
  }
};
struct Es2DownloadProfileResponse : BaseResponse {
  M2_ES_MESSAGE_META("ES2-DownloadProfileResponse",
                     "http://gsma.com/ES2/PlatformManagementCallBack/ES2-DownloadProfile",
                     kAsynchronous);
  std::optional<Iccid> iccid;
  bool operator==(const Es2DownloadProfileResponse&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Iccid", s.iccid);
  }
};

struct Es2UpdatePolicyRulesRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES2-UpdatePolicyRulesRequest",
                     "http://gsma.com/ES2/ProfileManagement/ES2-UpdatePolicyRulesRequest",
                     kSynchronous);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  Oid smsr_id;
  std::optional<Pol2> pol2;
  bool operator==(const Es2UpdatePolicyRulesRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("Smsr-id", s.smsr_id);
    v.Element("pol2", s.pol2);
  }
};
struct Es2UpdatePolicyRulesResponse
    : BaseOnlyResponse<"ES2-UpdatePolicyRulesResponse",
                       "http://gsma.com/ES2/ProfileManagement/ES2-UpdatePolicyRulesResponse",
                       soap::Exchange::kSynchronous> {};

struct Es2UpdateSubscriptionAddressRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES2-UpdateSubscriptionAddressRequest",
                     "http://gsma.com/ES2/ProfileManagement/ES2-UpdateSubscriptionAddressRequest",
                     kSynchronous);
  Eid eid = UnsetEid();
  Oid smsr_id;
  Iccid iccid = UnsetIccid();
  SubscriptionAddress new_subscription_address;
  bool operator==(const Es2UpdateSubscriptionAddressRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Smsr-id", s.smsr_id);
    v.Element("Iccid", s.iccid);
    v.Element("newSubscriptionAddress", s.new_subscription_address);
  }
};
struct Es2UpdateSubscriptionAddressResponse
    : BaseOnlyResponse<
          "ES2-UpdateSubscriptionAddressResponse",
          "http://gsma.com/ES2/ProfileManagement/ES2-UpdateSubscriptionAddressResponse",
          soap::Exchange::kSynchronous> {};

struct Es2EnableProfileRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES2-EnableProfileRequest",
                     "http://gsma.com/ES2/PlatformManagement/ES2-EnableProfile", kAsynchronous);
  Eid eid = UnsetEid();
  Oid smsr_id;
  Iccid iccid = UnsetIccid();
  bool operator==(const Es2EnableProfileRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("SmSr-id", s.smsr_id);
    v.Element("Iccid", s.iccid);
  }
};
struct Es2EnableProfileResponse
    : BaseOnlyResponse<"ES2-EnableProfileResponse",
                       "http://gsma.com/ES2/PlatformManagementCallBack/ES2-EnableProfile",
                       soap::Exchange::kAsynchronous> {};

struct Es2DisableProfileRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES2-DisableProfileRequest",
                     "http://gsma.com/ES2/PlatformManagement/ES2-DisableProfile", kAsynchronous);
  Eid eid = UnsetEid();
  Oid smsr_id;
  Iccid iccid = UnsetIccid();
  bool operator==(const Es2DisableProfileRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Smsr-id", s.smsr_id);
    v.Element("Iccid", s.iccid);
  }
};
struct Es2DisableProfileResponse
    : BaseOnlyResponse<"ES2-DisableProfileResponse",
                       "http://gsma.com/ES2/PlatformManagementCallBack/ES2-DisableProfile",
                       soap::Exchange::kAsynchronous> {};

struct Es2DeleteProfileRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES2-DeleteProfileRequest",
                     "http://gsma.com/ES2/PlatformManagement/ES2-DeleteProfile", kAsynchronous);
  Eid eid = UnsetEid();
  Iccid iccid = UnsetIccid();
  Oid smsr_id;
  bool operator==(const Es2DeleteProfileRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("Iccid", s.iccid);
    v.Element("Smsr-id", s.smsr_id);
  }
};
struct Es2DeleteProfileResponse
    : BaseOnlyResponse<"ES2-DeleteProfileResponse",
                       "http://gsma.com/ES2/PlatformManagementCallBack/ES2-DeleteProfile",
                       soap::Exchange::kAsynchronous> {};

struct Es2HandleProfileDisabledNotification
    : ProfileChangeNotification<
          "ES2-HandleProfileDisabledNotification",
          "http://gsma.com/ES2/PlatformManagement/ES2-HandleProfileDisabledNotification"> {};
struct Es2HandleProfileEnabledNotification
    : ProfileChangeNotification<
          "ES2-HandleProfileEnabledNotification",
          "http://gsma.com/ES2/PlatformManagement/ES2-HandleProfileEnabledNotification"> {};
struct Es2HandleProfileDeletedNotification
    : ProfileChangeNotification<
          "ES2-HandleProfileDeletedNotification",
          "http://gsma.com/ES2/PlatformManagement/ES2-HandleProfileDeletedNotification"> {};
// /3 moved this one to the eUICCManagement group (/1: PlatformManagement).
struct Es2HandleSmsrChangeNotification
    : SmsrChangeNotification<
          "ES2-HandleSMSRChangeNotification",
          "http://gsma.com/ES2/eUICCManagement/ES2-HandleSMSRChangeNotification"> {};

}  // namespace m2mrsp::es
