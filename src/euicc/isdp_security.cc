#include "euicc/isdp_security.h"

#include "crypto/cipher.h"
#include "crypto/cmac.h"
#include "gp/apdu.h"
#include "gp/status_word.h"
#include "pki/chain.h"
#include "pki/gp_certificate.h"
#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

constexpr uint8_t kStateVersion = 1;
constexpr size_t kMaxSessionLog = IsdpSecurity::kMaxSessionLog;
// What Restore() accepts: one session log (only one session exists at a time) with its
// per-command TLV headers, plus keys, counters and AID (under 512 bytes).
constexpr size_t kMaxSerializedSize = kMaxSessionLog * 2 + 4096;
constexpr size_t kFixedBound = 512;  // everything but the session logs, generously
static_assert(kFixedBound + kMaxSessionLog +
                      IsdpSecurity::kMaxSessionCommands * IsdpSecurity::kLoggedCommandOverhead <=
                  kMaxSerializedSize,
              "a session Serialize() keeps must restore");

Bytes WithSw(Bytes data, uint16_t sw) {
  data.push_back(gp::Sw1(sw));
  data.push_back(gp::Sw2(sw));
  return data;
}

scp::Scp03CardConfig CardConfig(const scp::Scp03Keys& keys, const Aid& aid, uint32_t counter) {
  scp::Scp03CardConfig c;
  c.keys = keys.Clone();
  c.sd_aid.assign(aid.bytes().begin(), aid.bytes().end());
  c.sequence_counter = counter;
  return c;
}

// GP Amd D §4.1 / resolutions §4: KCV of an AES key = first 3 bytes of AES(key, 16 × 01).
Result<Bytes> AesKcv(ByteView key) {
  M2_ASSIGN_OR_RETURN(Bytes block, crypto::AesEcbEncrypt(key, Bytes(16, 0x01)));
  block.resize(3);
  return block;
}

}  // namespace

// The replayable state of one session: the counter it started from and every command the scp
// card object accepted, in order. Replaying them into a fresh card object with the same keys and
// counter rebuilds the same session keys, MCV and encryption counter (the card side draws no
// randomness: its challenge is pseudo-random from the counter, Amd D §6.2.2.1).
struct IsdpSecurity::Session {
  bool tlv = false;
  uint32_t start_counter = 0;
  std::vector<Bytes> log;
  size_t log_bytes = 0;
  size_t segments = 0;  // `86` commands accepted (SCP03t)
  std::unique_ptr<scp::Scp03Card> apdu_card;
  std::unique_ptr<scp::Scp03tCard> tlv_card;

  // False when the log is over its bounds: the caller closes the session (never persisted).
  bool Record(ByteView command) {
    log_bytes += command.size();
    log.emplace_back(command.begin(), command.end());
    if (tlv && !command.empty() && command[0] == scp::kScp03tData) ++segments;
    return log_bytes <= kMaxSessionLog && log.size() <= IsdpSecurity::kMaxSessionCommands;
  }
  size_t SerializedBound() const {
    return 32 + log_bytes + log.size() * IsdpSecurity::kLoggedCommandOverhead;
  }
};

scp::KeyEstablishmentCard::CertificateVerifier SmDpCertificateVerifier(
    const crypto::X509Certificate& ci, const Clock& clock) {
  return [ci, &clock](ByteView cert) -> Result<crypto::EcPublicKey> {
    M2_ASSIGN_OR_RETURN(pki::GpCertificate gp, pki::GpCertificate::Decode(cert));
    return pki::VerifyEntityCertificate(gp, pki::GpRole::kDpEcdsa, ci, clock.Now());
  };
}

IsdpSecurity::IsdpSecurity(Aid isdp_aid, Random& random)
    : aid_(std::move(isdp_aid)), random_(&random) {}
