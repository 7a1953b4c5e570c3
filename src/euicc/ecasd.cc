// The ECASD (SGP.02 §2.2.3): GET DATA `5A` (EID), `7F21` (CERT.ECASD.ECKA) and the `BF30` audit
// form with a `5C` tag list (security digest §1.3, §6; resolutions §5 [C2 shape]).
#include "euicc/card_state.h"
#include "gp/get_data.h"
#include "gp/status_word.h"
#include "tlv/ber.h"

namespace m2mrsp::euicc {
namespace {

constexpr tlv::Tag kTagCertificate = 0x7F21;

// The data object for one tag, or empty when the ECASD holds none.
Bytes DataObject(const CardState& s, tlv::Tag tag) {
  if (tag == 0x5A) return gp::EncodeEidResponse(s.eid);
  if (tag == kTagCertificate) return s.ecasd_certificate;  // already a complete 7F21 TLV
  return {};
}

}  // namespace

Bytes HandleEcasd(CardState& s, const gp::CommandApdu& apdu) {
  if ((apdu.cla & 0xFC) != 0x80) return Sw(gp::kSwClaNotSupported);
  if (apdu.ins != gp::kInsGetData) return Sw(gp::kSwInsNotSupported);
  auto req = gp::ParseGetData(apdu);
  if (!req.ok()) return Sw(gp::kSwIncorrectData);
  if (req->p1p2 == gp::kGetDataEuiccCapabilities) {
    if (req->tag_list.empty()) return Sw(gp::kSwIncorrectData);
    tlv::Builder b;
    b.Open(0xBF30);
    for (tlv::Tag t : req->tag_list) b.AddRaw(AsView(DataObject(s, t)));
    b.Close();
    return WithSw(std::move(b).Finish(), gp::kSwOk);
  }
  if (!req->tag_list.empty()) return Sw(gp::kSwIncorrectData);
  Bytes obj = DataObject(s, req->p1p2);
  if (obj.empty()) return Sw(gp::kSwReferencedDataNotFound);
  return WithSw(std::move(obj), gp::kSwOk);
}

}  // namespace m2mrsp::euicc
