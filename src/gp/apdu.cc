#include "gp/apdu.h"

namespace m2mrsp::gp {

ApduCase CommandApdu::apdu_case() const {
  if (data.empty()) return ne ? ApduCase::kCase2 : ApduCase::kCase1;
  return ne ? ApduCase::kCase4 : ApduCase::kCase3;
}

Result<Bytes> EncodeCommand(const CommandApdu& apdu) {
  const size_t nc = apdu.data.size();
  if (nc > kMaxExtendedNc) return InvalidArgument("C-APDU data longer than 65535 bytes");
  if (apdu.ne && (*apdu.ne == 0 || *apdu.ne > kMaxExtendedNe)) {
    return InvalidArgument("C-APDU Ne must be 1..65536");
  }
  const bool extended = apdu.extended || nc > kMaxShortNc || (apdu.ne && *apdu.ne > kMaxShortNe);
  Bytes out;
  out.reserve(4 + 3 + nc + 3);
  Append(out, {apdu.cla, apdu.ins, apdu.p1, apdu.p2});
  // ISO/IEC 7816-4 §5.1: extended Lc is `00` + 2 bytes; extended Le is 2 bytes after an
  // extended Lc, or `00` + 2 bytes when there is no Lc. `00`/`0000` stand for 256/65536.
  if (nc > 0) {
    if (extended) {
      out.push_back(0x00);
      AppendBigEndian(out, nc, 2);
    } else {
      out.push_back(static_cast<uint8_t>(nc));
    }
    Append(out, AsView(apdu.data));
  }
  if (apdu.ne) {
    const uint32_t ne = *apdu.ne;
    if (extended) {
      if (nc == 0) out.push_back(0x00);
      AppendBigEndian(out, ne == kMaxExtendedNe ? 0 : ne, 2);
    } else {
      out.push_back(static_cast<uint8_t>(ne == kMaxShortNe ? 0 : ne));
    }
  }
  return out;
}

namespace {

Status CheckNc(size_t nc, const ApduLimits& limits) {
  if (nc > limits.max_data) {
    return LimitExceeded("C-APDU data of " + std::to_string(nc) + " bytes over the limit");
  }
  return Status::Ok();
}

}  // namespace

Result<CommandApdu> DecodeCommand(ByteView wire, const ApduLimits& limits) {
  if (wire.size() < 4) return ParseError("C-APDU shorter than its 4-byte header");
  CommandApdu apdu;
  apdu.cla = wire[0];
  apdu.ins = wire[1];
  apdu.p1 = wire[2];
  apdu.p2 = wire[3];
  const ByteView body = wire.subspan(4);
  if (body.empty()) return apdu;  // case 1
  if (body.size() == 1) {         // case 2 short
    apdu.ne = body[0] == 0 ? kMaxShortNe : body[0];
    return apdu;
  }
  if (body[0] != 0) {  // short Lc: case 3 or 4 short
    const size_t nc = body[0];
    M2_RETURN_IF_ERROR(CheckNc(nc, limits));
    if (body.size() == 1 + nc) {
      apdu.data.assign(body.begin() + 1, body.end());
      return apdu;
    }
    if (body.size() == 2 + nc) {
      apdu.data.assign(body.begin() + 1, body.begin() + 1 + static_cast<std::ptrdiff_t>(nc));
      apdu.ne = body.back() == 0 ? kMaxShortNe : body.back();
      return apdu;
    }
    return ParseError("C-APDU short Lc " + std::to_string(nc) + " does not match " +
                      std::to_string(body.size() - 1) + " bytes after it");
  }
  // body[0] == 00 and more than one byte: the extended form.
  if (!limits.allow_extended) return ParseError("extended C-APDU refused by the limits");
  if (body.size() < 3) return ParseError("truncated extended length field");
  const size_t first = (size_t{body[1]} << 8) | body[2];
  apdu.extended = true;
  if (body.size() == 3) {  // case 2 extended
    apdu.ne = first == 0 ? static_cast<uint32_t>(kMaxExtendedNe) : static_cast<uint32_t>(first);
    return apdu;
  }
  if (first == 0) return ParseError("extended Lc of 0");
  M2_RETURN_IF_ERROR(CheckNc(first, limits));
  if (body.size() == 3 + first) {  // case 3 extended
    apdu.data.assign(body.begin() + 3, body.end());
    return apdu;
  }
  if (body.size() == 5 + first) {  // case 4 extended
    const auto data_end = body.begin() + 3 + static_cast<std::ptrdiff_t>(first);
    apdu.data.assign(body.begin() + 3, data_end);
    const size_t le = (size_t{body[3 + first]} << 8) | body[4 + first];
    apdu.ne = le == 0 ? static_cast<uint32_t>(kMaxExtendedNe) : static_cast<uint32_t>(le);
    return apdu;
  }
  return ParseError("C-APDU extended Lc " + std::to_string(first) + " does not match " +
                    std::to_string(body.size() - 3) + " bytes after it");
}

Bytes EncodeResponse(const ResponseApdu& response) {
  Bytes out;
  out.reserve(response.data.size() + 2);
  Append(out, AsView(response.data));
  AppendBigEndian(out, response.sw, 2);
  return out;
}

Result<ResponseApdu> DecodeResponse(ByteView wire, size_t max_data) {
  if (wire.size() < 2) return ParseError("R-APDU shorter than its status word");
  if (wire.size() - 2 > max_data) return LimitExceeded("R-APDU data over the limit");
  ResponseApdu r;
  r.data.assign(wire.begin(), wire.end() - 2);
  r.sw = static_cast<uint16_t>((wire[wire.size() - 2] << 8) | wire[wire.size() - 1]);
  return r;
}

}  // namespace m2mrsp::gp
