// fuzz-libs: gp
// Fuzzes the ETSI TS 102 226 script decoders (expanded command/response, compact
// command/response), the ISO/IEC 7816-4 APDU decoders and the GP command parsers the card
// simulator runs on decoded C-APDUs. Beyond "no crash, no sanitizer report", it checks that
// every input a decoder accepts in its canonical mode re-encodes to exactly the same bytes.
#include <cstdint>
#include <cstdlib>

#include "gp/apdu.h"
#include "gp/delete_command.h"
#include "gp/get_data.h"
#include "gp/get_status.h"
#include "gp/install.h"
#include "gp/remote_script.h"
#include "gp/store_data.h"

using namespace m2mrsp;
using namespace m2mrsp::gp;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

bool SameBytes(const Result<Bytes>& encoded, ByteView input) {
  return encoded.ok() && Bytes(input.begin(), input.end()) == *encoded;
}

// The GP parsers on one decoded C-APDU. Their inputs may use non-minimal BER lengths, so the
// property checked is parse(build(parse(x))) == parse(x).
void ParseGpCommand(const CommandApdu& c) {
  if (auto i = ParseInstallForInstall(c); i.ok()) {
    auto again = BuildInstallForInstall(*i);
    Check(again.ok());
    auto reparsed = ParseInstallForInstall(*again);
    Check(reparsed.ok() && *reparsed == *i);
  }
  if (auto a = ParseInstallForPersonalization(c); a.ok()) {
    auto reparsed = ParseInstallForPersonalization(BuildInstallForPersonalization(*a));
    Check(reparsed.ok() && *reparsed == *a);
  }
  if (auto d = ParseDelete(c); d.ok()) {
    auto again = BuildDelete(*d);
    Check(again.ok());
    auto reparsed = ParseDelete(*again);
    Check(reparsed.ok() && *reparsed == *d);
  }
  if (auto s = ParseGetStatus(c); s.ok()) {
    auto again = BuildGetStatus(*s);
    Check(again.ok());
    auto reparsed = ParseGetStatus(*again);
    Check(reparsed.ok() && *reparsed == *s);
  }
  if (auto g = ParseGetData(c); g.ok()) {
    auto reparsed = ParseGetData(BuildGetData(*g));
    Check(reparsed.ok() && *reparsed == *g);
  }
  StoreDataAssembler assembler;
  (void)assembler.Add(c);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);

  ScriptLimits strict;
  strict.require_minimal_length = true;
  strict.max_items = 64;
  strict.extra_command_tags = {0x84, 0x85, 0x86};
  if (auto s = DecodeCommandScript(input, strict); s.ok()) {
    Check(SameBytes(EncodeCommandScript(*s), input));
    if (auto cmds = CommandsOf(*s); cmds.ok()) {
      for (const CommandApdu& c : *cmds) ParseGpCommand(c);
    }
  }
  BadFormat bad_format{};
  (void)DecodeCommandScript(input, {}, &bad_format);

  if (auto r = DecodeResponseScript(input, strict); r.ok()) {
    Check(SameBytes(EncodeResponseScript(*r), input));
    (void)RApdusOf(*r);
    (void)BadFormatOf(*r);
  }
  (void)DecodeResponseScript(input);

  if (auto cmds = DecodeCompactCommands(input); cmds.ok()) {
    Check(SameBytes(EncodeCompactCommands(*cmds), input));
  }
  if (auto r = DecodeCompactResponse(input); r.ok()) {
    Check(EncodeCompactResponse(*r) == Bytes(input.begin(), input.end()));
  }

  if (auto c = DecodeCommand(input); c.ok()) {
    Check(SameBytes(EncodeCommand(*c), input));
    ParseGpCommand(*c);
  }
  if (auto r = DecodeResponse(input); r.ok()) {
    Check(EncodeResponse(*r) == Bytes(input.begin(), input.end()));
    (void)ParseGetStatusResponse(AsView(r->data));
    (void)ParseCardResources(AsView(r->data));
    (void)ParseEidResponse(AsView(r->data));
  }
  return 0;
}
