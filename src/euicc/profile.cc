#include "euicc/profile.h"

#include <algorithm>

#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

// Persistent form (docs/formats/usim.md §Profile): 80 version, A0 header, A1 aka (30 each),
// A2 PINs, A3 PUKs, A4 MNO-SD, A5 files; every element mandatory and in this order.
constexpr uint8_t kProfileFormatVersion = 1;
constexpr size_t kMaxSerialized = size_t{4} << 20;
constexpr size_t kMaxFiles = 4096;
// Entries per list: within the reader's element limit (4 × kMaxFiles per sequence).
constexpr size_t kMaxListEntries = 1024;

Bytes TextBytes(const std::string& s) { return Bytes(s.begin(), s.end()); }
std::string BytesText(ByteView b) { return std::string(b.begin(), b.end()); }

// Reads the children of a constructed TLV and requires exactly the tags given, in order.
Result<std::vector<tlv::Tlv>> Fields(const tlv::Tlv& parent, std::initializer_list<tlv::Tag> tags,
                                     const char* what) {
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> c, tlv::Children(parent));
  if (c.size() != tags.size()) return ParseError(std::string(what) + ": wrong element count");
  size_t i = 0;
  for (tlv::Tag t : tags) {
    if (c[i++].tag != t) return ParseError(std::string(what) + ": unexpected element");
  }
  return c;
}

Result<uint8_t> Byte(const tlv::Tlv& t, const char* what) {
  if (t.value.size() != 1) return ParseError(std::string(what) + ": one byte expected");
  return t.value[0];
}

void AddCode(tlv::Builder& b, const SecretCode& c) {
  b.Open(0x30)
      .Add(0x80, {c.key_reference})
      .Add(0x81, c.value.view())
      .Add(0x82, {c.max_attempts})
      .Add(0x83, {c.remaining_attempts})
      .Add(0x84, {static_cast<uint8_t>(c.disabled ? 1 : 0)})
      .Close();
}

Result<SecretCode> ReadCode(const tlv::Tlv& t) {
  M2_ASSIGN_OR_RETURN(auto f, Fields(t, {0x80, 0x81, 0x82, 0x83, 0x84}, "PIN/PUK"));
  SecretCode c;
  M2_ASSIGN_OR_RETURN(c.key_reference, Byte(f[0], "key reference"));
  if (f[1].value.size() > 16) return ParseError("PIN/PUK value too long");
  c.value = SecretBytes(f[1].value);
  M2_ASSIGN_OR_RETURN(c.max_attempts, Byte(f[2], "max attempts"));
  M2_ASSIGN_OR_RETURN(c.remaining_attempts, Byte(f[3], "remaining attempts"));
  M2_ASSIGN_OR_RETURN(uint8_t disabled, Byte(f[4], "disabled"));
  if (disabled > 1 || c.remaining_attempts > c.max_attempts) return ParseError("PIN/PUK values");
  c.disabled = disabled == 1;
  return c;
}

Result<AkaConfig> ReadAka(const tlv::Tlv& t) {
  M2_ASSIGN_OR_RETURN(
      auto f, Fields(t, {0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89}, "AKA"));
  AkaConfig a;
  M2_ASSIGN_OR_RETURN(uint8_t algo, Byte(f[0], "algorithm"));
  if (algo < 1 || algo > 3) return ParseError("AKA: unknown algorithm");
  a.algorithm = static_cast<AkaAlgorithm>(algo);
  M2_ASSIGN_OR_RETURN(a.algorithm_options, Byte(f[1], "algorithm options"));
  if (f[2].value.size() > 32 || f[3].value.size() > 32) return ParseError("AKA: key size");
  a.k = SecretBytes(f[2].value);
  a.opc = SecretBytes(f[3].value);
  if (f[4].value.size() != 5) return ParseError("AKA: rotation constants");
  std::copy(f[4].value.begin(), f[4].value.end(), a.rotation.begin());
  if (!f[5].value.empty() && f[5].value.size() != 80) return ParseError("AKA: xoring constants");
  a.xoring.assign(f[5].value.begin(), f[5].value.end());
  M2_ASSIGN_OR_RETURN(a.sqn_options, Byte(f[6], "sqn options"));
  if (f[7].value.size() != 6 || f[8].value.size() != 6) return ParseError("AKA: SQN delta/age");
  a.sqn_delta.assign(f[7].value.begin(), f[7].value.end());
  a.sqn_age_limit.assign(f[8].value.begin(), f[8].value.end());
  if (f[9].value.size() % 6 != 0 || f[9].value.size() > 32 * 6) return ParseError("AKA: sqnInit");
  for (size_t i = 0; i < f[9].value.size(); i += 6) {
    const ByteView e = f[9].value.subspan(i, 6);
    a.sqn_init.emplace_back(e.begin(), e.end());
  }
  return a;
}

