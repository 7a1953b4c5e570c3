// The XML codec of the ES messages: an Encoder and a Decoder that walk the Visit()/Fields()
// lists of es/types.h, es/eis.h and the message headers, so that each element name, its order,
// cardinality and XSD restriction is written once.
//
// Encoding writes namespace-qualified elements ("rps:" prefix, declared on the body element) in
// schema order and refuses values the schema would refuse (kInvalidArgument): what we send must
// validate against the GSMA schema. Decoding is strict: every element must be in the /3
// namespace, in schema order, with no unknown element or attribute; errors carry SGP.02 reason
// 2.2 (mandatory element missing) or 2.1 (invalid: wrong type, wrong namespace, unknown or extra
// element) and the subject code of the innermost element that has one (EID 8.1.1, ICCID 8.2.1,
// POL2 8.2.3, ...; otherwise 1.6 "Function"). Decoding relies on the document having passed
// soap::ParseXml limits (bounded depth, so the recursion over nested types is bounded by the
// schema). Stateless apart from the node being written or read; not synchronised.
#pragma once

#include <type_traits>

#include "es/eis.h"
#include "soap/envelope.h"
#include "soap/xml.h"

namespace m2mrsp::es {

inline constexpr std::string_view kNamespace = soap::kGsmaNamespace;

// Simple value <-> XSD lexical form, with the facet checked both ways.
Result<std::string> ToText(const std::string& v, Facet f);
Result<std::string> ToText(const Oid& v, Facet f);
Result<std::string> ToText(const DateTime& v, Facet f);
Result<std::string> ToText(const Eid& v, Facet f);
Result<std::string> ToText(const Iccid& v, Facet f);
Result<std::string> ToText(const Aid& v, Facet f);
Result<std::string> ToText(const Tar& v, Facet f);
Result<std::string> ToText(const Bytes& v, Facet f);
Result<std::string> ToText(const bool& v, Facet f);
Result<std::string> ToText(const uint64_t& v, Facet f);
Result<std::string> ToText(const int64_t& v, Facet f);
Status FromText(std::string_view t, std::string& out, Facet f);
Status FromText(std::string_view t, Oid& out, Facet f);
Status FromText(std::string_view t, DateTime& out, Facet f);
Status FromText(std::string_view t, Eid& out, Facet f);
Status FromText(std::string_view t, Iccid& out, Facet f);
Status FromText(std::string_view t, Aid& out, Facet f);
Status FromText(std::string_view t, Tar& out, Facet f);
Status FromText(std::string_view t, Bytes& out, Facet f);
Status FromText(std::string_view t, bool& out, Facet f);
Status FromText(std::string_view t, uint64_t& out, Facet f);
Status FromText(std::string_view t, int64_t& out, Facet f);

template <typename E>
requires std::is_enum_v<E> Result<std::string> ToText(const E& v, Facet) {
  const auto i = static_cast<size_t>(v);
  if (i >= EnumText<E>::kNames.size()) return InvalidArgument("enumeration value out of range");
  return std::string(EnumText<E>::kNames[i]);
}
template <typename E>
requires std::is_enum_v<E> Status FromText(std::string_view t, E& out, Facet) {
  for (size_t i = 0; i < EnumText<E>::kNames.size(); ++i) {
    if (EnumText<E>::kNames[i] == t) {
      out = static_cast<E>(i);
      return Status::Ok();
    }
  }
  return Status::Error(ErrorKind::kParse, "'" + std::string(t) + "' is not an allowed value");
}

// A value of T to decode into (identifiers have no default constructor).
template <typename T>
T Blank() {
  if constexpr (std::is_same_v<T, Eid>) {
    return UnsetEid();
  } else if constexpr (std::is_same_v<T, Iccid>) {
    return UnsetIccid();
  } else if constexpr (std::is_same_v<T, Aid>) {
    return UnsetAid();
  } else if constexpr (std::is_same_v<T, Tar>) {
    return UnsetTar();
  } else {
    return T{};
  }
}

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

class Encoder;
template <typename T>
concept Composite = requires(const T& t, Encoder& e) {
  T::Visit(t, e);
};

class Encoder {
 public:
  explicit Encoder(pugi::xml_node element) : element_(element) {}
  const Status& status() const { return status_; }

