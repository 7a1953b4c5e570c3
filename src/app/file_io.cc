#include "app/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace m2mrsp::app {
namespace {

Status IoError(const std::string& path, const std::string& what) {
  return Status::Error(ErrorKind::kIo, path + ": " + what);
}

Status WriteAll(int fd, ByteView data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IoError(path, std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

Status WriteFileAtomic(const std::string& path, ByteView data, mode_t mode) {
  // mkostemp opens with O_CREAT|O_EXCL and mode 0600: with O_EXCL, open(2) fails on any existing
  // name, a symlink included, so it is at least as strict as O_NOFOLLOW.
  std::string tmp = path + ".tmp.XXXXXX";
  std::vector<char> name(tmp.begin(), tmp.end());
  name.push_back('\0');
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return IoError(path, std::strerror(errno));
  tmp.assign(name.data());
  Status s;
  if (::fchmod(fd, mode) != 0) s = IoError(path, "chmod: " + std::string(std::strerror(errno)));
  if (s.ok()) s = WriteAll(fd, data, path);
  if (s.ok() && ::fsync(fd) != 0) s = IoError(path, "fsync: " + std::string(std::strerror(errno)));
  if (::close(fd) != 0 && s.ok()) s = IoError(path, "close");
  // rename(2) replaces `path` itself: a symlink there is replaced, not followed.
  if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    s = IoError(path, std::strerror(errno));
  }
  if (!s.ok()) ::unlink(tmp.c_str());
  return s;
}

Result<SecretBytes> ReadPrivateFile(const std::string& path, size_t max_size) {
  const bool is_stdin = path == "-";
  const int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(path, std::strerror(errno));
  struct stat st {};
  Status s;
  if (!is_stdin) {
    if (::fstat(fd, &st) != 0) {
      s = IoError(path, std::strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
      s = InvalidArgument(path + ": not a regular file");
    } else if ((st.st_mode & 077) != 0) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
      s = InvalidArgument(path + ": permissions " + mode +
                          " are too open; a key file must not be accessible by group or others "
                          "(chmod 600)");
    }
  }
  // One buffer of the final capacity, so no reallocation leaves a copy of a key behind.
  SecretBytes buf(max_size + 1);
  size_t used = 0;
  while (s.ok() && used <= max_size) {
    const ssize_t n = ::read(fd, buf.data() + used, max_size + 1 - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) s = IoError(path, std::strerror(errno));
    if (n <= 0) break;
    used += static_cast<size_t>(n);
  }
  if (!is_stdin) ::close(fd);
  M2_RETURN_IF_ERROR(s);
  if (used > max_size) {
    return LimitExceeded(path + ": larger than " + std::to_string(max_size) + " bytes");
  }
  return SecretBytes(buf.view().first(used));
}

}  // namespace m2mrsp::app
