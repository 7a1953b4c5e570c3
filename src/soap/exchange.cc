#include "soap/exchange.h"

namespace m2mrsp::soap {

std::string_view ExchangeName(Exchange e) {
  switch (e) {
    case Exchange::kSynchronous:
      return "synchronous";
    case Exchange::kAsynchronous:
      return "asynchronous";
    case Exchange::kNotification:
      return "notification";
  }
  return "?";
}

Acknowledgement AcknowledgementFor(Exchange e) {
  // es-messages.md §2.1 (ZTE trace, njiwa): 202 Accepted with an empty body for async legs.
  return e == Exchange::kSynchronous ? Acknowledgement::kResponseEnvelope
                                     : Acknowledgement::kAcceptedEmpty;
}

Result<Addressing> RequestAddressing(Exchange e, const Sender& sender, std::string_view to,
                                     std::string_view action, std::string_view reply_to,
                                     MessageIdFactory& ids) {
  if (to.empty() || action.empty()) return InvalidArgument("To and Action are required");
  if (e == Exchange::kAsynchronous && reply_to.empty()) {
    return InvalidArgument("an asynchronous request needs a ReplyTo address");
  }
  Addressing a;
  M2_ASSIGN_OR_RETURN(a.from, sender.self.Format());
  a.to = std::string(to);
  a.action = std::string(action);
  M2_ASSIGN_OR_RETURN(a.message_id, ids.NewMessageId());
  if (e == Exchange::kAsynchronous) a.reply_to = std::string(reply_to);
  return a;
}

Result<Addressing> ResponseAddressing(Exchange e, const Addressing& request, const Sender& sender,
                                      std::string_view action, MessageIdFactory& ids) {
  if (e == Exchange::kNotification) return InvalidArgument("a notification has no response");
  if (action.empty()) return InvalidArgument("Action is required");
  if (request.message_id.empty()) return InvalidArgument("the request has no MessageID");
  Addressing a;
  if (e == Exchange::kAsynchronous) {
    if (!request.reply_to || request.reply_to->empty() || *request.reply_to == kWsaAnonymous) {
      return Status::Error(ErrorKind::kFailedPrecondition,
                           "asynchronous request without a callable ReplyTo");
    }
    a.to = *request.reply_to;
  } else {
    a.to = request.from;
  }
  M2_ASSIGN_OR_RETURN(a.from, sender.self.Format());
  a.action = std::string(action);
  M2_ASSIGN_OR_RETURN(a.message_id,
                      ids.NewMessageId(SplitMessageId(request.message_id).transaction_id));
  a.relates_to = request.message_id;
  return a;
}

}  // namespace m2mrsp::soap
