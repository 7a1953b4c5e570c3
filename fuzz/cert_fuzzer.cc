// fuzz-libs: pki
// Fuzzes the GP compact certificate (7F21) decoder and the X.509 parser. Beyond "no crash, no
// sanitizer report": a decoded GP certificate keeps the input byte for byte, its signed data is
// the prefix of the 7F21 value before 5F37, and decoding its encoding again succeeds; a parsed
// X.509 certificate's DER parses again to the same DER. Role/key accessors run on every success.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "crypto/x509.h"
#include "pki/gp_certificate.h"

using namespace m2mrsp;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);

  if (auto gp = pki::GpCertificate::Decode(input); gp.ok()) {
    Check(gp->encoded() == Bytes(input.begin(), input.end()));
    const Bytes& tbs = gp->signed_data();
    Check(tbs.size() + 3 + gp->signature().size() <= size);
    Check(std::search(input.begin(), input.end(), tbs.begin(), tbs.end()) != input.end());
    Check(gp->public_point().size() == 65 && gp->signature().size() == 64);
    (void)gp->Role();
    (void)gp->usage();
    if (auto key = gp->PublicKey(); key.ok()) (void)gp->Verify(*key);
    Check(pki::GpCertificate::Decode(gp->encoded()).ok());
  }

  if (auto x = crypto::X509Certificate::Parse(input); x.ok()) {
    auto again = crypto::X509Certificate::FromDer(x->der());
    Check(again.ok() && again->der() == x->der());
    (void)x->VerifySignature(x->public_key());
    Check(x->public_key() == again->public_key() && x->entity_oid() == again->entity_oid());
  }
  return 0;
}
