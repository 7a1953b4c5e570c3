// fuzz-libs: scp
// Fuzzes SMS TPDU decoding (SMS-DELIVER, SMS-SUBMIT, user data headers) and concatenated-SMS
// reassembly. Beyond "no crash, no sanitizer report": a decoded 8-bit TPDU re-encodes to the
// input, and the reassembler, fed the input cut into user-data chunks, never holds more pending
// sets than its limit.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "base/clock.h"
#include "scp/sms_concat.h"
#include "scp/sms_tpdu.h"

using namespace m2mrsp;
using namespace m2mrsp::scp;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  const Bytes in(input.begin(), input.end());

  if (auto d = SmsDeliver::Decode(input); d.ok()) {
    (void)UserData::Decode(d->user_data);
    // The TP-LP bit (b4) is not kept; the re-encoding is exact otherwise.
    if (!DcsIsSeptets(d->dcs) && (in[0] & 0x18) == 0) {
      auto again = d->Encode();
      Check(!again.ok() || *again == in);
    }
  }
  if (auto s = SmsSubmit::Decode(input); s.ok()) {
    (void)UserData::Decode(s->user_data);
    if (!DcsIsSeptets(s->dcs)) {
      auto again = s->Encode();
      Check(!again.ok() || *again == in);
    }
  }

  // Reassembly: the first byte picks the chunk size, the rest is a stream of TP-UDs.
  if (size < 2) return 0;
  FakeClock clock;
  ReassemblyLimits limits{8, 4, std::chrono::seconds(10)};
  SmsReassembler r(clock, limits);
  const size_t chunk = 1 + data[0] % 64;
  for (size_t off = 1; off < size; off += chunk) {
    const ByteView ud = input.subspan(off, std::min(chunk, size - off));
    auto got = r.Add(std::string(1, static_cast<char>('a' + (off % 3))), ud);
    if (got.ok() && *got) Check((*got)->packet.size() <= limits.max_parts * kMaxUserData);
    Check(r.pending() <= limits.max_pending);
    clock.Advance(std::chrono::seconds(1));
  }
  return 0;
}
