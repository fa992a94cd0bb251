#pragma once

#include <string>

#include "domain/error.h"

namespace mxemu::storage {

// An exclusive claim on a data dir for the life of one process: flock(2) on DIR/mxemu.lock,
// which the kernel drops when the process ends however it ends (kill -9 included), so a stale
// lock never blocks a restart. A second claim, from another process or the same one, fails
// with a message naming the holder's pid.
class DataDirLock {
 public:
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  DataDirLock(DataDirLock&& other) noexcept;
  DataDirLock& operator=(DataDirLock&&) = delete;
  ~DataDirLock();

  // Creates `dir` when missing. kInsufficientStorage when it cannot be made or locked;
  // kConflict when another holder has it.
  static domain::Result<DataDirLock> acquire(const std::string& dir);

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace mxemu::storage
