// fuzz-libs: scp
// Fuzzes SCP80 command-packet and PoR opening with fixed keys (AES-128 key set 2 for the command
// path, the same keys for PoRs under several PoR security settings), and the card-side receiver.
// Beyond "no crash, no sanitizer report": a CC-verified command re-wrapped with its own header
// and keys gives back the input byte for byte whenever the sizes agree (same PCNTR; the CC covers
// the padding, so it must have been zeros), and a CC-verified PoR does the same.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "scp/scp80_card.h"
#include "scp/scp80_packet.h"

using namespace m2mrsp;
using namespace m2mrsp::scp;

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

const Bytes& KicKey() {
  static const Bytes k = HexOrDie("200102030405060708090a0b0c0d0e0f");
  return k;
}
const Bytes& KidKey() {
  static const Bytes k = HexOrDie("201102030405060708090a0b0c0d0e0f");
  return k;
}

class Keys : public Scp80CardKeys {
 public:
  Keys() : set_{SecretBytes(KicKey()), SecretBytes(KidKey())} {}
  std::optional<MinimumSecurity> FindTar(const Tar& tar) const override {
    if (tar.value() == 0x000001) return MinimumSecurity{true, false, false};
    return std::nullopt;
  }
  const Scp80KeySet* FindKeySet(const Tar&, uint8_t key_set) const override {
    return key_set == 2 ? &set_ : nullptr;
  }

 private:
  Scp80KeySet set_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  const Scp80Keys keys{KicKey(), KidKey()};

  CommandOpenResult cmd = OpenCommand(input, keys);
  Check(cmd.command.has_value() == cmd.error.ok());
  if (cmd.command) {
    const OpenedCommand& c = *cmd.command;
    auto again = WrapCommand(c.header, keys, c.data);
    if (c.header.spi.integrity == Integrity::kCc && again.ok() && again->size() == size) {
      Check(*again == Bytes(input.begin(), input.end()));
    }
  }

  static const PorSecurity kSettings[] = {
      PorSecurity::None(),
      {false, Integrity::kCc, 0x22, 0x22},
      {true, Integrity::kCc, 0x22, 0x22},
      {false, Integrity::kRc, 0x20, 0x25},
      {true, Integrity::kNone, 0x25, 0x00},
  };
  for (const PorSecurity& sec : kSettings) {
    auto por = OpenResponse(input, sec, keys);
    if (!por.ok()) continue;
    Check(por->secured || por->header.status != 0);
    if (!por->secured || sec.integrity != Integrity::kCc) continue;
    auto again = WrapResponse(por->header, sec, keys, por->data);
    if (again.ok() && again->size() == size) Check(*again == Bytes(input.begin(), input.end()));
  }

  Keys card_keys;
  InMemoryCounterStore counters;
  Scp80Card card(card_keys, counters);
  auto outcome = card.Receive(input);
  Check(outcome.ok());
  Check((outcome->action == CardAction::kDeliver) == outcome->command.has_value());
  (void)card.BuildPor(*outcome, input.first(std::min<size_t>(size, 16)));
  return 0;
}