IsdpSecurity::~IsdpSecurity() = default;
IsdpSecurity::IsdpSecurity(IsdpSecurity&&) noexcept = default;
IsdpSecurity& IsdpSecurity::operator=(IsdpSecurity&&) noexcept = default;

uint8_t IsdpSecurity::kvn() const { return keys_ ? keys_->kvn : 0; }

// --- Key establishment (SGP.02 §4.1.3.1, resolutions §2) ----------------------------------------

Result<Bytes> IsdpSecurity::HandleCertificate(
    ByteView data, const crypto::EcPrivateKey& ecasd_key,
    scp::KeyEstablishmentCard::CertificateVerifier verifier) {
  key_establishment_ =
      std::make_unique<scp::KeyEstablishmentCard>(ecasd_key, std::move(verifier), *random_);
  auto r = key_establishment_->HandleCertificate(data);
  if (!r.ok()) key_establishment_.reset();
  return r;
}

Result<Bytes> IsdpSecurity::HandleKeyParameters(ByteView data) {
  if (!key_establishment_) {
    return Status::Error(ErrorKind::kFailedPrecondition, "key establishment: 3A01 first");
  }
  std::unique_ptr<scp::KeyEstablishmentCard> ke = std::move(key_establishment_);
  scp::EstablishedKeys keys;
  M2_ASSIGN_OR_RETURN(Bytes response, ke->HandleKeyParameters(data, keys));
  if (keys.key_type != 0x88 || (keys.keys.size() != 3 && keys.keys.size() != 1)) {
    return InvalidArgument("key establishment: an AES SCP03 key set is expected");
  }
  scp::Scp03Keys set;
  set.kvn = keys.kvn;
  // Key usage 10: Key-ENC, Key-MAC, Key-DEK in key-id order. Key usage 5C (one base key,
  // accepted per resolutions §2.2) has no SCP03 meaning: the one key serves all three [M].
  set.enc = keys.keys[0].Clone();
  set.mac = keys.keys.size() == 3 ? keys.keys[1].Clone() : keys.keys[0].Clone();
  set.dek = keys.keys.size() == 3 ? keys.keys[2].Clone() : keys.keys[0].Clone();
  M2_RETURN_IF_ERROR(SetKeys(std::move(set)));
  return response;
}

uint16_t IsdpSecurity::KeyEstablishmentStatusWord(const Status& error) {
  return scp::KeyEstablishmentStatusWord(error);
}

void IsdpSecurity::CloseSessions() {
  apdu_session_.reset();
  tlv_session_.reset();
}

Status IsdpSecurity::SetKeys(scp::Scp03Keys keys) {
  M2_RETURN_IF_ERROR(keys.Validate());
  keys_ = std::move(keys);
  sequence_counter_ = 0;  // a new key set starts its own counter (GP Amd D §6.2.2.1)
  apdu_session_.reset();
  tlv_session_.reset();
  return Status::Ok();
}

// --- SCP03 over APDUs ---------------------------------------------------------------------------

bool IsdpSecurity::session_open() const {
  return apdu_session_ != nullptr && apdu_session_->apdu_card->authenticated();
}

Bytes IsdpSecurity::ProcessSessionApdu(ByteView apdu) {
  if (apdu.size() < 4) return WithSw({}, sw_ = gp::kSwWrongLength);
  const uint8_t ins = apdu[1];
  if (ins == 0x50) {  // INITIALIZE UPDATE opens a new session and ends any other one
    tlv_session_.reset();
    apdu_session_.reset();
    if (!keys_) return WithSw({}, sw_ = gp::kSwReferencedDataNotFound);
    auto s = std::make_unique<Session>();
    s->start_counter = sequence_counter_;
    s->apdu_card = std::make_unique<scp::Scp03Card>(CardConfig(*keys_, aid_, sequence_counter_));
    auto r = s->apdu_card->InitializeUpdate(apdu);
    sw_ = s->apdu_card->status_word();
    if (!r.ok()) return WithSw({}, sw_);
    sequence_counter_ = s->apdu_card->sequence_counter();
    s->Record(apdu);
    apdu_session_ = std::move(s);
    return WithSw(std::move(*r), sw_);
  }
  if (ins == 0x82) {
    if (!apdu_session_) return WithSw({}, sw_ = gp::kSwConditionsOfUseNotSatisfied);
    auto r = apdu_session_->apdu_card->ExternalAuthenticate(apdu);
    sw_ = apdu_session_->apdu_card->status_word();
    if (!r.ok()) {
      apdu_session_.reset();
      return WithSw({}, sw_);
    }
    apdu_session_->Record(apdu);
    return WithSw(std::move(*r), sw_);
  }
  return WithSw({}, sw_ = gp::kSwInsNotSupported);
}

