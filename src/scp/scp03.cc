#include "scp/scp03.h"

namespace m2mrsp::scp {
namespace {

// GP Card Spec v2.3 §11.1.3 / ISO 7816-4 status words used by the card side.
constexpr uint16_t kSwOk = 0x9000;
constexpr uint16_t kSwHostCryptogramFailed = 0x6300;  // Amd D §7.1.2.7 Table 7-7 [M]
constexpr uint16_t kSwWrongLength = 0x6700;
constexpr uint16_t kSwSecurityNotSatisfied = 0x6982;
constexpr uint16_t kSwConditionsNotSatisfied = 0x6985;
constexpr uint16_t kSwIncorrectP1P2 = 0x6A86;
constexpr uint16_t kSwReferencedDataNotFound = 0x6A88;
constexpr uint16_t kSwClaNotSupported = 0x6E00;
constexpr uint16_t kSwInsNotSupported = 0x6D00;

constexpr uint8_t kInsInitializeUpdate = 0x50;
constexpr uint8_t kInsExternalAuthenticate = 0x82;
constexpr uint8_t kClaSecureMessaging = 0x04;  // ISO 7816-4 §5.4.1: b4 b3 = 01, proprietary SM

// A short C-APDU split into its fields (ISO 7816-4 §5.1). Extended length is refused: SCP03
// here protects short APDUs (Lc + 8 must fit one byte).
struct ShortApdu {
  uint8_t cla = 0, ins = 0, p1 = 0, p2 = 0;
  bool has_lc = false;
  ByteView data;
  std::optional<uint8_t> le;
};

Result<ShortApdu> ParseShort(ByteView apdu) {
  if (apdu.size() < 4) return ParseError("APDU shorter than its header");
  ShortApdu a;
  a.cla = apdu[0];
  a.ins = apdu[1];
  a.p1 = apdu[2];
  a.p2 = apdu[3];
  if (apdu.size() == 4) return a;
  if (apdu.size() == 5) {
    a.le = apdu[4];
    return a;
  }
  const size_t lc = apdu[4];
  if (lc == 0) return ParseError("extended-length APDUs are not supported by SCP03 here");
  if (apdu.size() != 5 + lc && apdu.size() != 6 + lc) {
    return ParseError("APDU length does not match Lc");
  }
  a.has_lc = true;
  a.data = apdu.subspan(5, lc);
  if (apdu.size() == 6 + lc) a.le = apdu[5 + lc];
  return a;
}

// Amd D §6.2.4: the class byte MACed has the SM bit set and the logical channel bits zeroed [M].
uint8_t MacCla(uint8_t cla) { return static_cast<uint8_t>((cla & 0xF0) | kClaSecureMessaging); }

Bytes SwBytes(uint16_t sw) { return {static_cast<uint8_t>(sw >> 8), static_cast<uint8_t>(sw)}; }

}  // namespace

bool Scp03ProtectsResponse(uint16_t sw) {
  const uint8_t sw1 = static_cast<uint8_t>(sw >> 8);
  return sw == kSwOk || sw1 == 0x62 || sw1 == 0x63;
}

// ---------------------------------------------------------------------------------- host --

Result<Bytes> Scp03Host::InitializeUpdate() {
  M2_RETURN_IF_ERROR(keys_.Validate());
  M2_ASSIGN_OR_RETURN(host_challenge_, random_.Generate(kScp03ChallengeSize));
  channel_.reset();
  card_info_.reset();
  // Amd D §7.1.1: CLA 80, INS 50, P1 = KVN, P2 = 00 (key identifier), Lc 08, Le 00.
  Bytes apdu = {0x80, kInsInitializeUpdate, keys_.kvn, 0x00, kScp03ChallengeSize};
  Append(apdu, host_challenge_);
  apdu.push_back(0x00);
  state_ = State::kChallengeSent;
  return apdu;
}

Status Scp03Host::CheckInitializeUpdateResponse(ByteView data, uint16_t sw) {
  if (state_ != State::kChallengeSent) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03: no INITIALIZE UPDATE pending");
  }
  state_ = State::kIdle;  // any failure below requires a new INITIALIZE UPDATE
  if (sw != kSwOk)
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03: card refused INITIALIZE UPDATE");
  M2_ASSIGN_OR_RETURN(InitializeUpdateResponse info, InitializeUpdateResponse::Decode(data));
  if (keys_.kvn != 0x00 && info.kvn != keys_.kvn) {
    return SecurityError("SCP03: card answered with another key version");
  }
  M2_ASSIGN_OR_RETURN(Scp03Channel ch,
                      Scp03Channel::Open(keys_, host_challenge_, info.card_challenge));
  // Amd D §6.2.2.2: the card proves knowledge of the keys.
  if (!ConstantTimeEqual(ch.card_cryptogram(), info.card_cryptogram)) {
    return SecurityError("SCP03: card cryptogram mismatch");
  }
  channel_.emplace(std::move(ch));
  card_info_ = std::move(info);
  state_ = State::kKeysDerived;
  return Status::Ok();
}

