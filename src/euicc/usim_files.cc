// UsimFiles (usim.h): SELECT / READ BINARY over a ProfileContent's files.
#include <cstdio>

#include "euicc/usim.h"
#include "gp/apdu.h"
#include "gp/status_word.h"
#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

constexpr char kMf[] = "3F00";
constexpr char kAdfUsim[] = "ADF.USIM";

Bytes WithSw(Bytes data, uint16_t sw) {
  data.push_back(gp::Sw1(sw));
  data.push_back(gp::Sw2(sw));
  return data;
}

std::string FidText(uint8_t hi, uint8_t lo) {
  char buf[5];
  std::snprintf(buf, sizeof buf, "%02X%02X", hi, lo);
  return buf;
}

// The file descriptor byte (FCP tag 82, ETSI TS 102 221 §11.1.1.4.3): b6..b4 = 111 for a DF/ADF.
bool IsDirectory(const ProfileFile& f) {
  if (f.is_df) return true;
  auto fcp = tlv::ParseOne(f.fcp);
  if (!fcp.ok() || fcp->tag != 0x62) return false;
  auto children = tlv::Children(*fcp);
  if (!children.ok()) return false;
  const tlv::Tlv* d = tlv::Find(*children, 0x82);
  return d != nullptr && !d->value.empty() && (d->value[0] & 0x38) == 0x38;
}

// The DF name (tag 84) of an ADF's FCP, empty when absent.
ByteView DfName(const ProfileFile& f) {
  auto fcp = tlv::ParseOne(f.fcp);
  if (!fcp.ok() || fcp->tag != 0x62) return {};
  auto children = tlv::Children(*fcp);
  if (!children.ok()) return {};
  const tlv::Tlv* n = tlv::Find(*children, 0x84);
  return n == nullptr ? ByteView{} : n->value;
}

std::string Parent(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(kMf) : path.substr(0, slash);
}

}  // namespace

Bytes UsimFiles::ProcessApdu(ByteView command_apdu) {
  auto cmd = gp::DecodeCommand(command_apdu);
  if (!cmd.ok()) return WithSw({}, gp::kSwWrongLength);
  if ((cmd->cla & 0xF0) != 0x00) return WithSw({}, gp::kSwClaNotSupported);
  switch (cmd->ins) {
    case 0xA4:
      return Select(cmd->p1, cmd->p2, cmd->data);
    case 0xB0:
      if (!cmd->data.empty()) return WithSw({}, gp::kSwWrongLength);
      return ReadBinary(cmd->p1, cmd->p2, cmd->ne.value_or(256));
    default:
      return WithSw({}, gp::kSwInsNotSupported);
  }
}

// ISO 7816-4 §11.2.2 / ETSI TS 102 221 §11.1.1: P1 00 FID, 04 DF name, 08 path from the MF,
// 09 path from the current DF; P2 04 returns the FCP, 0C nothing.
Bytes UsimFiles::Select(uint8_t p1, uint8_t p2, ByteView data) {
  if (p2 != 0x04 && p2 != 0x0C) return WithSw({}, gp::kSwIncorrectP1P2);
  std::string target;
  const std::string df = current_df_.empty() ? std::string(kMf) : current_df_;
  auto resolve_fid = [&](const std::string& base, uint8_t hi, uint8_t lo) -> std::string {
    const std::string fid = FidText(hi, lo);
    if (fid == kMf) return kMf;
    if (fid == "7FFF") return kAdfUsim;  // the current ADF (TS 102 221 §8.3); one ADF here
    for (const std::string& cand :
         {base + "/" + fid, Parent(base) + "/" + fid, std::string(kMf) + "/" + fid}) {
      if (profile_.files.count(cand) != 0) return cand;
    }
    return {};
  };
  switch (p1) {
    case 0x00:
      if (data.size() != 2) return WithSw({}, gp::kSwWrongLength);
      target = resolve_fid(df, data[0], data[1]);
      break;
    case 0x04:
      if (data.empty() || data.size() > 16) return WithSw({}, gp::kSwWrongLength);
      for (const auto& [path, file] : profile_.files) {
        const ByteView name = DfName(file);
        if (name.size() >= data.size() && std::equal(data.begin(), data.end(), name.begin())) {
          target = path;
          break;
        }
      }
      break;
    case 0x08:
    case 0x09: {
      if (data.empty() || data.size() % 2 != 0) return WithSw({}, gp::kSwWrongLength);
      std::string base = p1 == 0x08 ? std::string(kMf) : df;
      for (size_t i = 0; i < data.size(); i += 2) {
        const std::string fid = FidText(data[i], data[i + 1]);
        std::string next = fid == "7FFF" ? std::string(kAdfUsim) : base + "/" + fid;
        if (profile_.files.count(next) == 0) return WithSw({}, gp::kSwFileOrAppNotFound);
        base = std::move(next);
      }
      target = base;
      break;
    }
    default:
      return WithSw({}, gp::kSwIncorrectP1P2);
  }
  auto it = profile_.files.find(target);
  if (target.empty() || it == profile_.files.end()) return WithSw({}, gp::kSwFileOrAppNotFound);
  current_ = target;
  current_df_ = IsDirectory(it->second) ? target : Parent(target);
  return WithSw(p2 == 0x04 ? it->second.fcp : Bytes{}, gp::kSwOk);
}

// ISO 7816-4 §11.3.3: offset in P1 (b7..b1) ‖ P2; b8 of P1 (SFI addressing) is not supported.
Bytes UsimFiles::ReadBinary(uint8_t p1, uint8_t p2, size_t le) {
  if ((p1 & 0x80) != 0) return WithSw({}, gp::kSwIncorrectP1P2);
  auto it = profile_.files.find(current_);
  if (current_.empty() || it == profile_.files.end() || IsDirectory(it->second)) {
    return WithSw({}, 0x6986);  // command not allowed: no current EF
  }
  const Bytes& content = it->second.content;
  const size_t offset = (static_cast<size_t>(p1) << 8) | p2;
  if (offset > content.size()) return WithSw({}, gp::kSwWrongP1P2);
  const size_t n = std::min(le, content.size() - offset);
  Bytes out(content.begin() + static_cast<std::ptrdiff_t>(offset),
            content.begin() + static_cast<std::ptrdiff_t>(offset + n));
  return WithSw(std::move(out), gp::kSwOk);
}

}  // namespace m2mrsp::euicc
