// fuzz-libs: saip tlv base
// fuzz-seconds: 30
// fuzz-max-len: 262144
// fuzz-shared-seeds: testdata/ts48/*.der
// Fuzzes the SAIP profile package decoder, its typed views and personalisation. Beyond "no
// crash, no sanitizer report": a decoded package re-encodes to the input byte for byte, and a
// successful personalisation yields a package that decodes, re-encodes identically and
// validates. The 256 KiB max-len admits the shapes of the review (thousands of createFCPs,
// long DF chains) that the Files() limits must refuse without growing memory.
#include <cstdint>
#include <cstdlib>

#include "saip/package.h"
#include "saip/personalise.h"

using namespace m2mrsp;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView in(data, size);
  auto pkg = saip::Decode(in);
  if (!pkg.ok()) return 0;
  Check(saip::Encode(*pkg) == Bytes(in.begin(), in.end()));
  (void)saip::GetHeader(*pkg);
  (void)saip::AkaParameters(*pkg);
  (void)saip::AllPinCodes(*pkg);
  (void)saip::AllPukCodes(*pkg);
  (void)saip::SecurityDomains(*pkg);
  if (auto imsi = saip::ImsiFile(*pkg); imsi.ok()) (void)saip::DecodeImsi(imsi->content);
  (void)saip::Files(*pkg);
  (void)saip::Validate(*pkg);

  saip::Personalisation p;
  p.iccid = *Iccid::Parse("8949449999999990031");
  p.imsi = "001010000012345";
  p.k = SecretBytes(Bytes(16, 0x11));
  p.opc = SecretBytes(Bytes(16, 0x22));
  p.ota_keys.push_back({2, 1, SecretBytes(Bytes(16, 0x33))});
  for (int variant = 0; variant < 2; ++variant) {
    if (variant == 1) p.ota_keys.clear();
    auto out = saip::Personalise(*pkg, p);
    if (!out.ok()) continue;
    const Bytes encoded = saip::Encode(*out);
    auto again = saip::Decode(encoded);
    Check(again.ok());
    Check(saip::Encode(*again) == encoded);
    Check(saip::Validate(*again).ok());
  }
  return 0;
}
