#include "gp/status_word.h"

namespace m2mrsp::gp {

bool IsSuccessOrWarning(uint16_t sw) {
  const uint8_t sw1 = Sw1(sw);
  return sw == kSwOk || sw1 == kSw1BytesAvailable || sw1 == 0x62 || sw1 == 0x63;
}

std::string StatusWordName(uint16_t sw) {
  switch (sw) {
    case kSwOk:
      return "success";
    case kSwMoreData:
      return "more data available";
    case kSwResponseTruncated:
      return "response data truncated";
    case kSwMemoryFailure:
      return "memory failure";
    case kSwWrongLength:
      return "wrong length";
    case kSwLogicalChannelNotSupported:
      return "logical channel not supported";
    case kSwSecureMessagingNotSupported:
      return "secure messaging not supported";
    case kSwSecurityStatusNotSatisfied:
      return "security status not satisfied";
    case kSwAuthenticationMethodBlocked:
      return "authentication method blocked";
    case kSwConditionsOfUseNotSatisfied:
      return "conditions of use not satisfied";
    case kSwPol1Refused:
      return "POL1 of the profile prevents this action";
    case kSwIncorrectData:
      return "incorrect values in the command data";
    case kSwFunctionNotSupported:
      return "function not supported";
    case kSwFileOrAppNotFound:
      return "application or file not found";
    case kSwRecordNotFound:
      return "record not found";
    case kSwNotEnoughMemory:
      return "not enough memory space";
    case kSwIncorrectP1P2:
      return "incorrect P1 P2";
    case kSwReferencedDataNotFound:
      return "referenced data not found";
    case kSwWrongP1P2:
      return "wrong P1 P2";
    case kSwInsNotSupported:
      return "instruction not supported";
    case kSwClaNotSupported:
      return "class not supported";
    case kSwNoPreciseDiagnosis:
      return "no precise diagnosis";
    default:
      break;
  }
  // SW2 `00` stands for 256 in both 61xx and 6Cxx (ISO/IEC 7816-4 §5.1.3).
  const std::string n = std::to_string(Sw2(sw) == 0 ? 256 : Sw2(sw));
  if (Sw1(sw) == kSw1BytesAvailable) return "61xx: " + n + " bytes available";
  if (Sw1(sw) == kSw1WrongLeExact) return "6Cxx: wrong Le, " + n + " bytes available";
  return "unknown status word";
}

}  // namespace m2mrsp::gp
