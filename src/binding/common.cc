#include "binding/common.h"

#include "soap/addressing.h"

namespace m2mrsp::binding {

Result<std::string> LocalEntity::Address() const {
  return soap::EntityAddress{url, entity.oid,
                             entity.role.empty() ? std::nullopt : std::optional(entity.role)}
      .Format();
}

Result<std::string> Target::Address() const {
  return soap::EntityAddress{url, entity_oid, std::nullopt}.Format();
}

int HttpStatusFor(const soap::Fault& fault) {
  return fault.code == soap::FaultCode::kSender ? 400 : 500;
}

}  // namespace m2mrsp::binding
