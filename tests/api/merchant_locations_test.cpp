// Merchant locations: every in-person transaction names its store (merchant_location_guid), and
// readMerchantLocation serves it; online merchants have none.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

json body(const Response& r) { return ApiClient::json(r); }

class MerchantLocations : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = c_.create_user("alice");
    c_.create_member(user_, "mxbank", "password");
    c_.emu().advance(60);
    transactions_ = body(c_.get("/users/" + user_ + "/transactions?records_per_page=1000"));
  }
  ApiClient c_;
  std::string user_;
  json transactions_;
};

TEST_F(MerchantLocations, InPersonTransactionsNameTheirStoreAndItReads) {
  int located = 0;
  std::map<std::string, std::string> merchant_of;  // location guid → merchant guid
  for (const json& t : transactions_["transactions"]) {
    if (t["merchant_location_guid"].is_null()) {
      // Only rows without a place: no merchant, or one the member pays online.
      EXPECT_TRUE(t["latitude"].is_null()) << t.dump();
      continue;
    }
    ++located;
    const std::string guid = t["merchant_location_guid"];
    EXPECT_EQ(guid.rfind("MCL-", 0), 0U);
    if (merchant_of.count(guid) != 0) {
      EXPECT_EQ(merchant_of[guid], t["merchant_guid"]);
      continue;
    }
    merchant_of[guid] = t["merchant_guid"];
    const Response r = c_.get("/merchant_locations/" + guid);
    ASSERT_EQ(r.status, 200) << r.body;
    const json l = body(r)["merchant_location"];
    EXPECT_EQ(l["guid"], guid);
    EXPECT_EQ(l["merchant_guid"], t["merchant_guid"]);
    EXPECT_EQ(l["latitude"], t["latitude"]);  // the transaction happened at the store
    EXPECT_EQ(l["longitude"], t["longitude"]);
    EXPECT_EQ(l["country"], "US");
    for (const char* k : {"street_address", "city", "state", "postal_code", "phone_number"}) {
      EXPECT_FALSE(l[k].get<std::string>().empty()) << k;
    }
  }
  EXPECT_GT(located, 10);
  // A member shops at a few stores of each merchant, not a new one each time.
  EXPECT_LT(merchant_of.size(), static_cast<std::size_t>(located));
}

TEST_F(MerchantLocations, UnknownOrAlteredGuidsAreNotFound) {
  std::string guid;
  for (const json& t : transactions_["transactions"]) {
    if (!t["merchant_location_guid"].is_null()) {
      guid = t["merchant_location_guid"];
      break;
    }
  }
  ASSERT_FALSE(guid.empty());
  std::string altered = guid;
  altered.back() = altered.back() == '0' ? '1' : '0';
  std::string upper = guid;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  for (const std::string& g : {altered, upper, std::string("MCL-none"), guid.substr(0, 39),
                               std::string("MCH-") + guid.substr(4)}) {
    EXPECT_EQ(c_.get("/merchant_locations/" + g).status, 404) << g;
  }
  // The same guid reads the same in another world: locations are the catalog's.
  ApiClient other;
  EXPECT_EQ(other.get("/merchant_locations/" + guid).body,
            c_.get("/merchant_locations/" + guid).body);
}

}  // namespace
}  // namespace mxemu::api
