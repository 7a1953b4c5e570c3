// Reader for the test-vector data files in tests/vectors/*.vec (format: tests/vectors/README.md).
// A record is a block of `Name = value` lines; `[Section]` lines name the records after them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace m2mrsp::testing {

struct VectorRecord {
  std::string file;
  int line = 0;  // first line of the record
  std::string section;
  std::map<std::string, std::string> fields;

  bool Has(const std::string& name) const { return fields.count(name) != 0; }
  // Throws std::runtime_error naming file:line when the field is missing or not hex.
  const std::string& Get(const std::string& name) const;
  Bytes Hex(const std::string& name) const;
  size_t Size(const std::string& name) const;  // decimal field
  std::string Where() const { return file + ":" + std::to_string(line); }
};

// Loads `relative_path` under M2MRSP_VECTOR_DIR. Throws std::runtime_error when the file is
// missing or malformed (vectors are part of the repository; their absence is a failure).
std::vector<VectorRecord> LoadVectors(const std::string& relative_path);

// Records of one section.
std::vector<VectorRecord> InSection(const std::vector<VectorRecord>& all,
                                    const std::string& section);

}  // namespace m2mrsp::testing
