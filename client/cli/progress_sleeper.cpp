#include "progress_sleeper.h"

#include <algorithm>

namespace mxctl {

void ProgressSleeper::wait(std::chrono::milliseconds duration) {
  if (!report_ || duration <= every_) {
    inner_.wait(duration);
    return;
  }
  std::chrono::milliseconds done{0};
  while (done < duration && !inner_.interrupted()) {
    const auto slice = std::min(every_, duration - done);
    inner_.wait(slice);
    done += slice;
    if (done < duration && !inner_.interrupted()) report_(done, duration);
  }
}

}  // namespace mxctl
