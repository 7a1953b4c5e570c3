// akaParameter, pinCodes, pukCodes and securityDomain views (PEDefinitions v3.3.1;
// SAIP §8.4 AKA parameters, §8.3.2 PIN/PUK, §8.6 security domains).
#include <string>

#include "saip/der.h"
#include "saip/package.h"

namespace m2mrsp::saip {
namespace {

using internal::Malformed;
using internal::SeqCursor;

Bytes Copy(ByteView v) { return Bytes(v.begin(), v.end()); }

Result<Bytes> Fixed(const tlv::Tlv& t, size_t size, std::string_view what) {
  if (t.value.size() != size) {
    return Malformed(what, "must be " + std::to_string(size) + " bytes");
  }
  return Copy(t.value);
}

// AlgoParameter DEFAULT xoringConstants: c1 = 0, c2 = 1, c3 = 2, c4 = 4, c5 = 8 (TS 35.206 §4.1).
Bytes DefaultXoring() {
  Bytes x(80, 0);
  x[31] = 0x01;
  x[47] = 0x02;
  x[63] = 0x04;
  x[79] = 0x08;
  return x;
}

Status ParseAlgoParameter(const tlv::Tlv& t, AkaParameter& a) {
  M2_ASSIGN_OR_RETURN(auto kids, internal::ChildrenOf(t, "algoParameter"));
  SeqCursor c(kids);
  const tlv::Tlv* id = c.Next(0x80);
  const tlv::Tlv* opts = c.Next(0x81);
  const tlv::Tlv* key = c.Next(0x82);
  const tlv::Tlv* opc = c.Next(0x83);
  if (!id || !opts || !key || !opc) return Malformed("algoParameter", "mandatory field missing");
  M2_ASSIGN_OR_RETURN(uint32_t alg, internal::ReadUnsigned(*id, 255, "algorithmID"));
  a.algorithm_id = static_cast<uint8_t>(alg);
  M2_ASSIGN_OR_RETURN(a.algorithm_options, Fixed(*opts, 1, "algorithmOptions"));
  a.key = SecretBytes(key->value);
  a.opc = SecretBytes(opc->value);
  a.rotation_constants = HexOrDie("4000204060");
  if (const tlv::Tlv* r = c.Next(0x84)) {
    M2_ASSIGN_OR_RETURN(a.rotation_constants, Fixed(*r, 5, "rotationConstants"));
  }
  a.xoring_constants = DefaultXoring();
  if (const tlv::Tlv* x = c.Next(0x85)) {
    M2_ASSIGN_OR_RETURN(a.xoring_constants, Fixed(*x, 80, "xoringConstants"));
  }
  if (const tlv::Tlv* m = c.Next(0x86)) {
    M2_ASSIGN_OR_RETURN(Bytes v, Fixed(*m, 3, "authCounterMax"));
    a.auth_counter_max = std::move(v);
  }
  if (const tlv::Tlv* k = c.Next(0x87)) {
    M2_ASSIGN_OR_RETURN(uint32_t n, internal::ReadUnsigned(*k, 255, "numberOfKeccak"));
    a.number_of_keccak = static_cast<uint8_t>(n);
  }
  return Status::Ok();
}

template <typename T, typename F>
Result<std::vector<T>> Collect(const Package& package, ElementType type, F parse) {
  std::vector<T> out;
  for (size_t i = 0; i < package.elements.size(); ++i) {
    if (package.elements[i].type != type) continue;
    auto v = parse(package.elements[i].raw);
    if (!v.ok()) {
      return v.status().WithContext("element " + std::to_string(i) + " (" +
                                    std::string(ElementTypeName(type)) + ")");
    }
    v->element_index = i;
    out.push_back(std::move(v).value());
  }
  return out;
}

}  // namespace

std::string_view AkaAlgorithmName(uint8_t algorithm_id) {
  switch (algorithm_id) {
    case 1:
      return "milenage";
    case 2:
      return "tuak";
    case 3:
      return "usim-test-algorithm";
    default:
      return "unknown";
  }
}

Result<AkaParameter> ParseAkaParameter(ByteView raw) {
  M2_ASSIGN_OR_RETURN(auto kids, internal::ChildrenOf(raw, 0xA4, "akaParameter"));
  SeqCursor c(kids);
  AkaParameter a;
  const tlv::Tlv* hdr = c.Next(0xA0);
  if (hdr == nullptr) return Malformed("akaParameter", "aka-header missing");
  M2_ASSIGN_OR_RETURN(a.pe_header, internal::ParsePeHeader(*hdr));
  // algoConfiguration [1] is a CHOICE, hence explicitly tagged (X.680 §31.2.7).
  const tlv::Tlv* conf = c.Next(0xA1);
  if (conf == nullptr) return Malformed("akaParameter", "algoConfiguration missing");
  M2_ASSIGN_OR_RETURN(auto alt, internal::ChildrenOf(*conf, "algoConfiguration"));
  if (alt.size() != 1) return Malformed("algoConfiguration", "must hold one alternative");
  if (alt[0].tag == 0xA0) {
    a.is_mapping = true;
    M2_ASSIGN_OR_RETURN(auto m, internal::ChildrenOf(alt[0], "mappingParameter"));
    SeqCursor mc(m);
    const tlv::Tlv* o = mc.Next(0x80);
    const tlv::Tlv* s = mc.Next(0x81);
    if (!o || !s) return Malformed("mappingParameter", "field missing");
    M2_ASSIGN_OR_RETURN(a.mapping_options, Fixed(*o, 1, "mappingOptions"));
    a.mapping_source = Copy(s->value);
  } else if (alt[0].tag == 0xA1) {
    M2_RETURN_IF_ERROR(ParseAlgoParameter(alt[0], a));
  } else {
    return Malformed("algoConfiguration", "unknown alternative");
  }
  a.sqn_options = {0x02};
  a.sqn_delta = HexOrDie("000010000000");
  a.sqn_age_limit = HexOrDie("000010000000");
  if (const tlv::Tlv* t = c.Next(0x82)) {
    M2_ASSIGN_OR_RETURN(a.sqn_options, Fixed(*t, 1, "sqnOptions"));
  }
  if (const tlv::Tlv* t = c.Next(0x83)) {
    M2_ASSIGN_OR_RETURN(a.sqn_delta, Fixed(*t, 6, "sqnDelta"));
  }
  if (const tlv::Tlv* t = c.Next(0x84)) {
    M2_ASSIGN_OR_RETURN(a.sqn_age_limit, Fixed(*t, 6, "sqnAgeLimit"));
  }
  if (const tlv::Tlv* t = c.Next(0xA5)) {
    M2_ASSIGN_OR_RETURN(auto list, internal::ChildrenOf(*t, "sqnInit"));
    if (list.size() != 32) return Malformed("sqnInit", "must hold 32 values");
    for (const auto& s : list) {
      if (s.tag != 0x04) return Malformed("sqnInit", "not an OCTET STRING");
      M2_ASSIGN_OR_RETURN(Bytes v, Fixed(s, 6, "sqnInit"));
      a.sqn_init.push_back(std::move(v));
    }
  }
  return a;
}

Result<std::vector<AkaParameter>> AkaParameters(const Package& package) {
  return Collect<AkaParameter>(package, ElementType::kAkaParameter, ParseAkaParameter);
}

Result<PinCodes> ParsePinCodes(ByteView raw) {
  M2_ASSIGN_OR_RETURN(auto kids, internal::ChildrenOf(raw, 0xA2, "pinCodes"));
  SeqCursor c(kids);
  PinCodes p;
  const tlv::Tlv* hdr = c.Next(0xA0);
  const tlv::Tlv* choice = c.Next(0xA1);
  if (!hdr || !choice) return Malformed("pinCodes", "field missing");
  M2_ASSIGN_OR_RETURN(p.pe_header, internal::ParsePeHeader(*hdr));
  M2_ASSIGN_OR_RETURN(auto alt, internal::ChildrenOf(*choice, "pinCodes choice"));
  if (alt.size() != 1) return Malformed("pinCodes", "must hold one alternative");
  if (alt[0].tag == 0x81) {
    p.file_path = Copy(alt[0].value);
    return p;
  }
  if (alt[0].tag != 0xA0) return Malformed("pinCodes", "unknown alternative");
  M2_ASSIGN_OR_RETURN(auto list, internal::ChildrenOf(alt[0], "pinconfig"));
  if (list.empty() || list.size() > 26) return Malformed("pinconfig", "1..26 entries");
  for (const auto& e : list) {
    if (e.tag != 0x30) return Malformed("pinconfig", "not a SEQUENCE");
    M2_ASSIGN_OR_RETURN(auto f, internal::ChildrenOf(e, "PINConfiguration"));
    SeqCursor fc(f);
    PinConfig pin;
    const tlv::Tlv* ref = fc.Next(0x80);
    const tlv::Tlv* val = fc.Next(0x81);
    if (!ref || !val) return Malformed("PINConfiguration", "field missing");
    M2_ASSIGN_OR_RETURN(uint32_t r, internal::ReadUnsigned(*ref, 255, "PIN keyReference"));
    pin.key_reference = static_cast<uint8_t>(r);
    if (val->value.size() != 8) return Malformed("PINConfiguration", "pinValue must be 8 bytes");
    pin.value = SecretBytes(val->value);
    if (const tlv::Tlv* u = fc.Next(0x82)) {
      M2_ASSIGN_OR_RETURN(uint32_t n, internal::ReadUnsigned(*u, 255, "unblockingPINReference"));
      pin.unblocking_reference = static_cast<uint8_t>(n);
    }
    if (const tlv::Tlv* a = fc.Next(0x83)) {
      M2_ASSIGN_OR_RETURN(uint32_t n, internal::ReadUnsigned(*a, 255, "pinAttributes"));
      pin.attributes = static_cast<uint8_t>(n);
    }
    if (const tlv::Tlv* m = fc.Next(0x84)) {
      M2_ASSIGN_OR_RETURN(uint32_t n, internal::ReadUnsigned(*m, 255, "maxNumOfAttemps"));
      pin.max_attempts_retry = static_cast<uint8_t>(n);
    }
    p.pins.push_back(std::move(pin));
  }
  return p;
}

Result<PukCodes> ParsePukCodes(ByteView raw) {
  M2_ASSIGN_OR_RETURN(auto kids, internal::ChildrenOf(raw, 0xA3, "pukCodes"));
  SeqCursor c(kids);
  PukCodes p;
  const tlv::Tlv* hdr = c.Next(0xA0);
  const tlv::Tlv* list_tlv = c.Next(0xA1);
  if (!hdr || !list_tlv) return Malformed("pukCodes", "field missing");
  M2_ASSIGN_OR_RETURN(p.pe_header, internal::ParsePeHeader(*hdr));
  M2_ASSIGN_OR_RETURN(auto list, internal::ChildrenOf(*list_tlv, "pukCodes list"));
  if (list.empty() || list.size() > 16) return Malformed("pukCodes", "1..16 entries");
  for (const auto& e : list) {
    if (e.tag != 0x30) return Malformed("pukCodes", "not a SEQUENCE");
    M2_ASSIGN_OR_RETURN(auto f, internal::ChildrenOf(e, "PUKConfiguration"));
    SeqCursor fc(f);
    PukConfig puk;
    const tlv::Tlv* ref = fc.Next(0x80);
    const tlv::Tlv* val = fc.Next(0x81);
    if (!ref || !val) return Malformed("PUKConfiguration", "field missing");
    M2_ASSIGN_OR_RETURN(uint32_t r, internal::ReadUnsigned(*ref, 255, "PUK keyReference"));
    puk.key_reference = static_cast<uint8_t>(r);
    if (val->value.size() != 8) return Malformed("PUKConfiguration", "pukValue must be 8 bytes");
    puk.value = SecretBytes(val->value);
    if (const tlv::Tlv* m = fc.Next(0x82)) {
      M2_ASSIGN_OR_RETURN(uint32_t n, internal::ReadUnsigned(*m, 255, "maxNumOfAttemps"));
      puk.max_attempts_retry = static_cast<uint8_t>(n);
    }
    p.puks.push_back(std::move(puk));
  }
  return p;
}

Result<std::vector<PinCodes>> AllPinCodes(const Package& package) {
  return Collect<PinCodes>(package, ElementType::kPinCodes, ParsePinCodes);
}
Result<std::vector<PukCodes>> AllPukCodes(const Package& package) {
  return Collect<PukCodes>(package, ElementType::kPukCodes, ParsePukCodes);
}

Result<SecurityDomain> ParseSecurityDomain(ByteView raw) {
  M2_ASSIGN_OR_RETURN(auto kids, internal::ChildrenOf(raw, 0xA6, "securityDomain"));
  SeqCursor c(kids);
  SecurityDomain sd;
  const tlv::Tlv* hdr = c.Next(0xA0);
  const tlv::Tlv* inst = c.Next(0xA1);
  if (!hdr || !inst) return Malformed("securityDomain", "field missing");
  M2_ASSIGN_OR_RETURN(sd.pe_header, internal::ParsePeHeader(*hdr));
  // ApplicationInstance: explicit tags (4F AIDs, 82 privileges, 83 LCS, C9 parameters, ...).
  M2_ASSIGN_OR_RETURN(auto ik, internal::ChildrenOf(*inst, "ApplicationInstance"));
  SeqCursor ic(ik);
  const tlv::Tlv* pkg = ic.Next(0x4F);
  const tlv::Tlv* cls = ic.Next(0x4F);
  const tlv::Tlv* aid = ic.Next(0x4F);
  if (!pkg || !cls || !aid) return Malformed("ApplicationInstance", "AID missing");
  sd.load_package_aid = Copy(pkg->value);
  sd.class_aid = Copy(cls->value);
  sd.instance_aid = Copy(aid->value);
  ic.Next(0x4F);  // extraditeSecurityDomainAID
  const tlv::Tlv* priv = ic.Next(0x82);
  if (priv == nullptr) return Malformed("ApplicationInstance", "privileges missing");
  sd.privileges = Copy(priv->value);
  if (const tlv::Tlv* l = ic.Next(0x83)) {
    if (l->value.size() != 1) return Malformed("ApplicationInstance", "lifeCycleState size");
    sd.life_cycle_state = l->value[0];
  }
  const tlv::Tlv* c9 = ic.Next(0xC9);
  if (c9 == nullptr) return Malformed("ApplicationInstance", "C9 parameters missing");
  sd.install_params = Copy(c9->value);
  if (const tlv::Tlv* kl = c.Next(0xA2)) {
    M2_ASSIGN_OR_RETURN(auto keys, internal::ChildrenOf(*kl, "keyList"));
    for (const auto& k : keys) {
      if (k.tag != 0x30) return Malformed("keyList", "not a SEQUENCE");
      M2_ASSIGN_OR_RETURN(auto f, internal::ChildrenOf(k, "KeyObject"));
      SeqCursor kc(f);
      SdKey key;
      const tlv::Tlv* usage = kc.Next(0x95);
      if (usage == nullptr || usage->value.empty() || usage->value.size() > 2) {
        return Malformed("KeyObject", "keyUsageQualifier");
      }
      key.usage_qualifier = Copy(usage->value);
      if (const tlv::Tlv* a = kc.Next(0x96)) {
        if (a->value.size() != 1) return Malformed("KeyObject", "keyAccess size");
        key.key_access = a->value[0];
      }
      const tlv::Tlv* id = kc.Next(0x82);
      const tlv::Tlv* kvn = kc.Next(0x83);
      if (!id || !kvn || id->value.size() != 1 || kvn->value.size() != 1) {
        return Malformed("KeyObject", "keyIdentifier/keyVersionNumber");
      }
      key.key_id = id->value[0];
      key.kvn = kvn->value[0];
      if (const tlv::Tlv* ctr = kc.Next(0x85)) key.counter = Copy(ctr->value);
      const tlv::Tlv* comps = kc.Next(0x30);
      if (comps == nullptr) return Malformed("KeyObject", "keyComponents missing");
      M2_ASSIGN_OR_RETURN(auto cl, internal::ChildrenOf(*comps, "keyComponents"));
      if (cl.empty()) return Malformed("keyComponents", "empty");
      for (const auto& comp : cl) {
        if (comp.tag != 0x30) return Malformed("keyComponents", "not a SEQUENCE");
        M2_ASSIGN_OR_RETURN(auto cf, internal::ChildrenOf(comp, "keyComponent"));
        SeqCursor cc(cf);
        const tlv::Tlv* type = cc.Next(0x80);
        const tlv::Tlv* data = cc.Next(0x86);
        if (!type || !data || type->value.size() != 1) {
          return Malformed("keyComponent", "keyType/keyData");
        }
        KeyComponent kcmp;
        kcmp.key_type = type->value[0];
        kcmp.key_data = SecretBytes(data->value);
        if (const tlv::Tlv* m = cc.Next(0x87)) {
          M2_ASSIGN_OR_RETURN(uint32_t n, internal::ReadUnsigned(*m, 255, "macLength"));
          kcmp.mac_length = static_cast<uint8_t>(n);
        }
        key.components.push_back(std::move(kcmp));
      }
      sd.keys.push_back(std::move(key));
    }
  }
  return sd;
}

Result<std::vector<SecurityDomain>> SecurityDomains(const Package& package) {
  return Collect<SecurityDomain>(package, ElementType::kSecurityDomain, ParseSecurityDomain);
}

}  // namespace m2mrsp::saip
