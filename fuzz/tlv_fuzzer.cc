// Fuzzes the BER-TLV and DGI readers. Beyond "no crash, no sanitizer report", it checks two
// properties on every input that parses in strict (minimal-length) mode: re-encoding each TLV
// or DGI reproduces its raw bytes exactly, and the value views lie inside the input.
// fuzz-libs: tlv
// fuzz-seconds: 60
#include <cstdint>
#include <cstdlib>

#include "tlv/ber.h"
#include "tlv/dgi.h"

using namespace m2mrsp;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool Inside(ByteView part, ByteView whole) {
  return part.empty() ||
         (part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size());
}

void CheckTree(const std::vector<tlv::Node>& nodes, ByteView input) {
  for (const tlv::Node& n : nodes) {
    Check(Inside(n.tlv.raw, input) && Inside(n.tlv.value, n.tlv.raw));
    Check(tlv::Encode(n.tlv.tag, n.tlv.value) == Bytes(n.tlv.raw.begin(), n.tlv.raw.end()));
    CheckTree(n.children, input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);

  tlv::Limits strict;
  strict.require_minimal_length = true;
  strict.max_depth = 12;
  strict.max_elements = 2048;
  if (auto tree = tlv::ParseTree(input, strict); tree.ok()) CheckTree(*tree, input);

  tlv::Limits lax;  // BER: non-minimal lengths accepted
  if (auto seq = tlv::ParseSequence(input, lax); seq.ok()) {
    for (const tlv::Tlv& t : *seq) {
      Check(Inside(t.raw, input));
      if (t.constructed()) (void)tlv::Children(t, lax);
    }
  }

  tlv::DgiLimits dgi_strict;
  dgi_strict.require_minimal_length = true;
  if (auto dgis = tlv::ParseDgis(input, dgi_strict); dgis.ok()) {
    for (const tlv::Dgi& d : *dgis) {
      Check(Inside(d.raw, input));
      auto enc = tlv::EncodeDgi(d.tag, d.value);
      Check(enc.ok() && *enc == Bytes(d.raw.begin(), d.raw.end()));
    }
  }
  (void)tlv::ParseDgis(input);
  return 0;
}