Status Invalid(const std::string& what) { return InvalidArgument("profile: " + what); }

Status ValidateCode(const SecretCode& c, const char* kind) {
  if (c.value.size() > 16) return Invalid(std::string(kind) + " value longer than 16 bytes");
  if (c.remaining_attempts > c.max_attempts)
    return Invalid(std::string(kind) + " attempts left exceed the maximum");
  return Status::Ok();
}

Status ValidateAka(const AkaConfig& a) {
  const auto algo = static_cast<uint8_t>(a.algorithm);
  if (algo < 1 || algo > 3) return Invalid("AKA: unknown algorithm");
  if (a.k.size() > 32 || a.opc.size() > 32) return Invalid("AKA: K/OPc longer than 32 bytes");
  if (!a.xoring.empty() && a.xoring.size() != 80) return Invalid("AKA: xoring constants");
  if (a.sqn_delta.size() != 6 || a.sqn_age_limit.size() != 6) return Invalid("AKA: SQN delta/age");
  if (a.sqn_init.size() > 32) return Invalid("AKA: more than 32 sqnInit entries");
  for (const Bytes& e : a.sqn_init)
    if (e.size() != 6) return Invalid("AKA: sqnInit entries are 6 bytes");
  return Status::Ok();
}

}  // namespace

Status ProfileContent::Validate() const {
  if (imsi.size() > 15 ||
      !std::all_of(imsi.begin(), imsi.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return Invalid("IMSI must be up to 15 digits");
  if (aka.size() > kMaxListEntries || pins.size() > kMaxListEntries ||
      puks.size() > kMaxListEntries || (mno_sd && mno_sd->keys.size() > kMaxListEntries))
    return Invalid("too many AKA parameters, codes or keys");
  for (const AkaConfig& a : aka) M2_RETURN_IF_ERROR(ValidateAka(a));
  for (const SecretCode& c : pins) M2_RETURN_IF_ERROR(ValidateCode(c, "PIN"));
  for (const SecretCode& c : puks) M2_RETURN_IF_ERROR(ValidateCode(c, "PUK"));
  if (mno_sd) {
    for (const SdKey& k : mno_sd->keys)
      if (k.key.empty() || k.key.size() > 32) return Invalid("MNO-SD key of 1..32 bytes expected");
  }
  if (files.size() > kMaxFiles) return Invalid("too many files");
  for (const auto& [path, file] : files)
    if (path.empty() || path.size() > 64) return Invalid("file path of 1..64 characters expected");
  // The serialised form must fit what Deserialize reads (sizes only; no encoding here).
  size_t size = 1024 + connectivity_parameters.size();
  for (const AkaConfig& a : aka) size += 256 + a.xoring.size() + 6 * a.sqn_init.size();
  size += 64 * (pins.size() + puks.size());
  if (mno_sd) size += 64 * (mno_sd->keys.size() + 1);
  for (const auto& [path, file] : files)
    size += 32 + path.size() + file.fcp.size() + file.content.size();
  if (size > kMaxSerialized) return Invalid("content larger than 4 MiB");
  return Status::Ok();
}

AkaConfig AkaConfig::Clone() const {
  AkaConfig c;
  c.algorithm = algorithm;
  c.algorithm_options = algorithm_options;
  c.k = k.Clone();
  c.opc = opc.Clone();
  c.rotation = rotation;
  c.xoring = xoring;
  c.sqn_options = sqn_options;
  c.sqn_delta = sqn_delta;
  c.sqn_age_limit = sqn_age_limit;
  c.sqn_init = sqn_init;
  return c;
}

SecretCode SecretCode::Clone() const {
  return SecretCode{key_reference, value.Clone(), max_attempts, remaining_attempts, disabled};
}

SdKey SdKey::Clone() const { return SdKey{kvn, key_id, usage, type, key.Clone()}; }

MnoSecurityDomain MnoSecurityDomain::Clone() const {
  MnoSecurityDomain c{aid, {}};
  for (const SdKey& k : keys) c.keys.push_back(k.Clone());
  return c;
}

ProfileContent ProfileContent::Clone() const {
  ProfileContent c(iccid);
  c.imsi = imsi;
  c.pol1 = pol1;
  c.connectivity_parameters = connectivity_parameters;
  for (const AkaConfig& a : aka) c.aka.push_back(a.Clone());
  for (const SecretCode& p : pins) c.pins.push_back(p.Clone());
  for (const SecretCode& p : puks) c.puks.push_back(p.Clone());
  if (mno_sd) c.mno_sd = mno_sd->Clone();
  c.files = files;
  c.footprint = footprint;
  return c;
}

// docs/formats/usim.md §Footprint: a fixed overhead for the ISD-P, header and codes, plus, per
// file, its FCP, its content and a per-file overhead, plus 64 bytes per key.
size_t ProfileContent::ComputeFootprint() const {
  size_t total = kProfileFixedOverhead;
  for (const auto& [path, file] : files)
    total += kFileOverhead + file.fcp.size() + file.content.size();
  if (mno_sd) total += 64 * mno_sd->keys.size();
  return total;
}

Bytes ProfileContent::Serialize() const {
  tlv::Builder b;
  b.Add(0x80, {kProfileFormatVersion});
  b.Open(0xA0)
      .Add(0x81, TextBytes(iccid.ToString()))
      .Add(0x82, TextBytes(imsi))
      .Add(0x83, {pol1})
      .Add(0x84, connectivity_parameters)
      .Close();
  b.Open(0xA1);
  for (const AkaConfig& a : aka) {
    Bytes init;
    for (const Bytes& e : a.sqn_init) Append(init, e);
    b.Open(0x30)
        .Add(0x80, {static_cast<uint8_t>(a.algorithm)})
        .Add(0x81, {a.algorithm_options})
        .Add(0x82, a.k.view())
        .Add(0x83, a.opc.view())
        .Add(0x84, ByteView(a.rotation.data(), a.rotation.size()))
        .Add(0x85, a.xoring)
        .Add(0x86, {a.sqn_options})
        .Add(0x87, a.sqn_delta)
        .Add(0x88, a.sqn_age_limit)
        .Add(0x89, init)
        .Close();
  }
  b.Close().Open(0xA2);
  for (const SecretCode& c : pins) AddCode(b, c);
  b.Close().Open(0xA3);
  for (const SecretCode& c : puks) AddCode(b, c);
  b.Close().Open(0xA4);
  if (mno_sd) {
    b.Add(0x4F, mno_sd->aid.bytes());
    for (const SdKey& k : mno_sd->keys) {
      b.Open(0x30)
          .Add(0x80, {k.kvn})
          .Add(0x81, {k.key_id})
          .Add(0x82, {k.usage})
          .Add(0x83, {k.type})
          .Add(0x84, k.key.view())
          .Close();
    }
  }
  b.Close().Open(0xA5);
  for (const auto& [path, file] : files) {
    b.Open(0x30)
        .Add(0x80, TextBytes(path))
        .Add(0x81, file.fcp)
        .Add(0x82, file.content)
        .Add(0x83, {static_cast<uint8_t>(file.is_df ? 1 : 0)})
        .Close();
  }
  b.Close();
  return std::move(b).Finish();
}

Result<ProfileContent> ProfileContent::Deserialize(ByteView data) {
  tlv::Limits limits;
  limits.max_size = kMaxSerialized;
  limits.max_elements = 4 * kMaxFiles;
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> top, tlv::ParseSequence(data, limits));
  if (top.size() != 7 || top[0].tag != 0x80 || top[1].tag != 0xA0 || top[2].tag != 0xA1 ||
      top[3].tag != 0xA2 || top[4].tag != 0xA3 || top[5].tag != 0xA4 || top[6].tag != 0xA5) {
    return ParseError("profile: unexpected layout");
  }
  M2_ASSIGN_OR_RETURN(uint8_t version, Byte(top[0], "profile version"));
  if (version != kProfileFormatVersion) return ParseError("profile: unsupported format version");

  M2_ASSIGN_OR_RETURN(auto h, Fields(top[1], {0x81, 0x82, 0x83, 0x84}, "profile header"));
  M2_ASSIGN_OR_RETURN(Iccid iccid, Iccid::Parse(BytesText(h[0].value)));
  ProfileContent p(std::move(iccid));
  p.imsi = BytesText(h[1].value);
  if (p.imsi.size() > 15 ||
      !std::all_of(p.imsi.begin(), p.imsi.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return ParseError("profile: IMSI must be up to 15 digits");
  }
  M2_ASSIGN_OR_RETURN(p.pol1, Byte(h[2], "POL1"));
  p.connectivity_parameters.assign(h[3].value.begin(), h[3].value.end());

  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> akas, tlv::Children(top[2], limits));
  for (const tlv::Tlv& t : akas) {
    if (t.tag != 0x30) return ParseError("profile: AKA entry");
    M2_ASSIGN_OR_RETURN(AkaConfig a, ReadAka(t));
    p.aka.push_back(std::move(a));
  }
  for (int which = 0; which < 2; ++which) {
    M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> codes, tlv::Children(top[3 + which], limits));
    for (const tlv::Tlv& t : codes) {
      if (t.tag != 0x30) return ParseError("profile: PIN/PUK entry");
      M2_ASSIGN_OR_RETURN(SecretCode c, ReadCode(t));
      (which == 0 ? p.pins : p.puks).push_back(std::move(c));
    }
  }
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> sd, tlv::Children(top[5], limits));
  if (!sd.empty()) {
    if (sd[0].tag != 0x4F) return ParseError("profile: MNO-SD AID");
    M2_ASSIGN_OR_RETURN(Aid aid, Aid::FromBytes(sd[0].value));
    MnoSecurityDomain mno{std::move(aid), {}};
    for (size_t i = 1; i < sd.size(); ++i) {
      if (sd[i].tag != 0x30) return ParseError("profile: MNO-SD key entry");
      M2_ASSIGN_OR_RETURN(auto f, Fields(sd[i], {0x80, 0x81, 0x82, 0x83, 0x84}, "MNO-SD key"));
      SdKey k;
      M2_ASSIGN_OR_RETURN(k.kvn, Byte(f[0], "KVN"));
      M2_ASSIGN_OR_RETURN(k.key_id, Byte(f[1], "key id"));
      M2_ASSIGN_OR_RETURN(k.usage, Byte(f[2], "key usage"));
      M2_ASSIGN_OR_RETURN(k.type, Byte(f[3], "key type"));
      if (f[4].value.empty() || f[4].value.size() > 32) return ParseError("MNO-SD key size");
      k.key = SecretBytes(f[4].value);
      mno.keys.push_back(std::move(k));
    }
    p.mno_sd = std::move(mno);
  }
  M2_ASSIGN_OR_RETURN(std::vector<tlv::Tlv> files, tlv::Children(top[6], limits));
  if (files.size() > kMaxFiles) return LimitExceeded("profile: too many files");
  for (const tlv::Tlv& t : files) {
    if (t.tag != 0x30) return ParseError("profile: file entry");
    M2_ASSIGN_OR_RETURN(auto f, Fields(t, {0x80, 0x81, 0x82, 0x83}, "file"));
    M2_ASSIGN_OR_RETURN(uint8_t is_df, Byte(f[3], "file kind"));
    if (is_df > 1) return ParseError("profile: file kind");
    std::string path = BytesText(f[0].value);
    if (path.empty() || path.size() > 64) return ParseError("profile: file path");
    ProfileFile file{Bytes(f[1].value.begin(), f[1].value.end()),
                     Bytes(f[2].value.begin(), f[2].value.end()), is_df == 1};
    if (!p.files.emplace(std::move(path), std::move(file)).second) {
      return ParseError("profile: duplicate file path");
    }
  }
  M2_RETURN_IF_ERROR(p.Validate());
  p.footprint = p.ComputeFootprint();
  return p;
}

}  // namespace m2mrsp::euicc
