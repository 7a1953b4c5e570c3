// STORE DATA (GP Card Specification v2.3 §11.11): P1 coding, splitting a payload over a
// numbered block sequence on the server side, and reassembling the blocks on the card side.
//
// P1 (GP v2.3 Table 11-89): b8 last block; b7-b6 encryption information (00 none, 01
// application dependent, 11 encrypted, 10 RFU); b5-b4 data structure (00 none, 01 DGI, 10
// BER-TLV, 11 RFU); b3-b2 RFU (0); b1 response data expected (GP v2.3; SGP.02 key
// establishment sends `09`/`89`). P2 is the block number, 00..FF, starting at 00.
// StoreDataAssembler is a small state machine owned by one card session; not thread-safe.
// The other types are values and the functions stateless.
#pragma once

#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/status.h"
#include "gp/apdu.h"

namespace m2mrsp::gp {

inline constexpr uint8_t kInsStoreData = 0xE2;

enum class StoreDataEncryption : uint8_t {
  kNone = 0x00,
  kApplicationDependent = 0x20,
  kEncrypted = 0x60,
};
enum class StoreDataStructure : uint8_t { kNone = 0x00, kDgi = 0x08, kBerTlv = 0x10 };

struct StoreDataP1 {
  bool last_block = false;
  StoreDataEncryption encryption = StoreDataEncryption::kNone;
  StoreDataStructure structure = StoreDataStructure::kNone;
  bool response_expected = false;

  uint8_t Encode() const;
  // Refuses the RFU codings (encryption 10, structure 11, b3-b2 set).
  static Result<StoreDataP1> Decode(uint8_t p1);
  bool operator==(const StoreDataP1&) const = default;
};

struct StoreDataOptions {
  StoreDataEncryption encryption = StoreDataEncryption::kNone;
  StoreDataStructure structure = StoreDataStructure::kDgi;
  bool response_expected = false;  // sets b1 and adds Le `00` to every block
  uint8_t cla = 0x80;
};

// One STORE DATA per element of `blocks`, P2 = 00, 01, ...; b8 set on the last. Errors when
// there are no blocks, more than 256, or a block longer than 255 bytes (short APDUs only).
Result<std::vector<CommandApdu>> BuildStoreData(const std::vector<Bytes>& blocks,
                                                const StoreDataOptions& options = {});
// Cuts `data` into blocks of at most `max_block` bytes (1..255) and builds them as above.
// Empty data gives one empty last block.
Result<std::vector<CommandApdu>> SplitStoreData(ByteView data, size_t max_block,
                                                const StoreDataOptions& options = {});

struct StoreDataLimits {
  size_t max_total = 64 * 1024;  // reassembled bytes
  size_t max_blocks = 256;
};

struct StoreDataBlock {
  StoreDataP1 p1;
  Bytes data;
};

// Card side. Feed every STORE DATA of one sequence to Add(); after the block with b8 the
// sequence is complete() and TakeBlocks()/Concatenated() give the result; the next Add() then
// starts a new sequence. Errors: not a STORE DATA or RFU P1 (kParse → SW 6A86/6A80), block out
// of sequence (kFailedPrecondition → SW 6A86), over the limits (kLimitExceeded → SW 6A84).
// After an error the sequence is abandoned (the next block must be number 00 again).
class StoreDataAssembler {
 public:
  explicit StoreDataAssembler(StoreDataLimits limits = {}) : limits_(limits) {}

  Status Add(const CommandApdu& apdu);
  bool complete() const { return complete_; }
  // REQUIRES: complete(). Moves the blocks out and resets the assembler.
  std::vector<StoreDataBlock> TakeBlocks();
  // The data fields of the current blocks, concatenated.
  Bytes Concatenated() const;

 private:
  void Reset();
  StoreDataLimits limits_;
  std::vector<StoreDataBlock> blocks_;
  size_t total_ = 0;
  bool complete_ = false;
};

}  // namespace m2mrsp::gp
