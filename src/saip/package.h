// SAIP profile package: the TCA/SIMalliance "eUICC Profile Package: Interoperable Format"
// (ASN.1 module PEDefinitions v3.3.1, which decodes the v2.x packages of SGP.02) as a list of
// DER ProfileElements, with typed read-only views of the elements the eUICC interprets.
//
// A Package owns a copy of every element's complete DER TLV (`raw`). Decode() checks framing
// (DER definite minimal lengths, context tags of the ProfileElement CHOICE, nesting depth,
// element count, total size) but keeps every element byte-exact, so Encode(Decode(x)) == x.
// Unknown CHOICE alternatives (later TCA versions) are kept as ElementType::kUnknown. The typed
// views (GetHeader, AkaParameters, SecurityDomains, Files, ...) parse `raw` on demand and never
// modify the package; Personalise() (personalise.h) rewrites only the elements it changes.
// Key material (K, OPc, PIN/PUK values, SD keys) is returned as SecretBytes.
// All functions are stateless and thread-safe; the structs are plain values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/secret.h"
#include "base/status.h"

namespace m2mrsp::saip {

// The ProfileElement CHOICE alternatives in declaration order: alternative n has the context
// tag [n] (constructed: `A0`+n, `BF 1F`.. from n = 31). PEDefinitions v3.3.1 §ProfileElement.
enum class ElementType : uint8_t {
  kHeader = 0,
  kGenericFileManagement,
  kPinCodes,
  kPukCodes,
  kAkaParameter,
  kCdmaParameter,
  kSecurityDomain,
  kRfm,
  kApplication,
  kNonStandard,
  kEnd,
  kRfu1,
  kRfu2,
  kRfu3,
  kRfu4,
  kRfu5,
  kMf,
  kCd,
  kTelecom,
  kUsim,
  kOptUsim,
  kIsim,
  kOptIsim,
  kPhonebook,
  kGsmAccess,
  kCsim,
  kOptCsim,
  kEap,
  kDf5gs,
  kDfSaip,
  kDfSnpn,
  kDf5gprose,
  kIot,
  kOptIot,
  kUnknown,  // a context-specific constructed tag beyond the v3.3.1 CHOICE (kept raw)
};

// The ASN.1 identifier ("header", "akaParameter", "opt-usim", ...); "unknown" for kUnknown.
std::string_view ElementTypeName(ElementType type);
// The encoded tag of a known type (0xA0.., 0xBF1F..). REQUIRES: type != kUnknown.
uint32_t ElementTag(ElementType type);
// The type for an encoded tag; kUnknown for any other context-specific constructed tag.
ElementType ElementTypeForTag(uint32_t tag);

struct ProfileElement {
  ElementType type = ElementType::kUnknown;
  uint32_t tag = 0;  // encoded tag bytes read big-endian (0xA0, 0xBF22)
  Bytes raw;         // the complete DER TLV as received (or as re-encoded after a change)
};

struct Package {
  std::vector<ProfileElement> elements;  // in package order (processing order matters)
};

struct DecodeLimits {
  size_t max_size = 4 << 20;   // whole package, bytes
  size_t max_elements = 4096;  // ProfileElements
  size_t max_depth = 16;       // TLV nesting inside one element (the element itself = 1)
  size_t max_tlvs = 1 << 16;   // TLVs inside one element, all levels
};

// Splits a package into its elements. Errors (kParse / kLimitExceeded) name the byte offset
// and element index: indefinite or non-minimal lengths, truncation, a tag that is not a
// context-specific constructed CHOICE alternative, an over-deep or oversize element.
// Structure beyond framing (header first, end last) is checked by Validate().
Result<Package> Decode(ByteView der, const DecodeLimits& limits = {});
// The concatenation of the elements' raw TLVs.
Bytes Encode(const Package& package);

// Checks the package as a whole (SAIP §8.1, §8.2): the header first and only there, `end`
// last and only there, an mf element, the header's ICCID valid (digits and Luhn check digit,
// base/iccid.h), every akaParameter with algorithmID 1..3, a 16-byte K (16 or 32 for TUAK) and
// a 16-byte OPc (TUAK: a 32-byte TOPc), EF.ICCID content equal to the header ICCID (swapped
// BCD, ETSI TS 102 221 §13.2), EF.IMSI (when present) decodable with 6..15 digits, and the file
// system within the limits of Files(). Errors are kInvalidArgument naming the element index
// (kLimitExceeded from Files()).
Status Validate(const Package& package);

// --- PEHeader ---------------------------------------------------------------------------------
struct PeHeader {
  bool mandated = false;
  uint16_t identification = 0;  // UInt15
};

// --- ProfileHeader (CHOICE alternative `header`, tag A0) ---------------------------------------
struct ProfileHeader {
  uint8_t major_version = 0;
  uint8_t minor_version = 0;
  std::string profile_type;  // empty when absent
  Bytes iccid_bcd;           // the 10 bytes as encoded: plain BCD, F-padded (SAIP §8.2.1)
  std::string iccid;         // their digits (F padding removed); not Luhn-checked here
  std::optional<Bytes> pol;  // POL1 as an octet string
  std::vector<std::string> mandatory_services;  // ServicesList names present ("usim", ...)
  std::vector<std::string> mandatory_gfste;     // OIDs in dotted form ("2.23.143.1.2.1")
  std::optional<Bytes> connectivity_parameters;
};
// Parses the first element, which must be the header.
Result<ProfileHeader> GetHeader(const Package& package);
Result<ProfileHeader> ParseProfileHeader(ByteView raw);

// --- akaParameter (A4) -------------------------------------------------------------------------
enum class AkaAlgorithm : uint8_t { kMilenage = 1, kTuak = 2, kUsimTestAlgorithm = 3 };
std::string_view AkaAlgorithmName(uint8_t algorithm_id);  // "milenage", ..., "unknown"

struct AkaParameter {
  size_t element_index = 0;  // position in Package::elements
  PeHeader pe_header;
  // algoConfiguration is a CHOICE: either a mapping (to another NAA's parameters) ...
  bool is_mapping = false;
  Bytes mapping_options;  // 1 byte
  Bytes mapping_source;   // AID
  // ... or algoParameter (is_mapping == false). DEFAULT values are filled in when absent.
  uint8_t algorithm_id = 0;               // AkaAlgorithm value as encoded
  Bytes algorithm_options;                // 1 byte
  SecretBytes key;                        // K (16 bytes; 32 allowed for TUAK)
  SecretBytes opc;                        // OPc (MILENAGE, 16 bytes) / TOPc (TUAK, 32)
  Bytes rotation_constants;               // 5 bytes, DEFAULT 40 00 20 40 60
  Bytes xoring_constants;                 // 80 bytes, DEFAULT c1..c5 of TS 35.206
  std::optional<Bytes> auth_counter_max;  // 3 bytes
  uint8_t number_of_keccak = 1;
  Bytes sqn_options;            // 1 byte, DEFAULT 02
  Bytes sqn_delta;              // 6 bytes, DEFAULT 000010000000
  Bytes sqn_age_limit;          // 6 bytes, DEFAULT 000010000000
  std::vector<Bytes> sqn_init;  // as encoded (32 x 6 bytes); empty when DEFAULT (all zero)
};
Result<AkaParameter> ParseAkaParameter(ByteView raw);
// Every akaParameter element in package order.
Result<std::vector<AkaParameter>> AkaParameters(const Package& package);

// --- pinCodes (A2) / pukCodes (A3) -------------------------------------------------------------
struct PinConfig {
  uint8_t key_reference = 0;  // PINKeyReferenceValue (1..8 global, 10.. ADM, 129.. local)
  SecretBytes value;          // 8 bytes, F-padded ASCII digits
  std::optional<uint8_t> unblocking_reference;
  uint8_t attributes = 7;             // DEFAULT 7
  uint8_t max_attempts_retry = 0x33;  // high nibble max attempts, low nibble retries left
};
struct PinCodes {
  size_t element_index = 0;
  PeHeader pe_header;
  std::vector<PinConfig> pins;     // pinconfig alternative
  std::optional<Bytes> file_path;  // filePath alternative (PINs shared with another DF)
};
struct PukConfig {
  uint8_t key_reference = 0;
  SecretBytes value;
  uint8_t max_attempts_retry = 0xAA;  // DEFAULT 170
};
struct PukCodes {
  size_t element_index = 0;
  PeHeader pe_header;
  std::vector<PukConfig> puks;
};
Result<PinCodes> ParsePinCodes(ByteView raw);
Result<PukCodes> ParsePukCodes(ByteView raw);
Result<std::vector<PinCodes>> AllPinCodes(const Package& package);
Result<std::vector<PukCodes>> AllPukCodes(const Package& package);

// --- securityDomain (A6) -----------------------------------------------------------------------
struct KeyComponent {
  uint8_t key_type = 0;  // GP key type: 80 DES, 88 AES, ...
  SecretBytes key_data;
  uint8_t mac_length = 8;  // DEFAULT 8
};
struct SdKey {
  Bytes usage_qualifier;   // 1..2 bytes (GP CS §11.1.9)
  uint8_t key_access = 0;  // DEFAULT 00
  uint8_t key_id = 0;
  uint8_t kvn = 0;
  std::optional<Bytes> counter;
  std::vector<KeyComponent> components;
};
struct SecurityDomain {
  size_t element_index = 0;
  PeHeader pe_header;
  Bytes load_package_aid;
  Bytes class_aid;
  Bytes instance_aid;
  Bytes privileges;
  uint8_t life_cycle_state = 0x07;  // DEFAULT 07
  Bytes install_params;             // applicationSpecificParametersC9 value
  std::vector<SdKey> keys;          // keyList, in order (empty when absent)
};
Result<SecurityDomain> ParseSecurityDomain(ByteView raw);
Result<std::vector<SecurityDomain>> SecurityDomains(const Package& package);

// --- File system -------------------------------------------------------------------------------
// One file as the package creates it, flattened from the template PEs (mf, usim, ...) and from
// genericFileManagement.
//
// path: FIDs from the MF (starting 3F00) or, for files in an ADF, from the ADF's temporary file
// ID (SAIP §8.3.5: the Fcp fileID of an ADF is a temporary ID used only in paths), e.g.
// EF.ICCID = {3F00, 2FE2}, EF.IMSI = {7FD0, 6F07} with adf_name = the USIM AID.
// The FID of a template file is its Fcp fileID when present, else the template's FID (known
// for the files of the mf, telecom, usim and isim templates; otherwise the file is skipped).
//
// content is reconstructed like the eUICC does it (SAIP §8.3.3, ETSI TS 102 222 §6.3):
//   1. size = efFileSize from the Fcp; else the template size (EF.ICCID 10, EF.IMSI 9, EF.AD 4);
//      else the extent written by step 3 (size_known = false);
//   2. the file is filled with the proprietaryEFInfo fillPattern (the pattern, then its last
//      byte repeated) or repeatPattern (the pattern repeated), per record for record-based EFs,
//      else with FF;
//   3. the File entries are applied in order with a cursor starting at 0: fillFileOffset n
//      moves the cursor n bytes forward, fillFileContent writes its bytes at the cursor and
//      moves it past them. Writing beyond a known size is an error.
// DFs/ADFs appear with empty content and file_size 0.
struct FileView {
  ElementType source = ElementType::kUnknown;
  size_t element_index = 0;
  std::string name;            // template field name ("ef-imsi"); "" for genericFileManagement
  std::vector<uint16_t> path;  // see above; the last FID is the file's own
  Bytes adf_name;              // the AID of the ADF the path starts at; empty under the MF
  bool is_df = false;
  Bytes fcp;  // the Fcp value as encoded (TLVs 82, 83, ...), empty if absent
  size_t file_size = 0;
  bool size_known = false;
  Bytes content;
  bool do_not_create = false;  // the template entry says doNotCreate
};
// Limits (kLimitExceeded, never memory): a DF path of at most 5 FIDs (MF or ADF + 4, the
// deepest a filePath of 8 bytes can name) and a file path of at most 6; at most 16384 records;
// 1 MiB per file; 16 MiB for all records together (content, paths, FCPs and the records
// themselves). A genericFileManagement filePath whose first FID is the temporary ID of any ADF
// created before it (usim, isim or csim) is relative to that ADF.
Result<std::vector<FileView>> Files(const Package& package);
// The file at `path` (exact match), or kNotFound.
Result<FileView> FindFile(const Package& package, const std::vector<uint16_t>& path);
// Conveniences: EF.ICCID (3F00/2FE2) and EF.IMSI (6F07 in the first ADF.USIM).
Result<FileView> IccidFile(const Package& package);
Result<FileView> ImsiFile(const Package& package);

// --- EF.IMSI coding (3GPP TS 31.102 §4.2.2) ----------------------------------------------------
// Byte 1 = number of following bytes used; byte 2 = first digit in the high nibble, parity in
// the low nibble (1001 odd digit count, 0001 even); then digit pairs low nibble first, F-padded
// to 9 bytes. Decode refuses a length byte over 8, a non-digit nibble before the padding or a
// wrong parity; Encode requires 6..15 decimal digits.
Result<std::string> DecodeImsi(ByteView ef_imsi);
Result<Bytes> EncodeImsi(std::string_view imsi_digits);

}  // namespace m2mrsp::saip