Result<Bytes> Scp03Host::ExternalAuthenticate(uint8_t security_level) {
  if (state_ != State::kKeysDerived) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03: card not authenticated yet");
  }
  if (!IsScp03SecurityLevel(security_level)) return InvalidArgument("SCP03: bad security level");
  if (((security_level & kScp03RMac) && !(card_info_->i & 0x20)) ||
      ((security_level & kScp03REncryption) && !(card_info_->i & 0x40))) {
    return InvalidArgument("SCP03: the card's i parameter does not offer R-MAC/R-ENC");
  }
  // Amd D §7.1.2: 84 82 SL 00 10 host cryptogram ‖ C-MAC, MCV = zeros.
  Bytes apdu = {0x84, kInsExternalAuthenticate, security_level, 0x00, 0x10};
  Append(apdu, channel_->host_cryptogram());
  M2_ASSIGN_OR_RETURN(Bytes mac, channel_->CommandMac({apdu}));
  channel_->Chain(mac);
  Append(apdu, ByteView(mac).first(kScp03MacSize));
  level_ = security_level;
  state_ = State::kExtAuthSent;
  return apdu;
}

Status Scp03Host::CheckExternalAuthenticateResponse(uint16_t sw) {
  if (state_ != State::kExtAuthSent) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03: no EXTERNAL AUTHENTICATE pending");
  }
  if (sw != kSwOk) {
    state_ = State::kIdle;
    channel_.reset();
    return SecurityError("SCP03: card refused EXTERNAL AUTHENTICATE");
  }
  state_ = State::kAuthenticated;
  return Status::Ok();
}

Result<Bytes> Scp03Host::Wrap(ByteView command) {
  if (state_ != State::kAuthenticated) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03: session not authenticated");
  }
  M2_ASSIGN_OR_RETURN(ShortApdu a, ParseShort(command));
  if ((a.cla & 0x40) != 0 || (a.cla & 0x0C) != 0) {
    return InvalidArgument("SCP03: CLA must be first interindustry/proprietary without SM bits");
  }
  M2_RETURN_IF_ERROR(channel_->NextCommand());  // Amd D §6.2.6: every command
  Bytes body(a.data.begin(), a.data.end());
  if ((level_ & kScp03CDecryption) && !body.empty()) {
    M2_ASSIGN_OR_RETURN(body, channel_->EncryptCommandData(body));
  }
  if (body.size() + kScp03MacSize > 255) return InvalidArgument("SCP03: secured data exceeds 255");
  const auto lc = static_cast<uint8_t>(body.size() + kScp03MacSize);
  const Bytes mac_header = {MacCla(a.cla), a.ins, a.p1, a.p2, lc};
  M2_ASSIGN_OR_RETURN(Bytes mac, channel_->CommandMac({mac_header, body}));
  channel_->Chain(mac);
  Bytes out = {static_cast<uint8_t>(a.cla | kClaSecureMessaging), a.ins, a.p1, a.p2, lc};
  Append(out, body);
  Append(out, ByteView(mac).first(kScp03MacSize));
  if (a.le) out.push_back(*a.le);
  return out;
}

