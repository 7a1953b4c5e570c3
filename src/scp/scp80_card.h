// The receiving side of SCP80 on the card (the eUICC's ISD-R / RFM applications): given a command
// packet, decide whether to deliver its data, answer with an error PoR, or drop it silently, and
// build the PoR (ETSI TS 102 225 §5.1.1, §5.2; 3GPP TS 31.115 §6).
//
// The card simulator provides the keys per TAR and key set (Scp80CardKeys) and persists replay
// counters (Scp80CounterStore). The order of checks and which failures get a PoR are recorded,
// with their clause and confidence, in docs/spec-map.parts/scp80.md:
//   1. malformed clear header               → drop (no TAR/CNTR worth echoing)
//   2. TAR unknown                           → PoR 09, unsecured
//   3. key set unknown / KIc-KID sets differ → PoR 06, unsecured
//   4. SPI below the TAR's minimum security  → PoR 0A, unsecured
//   5. deciphering fails                     → PoR 05, unsecured
//   6. RC/CC wrong                           → PoR 01, unsecured (or drop: Policy)
//   7. counter blocked / low / high          → PoR 04 / 02 / 03, secured as the SPI asks
//   8. otherwise                             → deliver; the counter is stored first
// A PoR is sent only when the SPI asks for one: "always", or "on error" with a non-zero status.
// One Scp80Card per security domain; not thread-safe (the simulator serialises per card).
#pragma once

#include <map>
#include <optional>
#include <utility>

#include "base/aid.h"
#include "base/secret.h"
#include "base/status.h"
#include "scp/scp80_packet.h"

namespace m2mrsp::scp {

// Persistent replay counters, one per key set (TS 102 225 §5.1.1: the counter belongs to the
// keys). The card simulator implements this over its own store.
class Scp80CounterStore {
 public:
  virtual ~Scp80CounterStore() = default;
  // The last accepted counter of `key_set`; 0 when none was ever stored.
  virtual Result<uint64_t> Load(uint8_t key_set) = 0;
  virtual Status Save(uint8_t key_set, uint64_t counter) = 0;
};

class InMemoryCounterStore final : public Scp80CounterStore {
 public:
  Result<uint64_t> Load(uint8_t key_set) override;
  Status Save(uint8_t key_set, uint64_t counter) override;

 private:
  std::map<uint8_t, uint64_t> counters_;
};

// The minimum security level a TAR demands (TS 102 226 §8.2.1.3.2.4.2 MSL, reduced to the parts
// this card checks).
struct MinimumSecurity {
  bool integrity = true;  // RC, CC or DS required (we accept CC only when this is set)
  bool ciphering = false;
  bool counter = false;  // counter policy "higher" or "exactly one higher" required
};

struct Scp80KeySet {
  SecretBytes kic;
  SecretBytes kid;
};

class Scp80CardKeys {
 public:
  virtual ~Scp80CardKeys() = default;
  // nullopt when no application with this TAR exists.
  virtual std::optional<MinimumSecurity> FindTar(const Tar& tar) const = 0;
  // nullptr when the key set is unknown.
  virtual const Scp80KeySet* FindKeySet(const Tar& tar, uint8_t key_set) const = 0;
};

struct Scp80CardPolicy {
  // TS 102 225 answers a wrong RC/CC with PoR 01. SGP.02 deployments are said to drop
  // unauthenticated packets silently [S]; set false for that behaviour.
  bool por_on_integrity_failure = true;
  // SGP.02 ES5 (security digest §5.7 [C/S]): the ISD-R answers nothing that has not proved its
  // origin — unknown TAR, unknown key set, too low a security level, deciphering or checksum
  // failure are all dropped without a PoR, so probing reveals neither TARs nor key sets. The
  // ISD-R sets this; generic RFM applications keep the TS 102 225 error PoRs.
  bool silent_before_authentication = false;
};

enum class CardAction { kDeliver, kRespondError, kDrop };

struct ReceiveOutcome {
  CardAction action = CardAction::kDrop;
  PorStatus status = PorStatus::kOk;
  std::string reason;                    // clause and cause, for logs and tests
  std::optional<OpenedCommand> command;  // set for kDeliver
  // What the PoR echoes and how it is secured; set whenever a PoR can be built.
  std::optional<ResponseHeader> por_header;
  PorSecurity por_security;
  PorRequest por_request = PorRequest::kNone;
  uint8_t key_set = 0;
};

class Scp80Card {
 public:
  Scp80Card(const Scp80CardKeys& keys, Scp80CounterStore& counters, Scp80CardPolicy policy = {})
      : keys_(keys), counters_(counters), policy_(policy) {}

  // Applies the checks above. A store failure is returned as an error (the card must not act on
  // a counter it could not persist).
  Result<ReceiveOutcome> Receive(ByteView packet);

  // The PoR for an outcome (RPL..end), or nullopt when the SPI asks for none. `response_data`
  // is the application's answer for kDeliver (empty for errors).
  Result<std::optional<Bytes>> BuildPor(const ReceiveOutcome& outcome,
                                        ByteView response_data) const;

 private:
  const Scp80CardKeys& keys_;
  Scp80CounterStore& counters_;
  Scp80CardPolicy policy_;
};

}  // namespace m2mrsp::scp
