#include "scp/scp03t.h"

#include "crypto/cipher.h"
#include "tlv/ber.h"

namespace m2mrsp::scp {
namespace {

constexpr size_t kInitializeUpdateValueSize = 10;      // KVN ‖ key id ‖ host challenge
constexpr size_t kInitializeUpdateResponseSize = 32;   // i = 70: with the sequence counter
constexpr size_t kExternalAuthenticateValueSize = 17;  // SL ‖ host cryptogram ‖ C-MAC

constexpr uint32_t ErrorTag(uint8_t command_tag) {
  return 0x9F00u | static_cast<uint8_t>(command_tag - 0x40);  // resolutions §1.3: 84 → 9F44
}

// The TLV header (tag ‖ length) as it was received: the MAC covers the sender's bytes.
ByteView Header(const tlv::Tlv& t) { return t.raw.first(t.raw.size() - t.value.size()); }

Bytes TlvHeader(uint8_t tag, size_t length) {
  Bytes h = {tag};
  tlv::AppendLength(h, length);
  return h;
}

Status ErrorFromTlv(const tlv::Tlv& t, const char* what) {
  const uint8_t reason = t.value.size() == 1 ? t.value[0] : 0;
  const std::string msg =
      std::string("SCP03t: card refused ") + what + " (reason " + std::to_string(reason) + ")";
  if (reason == kScp03tErrorSecurity) return SecurityError(msg);
  if (reason == kScp03tErrorUnknownKey) return Status::Error(ErrorKind::kNotFound, msg);
  return Status::Error(ErrorKind::kFailedPrecondition, msg);
}

tlv::Limits ResponseLimits() {
  tlv::Limits l;
  l.max_size = 1 << 16;
  l.require_minimal_length = true;
  return l;
}

}  // namespace

Bytes Scp03tErrorTlv(uint8_t command_tag, uint8_t reason) {
  const uint32_t tag = ErrorTag(command_tag);
  return {static_cast<uint8_t>(tag >> 8), static_cast<uint8_t>(tag), 0x01, reason};
}

// ---------------------------------------------------------------------------------- host --

void Scp03tHost::Reset() {
  state_ = State::kIdle;
  predicted_ = false;
  card_confirmed_ = false;
  channel_.reset();
  pending_.clear();
}

Result<Bytes> Scp03tHost::InitializeUpdate() {
  M2_RETURN_IF_ERROR(keys_.Validate());
  Reset();
  M2_ASSIGN_OR_RETURN(host_challenge_, random_.Generate(kScp03ChallengeSize));
  Bytes value = {keys_.kvn, key_id_};
  Append(value, host_challenge_);
  state_ = State::kChallengeSent;
  return tlv::Encode(kScp03tInitializeUpdate, value);
}

Status Scp03tHost::Open(ByteView card_challenge) {
  M2_ASSIGN_OR_RETURN(Scp03Channel ch, Scp03Channel::Open(keys_, host_challenge_, card_challenge));
  card_challenge_.assign(card_challenge.begin(), card_challenge.end());
  channel_.emplace(std::move(ch));
  state_ = State::kKeysDerived;
  return Status::Ok();
}

Status Scp03tHost::PredictCardChallenge(ByteView sd_aid, uint32_t next_counter) {
  if (state_ != State::kChallengeSent) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03t: predict after `84` only");
  }
  // Resolutions §1.4 [C WHTY]; same derivation as the card (Amd D §6.2.2.1).
  M2_ASSIGN_OR_RETURN(Bytes challenge,
                      PseudoRandomCardChallenge(keys_.enc.view(), next_counter, sd_aid));
  M2_RETURN_IF_ERROR(Open(challenge));
  predicted_ = true;
  return Status::Ok();
}

Status Scp03tHost::CheckInitializeUpdateResponse(ByteView response) {
  const bool expecting =
      state_ == State::kChallengeSent || (predicted_ && !card_confirmed_ && state_ != State::kIdle);
  if (!expecting) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03t: no `84` response expected");
  }
  auto parsed = tlv::ParseOne(response, ResponseLimits());
  if (!parsed.ok()) {
    Reset();
    return parsed.status();
  }
  const tlv::Tlv& t = *parsed;
  Status st = Status::Ok();
  if (t.tag == ErrorTag(kScp03tInitializeUpdate)) {
    st = ErrorFromTlv(t, "INITIALIZE UPDATE");
  } else if (t.tag != kScp03tInitializeUpdate || t.value.size() != kInitializeUpdateResponseSize) {
    st = ParseError("SCP03t: expected `84 20` INITIALIZE UPDATE response");
  } else {
    auto info = InitializeUpdateResponse::Decode(t.value);
    if (!info.ok()) {
      st = info.status();
    } else if (info->i != kScp03iPseudoRandom || (keys_.kvn != 0 && info->kvn != keys_.kvn)) {
      st = SecurityError("SCP03t: unexpected KVN or i parameter");
    } else if (predicted_ && !ConstantTimeEqual(info->card_challenge, card_challenge_)) {
      st = SecurityError("SCP03t: card challenge differs from the predicted one");
    } else if (!predicted_) {
      st = Open(info->card_challenge);
    }
    if (st.ok() && !ConstantTimeEqual(channel_->card_cryptogram(), info->card_cryptogram)) {
      st = SecurityError("SCP03t: card cryptogram mismatch");
    }
  }
  if (!st.ok()) {
    Reset();
    return st;
  }
  card_confirmed_ = true;
  return Status::Ok();
}

