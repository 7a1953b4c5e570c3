// fuzz-libs: scp
// Fuzzes the card side of SCP03t (SGP.02 §4.1.3.3) after a fixed, successful `84`/`85`
// handshake: arbitrary bytes go to Scp03tCard::ProcessScript as the script body that follows.
// Input byte 0 picks the mode:
//   even: the rest is the raw script (MAC/length/order paths; never a crash, always a TLV answer);
//   odd:  the rest is a profile package; the host protects it in segments of 1 + byte 1 bytes and
//         the card must reassemble exactly it (checks the happy path on arbitrary plaintexts),
//         then the host must refuse the remaining input as a response to its first segment
//         unless it is a well-formed `86`.
// Keys and challenges are fixed so the handshake is identical on every run.
#include <cstdint>
#include <cstdlib>

#include "scp/scp03t.h"

using namespace m2mrsp;
using namespace m2mrsp::scp;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

Scp03Keys Keys() {
  Scp03Keys k;
  k.kvn = 0x30;
  k.enc = SecretBytes(HexOrDie("000102030405060708090a0b0c0d0e0f"));
  k.mac = SecretBytes(HexOrDie("101112131415161718191a1b1c1d1e1f"));
  return k;
}

const Bytes kIsdP = HexOrDie("A0000005591010FFFFFFFF8900001100");

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteView input(data, size);
  ScriptedRandom random(HexOrDie("0123456789abcdef"));
  Scp03tHost host(Keys(), random);
  Scp03tLimits limits;
  limits.max_package_size = 64 * 1024;
  Scp03tCard card(Scp03CardConfig{Keys(), kIsdP, 4, Bytes(10, 0)}, limits);
  Check(host.CheckInitializeUpdateResponse(card.Process(*host.InitializeUpdate())).ok());
  Check(host.CheckExternalAuthenticateResponse(card.Process(*host.ExternalAuthenticate())).ok());

  if ((input[0] & 1) == 0) {
    const Bytes responses = card.ProcessScript(input.subspan(1));
    Check(input.size() == 1 || !responses.empty());
    return 0;
  }
  if (size < 3) return 0;
  const size_t segment = 1 + input[1];
  const ByteView package = input.subspan(2);
  auto segments = host.ProtectPackage(package, segment);
  Check(segments.ok());
  for (const Bytes& s : *segments) {
    Check(card.Process(s) == Bytes{0x86, 0x00});
  }
  Check(card.package() == Bytes(package.begin(), package.end()));
  // The host against arbitrary responses: only `86 00` (no data) may pass unchecked.
  auto r = host.CheckDataResponse(package);
  if (r.ok()) Check(r->empty() || package.size() > 8);
  return 0;
}
