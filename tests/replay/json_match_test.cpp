#include "json_match.h"

#include <gtest/gtest.h>

namespace mxemu::replay {
namespace {

using nlohmann::json;

TEST(Templates, WholeStringTakesTheCapturedValueAndPartsAreSpliced) {
  Captures c{{"m", "MBR-1"}, {"n", 3}};
  EXPECT_EQ(render(json("{n}"), c), json(3));
  EXPECT_EQ(render(json("/members/{m}/status"), c), json("/members/MBR-1/status"));
  EXPECT_EQ(render(json{{"a", {"{m}", "x{n}y"}}}, c), (json{{"a", {"MBR-1", "x3y"}}}));
  EXPECT_EQ(render(json("{not a name} {} {1x}"), c), json("{not a name} {} {1x}"));
  EXPECT_THROW(render(json("{missing}"), c), TemplateError);
}

TEST(SubsetDiff, ObjectsBySubsetArraysByLengthScalarsByValue) {
  const json actual = {{"member", {{"guid", "MBR-1"}, {"connection_status", "FAILED"}}},
                       {"list", {1, 2}}};
  EXPECT_TRUE(subset_diff({{"member", {{"guid", "MBR-1"}}}}, actual).empty());
  EXPECT_EQ(subset_diff({{"member", {{"connection_status", "CONNECTED"}}}}, actual),
            std::vector<std::string>{
                "/member/connection_status: expected \"CONNECTED\", got \"FAILED\""});
  EXPECT_EQ(subset_diff({{"list", {1}}}, actual),
            std::vector<std::string>{"/list: expected an array of 1 elements, got [1,2]"});
  EXPECT_EQ(subset_diff({{"nope", 1}}, actual),
            std::vector<std::string>{"/nope: expected 1, got nothing (no such key)"});
}

}  // namespace
}  // namespace mxemu::replay
