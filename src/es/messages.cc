#include "es/messages.h"

namespace m2mrsp::es {
namespace {

template <size_t I = 0>
Result<Message> DecodeAlternative(std::string_view local, const pugi::xml_node& e) {
  using M = std::variant_alternative_t<I, MessageVariant>;
  if (M::kElement == local) {
    M2_ASSIGN_OR_RETURN(M m, DecodeBody<M>(e));
    return Message(std::move(m));
  }
  if constexpr (I + 1 < std::variant_size_v<MessageVariant>) {
    return DecodeAlternative<I + 1>(local, e);
  } else {
    return Status::Sgp(ErrorKind::kParse, "1.6", "2.1",
                       "unknown body element " + std::string(local));
  }
}

}  // namespace

std::string_view ElementOf(const Message& m) {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::kElement; }, m);
}

std::string_view ActionOf(const Message& m) {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::kAction; }, m);
}

soap::Exchange ExchangeOf(const Message& m) {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::kExchange; }, m);
}

Result<Message> DecodeBodyElement(const pugi::xml_node& element) {
  const auto ns = soap::NamespaceOf(element);
  if (!ns || *ns != kNamespace) {
    // /1 messages (lowerCamel names) and anything else land here.
    return Status::Sgp(ErrorKind::kParse, "1.6", "2.1",
                       "body element not in " + std::string(kNamespace));
  }
  return DecodeAlternative(soap::LocalName(element), element);
}

Result<DecodedMessage> DecodeMessage(const soap::ParsedEnvelope& env) {
  if (env.fault()) return Status::Error(ErrorKind::kFailedPrecondition, "the body is a fault");
  M2_ASSIGN_OR_RETURN(Message m, DecodeBodyElement(env.body()));
  if (!env.addressing().action.empty() && env.addressing().action != ActionOf(m)) {
    return Status::Sgp(
        ErrorKind::kParse, "1.6", "2.1",
        "wsa:Action " + env.addressing().action + " does not match " + std::string(ElementOf(m)));
  }
  return DecodedMessage{env.addressing(), std::move(m)};
}

Result<DecodedMessage> DecodeMessage(std::string_view xml, const soap::ParseOptions& options) {
  M2_ASSIGN_OR_RETURN(soap::ParsedEnvelope env, soap::ParseEnvelope(xml, options));
  return DecodeMessage(env);
}

Result<std::string> EncodeMessage(const Message& m, const soap::Addressing& headers) {
  return std::visit([&](const auto& x) { return EncodeEnvelope(x, headers); }, m);
}

}  // namespace m2mrsp::es
