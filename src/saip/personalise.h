// Profile personalisation: writes ICCID, IMSI, K, OPc and MNO-SD OTA keys into a template
// profile package, everywhere each value occurs, and validates the result.
//
// Only elements that change are re-encoded (DER, minimal lengths); every other element keeps
// its raw bytes. Where the values go (SAIP §8.2.1, §8.3, §8.4, §8.6.3):
//   ICCID  -> header.iccid (plain BCD) and the mf element's EF.ICCID content (swapped BCD,
//             ETSI TS 102 221 §13.2);
//   IMSI   -> EF.IMSI content of every usim element (3GPP TS 31.102 §4.2.2);
//   K, OPc, algorithm -> key / opc / algorithmID of every akaParameter with an algoParameter;
//   OTA    -> keyData of the KeyObject with that KVN and key identifier in every
//             securityDomain element (at least one must match).
// The file content of EF.ICCID / EF.IMSI is replaced by one fillFileContent holding the whole
// value (earlier fillFileContent/fillFileOffset entries of that file are dropped; its Fcp is
// kept). The input is not modified. Every intermediate buffer that held a key (the mutable
// trees, superseded element encodings, a result that fails validation) is wiped with SecureWipe
// on every path, errors included. Stateless; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/iccid.h"
#include "base/secret.h"
#include "saip/package.h"

namespace m2mrsp::saip {

struct OtaKey {
  uint8_t kvn = 0;
  uint8_t key_id = 0;
  // Checked against the key type of the KeyObject it replaces (GP CS §11.1.8): 3DES (80, 82..84)
  // 16 or 24 bytes; TLS-PSK (85) and HMAC-SHA1 (90, 91) 16..64; AES (88) 16, 24 or 32.
  SecretBytes value;
};

struct Personalisation {
  std::optional<Iccid> iccid;
  std::optional<std::string> imsi;  // 6..15 digits
  std::optional<SecretBytes> k;     // 16 bytes (32 allowed for TUAK)
  std::optional<SecretBytes> opc;   // 16 bytes (32 allowed for TUAK)
  // AlgoParameter.algorithmID: 1 milenage, 2 tuak, 3 usim-test-algorithm (SAIP §8.6.3). The
  // TS.48 profiles use the test algorithm; a MILENAGE test profile patches it to 1 (security
  // digest §7.4).
  std::optional<uint8_t> algorithm_id;
  std::vector<OtaKey> ota_keys;
};

// Returns the personalised package after Validate() succeeded on it. The template itself is
// not validated (it may hold placeholders such as an FF-filled EF.IMSI) but must contain the
// places the requested values go to. Errors (kInvalidArgument) name the value and the element.
Result<Package> Personalise(const Package& templ, const Personalisation& p);

}  // namespace m2mrsp::saip