Result<Bytes> Scp03Host::Unwrap(ByteView response_data, uint16_t sw) {
  if (state_ != State::kAuthenticated) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03: session not authenticated");
  }
  if (!Scp03ProtectsResponse(sw)) return Bytes(response_data.begin(), response_data.end());
  ByteView body = response_data;
  if (level_ & kScp03RMac) {
    if (body.size() < kScp03MacSize) return SecurityError("SCP03: response lacks its R-MAC");
    const ByteView rmac = body.last(kScp03MacSize);
    body = body.first(body.size() - kScp03MacSize);
    M2_RETURN_IF_ERROR(channel_->VerifyResponseMac({body, SwBytes(sw)}, rmac));
  }
  if ((level_ & kScp03REncryption) && !body.empty()) return channel_->DecryptResponseData(body);
  return Bytes(body.begin(), body.end());
}

// ---------------------------------------------------------------------------------- card --

void Scp03Card::Close() {
  channel_.reset();
  state_ = State::kIdle;
  level_ = 0;
}

Status Scp03Card::Fail(uint16_t sw, Status status) {
  sw_ = sw;
  Close();
  return status;
}

Result<Bytes> Scp03Card::InitializeUpdate(ByteView command) {
  sw_ = kSwOk;
  Close();  // GP §7.1.1: a new INITIALIZE UPDATE aborts any current session
  auto parsed = ParseShort(command);
  if (!parsed.ok()) return Fail(kSwWrongLength, parsed.status());
  const ShortApdu& a = *parsed;
  if ((a.cla & 0x0C) != 0) return Fail(kSwClaNotSupported, ParseError("INITIALIZE UPDATE: SM CLA"));
  if (a.ins != kInsInitializeUpdate)
    return Fail(kSwInsNotSupported, ParseError("not INITIALIZE UPDATE"));
  if (a.data.size() != kScp03ChallengeSize) {
    return Fail(kSwWrongLength, ParseError("INITIALIZE UPDATE: host challenge must be 8 bytes"));
  }
  // P1 = KVN, 00 = the first available key set (GP §11.8.2.1); P2 = key identifier 00.
  if (a.p1 != 0x00 && a.p1 != config_.keys.kvn) {
    return Fail(kSwReferencedDataNotFound,
                Status::Error(ErrorKind::kNotFound, "INITIALIZE UPDATE: unknown key version"));
  }
  if (a.p2 != 0x00)
    return Fail(kSwIncorrectP1P2, InvalidArgument("INITIALIZE UPDATE: P2 must be 00"));
  if (config_.sequence_counter >= kScp03MaxSequenceCounter) {
    return Fail(kSwConditionsNotSatisfied, LimitExceeded("SCP03 sequence counter exhausted"));
  }
  // Amd D §6.2.2.1: the counter advances on every INITIALIZE UPDATE so a challenge is never
  // reused; the response carries the value used for this challenge.
  const uint32_t counter = config_.sequence_counter + 1;
  auto challenge = PseudoRandomCardChallenge(config_.keys.enc.view(), counter, config_.sd_aid);
  if (!challenge.ok()) return Fail(kSwConditionsNotSatisfied, challenge.status());
  config_.sequence_counter = counter;
  auto ch = Scp03Channel::Open(config_.keys, a.data, *challenge);
  if (!ch.ok()) return Fail(kSwConditionsNotSatisfied, ch.status());
  InitializeUpdateResponse rsp;
  rsp.key_diversification = config_.key_diversification;
  rsp.kvn = config_.keys.kvn;
  rsp.i = kScp03iPseudoRandom;
  rsp.card_challenge = *challenge;
  rsp.card_cryptogram.assign(ch->card_cryptogram().begin(), ch->card_cryptogram().end());
  rsp.sequence_counter = counter;
  channel_.emplace(std::move(ch).value());
  state_ = State::kInitialized;
  return rsp.Encode();
}

