#include "es/additions.h"

namespace m2mrsp::es {
namespace {

template <size_t I = 0>
Result<AdditionMessage> DecodeAlternative(std::string_view local, const pugi::xml_node& e) {
  using M = std::variant_alternative_t<I, AdditionMessageVariant>;
  if (M::kElement == local) {
    M2_ASSIGN_OR_RETURN(M m, DecodeBody<M>(e));
    return AdditionMessage(std::move(m));
  }
  if constexpr (I + 1 < std::variant_size_v<AdditionMessageVariant>) {
    return DecodeAlternative<I + 1>(local, e);
  } else {
    return Status::Sgp(ErrorKind::kParse, "1.6", "2.1",
                       "unknown body element " + std::string(local));
  }
}

template <size_t... I>
bool IsElement(std::string_view local, std::index_sequence<I...>) {
  return ((std::variant_alternative_t<I, AdditionMessageVariant>::kElement == local) || ...);
}

}  // namespace

std::string_view ElementOf(const AdditionMessage& m) {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::kElement; }, m);
}

std::string_view ActionOf(const AdditionMessage& m) {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::kAction; }, m);
}

soap::Exchange ExchangeOf(const AdditionMessage& m) {
  return std::visit([](const auto& x) { return std::decay_t<decltype(x)>::kExchange; }, m);
}

bool IsAdditionElement(std::string_view local) {
  return IsElement(local, std::make_index_sequence<std::variant_size_v<AdditionMessageVariant>>());
}

Result<AdditionMessage> DecodeAdditionBodyElement(const pugi::xml_node& element) {
  const auto ns = soap::NamespaceOf(element);
  if (!ns || *ns != kNamespace) {
    return Status::Sgp(ErrorKind::kParse, "1.6", "2.1",
                       "body element not in " + std::string(kNamespace));
  }
  return DecodeAlternative(soap::LocalName(element), element);
}

Result<DecodedAddition> DecodeAdditionMessage(const soap::ParsedEnvelope& env) {
  if (env.fault()) return Status::Error(ErrorKind::kFailedPrecondition, "the body is a fault");
  M2_ASSIGN_OR_RETURN(AdditionMessage m, DecodeAdditionBodyElement(env.body()));
  if (!env.addressing().action.empty() && env.addressing().action != ActionOf(m)) {
    return Status::Sgp(
        ErrorKind::kParse, "1.6", "2.1",
        "wsa:Action " + env.addressing().action + " does not match " + std::string(ElementOf(m)));
  }
  return DecodedAddition{env.addressing(), std::move(m)};
}

Result<DecodedAddition> DecodeAdditionMessage(std::string_view xml,
                                              const soap::ParseOptions& options) {
  M2_ASSIGN_OR_RETURN(soap::ParsedEnvelope env, soap::ParseEnvelope(xml, options));
  return DecodeAdditionMessage(env);
}

Result<std::string> EncodeAdditionMessage(const AdditionMessage& m,
                                          const soap::Addressing& headers) {
  return std::visit([&](const auto& x) { return EncodeEnvelope(x, headers); }, m);
}

}  // namespace m2mrsp::es
