// Keeps docs/state-machine.md honest: its generated block must equal
// render_state_machine_doc(), and its hand-written part must describe every status.
//
// To regenerate the block after changing the table, run the test with MXEMU_UPDATE_DOCS=1:
//   MXEMU_UPDATE_DOCS=1 ./mxemu_domain_tests --gtest_filter='StateMachineDoc*'
// The test then rewrites the block in place (and passes) instead of failing.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>

#include "domain/connection_status.h"
#include "domain/member_machine.h"
#include "support/generated_doc.h"

namespace mxemu::domain {
namespace {

constexpr std::string_view kBegin = "<!-- BEGIN GENERATED: state machine -->\n";
constexpr std::string_view kEnd = "<!-- END GENERATED: state machine -->";

std::string doc_path() { return std::string(MXEMU_SOURCE_DIR) + "/docs/state-machine.md"; }

bool split_doc(const std::string& text, testing::DocBlock* out) {
  return testing::split_generated_block(doc_path(), text, kBegin, kEnd, out);
}

TEST(StateMachineDocTest, GeneratedBlockMatchesTheTable) {
  const std::string path = doc_path();
  const std::string text = testing::read_file(path);
  ASSERT_FALSE(text.empty()) << "cannot read " << path;
  testing::DocBlock doc;
  ASSERT_TRUE(split_doc(text, &doc));

  const std::string expected = render_state_machine_doc();
  if (doc.generated == expected) return;

  if (testing::update_docs_requested()) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << doc.before << expected << doc.after;
    ASSERT_TRUE(out.good()) << "cannot write " << path;
    std::cout << "[ UPDATED  ] " << path << "\n";
    return;
  }
  ADD_FAILURE() << path << " is out of date with the transition table in "
                << "mock_server/domain/member_machine.cpp.\nRegenerate it with:\n"
                << "  MXEMU_UPDATE_DOCS=1 <build>/tests/mxemu_domain_tests "
                   "--gtest_filter='StateMachineDoc*'\nthen review the diff.\n"
                << "--- expected block ---\n"
                << expected;
}

TEST(StateMachineDocTest, RenderingIsDeterministicAndComplete) {
  const std::string doc = render_state_machine_doc();
  EXPECT_EQ(doc, render_state_machine_doc());
  EXPECT_EQ(doc.rfind("```mermaid\nstateDiagram-v2\n", 0), 0u) << doc.substr(0, 80);
  for (const TransitionRow& r : transition_rows()) {
    const std::string guard = r.guard.empty() ? "" : "`" + r.guard + "`";
    const std::string line =
        "| " + r.from + " | `" + r.event + "` | " + guard + " | " + r.to + " |";
    EXPECT_NE(doc.find(line), std::string::npos) << "missing row: " << line;
  }
}

// The hand-written part has one "### STATUS" section per status (and one for the hidden
// authenticating state), so a new status cannot go undocumented.
TEST(StateMachineDocTest, EveryStatusHasAParagraph) {
  const std::string text = testing::read_file(doc_path());
  testing::DocBlock doc;
  ASSERT_TRUE(split_doc(text, &doc));
  for (const StatusInfo& s : all_statuses()) {
    const std::string name = s.status == ConnectionStatus::kNone ? "null" : std::string(s.name);
    EXPECT_NE(doc.before.find("\n### " + name + "\n"), std::string::npos)
        << "docs/state-machine.md has no '### " << name << "' section";
  }
  EXPECT_NE(doc.before.find("\n### (authenticating)\n"), std::string::npos);
}

}  // namespace
}  // namespace mxemu::domain
