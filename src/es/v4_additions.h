// The SGP.02 v3.1+/v4 functions and notifications of ES2, ES3 and ES4 that the GSMA /3 schema
// bundle lacks (es-messages.md §5.6, §6, §7; digest sgp02-architecture.md §8.2-§8.4, §9.17):
// SetFallBackAttribute, SetEmergencyProfileAttribute (v4.0), SetPLMA/GetPLMA and SetONC/GetONC
// relayed through the SM-DP (v3.1), ES4 GetPLMA for the M2M SP, and the notifications
// Handle{FallBack,EmergencyProfile}Attribute{Set,Unset}, HandleProfileDownloaded,
// HandleProfilePOL2Updated and HandlePLMASetting. ES4A is in es/es4a.h.
//
// Conventions, all extrapolated from the bundle [?] (docs/spec-map.parts/es-store.md):
// namespace esim-messaging/3; attribute functions act on the card (ES5) so they are
// asynchronous like EnableProfile, in group PlatformManagement with a PlatformManagementCallBack
// callback, and answer like the Enable of their interface (ES2: base only; ES3/ES4:
// EuiccResponseData); PLMA/ONC functions touch no card, so they are synchronous like
// UpdatePolicyRules (group ProfileManagement, Request/Response suffixed Actions); notifications
// use group PlatformManagement and the shape of the interface's profile notifications (ES3 adds
// Mno-id). Plain values.
#pragma once

#include "es/v4_shapes.h"

