// Every ES message of the GSMA /3 schema as one variant, and the envelope-level codec over it:
// DecodeMessage() dispatches on the body element, decodes it strictly and checks that wsa:Action
// is the message's Action; EncodeMessage() writes any of them into an envelope.
//
// Covered: ES1 RegisterEIS; ES2, ES3, ES4 (all functions and notifications of the bundle);
// ES7. Not covered: ES4A and the v3.1+ additions, which the schema bundle lacks (see
// docs/formats/soap.md). Pure functions over values; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "es/codec.h"
#include "es/es1.h"
#include "es/es2.h"
#include "es/es3.h"
#include "es/es4.h"
#include "es/es7.h"
#include "soap/envelope.h"

namespace m2mrsp::es {

// The alternatives; Message derives from it so that symbol names mention `es::Message` rather
// than the 75 alternatives (with the alias, every instantiation over Message spelled out the whole
// list: ~1 GB of object code for messages.cc). Use MessageVariant with std::variant_size_v /
// std::variant_alternative_t; std::visit, std::get and holds_alternative take Message directly.
using MessageVariant = std::variant<
    // ES1
    Es1RegisterEisRequest, Es1RegisterEisResponse,
    // ES2
    Es2GetEisRequest, Es2GetEisResponse, Es2DownloadProfileRequest, Es2DownloadProfileResponse,
    Es2UpdatePolicyRulesRequest, Es2UpdatePolicyRulesResponse, Es2UpdateSubscriptionAddressRequest,
    Es2UpdateSubscriptionAddressResponse, Es2EnableProfileRequest, Es2EnableProfileResponse,
    Es2DisableProfileRequest, Es2DisableProfileResponse, Es2DeleteProfileRequest,
    Es2DeleteProfileResponse, Es2HandleProfileDisabledNotification,
    Es2HandleProfileEnabledNotification, Es2HandleProfileDeletedNotification,
    Es2HandleSmsrChangeNotification,
    // ES3
    Es3GetEisRequest, Es3GetEisResponse, Es3AuditEisRequest, Es3AuditEisResponse,
    Es3CreateIsdpRequest, Es3CreateIsdpResponse, Es3SendDataRequest, Es3SendDataResponse,
    Es3ProfileDownloadCompletedRequest, Es3ProfileDownloadCompletedResponse,
    Es3UpdatePolicyRulesRequest, Es3UpdatePolicyRulesResponse, Es3UpdateSubscriptionAddressRequest,
    Es3UpdateSubscriptionAddressResponse, Es3EnableProfileRequest, Es3EnableProfileResponse,
    Es3DisableProfileRequest, Es3DisableProfileResponse, Es3DeleteIsdpRequest,
    Es3DeleteIsdpResponse, Es3UpdateConnectivityParametersRequest,
    Es3UpdateConnectivityParametersResponse, Es3HandleProfileDisabledNotification,
    Es3HandleProfileEnabledNotification, Es3HandleProfileDeletedNotification,
    Es3HandleSmsrChangeNotification,
    // ES4
    Es4GetEisRequest, Es4GetEisResponse, Es4AuditEisRequest, Es4AuditEisResponse,
    Es4UpdatePolicyRulesRequest, Es4UpdatePolicyRulesResponse, Es4UpdateSubscriptionAddressRequest,
    Es4UpdateSubscriptionAddressResponse, Es4EnableProfileRequest, Es4EnableProfileResponse,
    Es4DisableProfileRequest, Es4DisableProfileResponse, Es4DeleteProfileRequest,
    Es4DeleteProfileResponse, Es4PrepareSmsrChangeRequest, Es4PrepareSmsrChangeResponse,
    Es4SmsrChangeRequest, Es4SmsrChangeResponse, Es4HandleProfileDisabledNotification,
    Es4HandleProfileEnabledNotification, Es4HandleProfileDeletedNotification,
    Es4HandleSmsrChangeNotification,
    // ES7
    Es7CreateAdditionalKeySetRequest, Es7CreateAdditionalKeySetResponse, Es7AuthenticateSmsrRequest,
    Es7AuthenticateSmsrResponse, Es7HandoverEuiccRequest, Es7HandoverEuiccResponse,
    Es7HandleSmsrChangeNotification>;
struct Message : MessageVariant {
  using MessageVariant::MessageVariant;
};

std::string_view ElementOf(const Message& m);
std::string_view ActionOf(const Message& m);
soap::Exchange ExchangeOf(const Message& m);

// Decodes a body element (any message of the variant). Unknown element: 1.6 / 2.1.
Result<Message> DecodeBodyElement(const pugi::xml_node& element);

struct DecodedMessage {
  soap::Addressing addressing;
  Message message;
};
// Decodes the body of a parsed envelope and checks wsa:Action against the message (1.6 / 2.1
// when they disagree). A fault body is refused (kFailedPrecondition): look at env.fault() first.
Result<DecodedMessage> DecodeMessage(const soap::ParsedEnvelope& env);
// ParseEnvelope + DecodeMessage.
Result<DecodedMessage> DecodeMessage(std::string_view xml, const soap::ParseOptions& options = {});

// The envelope for `m`; headers.action may be empty (filled with the message's Action).
Result<std::string> EncodeMessage(const Message& m, const soap::Addressing& headers);

}  // namespace m2mrsp::es