  template <typename T>
  void Element(std::string_view name, const T& v, Facet f = Facet::kNone) {
    if (!status_.ok()) return;
    if constexpr (IsOptional<T>::value) {
      if (v) Element(name, *v, f);
    } else {
      Write(Append(name), name, v, f);
    }
  }
  template <typename T>
  void List(std::string_view name, const std::vector<T>& v, size_t min, size_t max,
            Facet f = Facet::kNone) {
    if (!status_.ok()) return;
    if (v.size() < min || v.size() > max) return Fail(name, "wrong number of elements");
    for (const T& x : v) Element(name, x, f);
  }
  template <typename A, typename B>
  void Choice(std::string_view a, std::string_view b, const std::vector<std::variant<A, B>>& v,
              size_t min, size_t max) {
    if (!status_.ok()) return;
    if (v.size() < min || v.size() > max) return Fail(a, "wrong number of choice elements");
    for (const auto& x : v) {
      if (x.index() == 0) {
        Element(a, std::get<0>(x));
      } else {
        Element(b, std::get<1>(x));
      }
    }
  }
  template <typename T>
  void Attribute(std::string_view name, const T& v, Facet f = Facet::kNone) {
    if (!status_.ok()) return;
    if constexpr (IsOptional<T>::value) {
      if (v) Attribute(name, *v, f);
    } else {
      Result<std::string> text = ToText(v, f);
      if (!text.ok()) return Fail(name, text.status().message());
      element_.append_attribute(std::string(name).c_str()).set_value(text->c_str());
    }
  }
  void Fragment(std::string_view name, const XmlFragment& v);

 private:
  pugi::xml_node Append(std::string_view name);
  void Fail(std::string_view name, std::string_view why);
  template <typename T>
  void Write(pugi::xml_node e, std::string_view name, const T& v, Facet f) {
    if constexpr (Composite<T>) {
      Encoder child(e);
      T::Visit(v, child);
      if (!child.status_.ok()) status_ = child.status_.WithContext(name);
    } else {
      Result<std::string> text = ToText(v, f);
      if (!text.ok()) return Fail(name, text.status().message());
      e.text().set(text->c_str());
    }
  }

  pugi::xml_node element_;
  Status status_;
};

class Decoder {
 public:
  // Reads the children of `element`; `path` names the enclosing elements (for error subjects and
  // messages) and must outlive the decoder.
  Decoder(pugi::xml_node element, std::vector<std::string_view>& path);
  const Status& status() const { return status_; }
  // Ok, or the first error; refuses leftover elements and unread attributes.
  Status Finish();

  template <typename T>
  void Element(std::string_view name, T& out, Facet f = Facet::kNone) {
    if (!status_.ok()) return;
    if constexpr (IsOptional<T>::value) {
      out.reset();
      if (!Peek(name)) return;
      auto v = Blank<typename T::value_type>();
      Read(Take(), name, v, f);
      if (status_.ok()) out = std::move(v);
    } else {
      if (!Peek(name)) return Missing(name);
      Read(Take(), name, out, f);
    }
  }
  template <typename T>
  void List(std::string_view name, std::vector<T>& out, size_t min, size_t max,
            Facet f = Facet::kNone) {
    out.clear();
    while (status_.ok() && Peek(name)) {
      if (out.size() == max) return Invalid(name, "too many elements");
      auto v = Blank<T>();
      Read(Take(), name, v, f);
      out.push_back(std::move(v));
    }
    if (status_.ok() && out.size() < min) Missing(name);
  }
  template <typename A, typename B>
  void Choice(std::string_view a, std::string_view b, std::vector<std::variant<A, B>>& out,
              size_t min, size_t max) {
    out.clear();
    while (status_.ok() && (Peek(a) || Peek(b))) {
      if (out.size() == max) return Invalid(a, "too many elements");
      if (Peek(a)) {
        auto v = Blank<A>();
        Read(Take(), a, v, Facet::kNone);
        out.emplace_back(std::move(v));
      } else {
        auto v = Blank<B>();
        Read(Take(), b, v, Facet::kNone);
        out.emplace_back(std::move(v));
      }
    }
    if (status_.ok() && out.size() < min) Missing(a);
  }
  template <typename T>
  void Attribute(std::string_view name, T& out, Facet f = Facet::kNone) {
    if (!status_.ok()) return;
    const pugi::xml_attribute a = element_.attribute(std::string(name).c_str());
    if constexpr (IsOptional<T>::value) {
      out.reset();
      if (!a) return;
      auto v = Blank<typename T::value_type>();
      ReadAttribute(a, name, v, f);
      if (status_.ok()) out = std::move(v);
    } else {
      if (!a) return Missing(name);
      ReadAttribute(a, name, out, f);
    }
  }
  void Fragment(std::string_view name, XmlFragment& out);

