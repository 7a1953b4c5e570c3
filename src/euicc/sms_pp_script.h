// Runs the "secured data" an OTA front end received against the card: an ETSI TS 102 226 remote
// APDU script in the compact (§5.1) or expanded (§5.2) format, or SGP.02 SCP03t command TLVs
// (`84`/`85`/`86`, §4.1.3.3) for an ISD-P, and builds the answer the sender expects back (compact
// response, response script, or SCP03t response TLVs). Shared by the SMS-PP data-download front
// end (the answer becomes the PoR data) and the HTTPS admin agent (the answer becomes the POST
// body).
//
// The card is borrowed for the duration of one call. Malformed scripts are answered (bad-format
// item or an error status word), never thrown. Stateless functions; not thread-safe with respect
// to the card.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "base/aid.h"
#include "base/bytes.h"
#include "base/status.h"
#include "euicc/ota_card.h"
#include "gp/remote_script.h"

namespace m2mrsp::euicc {

enum class ScriptFormat { kCompact, kExpanded, kScp03t };

struct ScriptRunLimits {
  size_t max_script = 64 * 1024;  // secured data / POST body accepted
  size_t max_items = 256;         // items of an expanded script, commands of a compact one
  // Largest response: an expanded script stops before a command whose answer might not fit.
  size_t max_response = 64 * 1024;
};

struct ScriptRun {
  ScriptFormat format = ScriptFormat::kCompact;
  Bytes response;       // compact response, AB/AF response script, or SCP03t response TLVs
  size_t executed = 0;  // commands (C-APDUs and SCP03t TLVs) handed to the card
  bool stopped_on_error = false;
  // Expanded scripts: stopped before a command whose answer might not fit max_response (the
  // command was not executed).
  bool response_truncated = false;
  std::optional<gp::BadFormat> bad_format;  // set when the script itself was malformed
};

// TS 102 226 §5.1.1/§5.2.1: a command whose status word is not a normal ending or a warning
// stops the script. Normal: 9000, 61xx, 91xx, 92xx, 9Fxx; warnings 62xx, 63xx [M].
bool ContinuesScript(uint16_t status_word);

// The format of secured data: `AA`/`AE` expanded; `84`/`85`/`86` SCP03t when the target is an
// ISD-P (the same bytes are secure-messaging CLAs of a compact command for anyone else); compact
// otherwise. TS 102 226 §5.2 distinguishes the formats by the template tag [C pySim, Njiwa].
ScriptFormat DetectFormat(ByteView data, bool target_is_isdp);

// Runs `data` (already authenticated and deciphered) on `target`. `target_is_isdp` allows the
// SCP03t TLVs (ES8 tunnelling, SGP.02 §2.4.4/§4.1.3). Errors only for internal failures; a
// malformed script yields a response describing it.
Result<ScriptRun> RunSecuredData(OtaCard& card, const Aid& target, bool target_is_isdp,
                                 ByteView data, const ScriptRunLimits& limits = {});

// Expanded format only (the body of an SCP81 POST response, GP Amd B §3.5; SGP.02 §2.4.4).
// Anything that is not an `AA`/`AE` template is answered with a bad-format response script.
Result<ScriptRun> RunExpandedScript(OtaCard& card, const Aid& target, bool target_is_isdp,
                                    ByteView data, const ScriptRunLimits& limits = {});

}  // namespace m2mrsp::euicc