Result<Bytes> IsdpSecurity::UnwrapCommand(ByteView apdu) {
  if (!session_open()) {
    sw_ = gp::kSwSecurityStatusNotSatisfied;
    return SecurityError("no authenticated SCP03 session");
  }
  auto r = apdu_session_->apdu_card->UnwrapCommand(apdu);
  sw_ = apdu_session_->apdu_card->status_word();
  if (!r.ok()) {
    apdu_session_.reset();  // Amd D §6.2.4: the secure channel is terminated
    return r;
  }
  if (!apdu_session_->Record(apdu)) {
    apdu_session_.reset();
    sw_ = gp::kSwSecurityStatusNotSatisfied;
    return LimitExceeded("SCP03 session too long");
  }
  return r;
}

Bytes IsdpSecurity::WrapResponse(ByteView rapdu) {
  if (rapdu.size() < 2 || !session_open()) return Bytes(rapdu.begin(), rapdu.end());
  const uint16_t sw = static_cast<uint16_t>((rapdu[rapdu.size() - 2] << 8) | rapdu.back());
  auto r = apdu_session_->apdu_card->WrapResponse(rapdu.first(rapdu.size() - 2), sw);
  if (!r.ok()) return WithSw({}, gp::kSwNoPreciseDiagnosis);
  return WithSw(std::move(*r), sw);
}

// GP Card Spec v2.3 §11.8 PUT KEY with the resolutions §4 layout; the key is encrypted with the
// static Key-DEK (SCP03 has no session DEK: Amd D §6.2.1 uses Key-DEK directly) [C WHTY + GP].
Result<Bytes> IsdpSecurity::PutTokenKey(ByteView apdu) {
  if (!session_open() || !keys_) {
    sw_ = gp::kSwConditionsOfUseNotSatisfied;
    return Status::Error(ErrorKind::kFailedPrecondition, "PUT KEY needs an SCP03 session");
  }
  sw_ = gp::kSwIncorrectData;
  M2_ASSIGN_OR_RETURN(gp::CommandApdu cmd, gp::DecodeCommand(apdu));
  if (cmd.ins != 0xD8 || (cmd.p2 & 0x80) != 0 || cmd.p2 != 0x01) {
    sw_ = gp::kSwIncorrectP1P2;
    return InvalidArgument("PUT KEY: P2 must be key id 01 (single key)");
  }
  if (cmd.p1 != 0x00 && cmd.p1 != kTokenKeyVersion) {
    sw_ = gp::kSwIncorrectP1P2;
    return InvalidArgument("PUT KEY: P1 must be 00 or the token key version");
  }
  ByteReader rd(cmd.data);
  auto byte = [&rd]() -> Result<uint8_t> { return rd.ReadU8(); };
  M2_ASSIGN_OR_RETURN(uint8_t new_kvn, byte());
  M2_ASSIGN_OR_RETURN(uint8_t type, byte());
  M2_ASSIGN_OR_RETURN(uint8_t block_len, byte());
  M2_ASSIGN_OR_RETURN(uint8_t key_len, byte());
  if (new_kvn != kTokenKeyVersion || type != 0x88 || key_len != 16 || block_len != 17) {
    return InvalidArgument("PUT KEY: expected KVN 70, one AES-128 key");
  }
  M2_ASSIGN_OR_RETURN(ByteView encrypted, rd.ReadView(16));
  M2_ASSIGN_OR_RETURN(uint8_t kcv_len, byte());
  M2_ASSIGN_OR_RETURN(ByteView kcv, rd.ReadView(kcv_len));
  if (kcv_len != 3 || !rd.empty()) return InvalidArgument("PUT KEY: KCV must be 3 bytes");
  M2_ASSIGN_OR_RETURN(Bytes plain,
                      crypto::AesCbcDecrypt(keys_->dek.view(), Bytes(16, 0), encrypted));
  SecretBytes key = SecretBytes::Adopt(std::move(plain));
  M2_ASSIGN_OR_RETURN(Bytes expected_kcv, AesKcv(key.view()));
  if (!ConstantTimeEqual(expected_kcv, kcv)) return SecurityError("PUT KEY: KCV mismatch");
  token_key_ = std::move(key);
  sw_ = gp::kSwOk;
  // GP CS §11.8.3: response data = KVN ‖ KCV of each key.
  return Concat({Bytes{kTokenKeyVersion}, expected_kcv});
}