 private:
  bool Peek(std::string_view name) const;
  pugi::xml_node Take();
  void Advance();
  void Missing(std::string_view name);
  void Invalid(std::string_view name, std::string_view why);
  Result<std::string> Text(const pugi::xml_node& e, bool trim);

  template <typename T>
  void Read(pugi::xml_node e, std::string_view name, T& out, Facet f) {
    path_.push_back(name);
    Status error;
    if constexpr (Composite<T>) {
      Decoder child(e, path_);
      if (child.status_.ok()) T::Visit(out, child);
      const Status s = child.Finish();
      if (!s.ok()) status_ = s;
    } else {
      Result<std::string> text = Text(e, !std::is_same_v<T, std::string>);
      if (!text.ok()) {
        status_ = text.status();
      } else {
        error = FromText(*text, out, f);
      }
    }
    path_.pop_back();
    if (!error.ok()) Invalid(name, error.message());
  }
  template <typename T>
  void ReadAttribute(const pugi::xml_attribute& a, std::string_view name, T& out, Facet f) {
    used_attributes_.push_back(name);
    std::string_view t = a.value();
    if constexpr (!std::is_same_v<T, std::string>) {
      const size_t b = t.find_first_not_of(" \t\r\n");
      t = b == std::string_view::npos ? std::string_view()
                                      : t.substr(b, t.find_last_not_of(" \t\r\n") - b + 1);
    }
    if (Status s = FromText(t, out, f); !s.ok()) Invalid(name, s.message());
  }

  pugi::xml_node element_;
  pugi::xml_node cur_;
  std::vector<std::string_view>& path_;
  std::vector<std::string_view> used_attributes_;
  Status status_;
};

// The SGP.02 subject code for a decoding error at `path` (innermost element with a known code).
std::string_view SubjectForPath(const std::vector<std::string_view>& path);

// Messages: a type M with kElement (body element name), kAction, a static Fields(self, visitor)
// listing its own children, deriving from BaseRequest, BaseResponse or BaseNotification.
template <typename M>
Status EncodeBody(const M& m, pugi::xml_node parent) {
  pugi::xml_node e = parent.append_child(("rps:" + std::string(M::kElement)).c_str());
  e.append_attribute("xmlns:rps").set_value(std::string(kNamespace).c_str());
  Encoder enc(e);
  if constexpr (std::is_base_of_v<BaseRequest, M>) {
    BaseRequest::VisitBase(static_cast<const BaseRequest&>(m), enc);
  } else if constexpr (std::is_base_of_v<BaseResponse, M>) {
    BaseResponse::VisitBase(static_cast<const BaseResponse&>(m), enc);
  }
  M::Fields(m, enc);
  return enc.status().ok() ? Status::Ok() : enc.status().WithContext(M::kElement);
}

template <typename M>
Result<M> DecodeBody(const pugi::xml_node& e) {
  std::vector<std::string_view> path{M::kElement};
  if (!soap::IsElement(e, kNamespace, M::kElement)) {
    return Status::Sgp(ErrorKind::kParse, "1.6", "2.1",
                       "expected " + std::string(M::kElement) + " in " + std::string(kNamespace));
  }
  Decoder dec(e, path);
  M m;
  if constexpr (std::is_base_of_v<BaseRequest, M>) {
    BaseRequest::VisitBase(static_cast<BaseRequest&>(m), dec);
  } else if constexpr (std::is_base_of_v<BaseResponse, M>) {
    BaseResponse::VisitBase(static_cast<BaseResponse&>(m), dec);
  }
  M::Fields(m, dec);
  M2_RETURN_IF_ERROR(dec.Finish());
  return m;
}

// A whole envelope for one message; the Action is M::kAction (refused if `headers.action` is set
// to something else).
template <typename M>
Result<std::string> EncodeEnvelope(const M& m, soap::Addressing headers) {
  if (headers.action.empty()) headers.action = std::string(M::kAction);
  if (headers.action != M::kAction) return InvalidArgument("Action does not match the message");
  return soap::BuildEnvelope(headers, [&](pugi::xml_node body) { return EncodeBody(m, body); });
}

}  // namespace m2mrsp::es
