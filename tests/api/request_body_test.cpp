// What a request body may be (api/request_body.h): JSON declared as JSON, exactly one document;
// body-less posts with any content type, as MX's SDKs send them. Refused bodies change nothing.
// Also the request target: an encoded '/' never routes to another resource.
#include "api/request_body.h"

#include <gtest/gtest.h>

#include "api/in_process_transport.h"
#include "support/api_client.h"

namespace mxemu::api {
namespace {

using nlohmann::json;
using testing::ApiClient;

Request with_body(Method method, std::string content_type, std::string body) {
  Request r;
  r.method = method;
  if (!content_type.empty()) r.headers.emplace("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

TEST(RequestBody, JsonMediaTypes) {
  for (const char* ok : {"application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
                         " application/json ;charset=UTF-8", "application/vnd.mx.api.v1+json",
                         "application/merge-patch+json"}) {
    EXPECT_TRUE(is_json_media_type(ok)) << ok;
  }
  for (const char* bad : {"", "text/plain", "application/x-www-form-urlencoded", "text/json",
                          "application/jsonx", "application/+json", "application/",
                          "multipart/form-data; boundary=x", "application/json-seq"}) {
    EXPECT_FALSE(is_json_media_type(bad)) << bad;
  }
}

TEST(RequestBody, EmptyBodyIsNoBodyWhateverTheContentType) {
  for (const char* type :
       {"", "application/x-www-form-urlencoded", "text/plain", "application/json"}) {
    auto body = parse_request_body(with_body(Method::kPost, type, ""));
    ASSERT_TRUE(body.ok()) << type;
    EXPECT_TRUE(body->is_null()) << type;
  }
}

TEST(RequestBody, NonJsonBodiesAreUnsupportedMediaType) {
  for (Method m : {Method::kPost, Method::kPut, Method::kPatch}) {
    for (const char* type : {"", "text/plain", "application/x-www-form-urlencoded"}) {
      auto body = parse_request_body(with_body(m, type, R"({"user":{}})"));
      ASSERT_FALSE(body.ok()) << type;
      EXPECT_EQ(body.error().code, domain::ErrorCode::kUnsupportedMedia) << type;
    }
  }
}

TEST(RequestBody, BytesAfterTheDocumentAreInvalid) {
  for (const std::string& text :
       {std::string("{} {}"), std::string("{}\0", 3), std::string("{\"a\":1}\0{}", 10),
        std::string("{}x"), std::string("{"), std::string("[1] 2")}) {
    auto body = parse_request_body(with_body(Method::kPost, "application/json", text));
    ASSERT_FALSE(body.ok()) << text;
    EXPECT_EQ(body.error().code, domain::ErrorCode::kBadRequest) << text;
  }
  auto spaced = parse_request_body(with_body(Method::kPost, "application/json", " {} \r\n"));
  ASSERT_TRUE(spaced.ok());
  EXPECT_EQ(*spaced, json::object());
}

TEST(RequestBody, ReadsIgnoreTheirBody) {
  auto body = parse_request_body(with_body(Method::kGet, "text/plain", "anything"));
  ASSERT_TRUE(body.ok());
  EXPECT_TRUE(body->is_null());
}

// --- through the service: 415/400 in MX's envelope, nothing changed --------------------------

std::size_t user_count(ApiClient& c) { return ApiClient::json(c.get("/users"))["users"].size(); }

void expect_envelope(const Response& r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  const json parsed = json::parse(r.body, nullptr, false);
  ASSERT_TRUE(parsed.is_object()) << r.body;
  EXPECT_TRUE(parsed["error"]["message"].is_string()) << r.body;
}

TEST(RequestBodyService, TextPlainPostIs415AndCreatesNothing) {
  ApiClient c;
  Request r = c.request(Method::kPost, "/users");
  r.headers.emplace("Content-Type", "text/plain");
  r.body = R"({"user":{"id":"plain"}})";
  expect_envelope(c.send(r), 415);
  EXPECT_EQ(user_count(c), 0u);
}

TEST(RequestBodyService, FormEncodedUpdateIs415AndChangesNothing) {
  ApiClient c;
  const std::string user = c.create_user("before");
  Request r = c.request(Method::kPut, "/users/" + user);
  r.headers.emplace("Content-Type", "application/x-www-form-urlencoded");
  r.body = R"({"user":{"id":"after"}})";  // curl -d without -H Content-Type:application/json
  expect_envelope(c.send(r), 415);
  EXPECT_EQ(ApiClient::json(c.get("/users/" + user))["user"]["id"], "before");
}

TEST(RequestBodyService, TrailingBytesAre400AndCreateNothing) {
  ApiClient c;
  for (const std::string& text : {std::string(R"({"user":{"id":"a"}} {})"),
                                  std::string(R"({"user":{"id":"a"}})") + std::string(1, '\0')}) {
    Request r = c.request(Method::kPost, "/users");
    r.headers.emplace("Content-Type", "application/json");
    r.body = text;
    expect_envelope(c.send(r), 400);
  }
  EXPECT_EQ(user_count(c), 0u);
}

TEST(RequestBodyService, BodylessJobPostsWorkWithAnyContentType) {
  ApiClient c;
  const std::string user = c.create_user("sdk");
  const std::string member = c.create_member(user, "mxbank", "password")["member"]["guid"];
  c.emu().advance(60);
  const std::string target = "/users/" + user + "/members/" + member + "/aggregate";
  Request form = c.request(Method::kPost, target);
  form.headers.emplace("Content-Type", "application/x-www-form-urlencoded");  // MX's SDK
  EXPECT_EQ(c.send(form).status, 202);
  c.emu().advance(3600 * 4);
  EXPECT_EQ(c.send(c.request(Method::kPost, target)).status, 202);  // no Content-Type at all
}

TEST(RequestBodyService, ControlRoutesRefuseNonJsonBodiesToo) {
  ApiClient c;
  Request r = c.request(Method::kPost, "/_emulator/clock/advance");
  r.headers.emplace("Content-Type", "text/plain");
  r.body = R"({"seconds":60})";
  expect_envelope(c.send(r), 415);
  Request trailing = c.request(Method::kPost, "/_emulator/clock/advance");
  trailing.headers.emplace("Content-Type", "application/json");
  trailing.body = R"({"seconds":60}{"seconds":60})";
  expect_envelope(c.send(trailing), 400);
  EXPECT_EQ(ApiClient::json(c.get("/_emulator/clock"))["clock"]["offset_seconds"], 0);
}

// --- the request target -------------------------------------------------------------------

TEST(RequestTargetService, EncodedSlashNeverRoutesToAnotherResource) {
  ApiClient c;
  const std::string user = c.create_user("slash");
  ASSERT_EQ(c.get("/users/" + user + "/members").status, 200);
  const InProcessTransport transport(c.service());
  Headers headers{{"Authorization", basic_authorization("client", "key")},
                  {"Accept", "application/vnd.mx.api.v1+json"}};
  for (const std::string& target : {"/users/" + user + "%2Fmembers",
                                    "/users/" + user + "%2fmembers", "/users/" + user + "%00"}) {
    const Response r = transport.send(Method::kGet, target, headers, "");
    expect_envelope(r, 400);
    EXPECT_EQ(r.body.find("\"members\""), std::string::npos) << target;
  }
  // Decoded by hand, the same bytes name a user that does not exist: 404, never the members.
  expect_envelope(transport.send(Method::kGet, "/users/" + user + "%252Fmembers", headers, ""),
                  404);
}

}  // namespace
}  // namespace mxemu::api
