// ProfileHeader (PEDefinitions v3.3.1 ProfileHeader / ServicesList; SAIP §8.2.1).
#include <array>
#include <optional>
#include <string>

#include "base/digits.h"
#include "saip/der.h"
#include "saip/package.h"

namespace m2mrsp::saip {
namespace {

using internal::Malformed;

// ServicesList components in declaration order: component n is the NULL with tag [n] (8n).
constexpr std::array<std::string_view, 30> kServices = {"contactless",
                                                        "usim",
                                                        "isim",
                                                        "csim",
                                                        "milenage",
                                                        "tuak128",
                                                        "cave",
                                                        "gba-usim",
                                                        "gba-isim",
                                                        "mbms",
                                                        "eap",
                                                        "javacard",
                                                        "multos",
                                                        "multiple-usim",
                                                        "multiple-isim",
                                                        "multiple-csim",
                                                        "tuak256",
                                                        "usim-test-algorithm",
                                                        "ber-tlv",
                                                        "dfLink",
                                                        "cat-tp",
                                                        "get-identity",
                                                        "profile-a-x25519",
                                                        "profile-b-p256",
                                                        "suciCalculatorApi",
                                                        "dns-resolution",
                                                        "scp11ac",
                                                        "scp11c-authorization-mechanism",
                                                        "s16mode",
                                                        "eaka"};

// The tag number of a context-specific tag (X.690 §8.1.2: `80`..`9E`/`A0`..`BE` low five bits,
// or the high-tag-number form `9F`/`BF` followed by base-128 octets); nullopt for other classes.
std::optional<uint32_t> ContextNumber(tlv::Tag tag) {
  const size_t size = tlv::TagSize(tag);
  const auto first = static_cast<uint8_t>(tag >> (8 * (size - 1)));
  if ((first & 0xC0) != 0x80) return std::nullopt;
  if (size == 1) return first & 0x1Fu;
  uint32_t n = 0;
  for (size_t i = size - 1; i-- > 0;) n = (n << 7) | ((tag >> (8 * i)) & 0x7F);
  return n;
}

}  // namespace

Result<ProfileHeader> ParseProfileHeader(ByteView raw) {
  M2_ASSIGN_OR_RETURN(auto kids, internal::ChildrenOf(raw, 0xA0, "header"));
  internal::SeqCursor c(kids);
  ProfileHeader h;
  const tlv::Tlv* major = c.Next(0x80);
  const tlv::Tlv* minor = c.Next(0x81);
  if (major == nullptr || minor == nullptr) return Malformed("header", "version missing");
  M2_ASSIGN_OR_RETURN(uint32_t mj, internal::ReadUnsigned(*major, 255, "header.major-version"));
  M2_ASSIGN_OR_RETURN(uint32_t mn, internal::ReadUnsigned(*minor, 255, "header.minor-version"));
  h.major_version = static_cast<uint8_t>(mj);
  h.minor_version = static_cast<uint8_t>(mn);
  if (const tlv::Tlv* t = c.Next(0x82)) {
    if (t->value.empty() || t->value.size() > 100) return Malformed("header", "profileType size");
    h.profile_type.assign(t->value.begin(), t->value.end());
  }
  const tlv::Tlv* iccid = c.Next(0x83);
  if (iccid == nullptr || iccid->value.size() != 10) {
    return Malformed("header", "iccid missing or not 10 bytes");
  }
  h.iccid_bcd.assign(iccid->value.begin(), iccid->value.end());
  // SAIP §8.2.1: plain BCD (first digit in the high nibble), F-padded.
  auto digits = DecodeBcd(iccid->value, /*swapped=*/false, /*allow_padding=*/true);
  if (!digits.ok()) return Malformed("header.iccid", digits.status().message());
  h.iccid = *digits;
  if (const tlv::Tlv* t = c.Next(0x84)) h.pol = Bytes(t->value.begin(), t->value.end());
  const tlv::Tlv* services = c.Next(0xA5);
  if (services == nullptr) return Malformed("header", "eUICC-Mandatory-services missing");
  M2_ASSIGN_OR_RETURN(auto svc, internal::ChildrenOf(*services, "header.services"));
  for (const auto& s : svc) {
    const std::optional<uint32_t> n = ContextNumber(s.tag);
    if (!n) return Malformed("header.services", "not a context-specific component");
    if (*n < kServices.size()) {
      if (s.constructed() || !s.value.empty()) return Malformed("header.services", "not a NULL");
      h.mandatory_services.emplace_back(kServices[*n]);
    } else if (!s.constructed() && s.value.empty()) {
      // A flag of a later ServicesList version (tags >= 30 incl. the 9F 1F.. forms):
      // EXTENSIBILITY IMPLIED, so it is reported by number and never refused.
      h.mandatory_services.push_back("service-" + std::to_string(*n));
    }
    // Any other unknown extension component is skipped (EXTENSIBILITY IMPLIED).
  }
  const tlv::Tlv* gfste = c.Next(0xA6);
  if (gfste == nullptr) return Malformed("header", "eUICC-Mandatory-GFSTEList missing");
  M2_ASSIGN_OR_RETURN(auto oids, internal::ChildrenOf(*gfste, "header.GFSTEList"));
  for (const auto& o : oids) {
    if (o.tag != 0x06) return Malformed("header.GFSTEList", "not an OBJECT IDENTIFIER");
    M2_ASSIGN_OR_RETURN(std::string s, internal::OidToString(o.value));
    h.mandatory_gfste.push_back(std::move(s));
  }
  if (const tlv::Tlv* t = c.Next(0x87)) {
    h.connectivity_parameters = Bytes(t->value.begin(), t->value.end());
  }
  // eUICC-Mandatory-AIDs [8], iotOptions [9] and later extensions are kept in the raw element.
  return h;
}

Result<ProfileHeader> GetHeader(const Package& package) {
  if (package.elements.empty() || package.elements.front().type != ElementType::kHeader) {
    return InvalidArgument("SAIP package: the first element is not the header");
  }
  return ParseProfileHeader(package.elements.front().raw);
}

}  // namespace m2mrsp::saip