Result<Bytes> Scp03Card::ExternalAuthenticate(ByteView command) {
  sw_ = kSwOk;
  if (state_ != State::kInitialized) {
    return Fail(kSwConditionsNotSatisfied, Status::Error(ErrorKind::kFailedPrecondition,
                                                         "EXTERNAL AUTHENTICATE out of sequence"));
  }
  auto parsed = ParseShort(command);
  if (!parsed.ok()) return Fail(kSwWrongLength, parsed.status());
  const ShortApdu& a = *parsed;
  if (a.ins != kInsExternalAuthenticate || (a.cla & 0x0C) != kClaSecureMessaging) {
    return Fail(kSwInsNotSupported, ParseError("not a secured EXTERNAL AUTHENTICATE"));
  }
  if (a.data.size() != kScp03CryptogramSize + kScp03MacSize) {
    return Fail(kSwWrongLength, ParseError("EXTERNAL AUTHENTICATE: data must be 16 bytes"));
  }
  if (!IsScp03SecurityLevel(a.p1) || a.p2 != 0x00) {
    return Fail(kSwIncorrectP1P2, InvalidArgument("EXTERNAL AUTHENTICATE: bad security level"));
  }
  const ByteView cryptogram = a.data.first(kScp03CryptogramSize);
  if (!ConstantTimeEqual(cryptogram, channel_->host_cryptogram())) {
    return Fail(kSwHostCryptogramFailed, SecurityError("SCP03: host cryptogram mismatch"));
  }
  const Bytes mac_header = {MacCla(a.cla), a.ins, a.p1, a.p2, static_cast<uint8_t>(a.data.size())};
  Status mac = channel_->VerifyCommandMac({mac_header, cryptogram}, a.data.last(kScp03MacSize));
  if (!mac.ok()) return Fail(kSwSecurityNotSatisfied, mac);
  level_ = a.p1;
  state_ = State::kAuthenticated;
  return Bytes{};
}

Result<Bytes> Scp03Card::UnwrapCommand(ByteView command) {
  sw_ = kSwOk;
  if (state_ != State::kAuthenticated) {
    return Fail(kSwSecurityNotSatisfied,
                Status::Error(ErrorKind::kFailedPrecondition, "SCP03: no authenticated session"));
  }
  auto parsed = ParseShort(command);
  if (!parsed.ok()) return Fail(kSwWrongLength, parsed.status());
  const ShortApdu& a = *parsed;
  if ((a.cla & 0x0C) != kClaSecureMessaging) {
    return Fail(kSwSecurityNotSatisfied, SecurityError("SCP03: command without secure messaging"));
  }
  if (a.data.size() < kScp03MacSize) return Fail(kSwWrongLength, ParseError("SCP03: no C-MAC"));
  Status next = channel_->NextCommand();
  if (!next.ok()) return Fail(kSwConditionsNotSatisfied, next);
  const ByteView body = a.data.first(a.data.size() - kScp03MacSize);
  const Bytes mac_header = {MacCla(a.cla), a.ins, a.p1, a.p2, static_cast<uint8_t>(a.data.size())};
  Status mac = channel_->VerifyCommandMac({mac_header, body}, a.data.last(kScp03MacSize));
  if (!mac.ok()) return Fail(kSwSecurityNotSatisfied, mac);
  Bytes plain(body.begin(), body.end());
  if ((level_ & kScp03CDecryption) && !body.empty()) {
    auto dec = channel_->DecryptCommandData(body);
    if (!dec.ok()) return Fail(kSwSecurityNotSatisfied, dec.status());
    plain = std::move(dec).value();
  }
  Bytes out = {static_cast<uint8_t>(a.cla & ~0x0C), a.ins, a.p1, a.p2};
  if (!plain.empty()) {
    out.push_back(static_cast<uint8_t>(plain.size()));
    Append(out, plain);
  }
  if (a.le) out.push_back(*a.le);
  return out;
}

Result<Bytes> Scp03Card::WrapResponse(ByteView data, uint16_t sw) {
  if (state_ != State::kAuthenticated) {
    return Status::Error(ErrorKind::kFailedPrecondition, "SCP03: no authenticated session");
  }
  Bytes out(data.begin(), data.end());
  if (!Scp03ProtectsResponse(sw)) return out;
  if ((level_ & kScp03REncryption) && !out.empty()) {
    M2_ASSIGN_OR_RETURN(out, channel_->EncryptResponseData(out));
  }
  if (level_ & kScp03RMac) {
    M2_ASSIGN_OR_RETURN(Bytes rmac, channel_->ResponseMac({out, SwBytes(sw)}));
    Append(out, rmac);
  }
  return out;
}

}  // namespace m2mrsp::scp
