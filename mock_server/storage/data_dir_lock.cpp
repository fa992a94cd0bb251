#include "storage/data_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

namespace mxemu::storage {
namespace {

domain::Error failed(const std::string& what) {
  return domain::make_error(domain::ErrorCode::kInsufficientStorage,
                            what + ": " + std::strerror(errno));
}

}  // namespace

DataDirLock::DataDirLock(DataDirLock&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

DataDirLock::~DataDirLock() {
  if (fd_ >= 0) close(fd_);  // releases the flock
}

domain::Result<DataDirLock> DataDirLock::acquire(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return domain::make_error(domain::ErrorCode::kInsufficientStorage,
                              "cannot create the data dir " + dir + ": " + ec.message());
  }
  const std::string path = dir + "/mxemu.lock";
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return failed("cannot open " + path);
  DataDirLock lock(fd);
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return failed("cannot lock " + path);
    std::array<char, 32> pid{};
    const ssize_t n = pread(fd, pid.data(), pid.size() - 1, 0);
    std::string holder = n > 0 ? std::string(pid.data(), static_cast<std::size_t>(n)) : "unknown";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' ')) holder.pop_back();
    return domain::make_error(domain::ErrorCode::kConflict,
                              "the data dir " + dir + " is in use by another mxemu (pid " + holder +
                                  "); one process per data dir");
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    return failed("cannot write " + path);
  }
  return lock;
}

}  // namespace mxemu::storage
