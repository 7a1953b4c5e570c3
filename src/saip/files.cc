// File-system views: template PEs (mf, telecom, usim, ...) and genericFileManagement flattened
// into FileView records (SAIP §8.3 "file system PEs", ETSI TS 102 222 §6.3 file filling).
#include <map>
#include <string>

#include "saip/der.h"
#include "saip/package.h"

namespace m2mrsp::saip {
namespace {

using internal::Malformed;

constexpr size_t kMaxFileSize = 1 << 20;  // per file (efFileSize / extent)
// Everything Files() returns together: content, paths, FCPs, names and the records themselves,
// so that a small package cannot make the views large (4 MiB of createFCPs would otherwise be
// ~700 000 records).
constexpr size_t kMaxTotalBytes = 16 << 20;
constexpr size_t kMaxFiles = 16384;  // a real profile has a few hundred
// SAIP §8.3 genericFileManagement: filePath is at most 8 bytes, i.e. up to four FIDs below the
// MF (3F00 implicit) or an ADF temporary FID plus three. A DF deeper than the MF/ADF + 4 levels
// could never be named by a filePath; a file lives at most one level below its DF.
constexpr size_t kMaxDfPath = 5;    // MF or ADF, then 4 FIDs
constexpr size_t kMaxFilePath = 6;  // the deepest DF, then the file's own FID

struct TemplateField {
  std::string_view name;
  uint16_t fid;  // 0: no fixed FID (ADF temporary ID, or not tabulated)
  size_t size;   // template file size when the profile gives none; 0 = unknown
};

// Field names of PEDefinitions v3.3.1 from field [2] on, with the FIDs of ETSI TS 102 221
// §13 (MF level) and 3GPP TS 31.102 §4.2 / TS 31.103 §4.2 (USIM/ISIM). Sizes: EF.ICCID 10
// (TS 102 221 §13.2), EF.IMSI 9 (TS 31.102 §4.2.2), EF.AD 4 (TS.48 / TCA USIM template).
constexpr TemplateField kMfFields[] = {{"mf", 0x3F00, 0},        {"ef-pl", 0x2F05, 0},
                                       {"ef-iccid", 0x2FE2, 10}, {"ef-dir", 0x2F00, 0},
                                       {"ef-arr", 0x2F06, 0},    {"ef-umpc", 0x2F08, 0}};
constexpr TemplateField kUsimFields[] = {
    {"adf-usim", 0, 0},       {"ef-imsi", 0x6F07, 9},      {"ef-arr", 0x6F06, 0},
    {"ef-keys", 0x6F08, 0},   {"ef-keysPS", 0x6F09, 0},    {"ef-hpplmn", 0x6F31, 0},
    {"ef-ust", 0x6F38, 0},    {"ef-fdn", 0x6F3B, 0},       {"ef-sms", 0x6F3C, 0},
    {"ef-smsp", 0x6F42, 0},   {"ef-smss", 0x6F43, 0},      {"ef-spn", 0x6F46, 0},
    {"ef-est", 0x6F56, 0},    {"ef-start-hfn", 0x6F5B, 0}, {"ef-threshold", 0x6F5C, 0},
    {"ef-psloci", 0x6F73, 0}, {"ef-acc", 0x6F78, 0},       {"ef-fplmn", 0x6F7B, 0},
    {"ef-loci", 0x6F7E, 0},   {"ef-ad", 0x6FAD, 4},        {"ef-ecc", 0x6FB7, 0},
    {"ef-netpar", 0x6FC4, 0}, {"ef-epsloci", 0x6FE3, 0},   {"ef-epsnsc", 0x6FE4, 0}};
constexpr TemplateField kIsimFields[] = {
    {"adf-isim", 0, 0},    {"ef-impi", 0x6F02, 0}, {"ef-impu", 0x6F04, 0}, {"ef-domain", 0x6F03, 0},
    {"ef-ist", 0x6F07, 0}, {"ef-ad", 0x6FAD, 0},   {"ef-arr", 0x6F06, 0}};
constexpr TemplateField kTelecomFields[] = {{"df-telecom", 0x7F10, 0}};

std::span<const TemplateField> FieldsOf(ElementType t) {
  switch (t) {
    case ElementType::kMf:
      return kMfFields;
    case ElementType::kUsim:
      return kUsimFields;
    case ElementType::kIsim:
      return kIsimFields;
    case ElementType::kTelecom:
      return kTelecomFields;
    default:
      return {};
  }
}

// Where a template PE's files live (SAIP §8.3: the templates' parent directories).
enum class Root { kMf, kUnderMf, kNewAdf, kUnderUsim, kInUsim, kInIsim, kInCsim, kNone };
Root RootOf(ElementType t) {
  switch (t) {
    case ElementType::kMf:
      return Root::kMf;
    case ElementType::kCd:
    case ElementType::kTelecom:
      return Root::kUnderMf;
    case ElementType::kUsim:
    case ElementType::kIsim:
    case ElementType::kCsim:
      return Root::kNewAdf;
    case ElementType::kPhonebook:
    case ElementType::kGsmAccess:
    case ElementType::kEap:
    case ElementType::kDf5gs:
    case ElementType::kDfSaip:
    case ElementType::kDfSnpn:
    case ElementType::kDf5gprose:
      return Root::kUnderUsim;
    case ElementType::kOptUsim:
      return Root::kInUsim;
    case ElementType::kOptIsim:
      return Root::kInIsim;
    case ElementType::kOptCsim:
      return Root::kInCsim;
    default:
      return Root::kNone;  // iot/opt-iot and non-file PEs: not flattened
  }
}

struct Dir {
  std::vector<uint16_t> path;
  Bytes adf_name;
};

struct FcpInfo {
  std::optional<uint16_t> fid;
  Bytes descriptor;
  Bytes df_name;
  std::optional<size_t> size;
  bool is_df = false;
  Bytes fill;
  bool repeat = false;
};

Result<FcpInfo> ParseFcp(const tlv::Tlv& fcp) {
  M2_ASSIGN_OR_RETURN(auto kids, internal::ChildrenOf(fcp, "Fcp"));
  FcpInfo info;
  for (const auto& k : kids) {
    switch (k.tag) {
      case 0x82:  // fileDescriptor (ETSI TS 102 222 / 102 221 §11.1.1.4.3)
        if (k.value.size() < 2 || k.value.size() > 4) return Malformed("Fcp", "fileDescriptor");
        info.descriptor.assign(k.value.begin(), k.value.end());
        if ((k.value[0] & 0xBF) == 0x38) info.is_df = true;
        break;
      case 0x83:
        if (k.value.size() != 2) return Malformed("Fcp", "fileID must be 2 bytes");
        info.fid = static_cast<uint16_t>((k.value[0] << 8) | k.value[1]);
        break;
      case 0x84:
        info.df_name.assign(k.value.begin(), k.value.end());
        break;
      case 0xC6:
        info.is_df = true;
        break;  // pinStatusTemplateDO: DF/ADF only
      case 0x80: {
        if (k.value.empty() || k.value.size() > 4) return Malformed("Fcp", "efFileSize");
        size_t n = 0;
        for (uint8_t b : k.value) n = (n << 8) | b;
        if (n > kMaxFileSize) return LimitExceeded("SAIP Fcp: efFileSize over the limit");
        info.size = n;
        break;
      }
      case 0xA5: {
        M2_ASSIGN_OR_RETURN(auto prop, internal::ChildrenOf(k, "proprietaryEFInfo"));
        for (const auto& p : prop) {
          if (p.tag == 0xC1 || p.tag == 0xC2) {
            if (p.value.empty()) return Malformed("Fcp", "empty fill pattern");
            info.fill.assign(p.value.begin(), p.value.end());
            info.repeat = p.tag == 0xC2;
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return info;
}

// One file under construction: its FCP facts and the pending writes.
struct Pending {
  FileView view;
  FcpInfo fcp;
  size_t template_size = 0;
  size_t cursor = 0;
  std::vector<std::pair<size_t, ByteView>> writes;
};

// ETSI TS 102 222 §6.3: fillPattern = pattern then its last byte repeated; repeatPattern =
// pattern repeated; applied per record for record-based EFs; 'FF' without a pattern.
void FillInitial(Bytes& out, const FcpInfo& fcp) {
  if (fcp.fill.empty()) {
    std::fill(out.begin(), out.end(), 0xFF);
    return;
  }
  size_t rec = out.size();
  if (fcp.descriptor.size() == 4 && (fcp.descriptor[0] & 0x07) != 0x01) {
    rec = static_cast<size_t>((fcp.descriptor[2] << 8) | fcp.descriptor[3]);
    if (rec == 0) rec = out.size();
  }
  for (size_t base = 0; base < out.size(); base += rec) {
    for (size_t i = 0; i < rec && base + i < out.size(); ++i) {
      const size_t p = fcp.repeat ? i % fcp.fill.size() : std::min(i, fcp.fill.size() - 1);
      out[base + i] = fcp.fill[p];
    }
  }
}

Status CheckDepth(const std::vector<uint16_t>& path, bool is_df) {
  const size_t max = is_df ? kMaxDfPath : kMaxFilePath;
  if (path.size() > max) {
    return LimitExceeded("SAIP files: " + std::string(is_df ? "DF" : "file") + " path of " +
                         std::to_string(path.size()) + " FIDs, deeper than the " +
                         std::to_string(max) + " a filePath of 8 bytes allows");
  }
  return Status::Ok();
}

// What one record costs in memory apart from its content (charged to the same budget).
size_t RecordCost(const FileView& v) {
  return sizeof(FileView) + v.path.size() * sizeof(uint16_t) + v.fcp.size() + v.name.size() +
         v.adf_name.size();
}

Status Charge(size_t cost, size_t& budget, const std::vector<FileView>& out) {
  if (out.size() >= kMaxFiles) {
    return LimitExceeded("SAIP files: more than " + std::to_string(kMaxFiles) + " files");
  }
  if (cost > budget) return LimitExceeded("SAIP files: the file views exceed 16 MiB");
  budget -= cost;
  return Status::Ok();
}

Status Finish(Pending& p, size_t& budget, std::vector<FileView>& out) {
  M2_RETURN_IF_ERROR(CheckDepth(p.view.path, p.view.is_df));
  if (p.view.is_df) {
    M2_RETURN_IF_ERROR(Charge(RecordCost(p.view), budget, out));
    out.push_back(std::move(p.view));
    return Status::Ok();
  }
  size_t extent = 0;
  for (const auto& [at, data] : p.writes) extent = std::max(extent, at + data.size());
  size_t size = extent;
  if (p.fcp.size) {
    size = *p.fcp.size;
    p.view.size_known = true;
  } else if (p.template_size != 0) {
    size = p.template_size;
    p.view.size_known = true;
  }
  if (extent > size) return Malformed("file content", "written past the end of the file");
  if (size > kMaxFileSize) return LimitExceeded("SAIP files: a file over 1 MiB");
  M2_RETURN_IF_ERROR(Charge(RecordCost(p.view) + size, budget, out));
  p.view.file_size = size;
  p.view.content.resize(size);
  FillInitial(p.view.content, p.fcp);
  for (const auto& [at, data] : p.writes) {
    std::copy(data.begin(), data.end(), p.view.content.begin() + static_cast<std::ptrdiff_t>(at));
  }
  out.push_back(std::move(p.view));
  return Status::Ok();
}

Status AddWrite(Pending* p, ByteView data) {
  if (p == nullptr) return Malformed("file content", "fill without a file");
  if (p->cursor + data.size() > kMaxFileSize) return LimitExceeded("SAIP file: content too long");
  p->writes.emplace_back(p->cursor, data);
  p->cursor += data.size();
  return Status::Ok();
}

Status AddOffset(Pending* p, const tlv::Tlv& t) {
  if (p == nullptr) return Malformed("file content", "offset without a file");
  M2_ASSIGN_OR_RETURN(uint32_t n, internal::ReadUnsigned(t, 65535, "fillFileOffset"));
  p->cursor += n;
  if (p->cursor > kMaxFileSize) return LimitExceeded("SAIP file: offset too large");
  return Status::Ok();
}

class Walker {
 public:
  Result<std::vector<FileView>> Run(const Package& pkg) {
    for (size_t i = 0; i < pkg.elements.size(); ++i) {
      const auto& e = pkg.elements[i];
      Status s = e.type == ElementType::kGenericFileManagement ? Gfm(e, i) : Template(e, i);
      if (!s.ok()) return s.WithContext("element " + std::to_string(i));
    }
    return std::move(out_);
  }

 private:
  Status Template(const ProfileElement& e, size_t index) {
    const Root root = RootOf(e.type);
    if (root == Root::kNone) return Status::Ok();
    M2_ASSIGN_OR_RETURN(auto kids, internal::ChildrenOf(e.raw, e.tag, ElementTypeName(e.type)));
    const auto fields = FieldsOf(e.type);
    Dir root_dir;
    switch (root) {
      case Root::kMf:
        root_dir.path = {};
        break;
      case Root::kUnderMf:
        root_dir.path = {0x3F00};
        break;
      case Root::kUnderUsim:
      case Root::kInUsim:
        root_dir = last_usim_;
        break;
      case Root::kInIsim:
        root_dir = last_isim_;
        break;
      case Root::kInCsim:
        root_dir = last_csim_;
        break;
      default:
        break;
    }
    const bool has_root_field = root == Root::kMf || root == Root::kUnderMf ||
                                root == Root::kNewAdf || root == Root::kUnderUsim;
    if ((root == Root::kUnderUsim || root == Root::kInUsim || root == Root::kInIsim ||
         root == Root::kInCsim) &&
        root_dir.path.empty()) {
      return Malformed(ElementTypeName(e.type), "no preceding ADF for this template");
    }
    Dir cur = root_dir;
    for (const auto& k : kids) {
      uint32_t n = 0;
      if (k.tag >= 0xA0 && k.tag <= 0xBE)
        n = k.tag - 0xA0;
      else if ((k.tag & 0xFF00) == 0xBF00)
        n = k.tag & 0xFF;
      else
        continue;  // header [0] is A0 (n = 0); templateID [1] is primitive 81
      if (n < 2) continue;
      const size_t fi = n - 2;
      const TemplateField tf = fi < fields.size() ? fields[fi] : TemplateField{"", 0, 0};
      M2_ASSIGN_OR_RETURN(auto entries, internal::ChildrenOf(k, "File"));
      Pending p;
      p.view.source = e.type;
      p.view.element_index = index;
      p.view.name = tf.name.empty() ? "field-" + std::to_string(n) : std::string(tf.name);
      p.template_size = tf.size;
      bool have_fcp = false;
      for (const auto& en : entries) {
        switch (en.tag) {
          case 0x80:
            p.view.do_not_create = true;
            break;
          case 0xA1:
            if (have_fcp) break;
            have_fcp = true;
            p.view.fcp.assign(en.value.begin(), en.value.end());
            { M2_ASSIGN_OR_RETURN(p.fcp, ParseFcp(en)); }
            break;
          case 0x82:
            M2_RETURN_IF_ERROR(AddOffset(&p, en));
            break;
          case 0x83:
            M2_RETURN_IF_ERROR(AddWrite(&p, en.value));
            break;
          default:
            return Malformed("File", "unknown entry");
        }
      }
      const bool is_root = has_root_field && n == 2;
      const bool named_df = tf.name.starts_with("df-") || tf.name.starts_with("adf-");
      p.view.is_df = is_root || named_df || p.fcp.is_df;
      const std::optional<uint16_t> fid = p.fcp.fid ? p.fcp.fid
                                          : tf.fid  ? std::optional<uint16_t>(tf.fid)
                                                    : std::nullopt;
      if (is_root && root == Root::kMf) {
        cur.path = {0x3F00};
        root_dir = cur;
        p.view.path = cur.path;
      } else if (is_root && root == Root::kNewAdf) {
        if (!fid) return Malformed(ElementTypeName(e.type), "ADF without a temporary fileID");
        cur = Dir{{*fid}, p.fcp.df_name};
        root_dir = cur;
        p.view.path = cur.path;
        if (e.type == ElementType::kUsim) last_usim_ = cur;
        if (e.type == ElementType::kIsim) last_isim_ = cur;
        if (e.type == ElementType::kCsim) last_csim_ = cur;
        adfs_.push_back(cur);
      } else {
        if (!fid) continue;  // template file whose FID we do not tabulate
        if (p.view.is_df) {
          // The root DF goes under the template's parent; a nested DF (df-graphics, ...) under
          // the root; later EFs of the template go into the latest DF.
          Dir parent = is_root ? root_dir : (has_root_field ? root_dir : cur);
          parent.path.push_back(*fid);
          cur = parent;
          if (is_root) root_dir = cur;
          p.view.path = cur.path;
        } else {
          p.view.path = cur.path;
          p.view.path.push_back(*fid);
        }
      }
      p.view.adf_name = cur.adf_name;
      M2_RETURN_IF_ERROR(Finish(p, budget_, out_));
    }
    return Status::Ok();
  }

  // PE-GenericFileManagement: fileManagementCMD [1] SEQUENCE OF FileManagement, each a
  // SEQUENCE OF CHOICE { filePath [0], createFCP [APPLICATION 2], fillFileOffset INTEGER,
  // fillFileContent [1] } (no automatic tagging: some alternatives carry tags).
  Status Gfm(const ProfileElement& e, size_t index) {
    M2_ASSIGN_OR_RETURN(auto kids, internal::ChildrenOf(e.raw, e.tag, "genericFileManagement"));
    const tlv::Tlv* cmds = nullptr;
    for (const auto& k : kids) {
      if (k.tag == 0xA1) cmds = &k;
    }
    if (cmds == nullptr) return Malformed("genericFileManagement", "fileManagementCMD missing");
    M2_ASSIGN_OR_RETURN(auto list, internal::ChildrenOf(*cmds, "fileManagementCMD"));
    Dir cur{{0x3F00}, {}};
    for (const auto& fm : list) {
      if (fm.tag != 0x30) return Malformed("fileManagementCMD", "not a SEQUENCE");
      M2_ASSIGN_OR_RETURN(auto ops, internal::ChildrenOf(fm, "FileManagement"));
      std::optional<Pending> p;
      auto flush = [&]() -> Status {
        if (!p) return Status::Ok();
        Status s = Finish(*p, budget_, out_);
        p.reset();
        return s;
      };
      for (const auto& op : ops) {
        switch (op.tag) {
          case 0x80: {  // filePath: FIDs from the MF without 3F00, or from an ADF temp ID
            M2_RETURN_IF_ERROR(flush());
            if (op.value.size() % 2 != 0 || op.value.size() > 8) {
              return Malformed("filePath", "bad length");
            }
            std::vector<uint16_t> fids;
            for (size_t j = 0; j < op.value.size(); j += 2) {
              fids.push_back(static_cast<uint16_t>((op.value[j] << 8) | op.value[j + 1]));
            }
            cur = ResolvePath(fids);
            break;
          }
          case 0x62: {  // createFCP
            M2_RETURN_IF_ERROR(flush());
            p.emplace();
            p->view.source = e.type;
            p->view.element_index = index;
            p->view.fcp.assign(op.value.begin(), op.value.end());
            M2_ASSIGN_OR_RETURN(p->fcp, ParseFcp(op));
            if (!p->fcp.fid) return Malformed("createFCP", "fileID missing");
            p->view.is_df = p->fcp.is_df;
            p->view.path = cur.path;
            p->view.path.push_back(*p->fcp.fid);
            p->view.adf_name = cur.adf_name;
            // Checked here too, before a DF becomes current: a chain of nested createFCPs must
            // not grow paths (and their copies in every later record) without bound.
            M2_RETURN_IF_ERROR(CheckDepth(p->view.path, p->view.is_df));
            if (p->view.is_df) cur.path = p->view.path;  // a created DF becomes current
            break;
          }
          case 0x02:
            M2_RETURN_IF_ERROR(AddOffset(p ? &*p : nullptr, op));
            break;
          case 0x81:
            M2_RETURN_IF_ERROR(AddWrite(p ? &*p : nullptr, op.value));
            break;
          default:
            return Malformed("FileManagement", "unknown command");
        }
      }
      M2_RETURN_IF_ERROR(flush());
    }
    return Status::Ok();
  }

  // SAIP §8.3.5: a filePath starting with an ADF's temporary fileID is relative to that ADF,
  // whichever ADF of the profile it is (not only the latest of its kind); should two ADFs share
  // a temporary ID, the latest one wins. Otherwise the path is below the MF.
  Dir ResolvePath(const std::vector<uint16_t>& fids) const {
    for (auto adf = adfs_.rbegin(); adf != adfs_.rend() && !fids.empty(); ++adf) {
      if (fids[0] == adf->path[0]) return Dir{fids, adf->adf_name};
    }
    Dir d{{0x3F00}, {}};
    d.path.insert(d.path.end(), fids.begin(), fids.end());
    return d;
  }

  std::vector<FileView> out_;
  size_t budget_ = kMaxTotalBytes;
  Dir last_usim_, last_isim_, last_csim_;
  std::vector<Dir> adfs_;  // every ADF created so far (usim, isim, csim), in package order
};

}  // namespace

Result<std::vector<FileView>> Files(const Package& package) { return Walker().Run(package); }

Result<FileView> FindFile(const Package& package, const std::vector<uint16_t>& path) {
  M2_ASSIGN_OR_RETURN(auto files, Files(package));
  for (auto& f : files) {
    if (f.path == path) return std::move(f);
  }
  return Status::Error(ErrorKind::kNotFound, "SAIP package: no such file");
}

Result<FileView> IccidFile(const Package& package) { return FindFile(package, {0x3F00, 0x2FE2}); }

Result<FileView> ImsiFile(const Package& package) {
  M2_ASSIGN_OR_RETURN(auto files, Files(package));
  for (auto& f : files) {
    if (f.source == ElementType::kUsim && f.path.size() == 2 && f.path[1] == 0x6F07) {
      return std::move(f);
    }
  }
  return Status::Error(ErrorKind::kNotFound, "SAIP package: no EF.IMSI in a usim element");
}

}  // namespace m2mrsp::saip
