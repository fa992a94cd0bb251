// The adapter on the wire, byte by byte: pipelined requests on one keep-alive connection, request
// framing that could smuggle a request (RFC 9112 §6.3, §11.2), and a percent-encoded '/' in the
// request target. Raw sockets on 127.0.0.1, port 0, with read timeouts so that a bug fails
// instead of hanging; nothing sleeps.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/http_server.h"

namespace mxemu::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Answers every request with "<METHOD> <path> <body>" as JSON and records it.
class EchoHandler : public api::Handler {
 public:
  api::Response handle(const api::Request& request) override {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    const nlohmann::json echo{{"method", std::string(api::to_string(request.method))},
                              {"path", request.path},
                              {"body", request.body}};
    return api::Response{200, "application/json", echo.dump(), {}};
  }
  std::vector<api::Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<api::Request> requests_;
};

struct RawResponse {
  int status = 0;
  std::string head;
  std::string body;
};

// A connected loopback socket whose reads time out after 5 s.
class RawConnection {
 public:
  explicit RawConnection(int port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    const timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }

  // One write() holding all of `bytes`.
  bool send_all(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }

  // Up to `count` responses, each a head plus Content-Length bytes of body; fewer when the
  // server closes or goes silent for 5 s.
  std::vector<RawResponse> read_responses(std::size_t count) {
    std::vector<RawResponse> out;
    while (out.size() < count) {
      const auto head_end = in_.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        RawResponse r;
        r.head = in_.substr(0, head_end + 4);
        std::size_t length = 0;
        if (const auto at = r.head.find("Content-Length: "); at != std::string::npos) {
          length = std::stoul(r.head.substr(at + 16));
        }
        if (in_.size() >= head_end + 4 + length) {
          r.status = std::stoi(r.head.substr(9, 3));
          r.body = in_.substr(head_end + 4, length);
          in_.erase(0, head_end + 4 + length);
          out.push_back(std::move(r));
          continue;
        }
      }
      if (!receive()) break;
    }
    return out;
  }

  // What one recv() returns: the bytes already there, or the next to arrive (empty after 5 s).
  std::string receive_once() {
    char buf[65536];
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
  }

  // True when the server closed the connection (after anything still buffered).
  bool closed_by_server() {
    while (receive()) {
    }
    return eof_;
  }

 private:
  bool receive() {
    char buf[4096];
    const ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
    if (n == 0) eof_ = true;
    if (n <= 0) return false;
    in_.append(buf, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  bool connected_ = false;
  bool eof_ = false;
  std::string in_;
};

class WireProtocol : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.threads = 4;
    options.keep_alive_timeout = std::chrono::seconds(1);
    server_ = std::make_unique<HttpServer>(handler_, options);
    ASSERT_TRUE(server_->start()) << server_->error();
  }

  std::string field(const RawResponse& r, const char* key) {
    return nlohmann::json::parse(r.body).at(key).get<std::string>();
  }

  EchoHandler handler_;
  std::unique_ptr<HttpServer> server_;
};

std::string get(const std::string& path) { return "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n"; }

// --- pipelining ---------------------------------------------------------------------------

TEST_F(WireProtocol, ThreePipelinedGetsAreAllAnsweredInOrder) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send_all(get("/one") + get("/two") + get("/three")));

  const auto responses = c.read_responses(3);
  ASSERT_EQ(responses.size(), 3u);  // before: only the first, the rest died with its stream
  std::vector<std::string> paths;
  for (const auto& r : responses) {
    EXPECT_EQ(r.status, 200);
    paths.push_back(field(r, "path"));
  }
  EXPECT_THAT(paths, ElementsAre("/one", "/two", "/three"));

  // The connection stays usable afterwards.
  ASSERT_TRUE(c.send_all(get("/four")));
  const auto more = c.read_responses(1);
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(field(more[0], "path"), "/four");
}

TEST_F(WireProtocol, PostWithBodyPipelinedWithGets) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  const std::string body = R"({"user":{"id":"pipelined"}})";
  const std::string chunked =
      "PUT /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
      "Content-Type: application/json\r\n\r\n"
      "3\r\n{\"a\r\n5\r\n\":1}\n\r\n0\r\n\r\n";
  ASSERT_TRUE(c.send_all(
      "POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body + get("/after") + chunked + get("/last")));

  const auto responses = c.read_responses(4);
  ASSERT_EQ(responses.size(), 4u);
  EXPECT_EQ(field(responses[0], "method"), "POST");
  EXPECT_EQ(field(responses[0], "body"), body);
  EXPECT_EQ(field(responses[1], "path"), "/after");
  EXPECT_EQ(field(responses[2], "path"), "/chunked");
  EXPECT_EQ(field(responses[2], "body"), "{\"a\":1}\n");
  EXPECT_EQ(field(responses[3], "path"), "/last");
  EXPECT_EQ(handler_.requests().size(), 4u);
}

TEST_F(WireProtocol, ManyPipelinedRequestsLargerThanOneReadAreAllAnswered) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  std::string burst;
  for (int i = 0; i < 200; ++i) burst += get("/r" + std::to_string(i));  // > 16 KiB buffer
  ASSERT_TRUE(c.send_all(burst));
  const auto responses = c.read_responses(200);
  ASSERT_EQ(responses.size(), 200u);
  for (int i = 0; i < 200; ++i) EXPECT_EQ(field(responses[i], "path"), "/r" + std::to_string(i));
}