Result<Bytes> Scp03tHost::ExternalAuthenticate() {
  if (state_ != State::kKeysDerived) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03t: no card challenge yet");
  }
  // Resolutions §1.2: C-MAC over MCV(0) ‖ 85 11 ‖ SL ‖ host cryptogram.
  Bytes value = {kScp03tSecurityLevel};
  Append(value, channel_->host_cryptogram());
  const Bytes header = TlvHeader(kScp03tExternalAuthenticate, value.size() + kScp03MacSize);
  M2_ASSIGN_OR_RETURN(Bytes mac, channel_->CommandMac({header, value}));
  channel_->Chain(mac);
  state_ = State::kExtAuthSent;
  return Concat({header, value, ByteView(mac).first(kScp03MacSize)});
}

Status Scp03tHost::CheckExternalAuthenticateResponse(ByteView response) {
  if (state_ != State::kExtAuthSent && state_ != State::kAuthenticated) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03t: no `85` response expected");
  }
  if (!card_confirmed_) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03t: check the `84` response first");
  }
  auto parsed = tlv::ParseOne(response, ResponseLimits());
  Status st = Status::Ok();
  if (!parsed.ok()) {
    st = parsed.status();
  } else if (parsed->tag == ErrorTag(kScp03tExternalAuthenticate)) {
    st = ErrorFromTlv(*parsed, "EXTERNAL AUTHENTICATE");
  } else if (parsed->tag != kScp03tExternalAuthenticate || !parsed->value.empty()) {
    st = ParseError("SCP03t: expected `85 00`");
  }
  if (!st.ok()) {
    Reset();
    return st;
  }
  state_ = State::kAuthenticated;
  return Status::Ok();
}

Result<Bytes> Scp03tHost::ProtectSegment(ByteView plain) {
  // Segments may be protected before the `85` answer arrives (one script carries all).
  if (state_ != State::kExtAuthSent && state_ != State::kAuthenticated) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03t: not authenticated");
  }
  if (plain.empty()) return InvalidArgument("SCP03t: empty segment");
  const size_t value_size = Pad80(plain).size() + kScp03MacSize;
  const Bytes header = TlvHeader(kScp03tData, value_size);
  if (header.size() + value_size > kScp03tMaxTlvSize) {
    return InvalidArgument("SCP03t: segment exceeds 1024 bytes once protected");
  }
  M2_RETURN_IF_ERROR(channel_->NextCommand());  // resolutions §1.2: first `86` uses 1
  M2_ASSIGN_OR_RETURN(Bytes enc, channel_->EncryptCommandData(plain));
  M2_ASSIGN_OR_RETURN(Bytes mac, channel_->CommandMac({header, enc}));
  channel_->Chain(mac);
  pending_.push_back(Pending{mac, channel_->counter()});
  return Concat({header, enc, ByteView(mac).first(kScp03MacSize)});
}

Result<std::vector<Bytes>> Scp03tHost::ProtectPackage(ByteView package, size_t segment_size) {
  if (package.empty() || segment_size == 0) return InvalidArgument("SCP03t: empty package");
  std::vector<Bytes> out;
  out.reserve(package.size() / segment_size + 1);
  for (size_t off = 0; off < package.size(); off += segment_size) {
    M2_ASSIGN_OR_RETURN(Bytes seg, ProtectSegment(package.subspan(
                                       off, std::min(segment_size, package.size() - off))));
    out.push_back(std::move(seg));
  }
  return out;
}