Status IsdpSecurity::VerifyToken(ByteView signed_data, ByteView token) const {
  if (!token_key_) return SecurityError("no token key");
  M2_ASSIGN_OR_RETURN(Bytes mac, crypto::AesCmac(token_key_->view(), signed_data));
  if (!ConstantTimeEqual(mac, token)) return SecurityError("token does not verify");
  return Status::Ok();
}

// --- SCP03t -------------------------------------------------------------------------------------

bool IsdpSecurity::scp03t_open() const {
  return tlv_session_ != nullptr && tlv_session_->tlv_card->authenticated();
}

size_t IsdpSecurity::scp03t_segments() const { return tlv_session_ ? tlv_session_->segments : 0; }

Bytes IsdpSecurity::ProcessScp03t(ByteView command_tlvs, const SegmentHandler& handler) {
  tlv::Limits limits;  // a script may carry a whole package: bounded like the session log
  limits.max_size = kMaxSessionLog;
  auto tlvs = tlv::ParseSequence(command_tlvs, limits);
  if (!tlvs.ok()) {
    tlv_session_.reset();
    return scp::Scp03tErrorTlv(scp::kScp03tData, scp::kScp03tErrorLength);
  }
  Bytes out;
  for (const tlv::Tlv& t : *tlvs) {
    if (t.tag == scp::kScp03tInitializeUpdate) {
      apdu_session_.reset();
      tlv_session_.reset();
      if (!keys_) {
        Append(out, scp::Scp03tErrorTlv(scp::kScp03tInitializeUpdate, scp::kScp03tErrorUnknownKey));
        return out;
      }
      auto s = std::make_unique<Session>();
      s->tlv = true;
      s->start_counter = sequence_counter_;
      s->tlv_card = std::make_unique<scp::Scp03tCard>(CardConfig(*keys_, aid_, sequence_counter_));
      tlv_session_ = std::move(s);
    } else if (!tlv_session_) {
      // `85`/`86` without `84`: a security error, as scp::Scp03tCard answers out of sequence.
      const uint8_t tag = t.tag == scp::kScp03tExternalAuthenticate
                              ? scp::kScp03tExternalAuthenticate
                              : scp::kScp03tData;
      Append(out, scp::Scp03tErrorTlv(tag, scp::kScp03tErrorSecurity));
      return out;
    }
    Session& s = *tlv_session_;
    bool final_answer = false;
    s.tlv_card->set_segment_handler([&handler, &final_answer](ByteView seg) -> Result<Bytes> {
      Result<Bytes> r = handler(seg);
      final_answer = r.ok() && !r->empty();
      return r;
    });
    Bytes response = s.tlv_card->Process(t.raw);
    s.tlv_card->set_segment_handler([](ByteView) -> Result<Bytes> { return Bytes{}; });
    Append(out, response);
    if (!s.tlv_card->status().ok()) {
      tlv_session_.reset();
      return out;
    }
    if (t.tag == scp::kScp03tInitializeUpdate) sequence_counter_ = s.tlv_card->sequence_counter();
    if (final_answer) {
      // The EUICCResponse is out: the download is over and nothing of the session is kept
      // (its log would only grow the card image) [M]. A later `86` is out of sequence.
      tlv_session_.reset();
      continue;
    }
    if (!s.Record(t.raw)) {
      tlv_session_.reset();
      Append(out, scp::Scp03tErrorTlv(scp::kScp03tData, scp::kScp03tErrorLength));
      return out;
    }
  }
  return out;
}

