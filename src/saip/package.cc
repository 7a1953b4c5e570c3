// Profile package framing: the ProfileElement CHOICE tags, Decode/Encode, Validate.
#include "saip/package.h"

#include <array>
#include <string>

#include "base/iccid.h"
#include "saip/der.h"
#include "tlv/ber.h"

namespace m2mrsp::saip {
namespace {

// PEDefinitions v3.3.1, ProfileElement ::= CHOICE, in declaration order (AUTOMATIC TAGS).
constexpr std::array<std::string_view, 34> kNames = {"header",
                                                     "genericFileManagement",
                                                     "pinCodes",
                                                     "pukCodes",
                                                     "akaParameter",
                                                     "cdmaParameter",
                                                     "securityDomain",
                                                     "rfm",
                                                     "application",
                                                     "nonStandard",
                                                     "end",
                                                     "rfu1",
                                                     "rfu2",
                                                     "rfu3",
                                                     "rfu4",
                                                     "rfu5",
                                                     "mf",
                                                     "cd",
                                                     "telecom",
                                                     "usim",
                                                     "opt-usim",
                                                     "isim",
                                                     "opt-isim",
                                                     "phonebook",
                                                     "gsm-access",
                                                     "csim",
                                                     "opt-csim",
                                                     "eap",
                                                     "df-5gs",
                                                     "df-saip",
                                                     "df-snpn",
                                                     "df-5gprose",
                                                     "iot",
                                                     "opt-iot"};
static_assert(kNames.size() == static_cast<size_t>(ElementType::kUnknown));

Status Invalid(size_t index, const std::string& what) {
  return InvalidArgument("SAIP package: element " + std::to_string(index) + ": " + what);
}

}  // namespace

std::string_view ElementTypeName(ElementType type) {
  const auto n = static_cast<size_t>(type);
  return n < kNames.size() ? kNames[n] : "unknown";
}

uint32_t ElementTag(ElementType type) {
  const auto n = static_cast<uint32_t>(type);
  if (type == ElementType::kUnknown) FatalError("saip::ElementTag(kUnknown)");
  // X.690 §8.1.2: context-specific constructed; numbers >= 31 use the two-byte form BF nn.
  return n <= 30 ? 0xA0 + n : 0xBF00 + n;
}

ElementType ElementTypeForTag(uint32_t tag) {
  uint32_t n = 0;
  if (tag >= 0xA0 && tag <= 0xBE) {
    n = tag - 0xA0;
  } else if ((tag & 0xFF00) == 0xBF00 && (tag & 0xFF) >= 31 && (tag & 0xFF) < 0x80) {
    n = tag & 0xFF;
  } else {
    return ElementType::kUnknown;
  }
  return n < kNames.size() ? static_cast<ElementType>(n) : ElementType::kUnknown;
}

Result<Package> Decode(ByteView der, const DecodeLimits& limits) {
  if (der.size() > limits.max_size) {
    return LimitExceeded("SAIP package: " + std::to_string(der.size()) + " bytes, over the " +
                         std::to_string(limits.max_size) + "-byte limit");
  }
  if (der.empty()) return ParseError("SAIP package: empty");
  tlv::Limits tl;
  tl.max_size = limits.max_size;
  tl.max_depth = limits.max_depth;
  tl.max_elements = limits.max_tlvs;
  tl.require_minimal_length = true;  // DER (X.690 §10.1)
  Package pkg;
  ByteReader r(der);
  while (!r.empty()) {
    const size_t at = r.position();
    const std::string where = "SAIP package: element " + std::to_string(pkg.elements.size()) +
                              " at offset " + std::to_string(at);
    if (pkg.elements.size() >= limits.max_elements) {
      return LimitExceeded("SAIP package: more than " + std::to_string(limits.max_elements) +
                           " elements");
    }
    auto t = tlv::ReadTlv(r, tl);
    if (!t.ok()) return t.status().WithContext(where);
    // SAIP §8.1: a ProfileElement is a CHOICE alternative, i.e. a context-specific tag; every
    // alternative is a SEQUENCE, hence constructed.
    const uint8_t first = static_cast<uint8_t>(t->raw[0]);
    if ((first & 0xE0) != 0xA0) {
      return ParseError(where + ": tag " + ToHex(t->raw.first(tlv::TagSize(t->tag))) +
                        " is not a context-specific constructed ProfileElement");
    }
    // Whole-element structure check (nesting depth, TLV count, DER lengths at every level).
    auto tree = tlv::ParseTree(t->raw, tl);
    if (!tree.ok()) return tree.status().WithContext(where);
    pkg.elements.push_back(
        {ElementTypeForTag(t->tag), t->tag, Bytes(t->raw.begin(), t->raw.end())});
  }
  return pkg;
}

Bytes Encode(const Package& package) {
  Bytes out;
  for (const auto& e : package.elements) Append(out, e.raw);
  return out;
}

Status Validate(const Package& package) {
  const auto& els = package.elements;
  if (els.empty()) return InvalidArgument("SAIP package: no elements");
  // SAIP §8.1.1: the header is the first PE and `end` the last one.
  if (els.front().type != ElementType::kHeader)
    return Invalid(0, "the first element is not the header");
  if (els.back().type != ElementType::kEnd)
    return Invalid(els.size() - 1, "the last element is not end");
  bool has_mf = false;
  for (size_t i = 0; i < els.size(); ++i) {
    if (i > 0 && els[i].type == ElementType::kHeader) return Invalid(i, "second header");
    if (i + 1 < els.size() && els[i].type == ElementType::kEnd)
      return Invalid(i, "end before the last element");
    if (els[i].type == ElementType::kMf) has_mf = true;
  }
  if (!has_mf) return InvalidArgument("SAIP package: no mf element");

  auto header = ParseProfileHeader(els.front().raw);
  if (!header.ok()) return Invalid(0, header.status().message());
  auto iccid = Iccid::FromPlainBcd(header->iccid_bcd);
  if (!iccid.ok()) return Invalid(0, "header ICCID: " + iccid.status().message());

  M2_ASSIGN_OR_RETURN(auto akas, AkaParameters(package));
  for (const auto& a : akas) {
    if (a.is_mapping) continue;
    // SAIP §8.6.3 AlgoParameter.algorithmID: 1 milenage, 2 tuak, 3 usim-test-algorithm.
    if (a.algorithm_id < 1 || a.algorithm_id > 3) {
      return Invalid(a.element_index, "algorithmID " + std::to_string(a.algorithm_id) +
                                          " is not 1 (milenage), 2 (tuak) or 3 (test)");
    }
    // 3GPP TS 35.206 (MILENAGE: 128-bit K and OPc); TS 35.231 §6 (TUAK: 128- or 256-bit K,
    // 256-bit TOP/TOPc); TS 34.108 §8.1.2 (test algorithm: 128-bit K; OPc unused, 16 bytes).
    const bool tuak = a.algorithm_id == static_cast<uint8_t>(AkaAlgorithm::kTuak);
    const bool key_ok = a.key.size() == 16 || (tuak && a.key.size() == 32);
    const bool opc_ok = tuak ? a.opc.size() == 32 : a.opc.size() == 16;
    if (!key_ok) return Invalid(a.element_index, "K is " + std::to_string(a.key.size()) + " bytes");
    if (!opc_ok) {
      return Invalid(a.element_index, std::string(tuak ? "TOPc" : "OPc") + " is " +
                                          std::to_string(a.opc.size()) + " bytes");
    }
  }

  M2_ASSIGN_OR_RETURN(auto files, Files(package));
  bool has_ef_iccid = false;
  bool seen_imsi = false;
  for (const auto& f : files) {
    if (f.path == std::vector<uint16_t>{0x3F00, 0x2FE2}) {
      has_ef_iccid = true;
      // ETSI TS 102 221 §13.2: EF.ICCID holds the ICCID in nibble-swapped BCD.
      if (f.content != iccid->ToSwappedBcd()) {
        return Invalid(f.element_index, "EF.ICCID does not match the header ICCID");
      }
    }
    if (!seen_imsi && f.path.size() == 2 && f.path[1] == 0x6F07 && f.source == ElementType::kUsim) {
      seen_imsi = true;
      auto imsi = DecodeImsi(f.content);
      if (!imsi.ok()) return Invalid(f.element_index, "EF.IMSI: " + imsi.status().message());
      // 3GPP TS 23.003 §2.2: an IMSI is MCC (3) + MNC (2-3) + MSIN, at most 15 digits; 6 is the
      // shortest EncodeImsi writes (DecodeImsi itself admits any digit count the coding can hold).
      if (imsi->size() < 6 || imsi->size() > 15) {
        return Invalid(f.element_index,
                       "EF.IMSI holds " + std::to_string(imsi->size()) + " digits, not 6..15");
      }
    }
  }
  if (!has_ef_iccid) return InvalidArgument("SAIP package: no EF.ICCID");
  return Status::Ok();
}

}  // namespace m2mrsp::saip
