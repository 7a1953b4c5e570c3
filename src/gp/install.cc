#include "gp/install.h"

#include "gp/aids.h"
#include "tlv/ber.h"

namespace m2mrsp::gp {
namespace {

constexpr tlv::Tag kTagApplicationSpecific = 0xC9;
constexpr tlv::Tag kTagSystemSpecific = 0xEF;
constexpr tlv::Tag kTagReservedMemory = 0x83;  // SGP.02 v4.2 Table 10 [C Njiwa]

// Appends a 1-byte length and the value: the INSTALL data field is a run of LV fields
// (GP v2.3 Table 11-48), each at most 255 bytes.
Status AppendLv(Bytes& out, ByteView v, const char* what) {
  if (v.size() > 255) return InvalidArgument(std::string(what) + " longer than 255 bytes");
  out.push_back(static_cast<uint8_t>(v.size()));
  Append(out, v);
  return Status::Ok();
}

Result<ByteView> ReadLv(ByteReader& r, const char* what) {
  auto len = r.ReadU8();
  if (!len.ok()) return ParseError(std::string("INSTALL: missing length of ") + what);
  auto v = r.ReadView(*len);
  if (!v.ok()) return ParseError(std::string("INSTALL: truncated ") + what);
  return *v;
}

Result<Aid> ReadAid(ByteReader& r, const char* what) {
  M2_ASSIGN_OR_RETURN(ByteView v, ReadLv(r, what));
  auto aid = Aid::FromBytes(v);
  if (!aid.ok()) return ParseError(std::string("INSTALL: bad ") + what);
  return *aid;
}

Status CheckHeader(const CommandApdu& apdu, uint8_t p1_a, uint8_t p1_b) {
  if (!IsGpClass(apdu.cla) || apdu.ins != kInsInstall) return ParseError("not an INSTALL command");
  if ((apdu.p1 != p1_a && apdu.p1 != p1_b) || apdu.p2 != 0x00) {
    return ParseError("INSTALL: unexpected P1 P2");
  }
  if (apdu.data.empty()) return ParseError("INSTALL: no data field");
  return Status::Ok();
}

}  // namespace

bool IsGpClass(uint8_t cla) { return (cla & 0xF8) == 0x80 || (cla >= 0xC0 && cla <= 0xEF); }

InstallForInstall CreateIsdpInstall(const Aid& isdp_aid, std::optional<uint32_t> reserved_memory) {
  return InstallForInstall{
      .elf_aid = IsdPElfAid(),
      .module_aid = IsdPModuleAid(),
      .instance_aid = isdp_aid,
      .privileges = {0x80, 0xC0, 0x00},
      .parameters = {.application_specific = {0x81, 0x02, 0x03, 0x70},
                     .reserved_memory = reserved_memory},
      .token = {},
      .make_selectable = true,
  };
}

Result<Bytes> EncodeInstallParameters(const InstallParameters& p) {
  Bytes out;
  tlv::AppendTlv(out, kTagApplicationSpecific, AsView(p.application_specific));
  if (p.reserved_memory) {
    // Two bytes as in Njiwa's `EF 04 83 02 <quota>`; four when the quota needs them.
    Bytes quota;
    AppendBigEndian(quota, *p.reserved_memory, *p.reserved_memory > 0xFFFF ? 4 : 2);
    tlv::AppendTlv(out, kTagSystemSpecific, AsView(tlv::Encode(kTagReservedMemory, AsView(quota))));
  }
  if (out.size() > 255) return InvalidArgument("install parameters longer than 255 bytes");
  return out;
}

Result<InstallParameters> ParseInstallParameters(ByteView field) {
  tlv::Limits limits;
  limits.max_size = 255;
  limits.max_elements = 8;
  auto seq = tlv::ParseSequence(field, limits);
  if (!seq.ok()) return seq.status().WithContext("install parameters");
  InstallParameters p;
  bool have_c9 = false;
  for (size_t i = 0; i < seq->size(); ++i) {
    const tlv::Tlv& t = (*seq)[i];
    if (t.tag == kTagApplicationSpecific && i == 0) {
      p.application_specific.assign(t.value.begin(), t.value.end());
      have_c9 = true;
    } else if (t.tag == kTagSystemSpecific && i == 1) {
      auto inner = tlv::ParseSequence(t.value, limits);
      if (!inner.ok()) return inner.status().WithContext("system-specific parameters");
      if (inner->size() != 1 || (*inner)[0].tag != kTagReservedMemory) {
        return ParseError("system-specific parameters: only `83` reserved memory is supported");
      }
      const ByteView q = (*inner)[0].value;
      if (q.size() != 2 && q.size() != 4) return ParseError("reserved memory must be 2 or 4 bytes");
      uint32_t v = 0;
      for (uint8_t b : q) v = (v << 8) | b;
      p.reserved_memory = v;
    } else {
      return ParseError("install parameters: unexpected or misplaced tag");
    }
  }
  if (!have_c9) return ParseError("install parameters: C9 missing");
  return p;
}

Result<CommandApdu> BuildInstallForInstall(const InstallForInstall& in) {
  if (in.privileges.size() != 1 && in.privileges.size() != 3) {
    return InvalidArgument("INSTALL privileges must be 1 or 3 bytes");
  }
  M2_ASSIGN_OR_RETURN(Bytes params, EncodeInstallParameters(in.parameters));
  CommandApdu apdu = MakeCommand(
      0x80, kInsInstall,
      in.make_selectable ? kInstallP1ForInstallAndMakeSelectable : kInstallP1ForInstall, 0x00);
  Bytes& d = apdu.data;
  M2_RETURN_IF_ERROR(AppendLv(d, in.elf_aid.bytes(), "ELF AID"));
  M2_RETURN_IF_ERROR(AppendLv(d, in.module_aid.bytes(), "module AID"));
  M2_RETURN_IF_ERROR(AppendLv(d, in.instance_aid.bytes(), "instance AID"));
  M2_RETURN_IF_ERROR(AppendLv(d, AsView(in.privileges), "privileges"));
  M2_RETURN_IF_ERROR(AppendLv(d, AsView(params), "install parameters"));
  M2_RETURN_IF_ERROR(AppendLv(d, AsView(in.token), "token"));
  if (d.size() > kMaxShortNc) return InvalidArgument("INSTALL data longer than 255 bytes");
  apdu.ne = kMaxShortNe;
  return apdu;
}

Result<InstallForInstall> ParseInstallForInstall(const CommandApdu& apdu) {
  M2_RETURN_IF_ERROR(
      CheckHeader(apdu, kInstallP1ForInstall, kInstallP1ForInstallAndMakeSelectable));
  ByteReader r(AsView(apdu.data));
  M2_ASSIGN_OR_RETURN(Aid elf, ReadAid(r, "ELF AID"));
  M2_ASSIGN_OR_RETURN(Aid module, ReadAid(r, "module AID"));
  M2_ASSIGN_OR_RETURN(Aid instance, ReadAid(r, "instance AID"));
  M2_ASSIGN_OR_RETURN(ByteView privileges, ReadLv(r, "privileges"));
  if (privileges.size() != 1 && privileges.size() != 3) {
    return ParseError("INSTALL: privileges must be 1 or 3 bytes");
  }
  M2_ASSIGN_OR_RETURN(ByteView params_field, ReadLv(r, "install parameters"));
  M2_ASSIGN_OR_RETURN(InstallParameters params, ParseInstallParameters(params_field));
  M2_ASSIGN_OR_RETURN(ByteView token, ReadLv(r, "token"));
  if (!r.empty()) return ParseError("INSTALL: trailing bytes after the token");
  return InstallForInstall{.elf_aid = elf,
                           .module_aid = module,
                           .instance_aid = instance,
                           .privileges = Bytes(privileges.begin(), privileges.end()),
                           .parameters = std::move(params),
                           .token = Bytes(token.begin(), token.end()),
                           .make_selectable = apdu.p1 == kInstallP1ForInstallAndMakeSelectable};
}

CommandApdu BuildInstallForPersonalization(const Aid& application) {
  CommandApdu apdu = MakeCommand(0x80, kInsInstall, kInstallP1ForPersonalization, 0x00);
  Append(apdu.data, {0x00, 0x00, static_cast<uint8_t>(application.bytes().size())});
  Append(apdu.data, application.bytes());
  Append(apdu.data, {0x00, 0x00, 0x00});
  apdu.ne = kMaxShortNe;
  return apdu;
}

Result<Aid> ParseInstallForPersonalization(const CommandApdu& apdu) {
  M2_RETURN_IF_ERROR(CheckHeader(apdu, kInstallP1ForPersonalization, kInstallP1ForPersonalization));
  ByteReader r(AsView(apdu.data));
  M2_ASSIGN_OR_RETURN(ByteView elf, ReadLv(r, "ELF AID"));
  M2_ASSIGN_OR_RETURN(ByteView module, ReadLv(r, "module AID"));
  if (!elf.empty() || !module.empty()) {
    return ParseError("INSTALL [for personalization]: ELF and module AIDs must be empty");
  }
  M2_ASSIGN_OR_RETURN(Aid aid, ReadAid(r, "application AID"));
  // GP v2.3 Table 11-47: privileges, install parameters and token lengths are all `00`.
  const ByteView rest = r.ReadRest();
  if (rest.size() != 3 || rest[0] != 0 || rest[1] != 0 || rest[2] != 0) {
    return ParseError("INSTALL [for personalization]: expected `00 00 00` after the AID");
  }
  return aid;
}

}  // namespace m2mrsp::gp
