// The ES messages newer than the GSMA /3 bundle (es/v4_additions.h, es/es4a.h) as one variant,
// with the same envelope-level codec as es/messages.h: DecodeAdditionMessage() dispatches on the
// body element, decodes it strictly (same Decoder, same SGP.02 reason codes) and checks
// wsa:Action; EncodeAdditionMessage() writes one into an envelope. Kept apart from es::Message so
// the bundle's variant stays exactly the 75 schema elements; a receiver tries DecodeMessage and,
// when IsAdditionElement() says the body is one of these, DecodeAdditionMessage. Pure functions
// over values; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "es/codec.h"
#include "es/es4a.h"
#include "es/v4_additions.h"
#include "soap/envelope.h"

namespace m2mrsp::es {

// Derives from the variant for short symbol names, as es::Message does (messages.h).
using AdditionMessageVariant = std::variant<
    Es2SetFallBackAttributeRequest, Es2SetFallBackAttributeResponse,
    Es2SetEmergencyProfileAttributeRequest, Es2SetEmergencyProfileAttributeResponse,
    Es2SetPlmaRequest, Es2SetPlmaResponse, Es2GetPlmaRequest, Es2GetPlmaResponse, Es2SetOncRequest,
    Es2SetOncResponse, Es2GetOncRequest, Es2GetOncResponse,
    Es2HandleFallBackAttributeSetNotification, Es2HandleFallBackAttributeUnsetNotification,
    Es2HandleEmergencyProfileAttributeSetNotification,
    Es2HandleEmergencyProfileAttributeUnsetNotification, Es2HandleProfileDownloadedNotification,
    Es2HandleProfilePol2UpdatedNotification, Es2HandlePlmaSettingNotification,
    Es3SetFallBackAttributeRequest, Es3SetFallBackAttributeResponse,
    Es3SetEmergencyProfileAttributeRequest, Es3SetEmergencyProfileAttributeResponse,
    Es3SetPlmaRequest, Es3SetPlmaResponse, Es3GetPlmaRequest, Es3GetPlmaResponse, Es3SetOncRequest,
    Es3SetOncResponse, Es3GetOncRequest, Es3GetOncResponse,
    Es3HandleFallBackAttributeSetNotification, Es3HandleFallBackAttributeUnsetNotification,
    Es3HandleEmergencyProfileAttributeSetNotification,
    Es3HandleEmergencyProfileAttributeUnsetNotification, Es3HandleProfileDownloadedNotification,
    Es3HandleProfilePol2UpdatedNotification, Es3HandlePlmaSettingNotification,
    Es4SetFallBackAttributeRequest, Es4SetFallBackAttributeResponse,
    Es4SetEmergencyProfileAttributeRequest, Es4SetEmergencyProfileAttributeResponse,
    Es4GetPlmaRequest, Es4GetPlmaResponse, Es4HandleFallBackAttributeSetNotification,
    Es4HandleFallBackAttributeUnsetNotification, Es4HandleEmergencyProfileAttributeSetNotification,
    Es4HandleEmergencyProfileAttributeUnsetNotification, Es4HandleProfileDownloadedNotification,
    Es4HandleProfilePol2UpdatedNotification, Es4HandlePlmaSettingNotification, Es4aSetPlmaRequest,
    Es4aSetPlmaResponse, Es4aGetPlmaRequest, Es4aGetPlmaResponse, Es4aSetOncRequest,
    Es4aSetOncResponse, Es4aGetOncRequest, Es4aGetOncResponse>;
struct AdditionMessage : AdditionMessageVariant {
  using AdditionMessageVariant::AdditionMessageVariant;
};

std::string_view ElementOf(const AdditionMessage& m);
std::string_view ActionOf(const AdditionMessage& m);
soap::Exchange ExchangeOf(const AdditionMessage& m);

// True when `local` (a body element's local name in the /3 namespace) is one of these messages.
bool IsAdditionElement(std::string_view local);

// Decodes a body element. Unknown element or wrong namespace: 1.6 / 2.1.
Result<AdditionMessage> DecodeAdditionBodyElement(const pugi::xml_node& element);

struct DecodedAddition {
  soap::Addressing addressing;
  AdditionMessage message;
};
// As es::DecodeMessage: a fault body is kFailedPrecondition; an Action that disagrees with the
// body is 1.6 / 2.1.
Result<DecodedAddition> DecodeAdditionMessage(const soap::ParsedEnvelope& env);
Result<DecodedAddition> DecodeAdditionMessage(std::string_view xml,
                                              const soap::ParseOptions& options = {});

// The envelope for `m`; headers.action may be empty (filled with the message's Action).
Result<std::string> EncodeAdditionMessage(const AdditionMessage& m,
                                          const soap::Addressing& headers);

}  // namespace m2mrsp::es
