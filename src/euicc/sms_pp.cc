#include "euicc/sms_pp.h"

#include <utility>

#include "gp/aids.h"
#include "scp/scp80_packet.h"
#include "scp/sms_tpdu.h"

namespace m2mrsp::euicc {
namespace {

constexpr uint8_t kUdhResponsePacket[] = {0x02, scp::kIeiResponsePacket, 0x00};

// TS 31.111 §7.1.1 / TS 23.038 §4: SMS-PP data download is class 2 with 8-bit data, coded in
// the "data coding/message class" group (`F6`) or the general group with a class (`16`).
bool IsClass2EightBit(uint8_t dcs) { return dcs == 0xF6 || dcs == 0x16; }

// The key set that opened a command packet, copied at receive time: the PoR is secured with it
// even when the command removed it from the card (FinaliseISDRhandover naming the key set of
// the packet that carries it, SGP.02 §4.1.1.9) [M].
class CapturedKeySet final : public scp::Scp80CardKeys {
 public:
  CapturedKeySet(const scp::Scp80CardKeys& card, const scp::ReceiveOutcome& received) {
    if (!received.por_header) return;
    tar_ = received.por_header->tar;
    key_set_ = received.key_set;
    minimum_ = card.FindTar(tar_);
    if (const scp::Scp80KeySet* k = card.FindKeySet(tar_, key_set_)) {
      keys_.emplace();
      keys_->kic = k->kic.Clone();
      keys_->kid = k->kid.Clone();
    }
  }
  std::optional<scp::MinimumSecurity> FindTar(const Tar& tar) const override {
    return tar == tar_ ? minimum_ : std::nullopt;
  }
  const scp::Scp80KeySet* FindKeySet(const Tar& tar, uint8_t key_set) const override {
    return tar == tar_ && key_set == key_set_ && keys_.has_value() ? &*keys_ : nullptr;
  }

