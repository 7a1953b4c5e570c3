#include "support/vectors.h"

#include <fstream>
#include <stdexcept>

namespace m2mrsp::testing {
namespace {

std::string Trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

const std::string& VectorRecord::Get(const std::string& name) const {
  auto it = fields.find(name);
  if (it == fields.end()) throw std::runtime_error(Where() + ": no field " + name);
  return it->second;
}

Bytes VectorRecord::Hex(const std::string& name) const {
  auto b = FromHex(Get(name));
  if (!b.ok()) throw std::runtime_error(Where() + ": field " + name + ": " + b.status().message());
  return *b;
}

size_t VectorRecord::Size(const std::string& name) const {
  return static_cast<size_t>(std::stoul(Get(name)));
}

std::vector<VectorRecord> LoadVectors(const std::string& relative_path) {
  const std::string path = std::string(M2MRSP_VECTOR_DIR) + "/" + relative_path;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open vector file " + path);
  std::vector<VectorRecord> out;
  std::string section;
  std::string line;
  int lineno = 0;
  bool open = false;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string t = Trim(line);
    if (t.empty()) {
      open = false;
      continue;
    }
    if (t[0] == '#') continue;
    if (t.front() == '[' && t.back() == ']') {
      section = t.substr(1, t.size() - 2);
      open = false;
      continue;
    }
    const auto eq = t.find('=');
    if (eq == std::string::npos) {
      throw std::runtime_error(path + ":" + std::to_string(lineno) + ": expected Name = value");
    }
    if (!open) {
      out.push_back(VectorRecord{relative_path, lineno, section, {}});
      open = true;
    }
    out.back().fields[Trim(t.substr(0, eq))] = Trim(t.substr(eq + 1));
  }
  if (out.empty()) throw std::runtime_error("vector file " + path + " has no records");
  return out;
}

std::vector<VectorRecord> InSection(const std::vector<VectorRecord>& all,
                                    const std::string& section) {
  std::vector<VectorRecord> out;
  for (const auto& r : all) {
    if (r.section == section) out.push_back(r);
  }
  return out;
}

}  // namespace m2mrsp::testing
