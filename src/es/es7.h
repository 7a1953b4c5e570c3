// ES7 (SM-SR ↔ SM-SR, SM-SR change) messages (es-messages.md §5.5; GSMA schema
// euicc.request.ES7.xsd, /3 only). All three functions are asynchronous. The schema requires
// DerivationRandom/Receipt and RandomChallenge even in a FAILED callback (§9.7).
// AuthenticateSMSR carries an Eis (njiwa sends an Eid instead; we follow the schema). Plain values.
#pragma once

#include "es/shapes.h"

namespace m2mrsp::es {

struct Es7CreateAdditionalKeySetRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES7-CreateAdditionalKeySetRequest",
                     "http://gsma.com/ES7/eUICCManagement/ES7-CreateAdditionalKeySet",
                     kAsynchronous);
  Eid eid = UnsetEid();
  int64_t key_version_number = 1;
  int64_t initial_sequence_counter = 0;
  EccKeyLength ecc_key_length = EccKeyLength::kEcc256;
  int64_t scenario_parameter = 0;  // xs:byte, GP Amd E scenario parameter
  Bytes host_id;
  Bytes ephemeral_public_key;
  Bytes signature;
  bool operator==(const Es7CreateAdditionalKeySetRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eid", s.eid);
    v.Element("KeyVersionNumber", s.key_version_number, Facet::kKeysetVersion);
    v.Element("InitialSequenceCounter", s.initial_sequence_counter);
    v.Element("ECCKeyLength", s.ecc_key_length);
    v.Element("ScenarioParameter", s.scenario_parameter, Facet::kByte);
    v.Element("HostId", s.host_id);
    v.Element("EphemeralPublicKey", s.ephemeral_public_key);
    v.Element("Signature", s.signature);
  }
};
struct Es7CreateAdditionalKeySetResponse : BaseResponse {
  M2_ES_MESSAGE_META("ES7-CreateAdditionalKeySetResponse",
                     "http://gsma.com/ES7/eUICCManagementCallBack/ES7-CreateAdditionalKeySet",
                     kAsynchronous);
  Bytes derivation_random;
  Bytes receipt;
  bool operator==(const Es7CreateAdditionalKeySetResponse&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("DerivationRandom", s.derivation_random);
    v.Element("Receipt", s.receipt);
  }
};

struct Es7AuthenticateSmsrRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES7-AuthenticateSMSRRequest",
                     "http://gsma.com/ES7/eUICCManagement/ES7-AuthenticateSMSR", kAsynchronous);
  Eis eis;
  Bytes smsr_certificate;  // the complete 7F21 certificate TLV
  bool operator==(const Es7AuthenticateSmsrRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eis", s.eis);
    v.Element("SmsrCertificate", s.smsr_certificate);
  }
};
struct Es7AuthenticateSmsrResponse : BaseResponse {
  M2_ES_MESSAGE_META("ES7-AuthenticateSMSRResponse",
                     "http://gsma.com/ES7/eUICCManagementCallBack/ES7-AuthenticateSMSR",
                     kAsynchronous);
  Bytes random_challenge;
  bool operator==(const Es7AuthenticateSmsrResponse&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("RandomChallenge", s.random_challenge);
  }
};

struct Es7HandoverEuiccRequest : BaseRequest {
  M2_ES_MESSAGE_META("ES7-HandoverEUICCRequest",
                     "http://gsma.com/ES7/eUICCManagement/ES7-HandoverEUICC", kAsynchronous);
  Eis eis;
  bool operator==(const Es7HandoverEuiccRequest&) const = default;
  template <typename S, typename V>
  static void Fields(S& s, V& v) {
    v.Element("Eis", s.eis);
  }
};
struct Es7HandoverEuiccResponse
    : BaseOnlyResponse<"ES7-HandoverEUICCResponse",
                       "http://gsma.com/ES7/eUICCManagementCallBack/ES7-HandoverEUICC",
                       soap::Exchange::kAsynchronous> {};

struct Es7HandleSmsrChangeNotification
    : SmsrChangeNotification<
          "ES7-HandleSMSRChangeNotification",
          "http://gsma.com/ES7/eUICCManagement/ES7-HandleSMSRChangeNotification"> {};

}  // namespace m2mrsp::es
