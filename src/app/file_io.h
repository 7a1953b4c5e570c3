// File helpers of the m2mrsp commands that write or read key material: an atomic, mode-setting,
// symlink-refusing writer and a reader for private files (or stdin) into SecretBytes.
//
// WriteFileAtomic writes a temporary file beside `path` (O_CREAT|O_EXCL|O_NOFOLLOW, created with
// `mode` and fchmod'ed to it whatever the umask), syncs it and renames it over `path`, so a
// reader sees the old file or the complete new one, never a partial or world-readable key, and a
// symlink planted at `path` is replaced rather than followed. ReadPrivateFile refuses (like ssh
// does for its keys) a file that group or others may read or write, or that is not a regular
// file; "-" reads stdin, which has no mode to check. Stateless functions; thread-safe.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>

#include "base/bytes.h"
#include "base/secret.h"
#include "base/status.h"

namespace m2mrsp::app {

// Errors are kIo naming the path and the system error; the temporary file is removed on error.
Status WriteFileAtomic(const std::string& path, ByteView data, mode_t mode);

// kInvalidArgument for a file with group/other permission bits (the message shows the mode),
// kLimitExceeded past `max_size`, kIo otherwise. The contents never appear in an error.
Result<SecretBytes> ReadPrivateFile(const std::string& path, size_t max_size);

}  // namespace m2mrsp::app