// --- Persistence (docs/formats/usim.md §ISD-P state) -------------------------------------------
// 80 version ‖ 4F AID ‖ 81 sequence counter (4) ‖ [A0 { 80 KVN, 81 ENC, 82 MAC, 83 DEK }]
// ‖ [84 token key] ‖ [A1 APDU session] ‖ [A2 SCP03t session]; a session is
// { 80 start counter (4), 30 { 04 command }* }.

Bytes IsdpSecurity::Serialize() const {
  tlv::Builder b;
  b.Add(0x80, {kStateVersion});
  b.Add(0x4F, aid_.bytes());
  Bytes counter;
  AppendBigEndian(counter, sequence_counter_, 4);
  b.Add(0x81, counter);
  if (keys_) {
    b.Open(0xA0)
        .Add(0x80, {keys_->kvn})
        .Add(0x81, keys_->enc.view())
        .Add(0x82, keys_->mac.view())
        .Add(0x83, keys_->dek.view())
        .Close();
  }
  if (token_key_) b.Add(0x84, token_key_->view());
  auto add_session = [&b](tlv::Tag tag, const Session& s) {
    Bytes start;
    AppendBigEndian(start, s.start_counter, 4);
    b.Open(tag).Add(0x80, start).Open(0x30);
    for (const Bytes& c : s.log) b.Add(0x04, c);
    b.Close().Close();
  };
  if (session_open() || (apdu_session_ && !apdu_session_->log.empty())) {
    add_session(0xA1, *apdu_session_);
  }
  if (tlv_session_ && !tlv_session_->log.empty()) add_session(0xA2, *tlv_session_);
  return std::move(b).Finish();
}

size_t IsdpSecurity::SerializedSizeBound() const {
  size_t n = kFixedBound;
  if (apdu_session_) n += apdu_session_->SerializedBound();
  if (tlv_session_) n += tlv_session_->SerializedBound();
  return n;
}

