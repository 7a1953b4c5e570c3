// The three message exchange patterns of the SGP.02 SOAP binding, as data (es-messages.md §2.4,
// architecture digest §11):
//  - kSynchronous: the response element travels in the HTTP response of the same call, with
//    wsa:RelatesTo = the request's MessageID;
//  - kAsynchronous: the provider acknowledges the request (HTTP 202, empty body) and later sends
//    the response element as a one-way request to the requester's wsa:ReplyTo, with RelatesTo
//    and the "…CallBack" Action; the requester acknowledges that with 202 too;
//  - kNotification: one-way, acknowledged with 202, no functional response.
// The functions below derive the header blocks of each leg; the transport (net) acts on
// Acknowledgement. Pure functions over values; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "soap/addressing.h"

namespace m2mrsp::soap {

enum class Exchange { kSynchronous, kAsynchronous, kNotification };
std::string_view ExchangeName(Exchange e);

// What the receiver of a request (or of a callback/notification) puts in the HTTP response.
enum class Acknowledgement {
  kResponseEnvelope,  // sync: 200 with the response envelope
  kAcceptedEmpty,     // async request, async callback, notification: 202 Accepted, empty body
};
Acknowledgement AcknowledgementFor(Exchange e);

// The identity of the party writing a message.
struct Sender {
  EntityAddress self;  // our endpoint + EntityId (+ EntityName), goes to wsa:From
};

// Request (or notification) headers. `reply_to` is set for asynchronous requests (the GSMA
// WSDL declares it optional, but without it no callback can be sent: KPN refuses, §2.2).
Result<Addressing> RequestAddressing(Exchange e, const Sender& sender, std::string_view to,
                                     std::string_view action, std::string_view reply_to,
                                     MessageIdFactory& ids);

// Headers of the answer to `request`: the sync response (To = the requester's From address) or
// the async callback (To = the request's ReplyTo; kFailedPrecondition when it has none, or when
// it is the WS-Addressing anonymous URI, which cannot be called back). RelatesTo = the request's
// MessageID; the TransactionId inside the request's MessageID is carried over.
// kInvalidArgument for kNotification (notifications have no answer).
Result<Addressing> ResponseAddressing(Exchange e, const Addressing& request, const Sender& sender,
                                      std::string_view action, MessageIdFactory& ids);

}  // namespace m2mrsp::soap
