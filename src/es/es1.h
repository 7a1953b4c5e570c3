// ES1 (EUM → SM-SR): RegisterEIS (es-messages.md §5.1; GSMA schema euicc.request.ES1.xsd, /3
// only). Synchronous. Plain values.
#pragma once

#include "es/shapes.h"

namespace m2mrsp::es {

struct Es1RegisterEisRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES1-RegisterEISRequest",
                     "http://gsma.com/ES1/eUICCManagement/ES1-RegisterEISRequest", kSynchronous);
  Eis eis;
  bool operator==(const Es1RegisterEisRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eis", s.eis);
  }
};

struct Es1RegisterEisResponse
    : BaseOnlyResponse<"ES1-RegisterEISResponse",
                       "http://gsma.com/ES1/eUICCManagement/ES1-RegisterEISResponse",
                       soap::Exchange::kSynchronous> {};

}  // namespace m2mrsp::es
