#include "domain/timestamps.h"

#include <gtest/gtest.h>

namespace mxemu::domain {
namespace {

TEST(Iso8601, ParsesMxsShapesAndRefusesTimesATimePointCannotHold) {
  const auto t = parse_iso8601("2024-03-01T09:00:00.000Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(format_iso8601(*t), "2024-03-01T09:00:00.000Z");
  EXPECT_TRUE(parse_iso8601("2024-03-01T09:00:00+00:00"));
  EXPECT_TRUE(parse_iso8601("1700-01-01T00:00:00Z"));
  EXPECT_TRUE(parse_iso8601("2250-12-31T23:59:59Z"));
  // Nanoseconds in 64 bits end near 1678 and 2262: outside, nullopt rather than an overflow.
  EXPECT_FALSE(parse_iso8601("1012-01-01T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(parse_iso8601("0000-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace mxemu::domain
