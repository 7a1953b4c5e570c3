#include "saip/personalise.h"

#include <string>

#include "saip/der.h"
#include "tlv/ber.h"

namespace m2mrsp::saip {
namespace {

// A mutable copy of a DER element. Re-encoding an untouched tree reproduces the input because
// Decode() admitted only minimal (DER) lengths.
struct MNode {
  tlv::Tag tag = 0;
  bool constructed = false;
  Bytes value;  // primitive only
  std::vector<MNode> kids;
  MNode* Find(tlv::Tag t) {
    for (auto& k : kids) {
      if (k.tag == t) return &k;
    }
    return nullptr;
  }
};

MNode Convert(const tlv::Node& n) {
  MNode m;
  m.tag = n.tlv.tag;
  m.constructed = n.tlv.constructed();
  if (!m.constructed) m.value.assign(n.tlv.value.begin(), n.tlv.value.end());
  m.kids.reserve(n.children.size());
  for (const auto& c : n.children) m.kids.push_back(Convert(c));
  return m;
}

// Overwrites every value of a tree (they may hold K, OPc or SD keys) before it is freed; runs
// on every exit path of Personalise, errors included.
class TreeWiper {
 public:
  explicit TreeWiper(MNode& m) : m_(m) {}
  TreeWiper(const TreeWiper&) = delete;
  TreeWiper& operator=(const TreeWiper&) = delete;
  ~TreeWiper() {
    std::vector<MNode*> stack{&m_};
    while (!stack.empty()) {
      MNode* n = stack.back();
      stack.pop_back();
      SecureWipe(n->value);
      for (auto& k : n->kids) stack.push_back(&k);
    }
  }

 private:
  MNode& m_;
};

// Wipes the elements of a package under construction unless it is handed to the caller.
class PackageWiper {
 public:
  explicit PackageWiper(Package& p) : p_(&p) {}
  PackageWiper(const PackageWiper&) = delete;
  PackageWiper& operator=(const PackageWiper&) = delete;
  ~PackageWiper() {
    if (p_ == nullptr) return;
    for (auto& e : p_->elements) SecureWipe(e.raw);
  }
  void Release() { p_ = nullptr; }

