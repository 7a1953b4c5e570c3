// The eUICC's SMS-PP data-download front end (3GPP TS 31.111 §7.1, TS 31.115; SGP.02 §2.4.4 ES5
// over SMS): it takes each SMS-DELIVER TPDU the device's modem hands to the card in an ENVELOPE,
// puts concatenated parts back together, opens the SCP80 command packet with the ISD-R keys
// (silently dropping anything unauthenticated), runs the secured data on the application the
// TAR addresses, and returns the PoR — as ENVELOPE response data (PoR in the SMS-DELIVER-REPORT)
// or as SMS-SUBMIT TPDUs, as the SPI asks. It also turns the card's due default notifications
// into MO secured SMS towards the SM-SR (SGP.02 §3.15.1).
//
// Byte layouts with worked hex: docs/formats/euicc-frontends.md. The card and the clock are
// borrowed and must outlive the front end. Not thread-safe: one front end per card, driven by
// the simulator that serialises all access to that card.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/clock.h"
#include "base/status.h"
#include "euicc/ota_card.h"
#include "euicc/sms_pp_script.h"
#include "scp/scp80_card.h"
#include "scp/sms_concat.h"

namespace m2mrsp::euicc {

// Security of the MO notification packets. Defaults from the card-originated MO SMS logged in
// WHTY code (resolutions §5): SPI `02 00` (CC, no ciphering, no counter, no PoR), KIc `10`,
// KID `12` (key set 1, AES-CMAC), TAR `000001` [C, one vendor]. When the card names its
// notification key set (OtaCard::NotificationKeySet) the key-set nibble of KIc/KID is the
// card's and only the algorithm nibble is taken from here.
struct NotificationSecurity {
  scp::Spi spi{scp::CounterPolicy::kNone, false, scp::Integrity::kCc};
  uint8_t kic = 0x10;
  uint8_t kid = 0x12;
  Tar tar = Tar::FromValue(0x000001);
};

struct SmsPpOptions {
  scp::ReassemblyLimits reassembly;
  // ISD-R policy (security digest §5.7): nothing that has not proved its origin gets a PoR.
  scp::Scp80CardPolicy policy{true, true};
  ScriptRunLimits script;
  // TP-UD per MO SMS; some deployments need 130 (resolutions §1.5).
  size_t max_user_data = scp::kMaxUserData;
  // Largest ENVELOPE response (UDH ‖ PoR) the ME can carry in the SMS-DELIVER-REPORT [M]; a
  // longer PoR goes by SMS-SUBMIT and the report carries a PoR with status `0B`.
  size_t max_deliver_report = 128;
  NotificationSecurity notification;
};

// What the card does with one SMS-DELIVER.
struct SmsPpOutcome {
  enum class Kind {
    kIncomplete,  // a part of a concatenated message; nothing to answer yet
    kDropped,     // silently discarded (unauthenticated, unknown TAR, …): no PoR
    kProcessed,   // handled; a PoR follows when the SPI asks for one
  };
  Kind kind = Kind::kIncomplete;
  std::string reason;  // clause and cause, for logs and tests
  scp::PorStatus status = scp::PorStatus::kOk;
  std::optional<Aid> target;
  std::optional<ScriptRun> script;
  // TS 31.111 §7.1.1.2: the ENVELOPE response data (`02 71 00` ‖ PoR) the ME returns in the
  // SMS-DELIVER-REPORT; empty when nothing goes there.
  Bytes envelope_response;
  // TS 31.115 §6 / SPI b6: the PoR as SMS-SUBMIT TPDUs (the card sends them with SEND SHORT
  // MESSAGE), addressed to the command's originator.
  std::vector<Bytes> submit_tpdus;
};

// The MO SMS of one notification.
struct NotificationSms {
  uint16_t sequence_number = 0;
  std::vector<Bytes> submit_tpdus;
  std::string smsc_address;  // for SEND SHORT MESSAGE; empty = the device's default
};

class SmsPpFrontEnd {
 public:
  SmsPpFrontEnd(OtaCard& card, const Clock& clock, SmsPpOptions options = {});

  // One SMS-DELIVER TPDU (TS 23.040 §9.2.2.1) as the modem received it. Errors for a TPDU that
  // is not an SMS-PP data download (TP-PID `7F`, class-2 8-bit TP-DCS, TP-UDHI) or is malformed;
  // security failures are not errors but kDropped or an error PoR.
  Result<SmsPpOutcome> OnSmsDeliver(ByteView tpdu);

  // SGP.02 §3.15.1: one secured MO SMS per due notification (secured data = the `E1` TLV, as
  // a command packet `02 70 00`), each reported to the card with NotificationSent. Fails with
  // nothing sent when the SM-SR MSISDN is unknown or the notification key set is missing. When
  // one notification cannot be built, the ones already reported are returned (the rest stay due
  // for the next call); the error is returned only when nothing was sent.
  Result<std::vector<NotificationSms>> SendDueNotifications(int64_t now_unix_seconds);

 private:
  Result<SmsPpOutcome> OnPacket(ByteView packet, const scp::SmsAddress& originator);
  Status AddPorCarriage(const scp::ReceiveOutcome& received, const scp::Scp80Card& por_builder,
                        bool via_submit, const Bytes& por, const scp::SmsAddress& originator,
                        SmsPpOutcome& out);
  scp::SegmentOptions NextSegmentOptions();

  OtaCard& card_;
  SmsPpOptions options_;
  scp::SmsReassembler reassembler_;
  uint8_t next_message_reference_ = 0;
  uint8_t next_concat_reference_ = 0;
};

// True for the AIDs of ISD-P instances (`A0000005591010FFFFFFFF89` ‖ TAR ‖ `00`, TAR `000010`
// … `00FFFF`, security digest §1.1 [C Njiwa]); the ISD-R, ECASD and ELF/EM AIDs are not.
bool IsIsdPAid(const Aid& aid);

}  // namespace m2mrsp::euicc
