#pragma once

// The runner tests' fixture: a temp directory of scenario files and run_cli on them with a
// fake stopwatch (7 ms per reading).
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "runner.h"

namespace mxemu::replay {

namespace fs = std::filesystem;

class Runner : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::path(::testing::TempDir()) /
        ("replay_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  std::string write(const std::string& name, const std::string& body) {
    const auto p = dir_ / name;
    std::ofstream(p) << body;
    return p.string();
  }
  int run(std::vector<std::string> args, const std::string& update_golden_env = "") {
    out_.str("");
    err_.str("");
    return run_cli(args, out_, err_, stopwatch(), update_golden_env);
  }
  // A stopwatch that moves 7 ms per reading: no real clock in the tests, and durations that
  // prove the runner measures with the one it is given.
  Stopwatch stopwatch() {
    return [this] {
      ticks_ += std::chrono::milliseconds(7);
      return std::chrono::steady_clock::time_point(ticks_);
    };
  }
  std::chrono::steady_clock::duration ticks_{};
  static std::string scenario(const std::string& name, const std::string& steps,
                              const std::string& password = "password") {
    return R"({"format": 1, "name": ")" + name + R"(", "description": "test",
      "start": "2024-03-01T09:00:00Z",
      "setup": {"users": [{"as": "user"}],
                "members": [{"as": "member", "user": "{user}", "institution": "mxbank", "password": ")" +
           password + R"("}]},
      "steps": [)" +
           steps + "]}";
  }
  fs::path dir_;
  std::ostringstream out_, err_;
};

}  // namespace mxemu::replay