Result<Bytes> Scp03tHost::CheckDataResponse(ByteView response) {
  if (state_ != State::kAuthenticated || pending_.empty()) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03t: no `86` response expected");
  }
  const Pending p = pending_.front();
  pending_.pop_front();
  auto parsed = tlv::ParseOne(response, ResponseLimits());
  if (!parsed.ok()) {
    Reset();
    return parsed.status();
  }
  const tlv::Tlv& t = *parsed;
  if (t.tag == ErrorTag(kScp03tData)) {
    Reset();
    return ErrorFromTlv(t, "command data");
  }
  if (t.tag != kScp03tData) {
    Reset();
    return ParseError("SCP03t: expected an `86` response");
  }
  if (t.value.empty()) return Bytes{};  // `86 00`: no response data, no R-MAC (resolutions §1.2)
  if (t.value.size() < crypto::kCmacSize + kScp03MacSize) {
    Reset();
    return SecurityError("SCP03t: response too short for data and R-MAC");
  }
  const ByteView enc = t.value.first(t.value.size() - kScp03MacSize);
  // Resolutions §1.2 [C WHTY]: R-MAC over MCV ‖ 86 ‖ L ‖ encrypted data, L counting the R-MAC.
  auto rmac = channel_->ResponseMacAt(p.mcv, {Header(t), enc});
  if (!rmac.ok() || !ConstantTimeEqual(*rmac, t.value.last(kScp03MacSize))) {
    Reset();
    return SecurityError("SCP03t: R-MAC verification failed");
  }
  auto plain = channel_->DecryptResponseDataAt(p.counter, enc);
  if (!plain.ok()) Reset();
  return plain;
}

// ---------------------------------------------------------------------------------- card --

Scp03tCard::Scp03tCard(Scp03CardConfig config, Scp03tLimits limits)
    : config_(std::move(config)), limits_(limits) {}

Result<Bytes> Scp03tCard::Reassemble(ByteView segment) {
  if (segment.size() > limits_.max_package_size - package_.size()) {
    return LimitExceeded("SCP03t: profile package exceeds the card's limit");
  }
  Append(package_, segment);
  return Bytes{};
}

void Scp03tCard::Close() {
  channel_.reset();
  state_ = State::kIdle;
}

Bytes Scp03tCard::Fail(uint8_t tag, uint8_t reason, Status status) {
  status_ = std::move(status);
  Close();
  return Scp03tErrorTlv(tag, reason);
}

Bytes Scp03tCard::Process(ByteView command) {
  status_ = Status::Ok();
  // The error tag follows the command tag when it is one of ours; anything else is answered as a
  // malformed data command [M: our reconstruction, resolutions §1.3 lists no generic error].
  const uint8_t first = command.empty() ? 0 : command[0];
  const uint8_t err_tag = (first == kScp03tInitializeUpdate || first == kScp03tExternalAuthenticate)
                              ? first
                              : kScp03tData;
  tlv::Limits limits;
  limits.max_size = limits_.max_tlv_size;
  limits.require_minimal_length = true;
  if (command.size() > limits_.max_tlv_size) {
    return Fail(err_tag, kScp03tErrorLength, LimitExceeded("SCP03t: command TLV too large"));
  }
  auto parsed = tlv::ParseOne(command, limits);
  if (!parsed.ok()) return Fail(err_tag, kScp03tErrorLength, parsed.status());
  switch (parsed->tag) {
    case kScp03tInitializeUpdate:
      return HandleInitializeUpdate(parsed->value);
    case kScp03tExternalAuthenticate:
      return HandleExternalAuthenticate(Header(*parsed), parsed->value);
    case kScp03tData:
      return HandleData(Header(*parsed), parsed->value);
    default:
      return Fail(kScp03tData, kScp03tErrorLength, ParseError("SCP03t: unknown command tag"));
  }
}

Bytes Scp03tCard::ProcessScript(ByteView tlvs) {
  tlv::Limits limits;
  limits.max_size = limits_.max_tlv_size;
  limits.require_minimal_length = true;
  Bytes out;
  ByteReader reader(tlvs);
  while (!reader.empty()) {
    const size_t start = reader.position();
    auto t = tlv::ReadTlv(reader, limits);
    // A TLV that cannot even be delimited: answer for the rest of the script and stop.
    const ByteView one = t.ok() ? t->raw : tlvs.subspan(start);
    Append(out, Process(one));
    if (!status_.ok() || !t.ok()) break;
  }
  return out;
}

