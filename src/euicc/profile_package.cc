// ProfileContent::FromPackage (profile.h): what the card keeps of a decoded SAIP package.
#include <algorithm>
#include <cstdio>

#include "euicc/profile.h"
#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

// ADF names by AID prefix (ETSI TS 101 220 Annex E: RID A000000087, PIX 1002 USIM, 1004 ISIM).
std::string AdfName(ByteView aid) {
  static const Bytes kUsim = HexOrDie("A0000000871002");
  static const Bytes kIsim = HexOrDie("A0000000871004");
  auto starts = [&aid](const Bytes& p) {
    return aid.size() >= p.size() && std::equal(p.begin(), p.end(), aid.begin());
  };
  if (starts(kUsim)) return "ADF.USIM";
  if (starts(kIsim)) return "ADF.ISIM";
  return "ADF." + ToHexUpper(aid);
}

std::string Fid(uint16_t fid) {
  char buf[5];
  std::snprintf(buf, sizeof buf, "%04X", fid);
  return buf;
}

// docs/formats/usim.md §Paths: "3F00/…" under the MF; "ADF.USIM/…" in an ADF (the ADF's
// temporary FID, SAIP §8.3.5, is dropped).
std::string PathOf(const saip::FileView& f) {
  std::string out;
  size_t first = 0;
  if (!f.adf_name.empty()) {
    out = AdfName(f.adf_name);
    first = 1;
  }
  for (size_t i = first; i < f.path.size(); ++i) {
    if (!out.empty()) out += "/";
    out += Fid(f.path[i]);
  }
  return out;
}

Result<AkaConfig> MapAka(const saip::AkaParameter& p) {
  AkaConfig a;
  if (p.algorithm_id < 1 || p.algorithm_id > 3) {
    return InvalidArgument("akaParameter: unknown algorithmID " + std::to_string(p.algorithm_id));
  }
  a.algorithm = static_cast<AkaAlgorithm>(p.algorithm_id);
  a.algorithm_options = p.algorithm_options.size() == 1 ? p.algorithm_options[0] : 0;
  a.k = p.key.Clone();
  a.opc = p.opc.Clone();
  if (p.rotation_constants.size() != 5 || p.xoring_constants.size() != 80 ||
      p.sqn_options.size() != 1 || p.sqn_delta.size() != 6 || p.sqn_age_limit.size() != 6 ||
      p.sqn_init.size() > 32) {
    return InvalidArgument("akaParameter: constants or SQN parameters of the wrong size");
  }
  std::copy(p.rotation_constants.begin(), p.rotation_constants.end(), a.rotation.begin());
  a.xoring = p.xoring_constants;
  a.sqn_options = p.sqn_options[0];
  a.sqn_delta = p.sqn_delta;
  a.sqn_age_limit = p.sqn_age_limit;
  for (const Bytes& e : p.sqn_init) {
    if (e.size() != 6) return InvalidArgument("akaParameter: sqnInit entries are 6 bytes");
    a.sqn_init.push_back(e);
  }
  return a;
}

// A PIN or PUK configuration of the package as the card keeps it.
template <typename Config>
SecretCode CodeOf(const Config& c) {
  SecretCode code;
  code.key_reference = c.key_reference;
  code.value = c.value.Clone();
  code.max_attempts = static_cast<uint8_t>(c.max_attempts_retry >> 4);
  code.remaining_attempts = static_cast<uint8_t>(c.max_attempts_retry & 0x0F);
  return code;
}

}  // namespace

Result<ProfileContent> ProfileContent::FromPackage(const saip::Package& package) {
  M2_RETURN_IF_ERROR(saip::Validate(package));
  M2_ASSIGN_OR_RETURN(saip::ProfileHeader header, saip::GetHeader(package));
  M2_ASSIGN_OR_RETURN(Iccid iccid, Iccid::Parse(header.iccid));
  ProfileContent p(std::move(iccid));
  // POL1 is one byte (SGP.02 §2.4.1.3); longer values keep their first byte [?: coding open].
  p.pol1 = header.pol && !header.pol->empty() ? (*header.pol)[0] : 0;
  if (header.connectivity_parameters) p.connectivity_parameters = *header.connectivity_parameters;

  // akaParameter: mapping alternatives reuse another NAA's parameters and add none [C].
  M2_ASSIGN_OR_RETURN(std::vector<saip::AkaParameter> akas, saip::AkaParameters(package));
  for (const saip::AkaParameter& a : akas) {
    if (a.is_mapping) continue;
    M2_ASSIGN_OR_RETURN(AkaConfig config, MapAka(a));
    p.aka.push_back(std::move(config));
  }

  // PIN/PUK maxNumOfAttemps-retryNumLeft: high nibble maximum, low nibble attempts left.
  M2_ASSIGN_OR_RETURN(std::vector<saip::PinCodes> pin_pes, saip::AllPinCodes(package));
  for (const saip::PinCodes& pe : pin_pes) {
    for (const saip::PinConfig& c : pe.pins) p.pins.push_back(CodeOf(c));
  }
  M2_ASSIGN_OR_RETURN(std::vector<saip::PukCodes> puk_pes, saip::AllPukCodes(package));
  for (const saip::PukCodes& pe : puk_pes) {
    for (const saip::PukConfig& c : pe.puks) p.puks.push_back(CodeOf(c));
  }

  // The MNO-SD is the package's first securityDomain PE [C: TS.48 has one, A000000151000000].
  M2_ASSIGN_OR_RETURN(std::vector<saip::SecurityDomain> sds, saip::SecurityDomains(package));
  if (!sds.empty()) {
    M2_ASSIGN_OR_RETURN(Aid aid, Aid::FromBytes(sds[0].instance_aid));
    MnoSecurityDomain mno{std::move(aid), {}};
    for (const saip::SdKey& k : sds[0].keys) {
      for (const saip::KeyComponent& c : k.components) {
        SdKey key;
        key.kvn = k.kvn;
        key.key_id = k.key_id;
        key.usage = k.usage_qualifier.empty() ? 0 : k.usage_qualifier[0];
        key.type = c.key_type;
        key.key = c.key_data.Clone();
        mno.keys.push_back(std::move(key));
      }
    }
    p.mno_sd = std::move(mno);
  }

  M2_ASSIGN_OR_RETURN(std::vector<saip::FileView> files, saip::Files(package));
  for (const saip::FileView& f : files) {
    if (f.do_not_create || f.path.empty()) continue;
    ProfileFile file{tlv::Encode(0x62, f.fcp), f.content, f.is_df};
    // A later PE touching the same file (genericFileManagement) replaces the earlier view.
    p.files[PathOf(f)] = std::move(file);
  }
  auto imsi = p.files.find("ADF.USIM/6F07");
  if (imsi != p.files.end()) {
    M2_ASSIGN_OR_RETURN(p.imsi, saip::DecodeImsi(imsi->second.content));
  }
  // Whatever is installed must deserialise again (profile.cc): the same value rules, refused
  // here with the field named (the card answers EUICCResponse bad-values).
  M2_RETURN_IF_ERROR(p.Validate());
  p.footprint = p.ComputeFootprint();
  return p;
}

}  // namespace m2mrsp::euicc