Status IsdpSecurity::Restore(ByteView data) {
  tlv::Limits limits;
  limits.max_size = kMaxSerializedSize;
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> top, tlv::ParseSequence(data, limits));
  size_t i = 0;
  auto next = [&](tlv::Tag tag) -> const tlv::Tlv* {
    return i < top.size() && top[i].tag == tag ? &top[i++] : nullptr;
  };
  const tlv::Tlv* version = next(0x80);
  if (version == nullptr || version->value.size() != 1 || version->value[0] != kStateVersion) {
    return ParseError("ISD-P state: missing or unsupported version");
  }
  const tlv::Tlv* aid = next(0x4F);
  const tlv::Tlv* counter = next(0x81);
  if (aid == nullptr || counter == nullptr || counter->value.size() != 4) {
    return ParseError("ISD-P state: AID and counter expected");
  }
  M2_ASSIGN_OR_RETURN(Aid restored_aid, Aid::FromBytes(aid->value));
  IsdpSecurity r(std::move(restored_aid), *random_);
  for (uint8_t x : counter->value) r.sequence_counter_ = (r.sequence_counter_ << 8) | x;
  if (r.sequence_counter_ > scp::kScp03MaxSequenceCounter) {
    return ParseError("ISD-P state: sequence counter out of range");
  }
  if (const tlv::Tlv* k = next(0xA0)) {
    M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> f, tlv::Children(*k));
    if (f.size() != 4 || f[0].tag != 0x80 || f[0].value.size() != 1 || f[1].tag != 0x81 ||
        f[2].tag != 0x82 || f[3].tag != 0x83) {
      return ParseError("ISD-P state: key set");
    }
    scp::Scp03Keys keys{f[0].value[0], SecretBytes(f[1].value), SecretBytes(f[2].value),
                        SecretBytes(f[3].value)};
    M2_RETURN_IF_ERROR(keys.Validate());
    r.keys_ = std::move(keys);
  }
  if (const tlv::Tlv* t = next(0x84)) {
    if (t->value.size() != 16) return ParseError("ISD-P state: token key");
    r.token_key_ = SecretBytes(t->value);
  }
  // Replays one logged session into a fresh card object; every command must be accepted again.
  auto replay = [&r](const tlv::Tlv& t, bool is_tlv) -> Status {
    M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> f, tlv::Children(t));
    if (f.size() != 2 || f[0].tag != 0x80 || f[0].value.size() != 4 || f[1].tag != 0x30) {
      return ParseError("ISD-P state: session");
    }
    if (!r.keys_) return ParseError("ISD-P state: session without keys");
    uint32_t start = 0;
    for (uint8_t x : f[0].value) start = (start << 8) | x;
    if (start > scp::kScp03MaxSequenceCounter) return ParseError("ISD-P state: session counter");
    M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> log,
                        tlv::Children(f[1], tlv::Limits{kMaxSerializedSize, 4, 1 << 16, false}));
    if (log.empty()) return ParseError("ISD-P state: empty session");
    auto s = std::make_unique<Session>();
    s->tlv = is_tlv;
    s->start_counter = start;
    if (is_tlv) {
      s->tlv_card = std::make_unique<scp::Scp03tCard>(CardConfig(*r.keys_, r.aid_, start));
      s->tlv_card->set_segment_handler([](ByteView) -> Result<Bytes> { return Bytes{}; });
    } else {
      s->apdu_card = std::make_unique<scp::Scp03Card>(CardConfig(*r.keys_, r.aid_, start));
    }
    for (size_t n = 0; n < log.size(); ++n) {
      const tlv::Tlv& c = log[n];
      if (c.tag != 0x04) return ParseError("ISD-P state: session command");
      bool ok = false;
      if (is_tlv) {
        (void)s->tlv_card->Process(c.value);
        ok = s->tlv_card->status().ok();
      } else if (n == 0) {
        ok = s->apdu_card->InitializeUpdate(c.value).ok();
      } else if (n == 1) {
        ok = s->apdu_card->ExternalAuthenticate(c.value).ok();
      } else {
        ok = s->apdu_card->UnwrapCommand(c.value).ok();
      }
      if (!ok) return SecurityError("ISD-P state: session replay failed");
      if (!s->Record(c.value)) return ParseError("ISD-P state: session log over its bounds");
    }
    const uint32_t reached =
        is_tlv ? s->tlv_card->sequence_counter() : s->apdu_card->sequence_counter();
    if (reached != r.sequence_counter_) return ParseError("ISD-P state: counter mismatch");
    (is_tlv ? r.tlv_session_ : r.apdu_session_) = std::move(s);
    return Status::Ok();
  };
  if (const tlv::Tlv* t = next(0xA1)) M2_RETURN_IF_ERROR(replay(*t, false));
  if (const tlv::Tlv* t = next(0xA2)) M2_RETURN_IF_ERROR(replay(*t, true));
  if (i != top.size()) return ParseError("ISD-P state: unexpected element");
  *this = std::move(r);
  return Status::Ok();
}

}  // namespace m2mrsp::euicc
