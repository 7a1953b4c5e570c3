#include "gp/store_data.h"

#include <algorithm>

#include "gp/install.h"

namespace m2mrsp::gp {
namespace {

constexpr uint8_t kP1LastBlock = 0x80;
constexpr uint8_t kP1EncryptionMask = 0x60;
constexpr uint8_t kP1StructureMask = 0x18;
constexpr uint8_t kP1RfuMask = 0x06;
constexpr uint8_t kP1ResponseExpected = 0x01;

}  // namespace

uint8_t StoreDataP1::Encode() const {
  return static_cast<uint8_t>((last_block ? kP1LastBlock : 0) | static_cast<uint8_t>(encryption) |
                              static_cast<uint8_t>(structure) |
                              (response_expected ? kP1ResponseExpected : 0));
}

Result<StoreDataP1> StoreDataP1::Decode(uint8_t p1) {
  if ((p1 & kP1RfuMask) != 0) return ParseError("STORE DATA P1: RFU bits b3-b2 set");
  const uint8_t enc = p1 & kP1EncryptionMask;
  if (enc == 0x40) return ParseError("STORE DATA P1: RFU encryption coding 10");
  const uint8_t structure = p1 & kP1StructureMask;
  if (structure == 0x18) return ParseError("STORE DATA P1: RFU structure coding 11");
  return StoreDataP1{.last_block = (p1 & kP1LastBlock) != 0,
                     .encryption = static_cast<StoreDataEncryption>(enc),
                     .structure = static_cast<StoreDataStructure>(structure),
                     .response_expected = (p1 & kP1ResponseExpected) != 0};
}

Result<std::vector<CommandApdu>> BuildStoreData(const std::vector<Bytes>& blocks,
                                                const StoreDataOptions& options) {
  if (blocks.empty()) return InvalidArgument("STORE DATA: no block");
  if (blocks.size() > 256) return InvalidArgument("STORE DATA: more than 256 blocks");
  std::vector<CommandApdu> out;
  out.reserve(blocks.size());
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].size() > kMaxShortNc) {
      return InvalidArgument("STORE DATA: block longer than 255 bytes");
    }
    const StoreDataP1 p1{.last_block = i + 1 == blocks.size(),
                         .encryption = options.encryption,
                         .structure = options.structure,
                         .response_expected = options.response_expected};
    CommandApdu apdu =
        MakeCommand(options.cla, kInsStoreData, p1.Encode(), static_cast<uint8_t>(i), blocks[i]);
    if (options.response_expected) apdu.ne = kMaxShortNe;
    out.push_back(std::move(apdu));
  }
  return out;
}

Result<std::vector<CommandApdu>> SplitStoreData(ByteView data, size_t max_block,
                                                const StoreDataOptions& options) {
  if (max_block == 0 || max_block > kMaxShortNc) {
    return InvalidArgument("STORE DATA: block size must be 1..255");
  }
  std::vector<Bytes> blocks;
  for (size_t pos = 0; pos < data.size(); pos += max_block) {
    const size_t n = std::min(max_block, data.size() - pos);
    blocks.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(pos),
                        data.begin() + static_cast<std::ptrdiff_t>(pos + n));
  }
  if (blocks.empty()) blocks.emplace_back();
  return BuildStoreData(blocks, options);
}

void StoreDataAssembler::Reset() {
  blocks_.clear();
  total_ = 0;
  complete_ = false;
}

Status StoreDataAssembler::Add(const CommandApdu& apdu) {
  if (complete_) Reset();
  if (!IsGpClass(apdu.cla) || apdu.ins != kInsStoreData) {
    Reset();
    return ParseError("not a STORE DATA command");
  }
  auto p1 = StoreDataP1::Decode(apdu.p1);
  if (!p1.ok()) {
    Reset();
    return p1.status();
  }
  if (apdu.p2 != blocks_.size()) {
    const std::string expected = std::to_string(blocks_.size());
    Reset();
    return Status::Error(ErrorKind::kFailedPrecondition,
                         "STORE DATA block " + std::to_string(apdu.p2) + " out of sequence, " +
                             "expected " + expected);
  }
  if (blocks_.size() + 1 > limits_.max_blocks || total_ + apdu.data.size() > limits_.max_total) {
    Reset();
    return LimitExceeded("STORE DATA sequence over the limits");
  }
  total_ += apdu.data.size();
  blocks_.push_back({*p1, apdu.data});
  complete_ = p1->last_block;
  return Status::Ok();
}

std::vector<StoreDataBlock> StoreDataAssembler::TakeBlocks() {
  if (!complete_) FatalError("StoreDataAssembler::TakeBlocks before the last block");
  std::vector<StoreDataBlock> out = std::move(blocks_);
  Reset();
  return out;
}

Bytes StoreDataAssembler::Concatenated() const {
  Bytes out;
  out.reserve(total_);
  for (const auto& b : blocks_) Append(out, AsView(b.data));
  return out;
}

}  // namespace m2mrsp::gp