// --- how a response leaves ----------------------------------------------------------------

// httplib writes a response's head and its body in two calls; the stream sends them together,
// so the first read of the answer holds all of it (one syscall and one TCP segment, not two).
TEST_F(WireProtocol, AResponseLeavesInOneSend) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(c.send_all(get("/whole-" + std::to_string(i))));
    const std::string first = c.receive_once();
    const auto head_end = first.find("\r\n\r\n");
    ASSERT_NE(head_end, std::string::npos) << first;
    EXPECT_THAT(first.substr(head_end + 4), HasSubstr("/whole-" + std::to_string(i)));
  }
}

// Collected output is sent before the server waits for input: a client that asks
// "Expect: 100-continue" gets its interim answer before it sends the body, then the response.
TEST_F(WireProtocol, ExpectContinueIsAnsweredBeforeTheBodyIsSent) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  const std::string body = R"({"user":{"id":"waits"}})";
  ASSERT_TRUE(
      c.send_all("POST /users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Expect: 100-continue\r\nContent-Length: " +
                 std::to_string(body.size()) + "\r\n\r\n"));
  EXPECT_THAT(c.receive_once(), HasSubstr("HTTP/1.1 100 Continue\r\n"));
  ASSERT_TRUE(c.send_all(body));
  const auto responses = c.read_responses(1);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_EQ(field(responses[0], "body"), body);
}

// --- framing that could smuggle a request -------------------------------------------------

// Each sends `head` with a body that holds a whole second request, then one more GET: the
// server must answer 400 once, close, and never serve the smuggled request or the GET.
struct SmuggleCase {
  const char* name;
  std::string head;
};

class Smuggling : public WireProtocol, public ::testing::WithParamInterface<SmuggleCase> {};

TEST_P(Smuggling, IsRefusedWith400AndTheConnectionClosed) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  const std::string smuggled = get("/smuggled");
  ASSERT_TRUE(c.send_all(GetParam().head + "\r\n" + smuggled + get("/next")));

  const auto responses = c.read_responses(3);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 400);
  EXPECT_THAT(responses[0].head, HasSubstr("Connection: close\r\n"));
  EXPECT_THAT(responses[0].body, HasSubstr(R"({"error":{"message":)"));
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_TRUE(handler_.requests().empty());
}

const std::string kLength = std::to_string(get("/smuggled").size());

INSTANTIATE_TEST_SUITE_P(
    Framing, Smuggling,
    ::testing::Values(
        SmuggleCase{"LengthAndChunked",
                    "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                    "Transfer-Encoding: chunked\r\n"},
        SmuggleCase{"ChunkedAndLength",
                    "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                    "chunked\r\nContent-Length: 4\r\n"},
        SmuggleCase{"TwoLengths",
                    "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                    "Content-Length: " +
                        kLength + "\r\n"},
        SmuggleCase{"TwoEqualLengths", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: " + kLength +
                                           "\r\nContent-Length: " + kLength + "\r\n"},
        SmuggleCase{"ListLength", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: " + kLength +
                                      "," + kLength + "\r\n"},
        SmuggleCase{"SignedLength", "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: +4\r\n"},
        SmuggleCase{"GzipChunked",
                    "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, "
                    "chunked\r\n"},
        SmuggleCase{"TwoEncodings",
                    "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                    "chunked\r\nTransfer-Encoding: identity\r\n"},
        SmuggleCase{"GetChunked", "GET /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"}),
    [](const ::testing::TestParamInfo<SmuggleCase>& p) { return std::string(p.param.name); });

TEST_F(WireProtocol, MalformedHeadClosesTheConnection) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send_all("GARBAGE\r\n\r\n" + get("/next")));
  const auto responses = c.read_responses(2);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 400);
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_TRUE(handler_.requests().empty());
}

