// Test helper: a third visitor over the message field lists (besides es::Encoder/Decoder) that
// fills every field with a schema-valid sample value. kFull engages every optional element and
// puts two entries in every list (one Key and one Certificate in every key-set choice); kMinimal
// leaves optional elements out and lists at their minimum. Together they exercise every element
// of every message both present and absent.
#pragma once

#include <string>

#include "es/codec.h"

namespace m2mrsp::es::testing {

// A valid EID (GSMA SGP.29 example as quoted in es-messages.md §10; MOD 97-10 verifies).
inline Eid SampleEid() { return *Eid::Parse("89001012012341234012345678901224"); }
inline Iccid SampleIccid() { return *Iccid::FromPayload("893301000000000001"); }
inline Aid SampleAid() { return *Aid::Parse("A0000005591010FFFFFFFF8900001100"); }

// A ds:SignatureType body that satisfies xmldsig-core-schema.xsd.
inline std::string SampleSignatureXml() {
  return "<ds:SignedInfo xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
         "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
         "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256\"/>"
         "<ds:Reference URI=\"\"><ds:DigestMethod "
         "Algorithm=\"http://www.w3.org/2001/04/xmlenc#sha256\"/>"
         "<ds:DigestValue>AAECAw==</ds:DigestValue></ds:Reference></ds:SignedInfo>"
         "<ds:SignatureValue "
         "xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">BAUGBw==</ds:SignatureValue>";
}

class Filler {
 public:
  enum Mode { kFull, kMinimal };
  explicit Filler(Mode mode) : mode_(mode) {}

  template <typename T>
  void Element(std::string_view, T& out, Facet f = Facet::kNone) {
    if constexpr (IsOptional<T>::value) {
      if (mode_ == kMinimal) {
        out.reset();
      } else {
        out.emplace(Blank<typename T::value_type>());
        Fill(*out, f);
      }
    } else {
      Fill(out, f);
    }
  }
  template <typename T>
  void List(std::string_view, std::vector<T>& out, size_t min, size_t max, Facet f = Facet::kNone) {
    const size_t n = std::min(mode_ == kFull ? std::max<size_t>(min, 2) : min, max);
    out.clear();
    for (size_t i = 0; i < n; ++i) {
      out.push_back(Blank<T>());
      Fill(out.back(), f);
    }
  }
  template <typename A, typename B>
  void Choice(std::string_view, std::string_view, std::vector<std::variant<A, B>>& out, size_t min,
              size_t) {
    out.clear();
    const size_t n = mode_ == kFull ? std::max<size_t>(min, 2) : min;
    for (size_t i = 0; i < n; ++i) {
      if (i % 2 == 0) {
        A a = Blank<A>();
        Fill(a, Facet::kNone);
        out.emplace_back(std::move(a));
      } else {
        B b = Blank<B>();
        Fill(b, Facet::kNone);
        out.emplace_back(std::move(b));
      }
    }
  }
  template <typename T>
  void Attribute(std::string_view name, T& out, Facet f = Facet::kNone) {
    Element(name, out, f);
  }
  void Fragment(std::string_view, XmlFragment& out) {
    out.id = mode_ == kFull ? std::optional<std::string>("sig-1") : std::nullopt;
    out.children = SampleSignatureXml();
  }

  template <typename M>
  void FillMessage(M& m) {
    if constexpr (std::is_base_of_v<BaseRequest, M>) BaseRequest::VisitBase(m, *this);
    if constexpr (std::is_base_of_v<BaseResponse, M>) BaseResponse::VisitBase(m, *this);
    M::Fields(m, *this);
  }

 private:
  template <typename T>
  void Fill(T& out, Facet f) {
    if constexpr (Composite<T>) {
      T::Visit(out, *this);
    } else if constexpr (std::is_same_v<T, std::string>) {
      switch (f) {
        case Facet::kThreeDigitVersion:
          out = "2.1.0";
          break;
        case Facet::kImsi:
          out = "234150999999999";
          break;
        case Facet::kMsisdn:
          out = "447700900123";
          break;
        case Facet::kString100:
          out = "M2M profile type A";
          break;
        case Facet::kNonEmpty:
          out = "key-1";
          break;
        default:
          out = "text with <markup> & \"quotes\" \xC3\xBC";
          break;
      }
    } else if constexpr (std::is_same_v<T, Oid>) {
      out.value = "1.3.6.1.4.1.99999." + std::to_string(++oid_);
    } else if constexpr (std::is_same_v<T, DateTime>) {
      out = *DateTime::Parse("2024-05-06T07:08:09Z");
    } else if constexpr (std::is_same_v<T, Eid>) {
      out = SampleEid();
    } else if constexpr (std::is_same_v<T, Iccid>) {
      out = SampleIccid();
    } else if constexpr (std::is_same_v<T, Aid>) {
      out = SampleAid();
    } else if constexpr (std::is_same_v<T, Tar>) {
      out = Tar::FromValue(0x000001);
    } else if constexpr (std::is_same_v<T, Bytes>) {
      if (f == Facet::kOneOctet) {
        out = {0x88};
      } else if (f == Facet::kTwoOctets) {
        out = {0x00, 0x05};
      } else if (f == Facet::kHex16) {
        out = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08};
      } else {
        out = {0x01, 0x02, 0xA0, 0xFF};
      }
    } else if constexpr (std::is_same_v<T, bool>) {
      out = true;
    } else if constexpr (std::is_same_v<T, uint64_t>) {
      out = f == Facet::kPositive ? 600 : 65536;
    } else if constexpr (std::is_same_v<T, int64_t>) {
      out = f == Facet::kKeysetVersion ? 48
            : f == Facet::kKeyIndex    ? 1
            : f == Facet::kByte        ? 3
                                       : 4096;
    } else if constexpr (std::is_enum_v<T>) {
      out = static_cast<T>(EnumText<T>::kNames.size() - 1);
    } else {
      static_assert(sizeof(T) == 0, "no sample for this type");
    }
  }

  Mode mode_;
  int oid_ = 0;
};

}  // namespace m2mrsp::es::testing
