// mxemu-replay: replays scenario files (scenarios/README.md) in process or against --target.
#include <iostream>

#include "runner.h"

int main(int argc, char** argv) {
  return mxemu::replay::run_cli(std::vector<std::string>(argv + 1, argv + argc), std::cout,
                                std::cerr);
}
