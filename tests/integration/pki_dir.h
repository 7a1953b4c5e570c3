// Test helper: a temporary directory holding exactly what `m2mrsp pki init DIR` writes (the
// pki library's GenerateTestPki, files written as src/app/pki_command.cc does: keys mode 0600),
// removed with everything in it when the object goes. Header-only (the integration glob takes
// *_test.cc only). Not thread-safe; one per test suite.
#pragma once

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "base/clock.h"
#include "pki/test_pki.h"

namespace m2mrsp::testing {

class PkiDir {
 public:
  // Errors: whatever generation or the file system reports.
  static Result<std::unique_ptr<PkiDir>> Create() {
    std::string pattern = (std::filesystem::temp_directory_path() / "m2mrsp-pki-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Status::Error(ErrorKind::kIo, "mkdtemp failed");
    }
    std::unique_ptr<PkiDir> dir(new PkiDir(pattern));
    pki::TestPkiOptions options;
    options.now = SystemClock::Instance().Now();
    M2_ASSIGN_OR_RETURN(auto files, pki::GenerateTestPki(options));
    for (const pki::PkiFile& f : files) {
      M2_RETURN_IF_ERROR(dir->Write(f.path, f.is_secret() ? f.secret.view() : ByteView(f.data),
                                    f.is_secret() ? 0600 : 0644));
    }
    return dir;
  }

  ~PkiDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  PkiDir(const PkiDir&) = delete;
  PkiDir& operator=(const PkiDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // The text of a file of the PKI (certificates, keys, entities.json).
  std::string Read(const std::string& relative) const {
    std::ifstream in(path_ / relative, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  Status Write(const std::string& relative, ByteView data, mode_t mode = 0644) const {
    const std::filesystem::path p = path_ / relative;
    std::error_code ec;
    std::filesystem::create_directories(p.parent_path(), ec);
    if (ec) return Status::Error(ErrorKind::kIo, p.parent_path().string() + ": " + ec.message());
    {
      std::ofstream out(p, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(data.data()),
                static_cast<std::streamsize>(data.size()));
      if (!out) return Status::Error(ErrorKind::kIo, p.string() + ": write failed");
    }
    if (::chmod(p.c_str(), mode) != 0) return Status::Error(ErrorKind::kIo, p.string() + ": chmod");
    return Status::Ok();
  }

 private:
  explicit PkiDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace m2mrsp::testing
