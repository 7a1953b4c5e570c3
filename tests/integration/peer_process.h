// Test helper: a child process started with posix_spawn (tests/tools/es_peer and the like), with
// pipes to its stdin and stdout (and optionally stderr), owned by an RAII guard. Stop() sends
// SIGTERM and waits for the exit with a timeout, then SIGKILLs as a last resort; the destructor
// calls it, so no test path leaves a child behind. Waiting uses poll() on the pipes and on a
// pidfd (a bounded wait on the event itself, never a sleep). Header-only. Not thread-safe.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

extern char** environ;

namespace m2mrsp::testing {

class PeerProcess {
 public:
  // Starts `program` with `args`. `capture_stderr`: read it with ReadStderr(); otherwise the
  // child writes to our stderr (its diagnostics then appear in the test log).
  static Result<std::unique_ptr<PeerProcess>> Start(const std::string& program,
                                                    const std::vector<std::string>& args,
                                                    bool capture_stderr = false) {
    std::unique_ptr<PeerProcess> p(new PeerProcess());
    int in[2], out[2], err[2] = {-1, -1};
    if (::pipe2(in, O_CLOEXEC) != 0) return Errno("pipe");
    p->stdin_ = in[1];
    if (::pipe2(out, O_CLOEXEC) != 0) {
      ::close(in[0]);
      return Errno("pipe");
    }
    p->stdout_ = out[0];
    if (capture_stderr) {
      if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(in[0]);
        ::close(out[1]);
        return Errno("pipe");
      }
      p->stderr_ = err[0];
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    if (capture_stderr) posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    std::vector<std::string> storage = {program};
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& s : storage) argv.push_back(s.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);  // the child's ends
    ::close(out[1]);
    if (capture_stderr) ::close(err[1]);
    if (rc != 0) return Status::Error(ErrorKind::kIo, program + ": " + std::strerror(rc));
    p->pid_ = pid;
    return p;
  }

  ~PeerProcess() {
    (void)Stop();
    for (int fd : {stdin_, stdout_, stderr_}) {
      if (fd >= 0) ::close(fd);
    }
  }
  PeerProcess(const PeerProcess&) = delete;
  PeerProcess& operator=(const PeerProcess&) = delete;

  // One line of stdout without the newline; kTimeout when none arrives in time, kUnavailable
  // when stdout closed first.
  Result<std::string> ReadLine(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      if (auto nl = stdout_buffer_.find('\n'); nl != std::string::npos) {
        std::string line = stdout_buffer_.substr(0, nl);
        stdout_buffer_.erase(0, nl + 1);
        return line;
      }
      char buf[256];
      M2_ASSIGN_OR_RETURN(size_t n, ReadSome(stdout_, buf, sizeof buf, deadline));
      if (n == 0) return Status::Error(ErrorKind::kUnavailable, "stdout closed");
      stdout_buffer_.append(buf, n);
    }
  }

  // Everything the child wrote to stderr until it closed it (capture_stderr only).
  Result<std::string> ReadStderr(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string all;
    for (;;) {
      char buf[256];
      M2_ASSIGN_OR_RETURN(size_t n, ReadSome(stderr_, buf, sizeof buf, deadline));
      if (n == 0) return all;
      all.append(buf, n);
    }
  }

  Status WriteStdin(const std::string& text) {
    size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(stdin_, text.data() + done, text.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Errno("write to the child's stdin");
      done += static_cast<size_t>(n);
    }
    return Status::Ok();
  }

  void CloseStdin() {
    if (stdin_ >= 0) ::close(stdin_);
    stdin_ = -1;
  }

  // Waits for the exit; returns the wait status (WIFEXITED...), kTimeout if still running.
  Result<int> Wait(std::chrono::milliseconds timeout) {
    if (exit_status_) return *exit_status_;
    const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exit_status_ = status;
        break;
      }
      if (r < 0 && errno != EINTR) {
        if (pidfd >= 0) ::close(pidfd);
        return Errno("waitpid");
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      if (pidfd >= 0) {
        pollfd fd{pidfd, POLLIN, 0};
        (void)::poll(&fd, 1, static_cast<int>(left.count()));  // readable once it exited
      } else {
        // No pidfd (kernel < 5.3): re-check periodically until the deadline.
        pollfd none{-1, 0, 0};
        (void)::poll(&none, 1, static_cast<int>(std::min<int64_t>(left.count(), 20)));
      }
    }
    if (pidfd >= 0) ::close(pidfd);
    if (!exit_status_) return Status::Error(ErrorKind::kTimeout, "child still running");
    return *exit_status_;
  }

  // SIGTERM, then SIGKILL when it has not exited within `grace`. Returns the wait status.
  Result<int> Stop(std::chrono::milliseconds grace = std::chrono::seconds(30)) {
    if (pid_ <= 0) return Status::Error(ErrorKind::kFailedPrecondition, "not started");
    if (exit_status_) return *exit_status_;
    ::kill(pid_, SIGTERM);
    auto status = Wait(grace);
    if (status.ok()) return status;
    ::kill(pid_, SIGKILL);
    return Wait(std::chrono::seconds(30));
  }

  pid_t pid() const { return pid_; }

 private:
  PeerProcess() = default;

  static Status Errno(const std::string& what) {
    return Status::Error(ErrorKind::kIo, what + ": " + std::strerror(errno));
  }

  // Reads what is available on `fd` (0: end of file) before `deadline`.
  static Result<size_t> ReadSome(int fd, char* buf, size_t size,
                                 std::chrono::steady_clock::time_point deadline) {
    if (fd < 0) return Status::Error(ErrorKind::kFailedPrecondition, "not captured");
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return Status::Error(ErrorKind::kTimeout, "no output in time");
      pollfd p{fd, POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r < 0 && errno == EINTR) continue;
      if (r < 0) return Errno("poll");
      if (r == 0) continue;
      const ssize_t n = ::read(fd, buf, size);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Errno("read");
      return static_cast<size_t>(n);
    }
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int stderr_ = -1;
  std::string stdout_buffer_;
  std::optional<int> exit_status_;
};

}  // namespace m2mrsp::testing