 private:
  Tar tar_ = Tar::FromValue(0);
  uint8_t key_set_ = 0;
  std::optional<scp::MinimumSecurity> minimum_;
  std::optional<scp::Scp80KeySet> keys_;
};

}  // namespace

bool IsIsdPAid(const Aid& aid) {
  auto tar = gp::TarOfIsdPAid(aid);
  return tar.ok() && tar->value() >= 0x000010 && tar->value() <= 0x00FFFF;
}

SmsPpFrontEnd::SmsPpFrontEnd(OtaCard& card, const Clock& clock, SmsPpOptions options)
    : card_(card), options_(std::move(options)), reassembler_(clock, options_.reassembly) {}

scp::SegmentOptions SmsPpFrontEnd::NextSegmentOptions() {
  scp::SegmentOptions s;
  s.max_user_data = options_.max_user_data;
  s.reference = next_concat_reference_++;
  return s;
}

Result<SmsPpOutcome> SmsPpFrontEnd::OnSmsDeliver(ByteView tpdu) {
  M2_ASSIGN_OR_RETURN(scp::SmsDeliver sms, scp::SmsDeliver::Decode(tpdu));
  // TS 31.111 §7.1.1: only TP-PID "(U)SIM data download" with a class-2 8-bit TP-DCS reaches
  // the card as an ENVELOPE; TS 31.115 §4: the command packet is flagged in the UDH.
  if (sms.pid != scp::kPidUsimDataDownload || !IsClass2EightBit(sms.dcs)) {
    return InvalidArgument("SMS is not an SMS-PP data download (TP-PID/TP-DCS)");
  }
  if (!sms.udhi) return InvalidArgument("TS 31.115 §4: data download without TP-UDHI");
  M2_ASSIGN_OR_RETURN(std::optional<scp::ReassembledPacket> packet,
                      reassembler_.Add(sms.originator.ToString(), AsView(sms.user_data)));
  SmsPpOutcome out;
  if (!packet) {
    out.kind = SmsPpOutcome::Kind::kIncomplete;
    out.reason = "TS 23.040 §9.2.3.24.1: concatenated part stored";
    return out;
  }
  if (packet->packet_iei != scp::kIeiCommandPacket) {
    // No command packet identifier: nothing a secured-packet receiver may act on.
    out.kind = SmsPpOutcome::Kind::kDropped;
    out.reason = "TS 31.115 §4: no command packet identifier (IEI 70) in the UDH";
    return out;
  }
  return OnPacket(AsView(packet->packet), sms.originator);
}

Result<SmsPpOutcome> SmsPpFrontEnd::OnPacket(ByteView packet, const scp::SmsAddress& originator) {
  SmsPpOutcome out;
  out.kind = SmsPpOutcome::Kind::kDropped;
  // The application first: an unknown TAR is dropped before any key is touched (ISD-R policy,
  // TS 102 225 §5.2.2 '09' silenced per security digest §5.7).
  auto preview = scp::PreviewCommand(packet);
  if (!preview.ok()) {
    out.reason = "TS 102 225 §5.1.1: malformed command header";
    return out;
  }
  const std::optional<Aid> target = card_.ApplicationForTar(preview->tar);
  if (!target) {
    out.reason = "policy: silent before authentication: TAR unknown";
    out.status = scp::PorStatus::kTarUnknown;
    return out;
  }
  scp::Scp80Card scp80(card_.Scp80Keys(), card_.Scp80Counters(), options_.policy);
  M2_ASSIGN_OR_RETURN(scp::ReceiveOutcome received, scp80.Receive(packet));
  out.reason = received.reason;
  out.status = received.status;
  if (received.action == scp::CardAction::kDrop) return out;

  out.kind = SmsPpOutcome::Kind::kProcessed;
  out.target = target;
  const CapturedKeySet captured(card_.Scp80Keys(), received);
  const scp::Scp80Card por_builder(captured, card_.Scp80Counters(), options_.policy);
  Bytes response_data;
  if (received.action == scp::CardAction::kDeliver) {
    M2_ASSIGN_OR_RETURN(ScriptRun run,
                        RunSecuredData(card_, *target, IsIsdPAid(*target),
                                       AsView(received.command->data), options_.script));
    response_data = run.response;
    out.script = std::move(run);
  }
  M2_ASSIGN_OR_RETURN(std::optional<Bytes> por,
                      por_builder.BuildPor(received, AsView(response_data)));
  if (!por) return out;
  M2_RETURN_IF_ERROR(
      AddPorCarriage(received, por_builder, preview->spi.por_via_submit, *por, originator, out));
  return out;
}

Status SmsPpFrontEnd::AddPorCarriage(const scp::ReceiveOutcome& received,
                                     const scp::Scp80Card& por_builder, bool via_submit,
                                     const Bytes& por, const scp::SmsAddress& originator,
                                     SmsPpOutcome& out) {
  if (!via_submit) {
    Bytes envelope = Concat({ByteView(kUdhResponsePacket), AsView(por)});
    if (envelope.size() <= options_.max_deliver_report) {
      // TS 31.111 §7.1.1.2 + TS 31.115 §6: UDH `02 71 00` ‖ RPL … as the ENVELOPE response
      // data, exactly what a real card returned (pySim test_ota.py sysmoISIM-SJA5 PoRs) [V].
      out.envelope_response = std::move(envelope);
      return Status::Ok();
    }
    // Too long for the report: TS 102 225 §5.2.2 status '0B' ("response data sent using
    // SMS-SUBMIT") in the report, the real PoR by SMS-SUBMIT [M].
    scp::ReceiveOutcome redirected = received;
    redirected.status = scp::PorStatus::kResponseInSmsSubmit;
    redirected.por_header->status = static_cast<uint8_t>(scp::PorStatus::kResponseInSmsSubmit);
    redirected.por_request = scp::PorRequest::kAlways;
    M2_ASSIGN_OR_RETURN(std::optional<Bytes> notice, por_builder.BuildPor(redirected, {}));
    if (notice) out.envelope_response = Concat({ByteView(kUdhResponsePacket), AsView(*notice)});
  }
  // TS 31.115 §6: the PoR as response packet(s) `71` in SMS-SUBMIT, concatenated when longer
  // than one TP-UD; addressed to the command's originator (TP-OA) [M].
  M2_ASSIGN_OR_RETURN(out.submit_tpdus,
                      scp::PacketToSmsSubmit(scp::kIeiResponsePacket, AsView(por), originator,
                                             next_message_reference_, NextSegmentOptions()));
  // TS 23.040 §9.2.3.6: one TP-MR per SMS-SUBMIT; the concatenated parts use consecutive ones.
  next_message_reference_ = static_cast<uint8_t>(next_message_reference_ + out.submit_tpdus.size());
  return Status::Ok();
}

Result<std::vector<NotificationSms>> SmsPpFrontEnd::SendDueNotifications(int64_t now_unix_seconds) {
  const NotificationSecurity& sec = options_.notification;
  const SmsrAddress smsr = card_.SmsrAddressing();
  if (smsr.msisdn.empty()) {
    return Status::Error(ErrorKind::kFailedPrecondition,
                         "SGP.02 §4.1.1.10: no SM-SR MSISDN to send notifications to");
  }
  scp::SmsAddress destination;
  destination.type = 0x91;  // international, E.164 (TS 23.040 §9.1.2.5)
  destination.digits = smsr.msisdn;
  if (!smsr.msisdn.empty() && smsr.msisdn.front() == '+') destination.digits.erase(0, 1);

  // The card's notification key set replaces the configured key-set nibbles (spec-map [?]):
  // after FinaliseISDRhandover the notifications follow the new SM-SR's keys.
  uint8_t kic = sec.kic, kid = sec.kid;
  if (const std::optional<uint8_t> set = card_.NotificationKeySet(); set.has_value()) {
    kic = static_cast<uint8_t>((*set << 4) | (sec.kic & 0x0F));
    kid = static_cast<uint8_t>((*set << 4) | (sec.kid & 0x0F));
  }
  const uint8_t key_set = scp::KeyIdentifier{sec.spi.ciphering ? kic : kid}.key_set();
  const scp::Scp80KeySet* keys = card_.Scp80Keys().FindKeySet(sec.tar, key_set);
  const bool needs_keys = sec.spi.ciphering || sec.spi.integrity != scp::Integrity::kNone;
  if (needs_keys && keys == nullptr) {
    return Status::Error(ErrorKind::kFailedPrecondition,
                         "notification key set missing on the ISD-R");
  }
  const scp::Scp80Keys views =
      keys ? scp::Scp80Keys{keys->kic.view(), keys->kid.view()} : scp::Scp80Keys{};

  std::vector<NotificationSms> out;
  // One notification's MO SMS; an error leaves it due (nothing reported to the card).
  auto build = [&](const OutgoingNotification& n) -> Result<NotificationSms> {
    scp::CommandHeader header;
    header.spi = sec.spi;
    header.kic = kic;
    header.kid = kid;
    header.tar = sec.tar;
    // "No counter" packets carry CNTR 0 (the WHTY sample); otherwise the card's persistent
    // counter of packets it originated with this key set [M].
    if (sec.spi.counter == scp::CounterPolicy::kNone) {
      header.counter = 0;
    } else {
      M2_ASSIGN_OR_RETURN(header.counter, card_.NextOriginatedCounter(key_set));
    }
    // SGP.02 §3.15.1 / security digest §5.7: the E1 TLV is the secured data itself [C2].
    M2_ASSIGN_OR_RETURN(Bytes packet, scp::WrapCommand(header, views, AsView(n.e1_tlv)));
    NotificationSms sms;
    sms.sequence_number = n.sequence_number;
    sms.smsc_address = smsr.smsc_address;
    M2_ASSIGN_OR_RETURN(sms.submit_tpdus,
                        scp::PacketToSmsSubmit(scp::kIeiCommandPacket, AsView(packet), destination,
                                               next_message_reference_, NextSegmentOptions()));
    return sms;
  };
  for (const OutgoingNotification& n : card_.DueNotifications(now_unix_seconds)) {
    Result<NotificationSms> sms = build(n);
    if (!sms.ok()) {
      // What was already reported sent is returned; the rest stays due.
      if (out.empty()) return sms.status();
      break;
    }
    next_message_reference_ =
        static_cast<uint8_t>(next_message_reference_ + sms->submit_tpdus.size());
    card_.NotificationSent(n.sequence_number, now_unix_seconds);
    out.push_back(std::move(*sms));
  }
  return out;
}

}  // namespace m2mrsp::euicc