Bytes Scp03tCard::HandleInitializeUpdate(ByteView value) {
  Close();  // a new `84` aborts any session (as INITIALIZE UPDATE does)
  package_.clear();
  if (value.size() != kInitializeUpdateValueSize) {
    return Fail(kScp03tInitializeUpdate, kScp03tErrorLength, ParseError("SCP03t: `84` length"));
  }
  // KVN 00 = first available; key id 00 (WHTY) or 01 (Njiwa) (resolutions §1.1).
  if ((value[0] != 0x00 && value[0] != config_.keys.kvn) || value[1] > 0x01) {
    return Fail(kScp03tInitializeUpdate, kScp03tErrorUnknownKey,
                Status::Error(ErrorKind::kNotFound, "SCP03t: unknown key version/identifier"));
  }
  if (config_.sequence_counter >= kScp03MaxSequenceCounter) {
    return Fail(kScp03tInitializeUpdate, kScp03tErrorLength,
                LimitExceeded("SCP03t: sequence counter exhausted"));
  }
  const uint32_t counter = config_.sequence_counter + 1;
  auto challenge = PseudoRandomCardChallenge(config_.keys.enc.view(), counter, config_.sd_aid);
  if (!challenge.ok()) return Fail(kScp03tInitializeUpdate, kScp03tErrorLength, challenge.status());
  config_.sequence_counter = counter;
  auto ch = Scp03Channel::Open(config_.keys, value.subspan(2), *challenge);
  if (!ch.ok()) return Fail(kScp03tInitializeUpdate, kScp03tErrorLength, ch.status());
  InitializeUpdateResponse rsp;
  rsp.key_diversification = config_.key_diversification;
  rsp.kvn = config_.keys.kvn;
  rsp.card_challenge = *challenge;
  rsp.card_cryptogram.assign(ch->card_cryptogram().begin(), ch->card_cryptogram().end());
  rsp.sequence_counter = counter;
  channel_.emplace(std::move(ch).value());
  state_ = State::kInitialized;
  return tlv::Encode(kScp03tInitializeUpdate, rsp.Encode());
}

Bytes Scp03tCard::HandleExternalAuthenticate(ByteView header, ByteView value) {
  if (state_ != State::kInitialized) {
    return Fail(kScp03tExternalAuthenticate, kScp03tErrorSecurity,
                Status::Error(ErrorKind::kFailedPrecondition, "SCP03t: `85` without `84`"));
  }
  if (value.size() != kExternalAuthenticateValueSize || value[0] != kScp03tSecurityLevel) {
    return Fail(kScp03tExternalAuthenticate, kScp03tErrorLength,
                ParseError("SCP03t: `85` must be 11 bytes with security level 33"));
  }
  const ByteView cryptogram = value.subspan(1, kScp03CryptogramSize);
  if (!ConstantTimeEqual(cryptogram, channel_->host_cryptogram())) {
    return Fail(kScp03tExternalAuthenticate, kScp03tErrorSecurity,
                SecurityError("SCP03t: host cryptogram mismatch"));
  }
  Status mac = channel_->VerifyCommandMac({header, value.first(1 + kScp03CryptogramSize)},
                                          value.last(kScp03MacSize));
  if (!mac.ok()) return Fail(kScp03tExternalAuthenticate, kScp03tErrorSecurity, mac);
  state_ = State::kAuthenticated;
  return {kScp03tExternalAuthenticate, 0x00};
}

Bytes Scp03tCard::HandleData(ByteView header, ByteView value) {
  // Structure first, then security: a malformed TLV is a length/structure error either way.
  if (value.size() < crypto::kCmacSize + kScp03MacSize ||
      (value.size() - kScp03MacSize) % crypto::kAesBlock != 0) {
    return Fail(kScp03tData, kScp03tErrorLength, ParseError("SCP03t: `86` length"));
  }
  if (state_ != State::kAuthenticated) {
    return Fail(kScp03tData, kScp03tErrorSecurity,
                Status::Error(ErrorKind::kFailedPrecondition, "SCP03t: `86` without a session"));
  }
  Status next = channel_->NextCommand();
  if (!next.ok()) return Fail(kScp03tData, kScp03tErrorSecurity, next);
  const ByteView enc = value.first(value.size() - kScp03MacSize);
  Status mac = channel_->VerifyCommandMac({header, enc}, value.last(kScp03MacSize));
  if (!mac.ok()) return Fail(kScp03tData, kScp03tErrorSecurity, mac);
  auto plain = channel_->DecryptCommandData(enc);
  if (!plain.ok()) return Fail(kScp03tData, kScp03tErrorSecurity, plain.status());
  auto data = handler_ ? handler_(*plain) : Reassemble(*plain);
  if (!data.ok()) return Fail(kScp03tData, kScp03tErrorLength, data.status());
  if (data->empty()) return {kScp03tData, 0x00};
  auto rsp = channel_->EncryptResponseData(*data);
  if (!rsp.ok()) return Fail(kScp03tData, kScp03tErrorSecurity, rsp.status());
  const Bytes rsp_header = TlvHeader(kScp03tData, rsp->size() + kScp03MacSize);
  auto rmac = channel_->ResponseMac({rsp_header, *rsp});
  if (!rmac.ok()) return Fail(kScp03tData, kScp03tErrorSecurity, rmac.status());
  return Concat({rsp_header, *rsp, *rmac});
}

}  // namespace m2mrsp::scp