namespace m2mrsp::es {

// ---- ES2 ----
struct Es2SetFallBackAttributeRequest
    : SmsrEidIccidRequest<"ES2-SetFallBackAttributeRequest",
                          "http://gsma.com/ES2/PlatformManagement/ES2-SetFallBackAttribute",
                          soap::Exchange::kAsynchronous> {};
struct Es2SetFallBackAttributeResponse
    : BaseOnlyResponse<"ES2-SetFallBackAttributeResponse",
                       "http://gsma.com/ES2/PlatformManagementCallBack/ES2-SetFallBackAttribute",
                       soap::Exchange::kAsynchronous> {};
struct Es2SetEmergencyProfileAttributeRequest
    : SmsrEidIccidRequest<"ES2-SetEmergencyProfileAttributeRequest",
                          "http://gsma.com/ES2/PlatformManagement/ES2-SetEmergencyProfileAttribute",
                          soap::Exchange::kAsynchronous> {};
struct Es2SetEmergencyProfileAttributeResponse
    : BaseOnlyResponse<
          "ES2-SetEmergencyProfileAttributeResponse",
          "http://gsma.com/ES2/PlatformManagementCallBack/ES2-SetEmergencyProfileAttribute",
          soap::Exchange::kAsynchronous> {};
struct Es2SetPlmaRequest
    : SmsrSetPlmaRequest<"ES2-SetPLMARequest",
                         "http://gsma.com/ES2/ProfileManagement/ES2-SetPLMARequest"> {};
struct Es2SetPlmaResponse
    : BaseOnlyResponse<"ES2-SetPLMAResponse",
                       "http://gsma.com/ES2/ProfileManagement/ES2-SetPLMAResponse",
                       soap::Exchange::kSynchronous> {};
struct Es2GetPlmaRequest
    : SmsrGetPlmaRequest<"ES2-GetPLMARequest",
                         "http://gsma.com/ES2/ProfileManagement/ES2-GetPLMARequest"> {};
struct Es2GetPlmaResponse
    : PlmaListResponse<"ES2-GetPLMAResponse",
                       "http://gsma.com/ES2/ProfileManagement/ES2-GetPLMAResponse"> {};
struct Es2SetOncRequest
    : SmsrSetOncRequest<"ES2-SetONCRequest",
                        "http://gsma.com/ES2/ProfileManagement/ES2-SetONCRequest"> {};
struct Es2SetOncResponse
    : BaseOnlyResponse<"ES2-SetONCResponse",
                       "http://gsma.com/ES2/ProfileManagement/ES2-SetONCResponse",
                       soap::Exchange::kSynchronous> {};
struct Es2GetOncRequest
    : SmsrGetOncRequest<"ES2-GetONCRequest",
                        "http://gsma.com/ES2/ProfileManagement/ES2-GetONCRequest"> {};
struct Es2GetOncResponse
    : OncListResponse<"ES2-GetONCResponse",
                      "http://gsma.com/ES2/ProfileManagement/ES2-GetONCResponse"> {};
struct Es2HandleFallBackAttributeSetNotification
    : ProfileChangeNotification<
          "ES2-HandleFallBackAttributeSetNotification",
          "http://gsma.com/ES2/PlatformManagement/ES2-HandleFallBackAttributeSetNotification"> {};
struct Es2HandleFallBackAttributeUnsetNotification
    : ProfileChangeNotification<
          "ES2-HandleFallBackAttributeUnsetNotification",
          "http://gsma.com/ES2/PlatformManagement/ES2-HandleFallBackAttributeUnsetNotification"> {};
struct Es2HandleEmergencyProfileAttributeSetNotification
    : ProfileChangeNotification<"ES2-HandleEmergencyProfileAttributeSetNotification",
                                "http://gsma.com/ES2/PlatformManagement/"
                                "ES2-HandleEmergencyProfileAttributeSetNotification"> {};
struct Es2HandleEmergencyProfileAttributeUnsetNotification
    : ProfileChangeNotification<"ES2-HandleEmergencyProfileAttributeUnsetNotification",
                                "http://gsma.com/ES2/PlatformManagement/"
                                "ES2-HandleEmergencyProfileAttributeUnsetNotification"> {};
struct Es2HandleProfileDownloadedNotification
    : ProfileChangeNotification<
          "ES2-HandleProfileDownloadedNotification",
          "http://gsma.com/ES2/PlatformManagement/ES2-HandleProfileDownloadedNotification"> {};
struct Es2HandleProfilePol2UpdatedNotification
    : Pol2UpdatedNotification<
          "ES2-HandleProfilePOL2UpdatedNotification",
          "http://gsma.com/ES2/PlatformManagement/ES2-HandleProfilePOL2UpdatedNotification"> {};
struct Es2HandlePlmaSettingNotification
    : PlmaSettingNotification<
          "ES2-HandlePLMASettingNotification",
          "http://gsma.com/ES2/PlatformManagement/ES2-HandlePLMASettingNotification"> {};

// ---- ES3 ----
struct Es3SetFallBackAttributeRequest
    : EidIccidRequest<"ES3-SetFallBackAttributeRequest",
                      "http://gsma.com/ES3/PlatformManagement/ES3-SetFallBackAttribute",
                      soap::Exchange::kAsynchronous> {};
struct Es3SetFallBackAttributeResponse
    : EuiccDataResponse<"ES3-SetFallBackAttributeResponse",
                        "http://gsma.com/ES3/PlatformManagementCallBack/ES3-SetFallBackAttribute",
                        soap::Exchange::kAsynchronous> {};
struct Es3SetEmergencyProfileAttributeRequest
    : EidIccidRequest<"ES3-SetEmergencyProfileAttributeRequest",
                      "http://gsma.com/ES3/PlatformManagement/ES3-SetEmergencyProfileAttribute",
                      soap::Exchange::kAsynchronous> {};
struct Es3SetEmergencyProfileAttributeResponse
    : EuiccDataResponse<
          "ES3-SetEmergencyProfileAttributeResponse",
          "http://gsma.com/ES3/PlatformManagementCallBack/ES3-SetEmergencyProfileAttribute",
          soap::Exchange::kAsynchronous> {};
struct Es3SetPlmaRequest
    : SetPlmaRequest<"ES3-SetPLMARequest",
                     "http://gsma.com/ES3/ProfileManagement/ES3-SetPLMARequest"> {};
struct Es3SetPlmaResponse
    : BaseOnlyResponse<"ES3-SetPLMAResponse",
                       "http://gsma.com/ES3/ProfileManagement/ES3-SetPLMAResponse",
                       soap::Exchange::kSynchronous> {};
struct Es3GetPlmaRequest
    : GetPlmaRequest<"ES3-GetPLMARequest",
                     "http://gsma.com/ES3/ProfileManagement/ES3-GetPLMARequest"> {};
struct Es3GetPlmaResponse
    : PlmaListResponse<"ES3-GetPLMAResponse",
                       "http://gsma.com/ES3/ProfileManagement/ES3-GetPLMAResponse"> {};
struct Es3SetOncRequest : SetOncRequest<"ES3-SetONCRequest",
                                        "http://gsma.com/ES3/ProfileManagement/ES3-SetONCRequest"> {
};
struct Es3SetOncResponse
    : BaseOnlyResponse<"ES3-SetONCResponse",
                       "http://gsma.com/ES3/ProfileManagement/ES3-SetONCResponse",
                       soap::Exchange::kSynchronous> {};
struct Es3GetOncRequest : GetOncRequest<"ES3-GetONCRequest",
                                        "http://gsma.com/ES3/ProfileManagement/ES3-GetONCRequest"> {
};
struct Es3GetOncResponse
    : OncListResponse<"ES3-GetONCResponse",
                      "http://gsma.com/ES3/ProfileManagement/ES3-GetONCResponse"> {};
struct Es3HandleFallBackAttributeSetNotification
    : MnoProfileChangeNotification<
          "ES3-HandleFallBackAttributeSetNotification",
          "http://gsma.com/ES3/PlatformManagement/ES3-HandleFallBackAttributeSetNotification"> {};
struct Es3HandleFallBackAttributeUnsetNotification
    : MnoProfileChangeNotification<
          "ES3-HandleFallBackAttributeUnsetNotification",
          "http://gsma.com/ES3/PlatformManagement/ES3-HandleFallBackAttributeUnsetNotification"> {};
struct Es3HandleEmergencyProfileAttributeSetNotification
    : MnoProfileChangeNotification<"ES3-HandleEmergencyProfileAttributeSetNotification",
                                   "http://gsma.com/ES3/PlatformManagement/"
                                   "ES3-HandleEmergencyProfileAttributeSetNotification"> {};
struct Es3HandleEmergencyProfileAttributeUnsetNotification
    : MnoProfileChangeNotification<"ES3-HandleEmergencyProfileAttributeUnsetNotification",
                                   "http://gsma.com/ES3/PlatformManagement/"
                                   "ES3-HandleEmergencyProfileAttributeUnsetNotification"> {};
struct Es3HandleProfileDownloadedNotification
    : MnoProfileChangeNotification<
          "ES3-HandleProfileDownloadedNotification",
          "http://gsma.com/ES3/PlatformManagement/ES3-HandleProfileDownloadedNotification"> {};
struct Es3HandleProfilePol2UpdatedNotification
    : MnoPol2UpdatedNotification<
          "ES3-HandleProfilePOL2UpdatedNotification",
          "http://gsma.com/ES3/PlatformManagement/ES3-HandleProfilePOL2UpdatedNotification"> {};
struct Es3HandlePlmaSettingNotification
    : PlmaSettingNotification<
          "ES3-HandlePLMASettingNotification",
          "http://gsma.com/ES3/PlatformManagement/ES3-HandlePLMASettingNotification"> {};

// ---- ES4 ----
struct Es4SetFallBackAttributeRequest
    : EidIccidRequest<"ES4-SetFallBackAttributeRequest",
                      "http://gsma.com/ES4/PlatformManagement/ES4-SetFallBackAttribute",
                      soap::Exchange::kAsynchronous> {};
struct Es4SetFallBackAttributeResponse
    : EuiccDataResponse<"ES4-SetFallBackAttributeResponse",
                        "http://gsma.com/ES4/PlatformManagementCallBack/ES4-SetFallBackAttribute",
                        soap::Exchange::kAsynchronous> {};
struct Es4SetEmergencyProfileAttributeRequest
    : EidIccidRequest<"ES4-SetEmergencyProfileAttributeRequest",
                      "http://gsma.com/ES4/PlatformManagement/ES4-SetEmergencyProfileAttribute",
                      soap::Exchange::kAsynchronous> {};
struct Es4SetEmergencyProfileAttributeResponse
    : EuiccDataResponse<
          "ES4-SetEmergencyProfileAttributeResponse",
          "http://gsma.com/ES4/PlatformManagementCallBack/ES4-SetEmergencyProfileAttribute",
          soap::Exchange::kAsynchronous> {};

// ES4 GetPLMA: an M2M SP reads the authorisations granted to it (its identity is the caller's);
// optional filters by Operator and Profile Type [?].
struct Es4GetPlmaRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES4-GetPLMARequest",
                     "http://gsma.com/ES4/ProfileManagement/ES4-GetPLMARequest", kSynchronous);
  std::optional<Oid> mno_id;
  std::optional<std::string> profile_type;
  bool operator==(const Es4GetPlmaRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Mno-id", s.mno_id);
    v.Element("ProfileType", s.profile_type, Facet::kString100);
  }
};
struct Es4GetPlmaResponse
    : PlmaListResponse<"ES4-GetPLMAResponse",
                       "http://gsma.com/ES4/ProfileManagement/ES4-GetPLMAResponse"> {};
