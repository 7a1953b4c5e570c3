// The fixed AIDs of an SGP.02 eUICC (SGP.02 §2.2.1, Annex H) and the ISD-P AID ⇄ TAR rule.
// Source: shared/spec/sgp02-security-wire.md §1.1 — ISD-R, ECASD, ISD-P ELF and EM AIDs [V]
// (pySim `AID_ISD_R`/`AID_ECASD`, Njiwa, public LPA logs; Njiwa's EM constant has a typo);
// ISD-P instances `A0000005591010FFFFFFFF89` ‖ TAR ‖ `00` [C Njiwa citing Annex H, V for the
// observed SGP.22 instances]. Stateless functions returning values; thread-safe.
#pragma once

#include <cstdint>

#include "base/aid.h"
#include "base/status.h"

namespace m2mrsp::gp {

// RID of the GSMA (registered with ISO/IEC 7816-5).
inline constexpr uint8_t kGsmaRid[5] = {0xA0, 0x00, 0x00, 0x05, 0x59};

Aid IsdRAid();        // A0000005591010FFFFFFFF8900000100, TAR 000001
Aid EcasdAid();       // A0000005591010FFFFFFFF8900000200, TAR 000002
Aid IsdPElfAid();     // A0000005591010FFFFFFFF8900000D00 (Executable Load File)
Aid IsdPModuleAid();  // A0000005591010FFFFFFFF8900000E00 (Executable Module)
// GP Card Specification v2.3: the default Issuer Security Domain AID, used by classic UICCs
// and as the usual MNO-SD AID inside profiles (TS.48).
Aid GpIsdAid();  // A000000151000000

// `A0000005591010FFFFFFFF89` ‖ tar ‖ `00`.
Aid IsdPAidForTar(const Tar& tar);
// The TAR of an ISD-P AID (bytes 13..15, 1-based). Errors when `aid` is not 16 bytes with the
// SGP.02 prefix and trailing `00`.
Result<Tar> TarOfIsdPAid(const Aid& aid);

}  // namespace m2mrsp::gp
