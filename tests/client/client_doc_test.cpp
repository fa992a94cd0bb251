// docs/client.md's example: the file it shows is compiled here, its handlers run against the
// emulator in virtual time, and the doc's copy of it is kept identical to the file.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>

#include "../../client/examples/link_bank.cpp"  // NOLINT(bugprone-suspicious-include): the example
#include "flow_emulator_fixture.h"
#include "support/generated_doc.h"

namespace mxemu::testing {
namespace {

class ClientDocTest : public FlowEmulatorTest {};

TEST_F(ClientDocTest, TheExampleLinksABankAndSyncsAgainstTheEmulator) {
  mxclient::MxApiConfig config;
  config.client_id = "client";
  config.api_key = "key";
  auto db = mxclient::open_sqlite_store(dir_.file("example.sqlite"));
  ASSERT_TRUE(db) << db.error().message;
  example::Integration app(transport_, config, std::move(*db), clock_, sleeper_);

  auto url = example::start_linking(app, "user-42");
  ASSERT_TRUE(url) << url.error().message;
  EXPECT_NE(url->find("/connect/"), std::string::npos);

  // What the WebView would report once the user connected MX Bank in the widget.
  auto user = app.store->find_end_user_by_app_id("user-42");
  ASSERT_TRUE(user && *user);
  const std::string member = create_mxbank_member((*user)->user_guid, "password");
  auto report =
      example::finish_linking(app, "user-42",
                              "bankapp://connect/memberConnected?metadata={\"member_guid\":\"" +
                                  member + "\",\"user_guid\":\"" + (*user)->user_guid + "\"}");
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->accounts_fetched, 6U);
  EXPECT_GT(report->transactions_fetched, 500U);
  EXPECT_TRUE(report->unmapped.empty());
}

TEST(ClientDoc, TheDocShowsTheExampleAsItIs) {
  const std::string doc_path = std::string(MXEMU_SOURCE_DIR) + "/docs/client.md";
  const std::string example_path = std::string(MXEMU_SOURCE_DIR) + "/client/examples/link_bank.cpp";
  const std::string text = read_file(doc_path);
  DocBlock doc;
  ASSERT_TRUE(split_generated_block(doc_path, text, "<!-- BEGIN GENERATED: link_bank.cpp -->\n",
                                    "<!-- END GENERATED: link_bank.cpp -->", &doc));
  const std::string expected = "```cpp\n" + read_file(example_path) + "```\n";
  if (doc.generated == expected) return;
  if (update_docs_requested()) {
    std::ofstream out(doc_path, std::ios::binary | std::ios::trunc);
    out << doc.before << expected << doc.after;
    ASSERT_TRUE(out.good());
    std::cout << "[ UPDATED  ] " << doc_path << "\n";
    return;
  }
  ADD_FAILURE() << doc_path << " does not show client/examples/link_bank.cpp as it is.\n"
                << "Regenerate with MXEMU_UPDATE_DOCS=1 <build>/tests/mxemu_client_tests "
                   "--gtest_filter='ClientDoc*'";
}

}  // namespace
}  // namespace mxemu::testing