// MX's SDK sends listTokens' filter as a GET body. Its bytes are the body, never a request.
TEST_F(WireProtocol, AGetBodyIsReadAsItsBodyNotAsTheNextRequest) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  const std::string inside = get("/smuggled");
  ASSERT_TRUE(c.send_all("GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: " + kLength + "\r\n\r\n" +
                         inside + get("/next")));
  const auto responses = c.read_responses(3);
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(field(responses[0], "path"), "/a");
  EXPECT_EQ(field(responses[1], "path"), "/next");
  const auto requests = handler_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].body, inside);
}

TEST_F(WireProtocol, AGetBodyOverTheLimitIs413AndTheConnectionClosed) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send_all("GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n{}"));
  const auto responses = c.read_responses(2);
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 413);
  EXPECT_TRUE(c.closed_by_server());
  EXPECT_TRUE(handler_.requests().empty());
}

TEST_F(WireProtocol, GetWithEmptyContentLengthIsServed) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send_all("GET /a HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n" + get("/b")));
  const auto responses = c.read_responses(2);
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(field(responses[1], "path"), "/b");
}

// Hostile heads and bodies: each gets a 4xx in MX's envelope (or, where no request could be
// read at all, a closed connection), never a 5xx, and the handler never sees them.
TEST_F(WireProtocol, HostileBytesGetA4xxNeverA5xx) {
  const std::vector<std::string> cases = {
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
      "POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}",
      "GET http://example.com/a HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET a HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /a HTTP/1.1\r\nHost: x\r\nX-Nul: a" + std::string(1, '\0') + "b\r\n\r\n",
      "GET /a HTTP/1.1\r\nHost: x\r\nX-Nul-End: ab" + std::string(1, '\0') + "\r\n\r\n",
      "BREW /a HTTP/1.1\r\nHost: x\r\n\r\n",
      "GET /a HTTP/1.1\r\nHost: x\r\nRange: bytes=oops\r\n\r\n",
  };
  for (const std::string& bytes : cases) {
    RawConnection c(server_->port());
    ASSERT_TRUE(c.connected());
    ASSERT_TRUE(c.send_all(bytes));
    const auto responses = c.read_responses(1);
    if (responses.empty()) {
      EXPECT_TRUE(c.closed_by_server()) << bytes;
      continue;
    }
    EXPECT_GE(responses[0].status, 400) << bytes;
    EXPECT_LT(responses[0].status, 500) << bytes;
    EXPECT_THAT(responses[0].body, HasSubstr(R"({"error":{"message":)")) << bytes;
  }
  for (const auto& r : handler_.requests()) ADD_FAILURE() << "handler saw " << r.path;
}

// A client that stops in the middle of its head holds its worker for one read timeout, no
// longer: with a single worker, the next client is served once that timeout has passed.
TEST(WireProtocolTimeouts, ASilentClientIsDroppedAfterTheReadTimeout) {
  EchoHandler handler;
  ServerOptions options;
  options.threads = 1;
  options.read_timeout = std::chrono::seconds(1);
  options.keep_alive_timeout = std::chrono::seconds(1);
  HttpServer server(handler, options);
  ASSERT_TRUE(server.start()) << server.error();

  RawConnection silent(server.port());
  ASSERT_TRUE(silent.connected());
  ASSERT_TRUE(silent.send_all("GET /silent HTTP/1.1\r\nHost: x\r\nX-Half"));
  RawConnection next(server.port());  // waits in the accept queue for the only worker
  ASSERT_TRUE(next.connected());
  ASSERT_TRUE(next.send_all(get("/next")));

  const auto responses = next.read_responses(1);  // 5 s budget; the worker frees after ~1 s
  ASSERT_EQ(responses.size(), 1u);
  EXPECT_EQ(responses[0].status, 200);
  EXPECT_TRUE(silent.closed_by_server());
  const auto requests = handler.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/next");
}

// --- the request target -------------------------------------------------------------------

TEST_F(WireProtocol, EncodedSlashInASegmentNeverRoutesToAnotherPath) {
  RawConnection c(server_->port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.send_all(get("/users/USR-1%2Fmembers") + get("/users/USR-1%2fmembers") +
                         get("/users/USR%00-1") + get("/users/USR-1%252F")));
  const auto responses = c.read_responses(4);
  ASSERT_EQ(responses.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(responses[i].status, 400) << i;
    EXPECT_THAT(responses[i].body, HasSubstr(R"({"error":{"message":)")) << i;
  }
  // "%25" is a literal '%': the decoded segment is "USR-1%2F", one segment, routed as such.
  EXPECT_EQ(responses[3].status, 200);
  const auto requests = handler_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/users/USR-1%2F");
}

}  // namespace
}  // namespace mxemu::http
