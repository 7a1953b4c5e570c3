#include "gp/aids.h"

#include <algorithm>

namespace m2mrsp::gp {
namespace {

// The 12-byte prefix shared by every SGP.02 platform AID: GSMA RID ‖ `1010FFFFFFFF89`.
constexpr uint8_t kPrefix[12] = {0xA0, 0x00, 0x00, 0x05, 0x59, 0x10,
                                 0x10, 0xFF, 0xFF, 0xFF, 0xFF, 0x89};

Aid Sgp02Aid(uint32_t tar) {
  Bytes b(std::begin(kPrefix), std::end(kPrefix));
  AppendBigEndian(b, tar, 3);
  b.push_back(0x00);
  return *Aid::FromBytes(b);  // 16 bytes: always valid
}

}  // namespace

Aid IsdRAid() { return Sgp02Aid(0x000001); }
Aid EcasdAid() { return Sgp02Aid(0x000002); }
Aid IsdPElfAid() { return Sgp02Aid(0x00000D); }
Aid IsdPModuleAid() { return Sgp02Aid(0x00000E); }
Aid GpIsdAid() { return *Aid::FromBytes(HexOrDie("A000000151000000")); }

Aid IsdPAidForTar(const Tar& tar) { return Sgp02Aid(tar.value()); }

Result<Tar> TarOfIsdPAid(const Aid& aid) {
  const ByteView b = aid.bytes();
  if (b.size() != 16 || !std::equal(std::begin(kPrefix), std::end(kPrefix), b.begin()) ||
      b[15] != 0x00) {
    return InvalidArgument("not an SGP.02 ISD-P AID: " + aid.ToHex());
  }
  return Tar::FromBytes(b.subspan(12, 3));
}

}  // namespace m2mrsp::gp
