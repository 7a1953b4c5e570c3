// fuzz-libs: soap es
// Fuzzes the SOAP envelope parser and the ES message decoders (the path every byte from the
// network takes). Beyond "no crash, no sanitizer report", it checks on every input that decodes:
// the decoded message re-encodes (with the decoded headers), that envelope decodes to the same
// message, and encoding is then a fixed point; on every refused input, the refusal carries
// SGP.02 codes and becomes a SOAP fault envelope that parses back. Bodies that are one of the
// messages newer than the GSMA bundle (es/additions.h) go through the same checks.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "es/additions.h"
#include "es/messages.h"

using namespace m2mrsp;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  soap::ParseOptions options;
  options.limits.max_bytes = 256 * 1024;
  options.limits.max_elements = 4096;

  auto env = soap::ParseEnvelope(input, options);
  Status refusal;
  if (env.ok()) {
    if (env->fault()) return 0;
    auto decoded = es::DecodeMessage(*env);
    if (decoded.ok()) {
      auto xml = es::EncodeMessage(decoded->message, decoded->addressing);
      Check(xml.ok());
      auto again = es::DecodeMessage(*xml, options);
      Check(again.ok());
      Check(again->message == decoded->message);
      Check(again->addressing == decoded->addressing);
      auto fixed = es::EncodeMessage(again->message, again->addressing);
      Check(fixed.ok() && *fixed == *xml);
      return 0;
    }
    refusal = decoded.status();
    if (es::IsAdditionElement(soap::LocalName(env->body()))) {
      auto added = es::DecodeAdditionMessage(*env);
      if (added.ok()) {
        auto xml = es::EncodeAdditionMessage(added->message, added->addressing);
        Check(xml.ok());
        auto again = es::DecodeAdditionMessage(*xml, options);
        Check(again.ok());
        Check(again->message == added->message);
        Check(again->addressing == added->addressing);
        auto fixed = es::EncodeAdditionMessage(again->message, again->addressing);
        Check(fixed.ok() && *fixed == *xml);
        return 0;
      }
      refusal = added.status();
    }
  } else {
    refusal = env.status();
  }
  Check(refusal.sgp().has_value());
  soap::Addressing h{"https://a?EntityId=1",
                     "https://b?EntityId=2",
                     "urn:uuid:1",
                     std::string(soap::kWsaFaultAction),
                     {},
                     {}};
  const soap::Fault fault = soap::FaultFor(refusal);
  auto fault_xml = soap::BuildFaultEnvelope(h, fault);
  Check(fault_xml.ok());
  auto back = soap::ParseEnvelope(*fault_xml);
  Check(back.ok() && back->fault().has_value() && back->fault()->code == fault.code &&
        back->fault()->status_code == fault.status_code);
  return 0;
}
