#include "scp/scp80_card.h"

namespace m2mrsp::scp {
namespace {

// The CNTR as it stands in the clear part of an unciphered packet; 0 when ciphered (it cannot be
// read before the packet is authenticated, so an error PoR echoes zeros).
uint64_t ClearCounter(ByteView packet, const CommandPreview& p) {
  constexpr size_t kCounterOffset = 10;  // CPL(2) CHL(1) SPI(2) KIc KID TAR(3)
  if (p.spi.ciphering || packet.size() < kCounterOffset + 5) return 0;
  uint64_t c = 0;
  for (size_t i = 0; i < 5; ++i) c = (c << 8) | packet[kCounterOffset + i];
  return c;
}

bool MeetsMinimum(const Spi& spi, const MinimumSecurity& min) {
  if (min.integrity && spi.integrity == Integrity::kNone) return false;
  if (min.ciphering && !spi.ciphering) return false;
  if (min.counter && spi.counter != CounterPolicy::kHigher &&
      spi.counter != CounterPolicy::kOneHigher) {
    return false;
  }
  return true;
}

}  // namespace

Result<uint64_t> InMemoryCounterStore::Load(uint8_t key_set) {
  auto it = counters_.find(key_set);
  return it == counters_.end() ? uint64_t{0} : it->second;
}

Status InMemoryCounterStore::Save(uint8_t key_set, uint64_t counter) {
  counters_[key_set] = counter;
  return Status::Ok();
}

Result<ReceiveOutcome> Scp80Card::Receive(ByteView packet) {
  ReceiveOutcome out;
  auto preview = PreviewCommand(packet);
  if (!preview.ok()) {
    // Without a trustworthy header there is no TAR to answer for: drop.
    out.reason = "TS 102 225 §5.1.1: malformed command header: " + preview.status().message();
    return out;
  }
  const Spi& spi = preview->spi;
  out.por_request = spi.por;
  out.por_header = ResponseHeader{preview->tar, ClearCounter(packet, *preview), 0};
  auto error = [&](PorStatus status, std::string reason) {
    out.action = CardAction::kRespondError;
    out.status = status;
    out.por_header->status = static_cast<uint8_t>(status);
    out.reason = std::move(reason);
    return out;
  };
  // Refusals before the sender is authenticated: error PoR, or silence under the ES5 policy.
  auto refuse = [&](PorStatus status, std::string reason) {
    if (!policy_.silent_before_authentication) return error(status, std::move(reason));
    out.action = CardAction::kDrop;
    out.status = status;
    out.reason = "policy: silent before authentication: " + reason;
    return out;
  };

  // TS 102 225 §5.2.2 Table 5.5 '09': no application behind the TAR.
  const std::optional<MinimumSecurity> min = keys_.FindTar(preview->tar);
  if (!min) return refuse(PorStatus::kTarUnknown, "TS 102 225 §5.2.2: TAR unknown");

  // The key set: KIc's and KID's key-set nibbles must agree when both are used [C pySim].
  const bool uses_kic = spi.ciphering, uses_kid = spi.integrity != Integrity::kNone;
  const uint8_t kic_set = KeyIdentifier{preview->kic}.key_set();
  const uint8_t kid_set = KeyIdentifier{preview->kid}.key_set();
  if (uses_kic && uses_kid && kic_set != kid_set) {
    return refuse(PorStatus::kUnidentifiedSecurityError,
                  "TS 102 225 §5.1.2: KIc/KID key sets differ");
  }
  out.key_set = uses_kic ? kic_set : kid_set;
  const Scp80KeySet* set = keys_.FindKeySet(preview->tar, out.key_set);
  if ((uses_kic || uses_kid) && set == nullptr) {
    return refuse(PorStatus::kUnidentifiedSecurityError, "TS 102 225 §5.1.2: key set unknown");
  }

  // TS 102 225 §5.2.2 '0A' (minimum security level of the application, TS 102 226 §8.2.1.3.2.4.2).
  if (!MeetsMinimum(spi, *min)) {
    return refuse(PorStatus::kInsufficientSecurityLevel,
                  "TS 102 225 §5.2.2: SPI below the TAR's minimum security level");
  }
  if (spi.integrity == Integrity::kRc && min->integrity) {
    // A CRC proves nothing about the sender; a TAR that demands integrity demands a CC.
    return refuse(PorStatus::kInsufficientSecurityLevel,
                  "TS 102 225 §5.1.3.2: RC does not satisfy a CC requirement");
  }

  const Scp80Keys keys = set ? Scp80Keys{set->kic.view(), set->kid.view()} : Scp80Keys{};
  CommandOpenResult opened = OpenCommand(packet, keys);
  if (!opened.command) {
    if (opened.status == PorStatus::kIntegrityFailed && !policy_.por_on_integrity_failure) {
      out.action = CardAction::kDrop;
      out.status = opened.status;
      out.reason = "policy: drop unauthenticated packet: " + opened.error.message();
      return out;
    }
    return refuse(opened.status, "TS 102 225 §5.1: " + opened.error.message());
  }
  OpenedCommand& cmd = *opened.command;
  out.por_header->counter = cmd.header.counter;
  // From here the sender is authenticated: PoRs carry the security the SPI asks for.
  out.por_security = PorSecurity::ForCommand(spi, preview->kic, preview->kid);

  // TS 102 225 §5.1.1 counter management.
  if (spi.counter == CounterPolicy::kHigher || spi.counter == CounterPolicy::kOneHigher) {
    M2_ASSIGN_OR_RETURN(uint64_t stored, counters_.Load(out.key_set));
    const uint64_t received = cmd.header.counter;
    if (stored >= kMaxCounter) {
      return error(PorStatus::kCounterBlocked, "TS 102 225 §5.1.1: counter reached its maximum");
    }
    if (received <= stored) {
      return error(PorStatus::kCounterLow, "TS 102 225 §5.1.1: counter not higher than stored");
    }
    if (spi.counter == CounterPolicy::kOneHigher && received != stored + 1) {
      return error(PorStatus::kCounterHigh, "TS 102 225 §5.1.1: counter more than one higher");
    }
    // Persist before acting so a crash after delivery cannot allow a replay. Only a sender that
    // proved itself with a cryptographic checksum moves the counter: otherwise anyone could
    // push it to its maximum and block the key set.
    if (spi.integrity == Integrity::kCc) {
      M2_RETURN_IF_ERROR(counters_.Save(out.key_set, received));
    }
  }
  out.action = CardAction::kDeliver;
  out.status = PorStatus::kOk;
  out.reason = "accepted";
  out.command = std::move(cmd);
  return out;
}

Result<std::optional<Bytes>> Scp80Card::BuildPor(const ReceiveOutcome& outcome,
                                                 ByteView response_data) const {
  if (outcome.action == CardAction::kDrop || !outcome.por_header) return std::optional<Bytes>();
  const bool error = outcome.status != PorStatus::kOk;
  // TS 102 225 §5.1.1 SPI second octet b2b1: 01 PoR required, 10 PoR on error only.
  if (outcome.por_request == PorRequest::kNone ||
      (outcome.por_request == PorRequest::kOnError && !error)) {
    return std::optional<Bytes>();
  }
  Scp80Keys keys;
  const Scp80KeySet* set = nullptr;
  if (outcome.por_security.ciphered || outcome.por_security.integrity != Integrity::kNone) {
    set = keys_.FindKeySet(outcome.por_header->tar, outcome.key_set);
    if (set == nullptr) return InternalError("SCP80: key set vanished while building the PoR");
    keys = Scp80Keys{set->kic.view(), set->kid.view()};
  }
  M2_ASSIGN_OR_RETURN(Bytes por, WrapResponse(*outcome.por_header, outcome.por_security, keys,
                                              error ? ByteView() : response_data));
  return std::optional<Bytes>(std::move(por));
}

}  // namespace m2mrsp::scp