struct Es4HandleFallBackAttributeSetNotification
    : ProfileChangeNotification<
          "ES4-HandleFallBackAttributeSetNotification",
          "http://gsma.com/ES4/PlatformManagement/ES4-HandleFallBackAttributeSetNotification"> {};
struct Es4HandleFallBackAttributeUnsetNotification
    : ProfileChangeNotification<
          "ES4-HandleFallBackAttributeUnsetNotification",
          "http://gsma.com/ES4/PlatformManagement/ES4-HandleFallBackAttributeUnsetNotification"> {};
struct Es4HandleEmergencyProfileAttributeSetNotification
    : ProfileChangeNotification<"ES4-HandleEmergencyProfileAttributeSetNotification",
                                "http://gsma.com/ES4/PlatformManagement/"
                                "ES4-HandleEmergencyProfileAttributeSetNotification"> {};
struct Es4HandleEmergencyProfileAttributeUnsetNotification
    : ProfileChangeNotification<"ES4-HandleEmergencyProfileAttributeUnsetNotification",
                                "http://gsma.com/ES4/PlatformManagement/"
                                "ES4-HandleEmergencyProfileAttributeUnsetNotification"> {};
struct Es4HandleProfileDownloadedNotification
    : ProfileChangeNotification<
          "ES4-HandleProfileDownloadedNotification",
          "http://gsma.com/ES4/PlatformManagement/ES4-HandleProfileDownloadedNotification"> {};
struct Es4HandleProfilePol2UpdatedNotification
    : Pol2UpdatedNotification<
          "ES4-HandleProfilePOL2UpdatedNotification",
          "http://gsma.com/ES4/PlatformManagement/ES4-HandleProfilePOL2UpdatedNotification"> {};
struct Es4HandlePlmaSettingNotification
    : PlmaSettingNotification<
          "ES4-HandlePLMASettingNotification",
          "http://gsma.com/ES4/PlatformManagement/ES4-HandlePLMASettingNotification"> {};

}  // namespace m2mrsp::es
