// The card as its OTA front ends see it: the SMS-PP data-download handler (SCP80 over SMS) and the
// GP Amendment B HTTPS admin agent (SCP81). Both front ends are written against this interface
// only; the eUICC simulator (Euicc) implements it. SGP.02 §2.4 / §4.1.1: every ES5 packet is
// secured with the ISD-R keys whatever application it addresses, the ISD-R forwards ES8 traffic to
// the ISD-P it targets, and the card emits its default notifications (E1) towards the SM-SR.
//
// Not thread-safe: the simulator serialises all access to one card.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/secret.h"
#include "base/status.h"
#include "scp/scp80_card.h"

namespace m2mrsp::euicc {

// A default notification (SGP.02 §4.1.1.11, `E1` TLV) that is due for (re)transmission.
struct OutgoingNotification {
  uint16_t sequence_number = 0;
  Bytes e1_tlv;     // the complete `E1 L { 4C EID, 4D type, 4E seq, 4F AID, … }`
  int attempt = 0;  // 1 for the first transmission
};

// Where the card sends what it originates (ISD-R SM-SR addressing parameters, SGP.02 §4.1.1.10).
struct SmsrAddress {
  std::string msisdn;        // destination of MO SMS (digits), empty when not set
  std::string smsc_address;  // SMSC to use (digits), empty when the device's default applies
};

class OtaCard {
 public:
  virtual ~OtaCard() = default;

  // SCP80: the application a TAR addresses (ISD-R `000001`, ECASD `000002`, an ISD-P's TAR
  // = bytes 13–15 of its AID); nullopt when no such application exists.
  virtual std::optional<Aid> ApplicationForTar(const Tar& tar) const = 0;

  // SCP80 key material of the ISD-R (its key sets and the minimum security of every TAR it
  // serves) and the persistent replay counters of those key sets.
  virtual const scp::Scp80CardKeys& Scp80Keys() const = 0;
  virtual scp::Scp80CounterStore& Scp80Counters() = 0;

  // SCP81: the PSK of the ISD-R key set named by a PSK-TLS identity; nullopt when unknown.
  virtual std::optional<SecretBytes> Scp81Psk(ByteView identity) const = 0;

  // One command APDU for an application; returns the R-APDU (data ‖ SW1 SW2). Never fails: a
  // refusal is a status word.
  virtual Bytes ProcessApdu(const Aid& target, ByteView command_apdu) = 0;

  // SCP03t command TLVs (`84`/`85`/`86`, SGP.02 §4.1.3.3) for an ISD-P; returns the response
  // TLVs (`9F4x` errors included). When the last segment completes a profile package the card
  // installs it before answering.
  virtual Bytes ProcessScp03t(const Aid& target, ByteView command_tlvs) = 0;

  // Notifications due now (first transmissions and retransmissions of unconfirmed ones), in
  // sequence order. The front end sends each once and reports it with NotificationSent.
  virtual std::vector<OutgoingNotification> DueNotifications(int64_t now_unix_seconds) = 0;
  virtual void NotificationSent(uint16_t sequence_number, int64_t now_unix_seconds) = 0;

  virtual SmsrAddress SmsrAddressing() const = 0;

  // The SCP80 key set (1..15) that secures the packets the card originates (default
  // notifications, SGP.02 §3.15.1); nullopt = none left, or the card leaves the choice to the
  // front end's configuration (the default).
  virtual std::optional<uint8_t> NotificationKeySet() const { return std::nullopt; }

  // The counter (TS 102 225 §5.1.1 CNTR) for the next packet the card originates with
  // `key_set`, advanced and kept by the card so that it survives a restart. Needed only when the
  // originated packets' SPI asks for a counter; the default keeps none (an error).
  virtual Result<uint64_t> NextOriginatedCounter(uint8_t key_set) {
    (void)key_set;
    return Status::Error(ErrorKind::kFailedPrecondition,
                         "the card keeps no counter for packets it originates");
  }
};

}  // namespace m2mrsp::euicc
