// PathPattern: a segment walk over literal and captured segments (with a literal suffix).
#include "api/path_pattern.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mxemu::api {
namespace {

using Captures = std::vector<std::string>;

Captures match(std::string_view pattern, std::string_view path, bool* matched) {
  Captures captures;
  *matched = PathPattern(pattern).match(path, captures);
  return captures;
}

bool matches(std::string_view pattern, std::string_view path) {
  bool matched = false;
  match(pattern, path, &matched);
  return matched;
}

TEST(PathPattern, LiteralsMatchWholeSegmentsOnly) {
  EXPECT_TRUE(matches("/users", "/users"));
  EXPECT_FALSE(matches("/users", "/user"));
  EXPECT_FALSE(matches("/users", "/users/"));  // a trailing slash is one more, empty, segment
  EXPECT_FALSE(matches("/users", "/users/x"));
  EXPECT_FALSE(matches("/users/x", "/users"));
  EXPECT_TRUE(matches("/token", "token"));  // the leading slash is optional
  EXPECT_FALSE(matches("/token", ""));
  EXPECT_FALSE(matches("/a/b", "/a//b"));
}

TEST(PathPattern, CapturesAreNonEmptyAndInOrder) {
  bool matched = false;
  const Captures c = match("/users/{user}/members/{member}", "/users/U1/members/M2", &matched);
  ASSERT_TRUE(matched);
  EXPECT_EQ(c, (Captures{"U1", "M2"}));
  EXPECT_FALSE(matches("/users/{user}", "/users/"));
  EXPECT_FALSE(matches("/users/{user}/members", "/users/U1/members/"));
  EXPECT_EQ(PathPattern("/users/{user}/members/{member}").capture_index("member"), 1);
  EXPECT_EQ(PathPattern("/users/{user}").capture_index("member"), -1);
}

TEST(PathPattern, ACaptureMayEndInALiteralSuffix) {
  bool matched = false;
  const Captures c = match("/statements/{statement}.pdf", "/statements/STA-1.pdf", &matched);
  ASSERT_TRUE(matched);
  EXPECT_EQ(c, (Captures{"STA-1"}));
  EXPECT_FALSE(matches("/statements/{statement}.pdf", "/statements/.pdf"));
  EXPECT_FALSE(matches("/statements/{statement}.pdf", "/statements/STA-1"));
  EXPECT_FALSE(matches("/statements/{statement}.pdf", "/statements/STA-1.pdf/x"));
}

}  // namespace
}  // namespace mxemu::api
