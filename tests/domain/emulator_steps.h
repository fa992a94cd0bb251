#pragma once

// Steps the emulator tests share: a settled member, and a job started and settled.
#include <gtest/gtest.h>

#include <string>

#include "api/errors.h"
#include "support/test_emulator.h"

namespace mxemu::testing {

struct Connected {
  std::string user;
  std::string member;
};

// A new user with one member at `institution`, its first job settled.
inline Connected connect(TestEmulator& emu, const std::string& institution,
                         const std::string& password = "password") {
  Connected c{emu.user(), ""};
  auto m = emu.member(c.user, institution, password);
  EXPECT_TRUE(m.ok()) << mxemu::api::message_of(m.error());
  if (m.ok()) c.member = (*m)->guid;
  emu.settle(c.member);
  return c;
}

inline domain::Result<domain::JobAcceptance> job(TestEmulator& emu, const Connected& c,
                                                 domain::JobType type) {
  return emu->start_job(c.user, c.member, domain::IdentifierMode::kGuidOnly, type);
}

// Starts a standard aggregation, which must start a job, and settles it: the status it ends in.
inline domain::ConnectionStatus aggregate(TestEmulator& emu, const Connected& c) {
  auto r = job(emu, c, domain::JobType::kAggregate);
  EXPECT_TRUE(r.ok()) << mxemu::api::message_of(r.error());
  if (r.ok()) {
    EXPECT_EQ(r->disposition, domain::JobDisposition::kStarted);
  }
  return emu.settle(c.member).status();
}

}  // namespace mxemu::testing