 private:
  Package* p_;
};

size_t LengthSize(size_t n) {
  if (n < 0x80) return 1;  // X.690 §8.1.3.4 short form
  size_t size = 1;
  for (size_t rest = n; rest > 0; rest >>= 8) ++size;
  return size;
}

// The size of a node's value once encoded (DER: minimal lengths).
size_t ValueSize(const MNode& m) {
  if (!m.constructed) return m.value.size();
  size_t n = 0;
  for (const auto& k : m.kids) {
    const size_t v = ValueSize(k);
    n += tlv::TagSize(k.tag) + LengthSize(v) + v;
  }
  return n;
}

// Writes into a buffer reserved for the whole element, so no reallocation leaves a copy of a key
// behind in freed memory.
void EncodeNode(const MNode& m, Bytes& out) {
  tlv::AppendTag(out, m.tag);
  tlv::AppendLength(out, ValueSize(m));
  if (!m.constructed) {
    out.insert(out.end(), m.value.begin(), m.value.end());
    return;
  }
  for (const auto& k : m.kids) EncodeNode(k, out);
}

Result<MNode> Load(const ProfileElement& e) {
  tlv::Limits l = internal::DerLimits();
  l.max_depth = 32;
  auto tree = tlv::ParseTree(e.raw, l);
  if (!tree.ok()) return tree.status();
  if (tree->size() != 1) return ParseError("SAIP element: not one TLV");
  return Convert(tree->front());
}

void Store(ProfileElement& e, const MNode& m) {
  const size_t v = ValueSize(m);
  Bytes out;
  out.reserve(tlv::TagSize(m.tag) + LengthSize(v) + v);
  EncodeNode(m, out);
  if (out != e.raw) std::swap(out, e.raw);
  SecureWipe(out);  // the old element or the identical copy
}

// Replaces a primitive value, wiping the old one first (a reallocation would free it as is).
void SetValue(MNode& n, ByteView v) {
  SecureWipe(n.value);
  n.value.assign(v.begin(), v.end());
}

Status Bad(size_t index, const std::string& what) {
  return InvalidArgument("personalise: element " + std::to_string(index) + ": " + what);
}

// Replaces the content entries of a template File (tag `field`) by one fillFileContent.
bool SetFileContent(MNode& pe, tlv::Tag field, ByteView content) {
  MNode* f = pe.Find(field);
  if (f == nullptr || !f->constructed) return false;
  std::vector<MNode> kept;
  for (auto& k : f->kids) {
    if (k.tag != 0x82 && k.tag != 0x83) {
      kept.push_back(std::move(k));
    } else {
      SecureWipe(k.value);
    }
  }
  MNode c;
  c.tag = 0x83;  // File CHOICE fillFileContent [3]
  c.value.assign(content.begin(), content.end());
  kept.push_back(std::move(c));
  f->kids = std::move(kept);
  return true;
}

// GP Card Specification v2.3.1 §11.1.8 key types (sgp02-security-wire.md §1.2) and the
// lengths we accept for each symmetric type; asymmetric types (A0.., B0..) are not OTA keys
// and are refused.
bool ValidOtaKeyLength(uint8_t key_type, size_t n) {
  switch (key_type) {
    case 0x80:                    // DES, mode implicit (the 2- or 3-key 3DES of TS 102 225)
    case 0x82:                    // 3DES CBC
    case 0x83:                    // DES ECB
    case 0x84:                    // DES CBC
      return n == 16 || n == 24;  // single DES (8 bytes) refused
    case 0x85:                    // pre-shared key for TLS (SCP81 PSK-TLS, KVN 40..4F)
      return n >= 16 && n <= 64;  // SGP.02: PSK of at least 128 bits
    case 0x88:                    // AES
      return n == 16 || n == 24 || n == 32;
    case 0x90:  // HMAC-SHA1
    case 0x91:  // HMAC-SHA1-160
      return n >= 16 && n <= 64;
    default:
      return false;
  }
}

}  // namespace

Result<Package> Personalise(const Package& templ, const Personalisation& p) {
  // The template itself is not validated: an unpersonalised template may hold placeholder
  // values (FF-filled EF.IMSI); the result is.
  Bytes imsi_ef;
  if (p.imsi) {
    auto ef = EncodeImsi(*p.imsi);
    if (!ef.ok()) return ef.status().WithContext("personalise");
    imsi_ef = std::move(ef).value();
  }
  if (p.k && p.k->size() != 16 && p.k->size() != 32) {
    return InvalidArgument("personalise: K must be 16 or 32 bytes");
  }
  if (p.opc && p.opc->size() != 16 && p.opc->size() != 32) {
    return InvalidArgument("personalise: OPc must be 16 or 32 bytes");
  }
  if (p.algorithm_id && (*p.algorithm_id < 1 || *p.algorithm_id > 3)) {
    return InvalidArgument("personalise: algorithmID must be 1 (milenage), 2 (tuak) or 3 (test)");
  }
  const bool aka_change = p.k || p.opc || p.algorithm_id;
  Package out;
  PackageWiper out_wiper(out);  // wiped unless returned: it holds the new keys
  out.elements.reserve(templ.elements.size());
  for (const auto& e : templ.elements) out.elements.push_back(e);

  bool iccid_header = false, iccid_ef = false, imsi_done = false, aka_done = false;
  std::vector<bool> ota_done(p.ota_keys.size(), false);
  for (size_t i = 0; i < out.elements.size(); ++i) {
    ProfileElement& e = out.elements[i];
    const bool relevant = (e.type == ElementType::kHeader && p.iccid) ||
                          (e.type == ElementType::kMf && p.iccid) ||
                          (e.type == ElementType::kUsim && p.imsi) ||
                          (e.type == ElementType::kAkaParameter && aka_change) ||
                          (e.type == ElementType::kSecurityDomain && !p.ota_keys.empty());
    if (!relevant) continue;
    M2_ASSIGN_OR_RETURN(MNode m, Load(e));
    TreeWiper m_wiper(m);
    switch (e.type) {
      case ElementType::kHeader: {
        MNode* n = m.Find(0x83);  // ProfileHeader.iccid
        if (n == nullptr) return Bad(i, "header without iccid");
        n->value = p.iccid->ToPlainBcd();  // SAIP §8.2.1: plain BCD
        iccid_header = true;
        break;
      }
      case ElementType::kMf:
        // PE-MF field [4] ef-iccid; ETSI TS 102 221 §13.2 swapped BCD.
        if (!SetFileContent(m, 0xA4, p.iccid->ToSwappedBcd())) return Bad(i, "no ef-iccid");
        iccid_ef = true;
        break;
      case ElementType::kUsim:
        // PE-USIM field [3] ef-imsi.
        if (!SetFileContent(m, 0xA3, imsi_ef)) return Bad(i, "no ef-imsi");
        imsi_done = true;
        break;
      case ElementType::kAkaParameter: {
        MNode* conf = m.Find(0xA1);
        MNode* algo = conf ? conf->Find(0xA1) : nullptr;
        if (algo == nullptr) break;  // mappingParameter: shares another NAA's keys
        MNode* key = algo->Find(0x82);
        MNode* opc = algo->Find(0x83);
        MNode* algorithm = algo->Find(0x80);  // algorithmID, INTEGER
        if (!key || !opc) return Bad(i, "algoParameter without key/opc");
        if (p.algorithm_id) {
          if (algorithm == nullptr) return Bad(i, "algoParameter without algorithmID");
          algorithm->value = {*p.algorithm_id};
        }
        if (p.k) SetValue(*key, p.k->view());
        if (p.opc) SetValue(*opc, p.opc->view());
        aka_done = true;
        break;
      }
      case ElementType::kSecurityDomain: {
        MNode* list = m.Find(0xA2);  // keyList
        if (list == nullptr) break;
        for (auto& ko : list->kids) {
          MNode* id = ko.Find(0x82);
          MNode* kvn = ko.Find(0x83);
          MNode* comps = ko.Find(0x30);
          if (!id || !kvn || !comps || id->value.size() != 1 || kvn->value.size() != 1) continue;
          for (size_t k = 0; k < p.ota_keys.size(); ++k) {
            const OtaKey& ok = p.ota_keys[k];
            if (id->value[0] != ok.key_id || kvn->value[0] != ok.kvn) continue;
            if (comps->kids.empty()) return Bad(i, "key without components");
            MNode* type = comps->kids[0].Find(0x80);
            MNode* data = comps->kids[0].Find(0x86);
            if (!type || !data || type->value.size() != 1) return Bad(i, "malformed key");
            if (!ValidOtaKeyLength(type->value[0], ok.value.size())) {
              return Bad(i, "OTA key " + std::to_string(ok.kvn) + ":" + std::to_string(ok.key_id) +
                                " has a bad length for its type");
            }
            SetValue(*data, ok.value.view());
            ota_done[k] = true;
          }
        }
        break;
      }
      default:
        break;
    }
    Store(e, m);
  }
  if (p.iccid && !(iccid_header && iccid_ef)) {
    return InvalidArgument("personalise: the template has no header or EF.ICCID for the ICCID");
  }
  if (p.imsi && !imsi_done) return InvalidArgument("personalise: the template has no EF.IMSI");
  if (aka_change && !aka_done) {
    return InvalidArgument("personalise: the template has no akaParameter with algoParameter");
  }
  for (size_t k = 0; k < ota_done.size(); ++k) {
    if (!ota_done[k]) {
      return InvalidArgument("personalise: no securityDomain key " +
                             std::to_string(p.ota_keys[k].kvn) + ":" +
                             std::to_string(p.ota_keys[k].key_id));
    }
  }
  M2_RETURN_IF_ERROR(Validate(out).WithContext("personalise: result"));
  Result<Package> result(std::move(out));
  out_wiper.Release();  // `out` is moved-from (empty) now
  return result;
}

}  // namespace m2mrsp::saip
