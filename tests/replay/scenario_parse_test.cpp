#include <gtest/gtest.h>

#include "scenario.h"

namespace mxemu::replay {
namespace {

std::string error_of(const std::string& text) {
  ParseError e;
  EXPECT_FALSE(parse_scenario(text, "broken.json", e).has_value());
  return e.message();
}

const char* kHead =
    R"("format": 1, "name": "n", "description": "d", "start": "2024-03-01T09:00:00Z")";

TEST(ScenarioParse, AcceptsCommentsAndAllStepKinds) {
  ParseError e;
  const std::string text = std::string("// a comment\n{") + kHead + R"(,
    "setup": {"users": [{"as": "u"}]},
    "steps": [
      {"request": {"method": "GET", "path": "/users/{u}"}, "expect": {"status": 200},
       "capture": {"g": "/user/guid"}},
      {"advance": {"hours": 3}}, /* inline */
      {"expect_status": {"member": "{m}", "user": "{u}", "status": "CONNECTED", "within": {"days": 1}}}
    ],
    "finally": [{"set_clock": "2024-03-02T09:00:00Z"}]})";
  auto s = parse_scenario(text, "ok.json", e);
  ASSERT_TRUE(s.has_value()) << e.message();
  EXPECT_EQ(s->steps.size(), 3u);
  EXPECT_EQ(s->steps[1].kind, "advance");
  EXPECT_EQ(s->steps[2].pointer, "/steps/2");
  EXPECT_EQ(s->finally_steps.size(), 1u);
}

TEST(ScenarioParse, ErrorsNameFilePointerAndExpectation) {
  EXPECT_EQ(error_of(R"({"format": 2})"),
            "broken.json: /format: expected 1 (the only format version)");
  EXPECT_EQ(error_of(std::string("{") + kHead + R"(, "steps": [{"advance": {"weeks": 1}}]})"),
            "broken.json: /steps/0/advance/weeks: expected a duration: an object with one of "
            "\"seconds\", \"minutes\", \"hours\", \"days\" (an integer >= 0)");
  EXPECT_EQ(error_of(std::string("{") + kHead + R"(, "steps": [{"advance": {"days": -1}}]})"),
            "broken.json: /steps/0/advance/days: expected an integer >= 0");
  EXPECT_EQ(error_of(std::string("{") + kHead +
                     R"(, "steps": [{"advance": {"days": 1}}, {"request": {"path": "/x"}}]})"),
            "broken.json: /steps/1/request/method: expected a required field: a string");
  EXPECT_EQ(error_of(std::string("{") + kHead +
                     R"(, "steps": [{"advance": {"days": 1}, "expect": {}}]})"),
            "broken.json: /steps/0/expect: expected \"expect\" and \"capture\" only on a request "
            "step or a client step");
  EXPECT_EQ(
      error_of(std::string("{") + kHead + R"(, "steps": [], "setup": {"members": [{"as": "m"}]}})"),
      "broken.json: /setup/members/0/user: expected a required field: a string");
  EXPECT_EQ(
      error_of(
          std::string("{") + kHead +
          R"(, "steps": [{"request": {"method": "GET", "path": "/"}, "capture": {"x": "user"}}]})"),
      "broken.json: /steps/0/capture/x: expected a JSON pointer into the response body, such as "
      "\"/member/guid\"");
  EXPECT_EQ(
      error_of(
          R"({"format": 1, "name": "n", "description": "d", "start": "yesterday", "steps": []})"),
      "broken.json: /start: expected an ISO 8601 UTC instant such as \"2024-03-01T09:00:00Z\"");
  EXPECT_NE(error_of("{not json").find("broken.json: (document): expected well-formed JSON"),
            std::string::npos);
  // A number beyond a double's range is an error, not an abort (scenario_fuzzer's finding).
  EXPECT_NE(error_of(R"({"format": 1e999})").find("expected well-formed JSON"), std::string::npos);
}

TEST(ScenarioParse, UnknownStepKindListsTheKnownOnes) {
  const auto m = error_of(std::string("{") + kHead + R"(, "steps": [{"sleep": 3}]})");
  EXPECT_NE(m.find("broken.json: /steps/0/sleep: expected a step kind (one of: request, advance,"),
            std::string::npos)
      << m;
}

}  // namespace
}  // namespace mxemu::replay
