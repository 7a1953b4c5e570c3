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
  for (const auto& c : n.children) m.kids.push_back(Convert(c));
  return m;
}

void EncodeNode(const MNode& m, Bytes& out) {
  if (!m.constructed) {
    tlv::AppendTlv(out, m.tag, m.value);
    return;
  }
  Bytes inner;
  for (const auto& k : m.kids) EncodeNode(k, inner);
  tlv::AppendTlv(out, m.tag, inner);
  SecureWipe(inner);  // may hold key material
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
  Bytes out;
  EncodeNode(m, out);
  if (out != e.raw) {
    SecureWipe(e.raw);
    e.raw = std::move(out);
  }
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
    if (k.tag != 0x82 && k.tag != 0x83) kept.push_back(std::move(k));
  }
  MNode c;
  c.tag = 0x83;  // File CHOICE fillFileContent [3]
  c.value.assign(content.begin(), content.end());
  kept.push_back(std::move(c));
  f->kids = std::move(kept);
  return true;
}

bool ValidOtaKeyLength(uint8_t key_type, size_t n) {
  if (key_type == 0x80) return n == 16 || n == 24;             // GP CS Table 11-16: DES (3DES)
  if (key_type == 0x88) return n == 16 || n == 24 || n == 32;  // AES
  return false;
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
        if (p.k) key->value.assign(p.k->view().begin(), p.k->view().end());
        if (p.opc) opc->value.assign(p.opc->view().begin(), p.opc->view().end());
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
            SecureWipe(data->value);
            data->value.assign(ok.value.view().begin(), ok.value.view().end());
            ota_done[k] = true;
          }
        }
        break;
      }
      default:
        break;
    }
    Store(e, m);
    // MNode values may hold keys: wipe before they go out of scope.
    std::vector<MNode*> stack{&m};
    while (!stack.empty()) {
      MNode* n = stack.back();
      stack.pop_back();
      SecureWipe(n->value);
      for (auto& k : n->kids) stack.push_back(&k);
    }
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
  return out;
}

}  // namespace m2mrsp::saip
