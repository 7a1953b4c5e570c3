#include "gp/delete_command.h"

#include "gp/install.h"
#include "tlv/ber.h"

namespace m2mrsp::gp {
namespace {

constexpr tlv::Tag kTagAid = 0x4F;
constexpr tlv::Tag kTagControlReference = 0xB6;
constexpr tlv::Tag kTagToken = 0x9E;

bool ValidP2(uint8_t p2) {
  return p2 == kDeleteP2ObjectOnly || p2 == kDeleteP2Sgp02 || p2 == kDeleteP2RelatedObjects;
}

}  // namespace

Result<CommandApdu> BuildDelete(const DeleteRequest& request) {
  if (!ValidP2(request.p2)) return InvalidArgument("DELETE: P2 must be 00, 40 or 80");
  CommandApdu apdu = MakeCommand(0x80, kInsDelete, 0x00, request.p2);
  tlv::AppendTlv(apdu.data, kTagAid, request.aid.bytes());
  if (request.control_reference) {
    tlv::AppendTlv(apdu.data, kTagControlReference, AsView(*request.control_reference));
  }
  if (request.token) tlv::AppendTlv(apdu.data, kTagToken, AsView(*request.token));
  if (apdu.data.size() > kMaxShortNc) return InvalidArgument("DELETE data longer than 255 bytes");
  apdu.ne = kMaxShortNe;
  return apdu;
}

Result<DeleteRequest> ParseDelete(const CommandApdu& apdu) {
  if (!IsGpClass(apdu.cla) || apdu.ins != kInsDelete) return ParseError("not a DELETE command");
  if (apdu.p1 != 0x00 || !ValidP2(apdu.p2)) return ParseError("DELETE: unexpected P1 P2");
  tlv::Limits limits;
  limits.max_size = 255;
  limits.max_elements = 3;
  auto seq = tlv::ParseSequence(AsView(apdu.data), limits);
  if (!seq.ok()) return seq.status().WithContext("DELETE data field");
  if (seq->empty() || (*seq)[0].tag != kTagAid) return ParseError("DELETE: `4F` AID missing");
  auto aid = Aid::FromBytes((*seq)[0].value);
  if (!aid.ok()) return ParseError("DELETE: AID must be 5..16 bytes");
  DeleteRequest req{*aid, apdu.p2, std::nullopt, std::nullopt};
  size_t i = 1;
  if (i < seq->size() && (*seq)[i].tag == kTagControlReference) {
    req.control_reference = Bytes((*seq)[i].value.begin(), (*seq)[i].value.end());
    ++i;
  }
  if (i < seq->size() && (*seq)[i].tag == kTagToken) {
    req.token = Bytes((*seq)[i].value.begin(), (*seq)[i].value.end());
    ++i;
  }
  if (i != seq->size()) return ParseError("DELETE: unexpected or misplaced tag");
  return req;
}

}  // namespace m2mrsp::gp
