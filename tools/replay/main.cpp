// mxemu-replay: replays scenario files (scenarios/README.md) in process or against --target.
// The composition root: the only place that reads the real clock and the environment.
#include <chrono>
#include <cstdlib>
#include <iostream>

#include "runner.h"

int main(int argc, char** argv) {
  const char* update = std::getenv("MXEMU_UPDATE_GOLDEN");
  return mxemu::replay::run_cli(
      std::vector<std::string>(argv + 1, argv + argc), std::cout, std::cerr,
      [] { return std::chrono::steady_clock::now(); }, update != nullptr ? update : "");
}
