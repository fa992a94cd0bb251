// SharedText and TextPool: equal texts become one allocation, and the pool's memory is bounded.
#include "api/shared_text.h"

#include <gtest/gtest.h>

#include <string>

namespace mxemu::api {
namespace {

TEST(SharedText, ReadsAndComparesLikeAString) {
  const SharedText empty;
  EXPECT_TRUE(empty.empty());
  EXPECT_EQ(empty.size(), 0U);
  EXPECT_EQ(empty.str(), "");
  const SharedText text = std::string("/users/USR-1");
  EXPECT_EQ(text, "/users/USR-1");
  EXPECT_EQ(text, std::string("/users/USR-1"));
  EXPECT_NE(text, "/users/USR-2");
  EXPECT_EQ(text.size(), 12U);
  SharedText copy;
  copy = text;  // a copy shares the text
  EXPECT_TRUE(copy.same_as(text));
  // An empty string is the empty text, not an allocation.
  EXPECT_TRUE(SharedText(std::string()).same_as(empty));
}

TEST(TextPool, EqualTextsBecomeOneAllocation) {
  TextPool pool(/*max_texts=*/8, /*max_bytes=*/1024);
  const SharedText a = pool.share(std::string("/users/USR-1/members/MBR-1/status"));
  const SharedText b = pool.share(std::string("/users/USR-1/members/MBR-1/status"));
  const SharedText c = pool.share(std::string("/users/USR-2/members/MBR-2/status"));
  EXPECT_TRUE(a.same_as(b));
  EXPECT_FALSE(a.same_as(c));
  EXPECT_EQ(pool.texts(), 2U);
  EXPECT_TRUE(pool.share(SharedText()).empty());
  EXPECT_EQ(pool.texts(), 2U);
}

TEST(TextPool, ForgetsEverythingWhenFullAndHoldersKeepTheirTexts) {
  TextPool pool(/*max_texts=*/3, /*max_bytes=*/1024);
  const SharedText first = pool.share(std::string("t0"));
  for (int i = 1; i < 3; ++i) pool.share(std::string("t") + std::to_string(i));
  EXPECT_EQ(pool.texts(), 3U);
  pool.share(std::string("t3"));  // a fourth text: the pool starts over
  EXPECT_EQ(pool.texts(), 1U);
  EXPECT_EQ(first, "t0");                                      // its holder still has it
  EXPECT_FALSE(pool.share(std::string("t0")).same_as(first));  // forgotten, so a new copy

  TextPool bytes(/*max_texts=*/100, /*max_bytes=*/10);
  bytes.share(std::string("123456"));
  bytes.share(std::string("7890"));
  EXPECT_EQ(bytes.texts(), 2U);
  bytes.share(std::string("x"));  // 11 bytes in all
  EXPECT_EQ(bytes.texts(), 1U);
  // A text larger than the whole pool is returned as it is and not remembered.
  const SharedText large = bytes.share(std::string(11, 'l'));
  EXPECT_EQ(large.size(), 11U);
  EXPECT_EQ(bytes.texts(), 1U);
}

}  // namespace
}  // namespace mxemu::api
