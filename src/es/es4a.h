// ES4A (Operator → SM-SR): the Operator's direct administration of PLMAs and ONCs (SGP.02 v4.2
// §5.7; digest sgp02-architecture.md §8.5; es-messages.md §5.6: no XSD or WSDL is public).
// SetPLMA, GetPLMA, SetONC, GetONC, extrapolated from the bundle's conventions [?]: body
// elements `ES4A-<Function>Request/Response` in namespace esim-messaging/3, synchronous (no card
// involved) like UpdatePolicyRules, Actions `http://gsma.com/ES4A/ProfileManagement/
// ES4A-<Function>Request|Response`. Plain values.
#pragma once

#include "es/v4_shapes.h"

namespace m2mrsp::es {

struct Es4aSetPlmaRequest
    : SetPlmaRequest<"ES4A-SetPLMARequest",
                     "http://gsma.com/ES4A/ProfileManagement/ES4A-SetPLMARequest"> {};
struct Es4aSetPlmaResponse
    : BaseOnlyResponse<"ES4A-SetPLMAResponse",
                       "http://gsma.com/ES4A/ProfileManagement/ES4A-SetPLMAResponse",
                       soap::Exchange::kSynchronous> {};
struct Es4aGetPlmaRequest
    : GetPlmaRequest<"ES4A-GetPLMARequest",
                     "http://gsma.com/ES4A/ProfileManagement/ES4A-GetPLMARequest"> {};
struct Es4aGetPlmaResponse
    : PlmaListResponse<"ES4A-GetPLMAResponse",
                       "http://gsma.com/ES4A/ProfileManagement/ES4A-GetPLMAResponse"> {};
struct Es4aSetOncRequest
    : SetOncRequest<"ES4A-SetONCRequest",
                    "http://gsma.com/ES4A/ProfileManagement/ES4A-SetONCRequest"> {};
struct Es4aSetOncResponse
    : BaseOnlyResponse<"ES4A-SetONCResponse",
                       "http://gsma.com/ES4A/ProfileManagement/ES4A-SetONCResponse",
                       soap::Exchange::kSynchronous> {};
struct Es4aGetOncRequest
    : GetOncRequest<"ES4A-GetONCRequest",
                    "http://gsma.com/ES4A/ProfileManagement/ES4A-GetONCRequest"> {};
struct Es4aGetOncResponse
    : OncListResponse<"ES4A-GetONCResponse",
                      "http://gsma.com/ES4A/ProfileManagement/ES4A-GetONCResponse"> {};

}  // namespace m2mrsp::es
