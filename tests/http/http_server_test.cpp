#include "http/http_server.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api/errors.h"
#include "http/request_conversion.h"

// Loopback only, port 0 everywhere, no sleeps: HttpServer::start() returns once the server runs,
// and every client has connection and read timeouts so that a bug fails instead of hanging.
namespace mxemu::http {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::testing::Pair;
using ::testing::StartsWith;
using ::testing::UnorderedElementsAre;

constexpr char kJson[] = "application/json";

// Records every request and answers with a canned response (or whatever `respond_with` says).
class FakeHandler : public api::Handler {
 public:
  using Responder = std::function<api::Response(const api::Request&)>;

  void respond_with(Responder responder) {
    std::lock_guard lock(mutex_);
    responder_ = std::move(responder);
  }

  api::Response handle(const api::Request& request) override {
    Responder responder;
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
      responder = responder_;
    }
    if (responder) return responder(request);
    return api::Response{200, kJson, R"({"ok":true})", {}};
  }

  std::vector<api::Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  std::size_t request_count() const {
    std::lock_guard lock(mutex_);
    return requests_.size();
  }

 private:
  mutable std::mutex mutex_;
  Responder responder_;
  std::vector<api::Request> requests_;
};

// Collects log lines; safe to read after the server is gone.
struct LogLines {
  std::mutex mutex;
  std::vector<std::string> lines;

  std::function<void(std::string_view)> sink() {
    return [this](std::string_view line) {
      std::lock_guard lock(mutex);
      lines.emplace_back(line);
    };
  }
  std::vector<std::string> snapshot() {
    std::lock_guard lock(mutex);
    return lines;
  }
};

ServerOptions test_options() {
  ServerOptions options;
  options.threads = 8;
  options.keep_alive_timeout = std::chrono::seconds(1);  // bounds stop() with a lingering client
  return options;
}

httplib::Client make_client(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(5, 0);
  client.set_write_timeout(5, 0);
  return client;
}

nlohmann::json parse(const std::string& body) { return nlohmann::json::parse(body); }

// A blocking TCP socket connected to 127.0.0.1:`port`, or -1. `timeout` bounds connect() and
// every later send and receive.
int connect_loopback(int port, timeval timeout) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));  // also bounds connect()
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

// A raw TCP exchange for requests httplib::Client cannot send (malformed, TRACE). Sends `bytes`
// and returns one response: the head plus Content-Length bytes of body (5 s read timeout). The
// connection is not half-closed: httplib 0.11.4 drops the response of a client that did that.
std::string raw_exchange(int port, const std::string& bytes) {
  const int fd = connect_loopback(port, timeval{5, 0});
  if (fd < 0) return {};
  std::string out;
  if (::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())) {
    std::size_t wanted = std::string::npos;  // total bytes, known once the head is complete
    char buf[4096];
    while (out.size() < wanted) {
      const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
      const auto head_end = out.find("\r\n\r\n");
      if (wanted == std::string::npos && head_end != std::string::npos) {
        const auto length_at = out.find("Content-Length: ");
        const std::size_t length =
            length_at < head_end ? std::stoul(out.substr(length_at + 16)) : std::size_t{0};
        wanted = head_end + 4 + length;
      }
    }
  }
  ::close(fd);
  return out;
}

std::string body_of(const std::string& raw_response) {
  const auto end = raw_response.find("\r\n\r\n");
  return end == std::string::npos ? std::string() : raw_response.substr(end + 4);
}

// --- request conversion -------------------------------------------------------------------

TEST(HttpServerTest, ConvertsMethodPathQueryHeadersAndBody) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());
  client.set_url_encode(false);  // send the target exactly as written

  const httplib::Headers headers{{"X-Custom", "one"}, {"X-Multi", "a"}, {"X-Multi", "b"}};
  auto res = client.Post("/users/USR-1/members?page=2&tag=a&tag=b&q=x%20y+z&empty=", headers,
                         R"({"member":{"institution_code":"mxbank"}})", kJson);
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);

  const auto requests = handler.requests();
  ASSERT_EQ(requests.size(), 1u);
  const api::Request& req = requests[0];
  EXPECT_EQ(req.method, api::Method::kPost);
  EXPECT_EQ(req.path, "/users/USR-1/members");
  EXPECT_THAT(req.query, ElementsAre(Pair("empty", ""), Pair("page", "2"), Pair("q", "x y z"),
                                     Pair("tag", "a"), Pair("tag", "b")));
  EXPECT_EQ(req.header("x-custom"), "one");  // case-insensitive lookup
  EXPECT_EQ(req.headers.count("X-Multi"), 2u);
  EXPECT_EQ(req.header("Content-Type"), kJson);
  EXPECT_FALSE(req.has_header("REMOTE_ADDR"));  // httplib's pseudo-headers are not passed on
  EXPECT_FALSE(req.has_header("REMOTE_PORT"));
  EXPECT_FALSE(req.has_header("LOCAL_ADDR"));
  EXPECT_EQ(req.body, R"({"member":{"institution_code":"mxbank"}})");
}

TEST(HttpServerTest, ConnectionHooksRunAroundEachConnectionOnItsWorker) {
  std::mutex mutex;
  std::condition_variable changed;
  int befores = 0;
  int afters = 0;
  std::thread::id before_thread;
  std::thread::id after_thread;
  auto options = test_options();
  options.keep_alive_timeout = std::chrono::seconds(30);  // the connection closes only by stop()
  options.before_connection = [&] {
    std::lock_guard lock(mutex);
    ++befores;
    before_thread = std::this_thread::get_id();
  };
  options.after_connection = [&] {
    std::lock_guard lock(mutex);
    ++afters;
    after_thread = std::this_thread::get_id();
    changed.notify_all();
  };
  FakeHandler handler;
  HttpServer server(handler, options);
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());
  client.set_keep_alive(true);
  ASSERT_TRUE(client.Get("/one"));
  ASSERT_TRUE(client.Get("/two"));  // the same connection: nothing has closed yet
  {
    std::lock_guard lock(mutex);
    EXPECT_EQ(befores, 1);
    EXPECT_EQ(afters, 0);
  }
  client.stop();
  std::unique_lock lock(mutex);
  EXPECT_TRUE(changed.wait_for(lock, std::chrono::seconds(5), [&] { return afters > 0; }));
  EXPECT_EQ(afters, 1);
  EXPECT_EQ(befores, 1);
  EXPECT_EQ(after_thread, before_thread);
}

TEST(HttpServerTest, MapsEveryMethod) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());

  EXPECT_TRUE(client.Get("/m"));
  EXPECT_TRUE(client.Post("/m", "{}", kJson));
  EXPECT_TRUE(client.Put("/m", "{}", kJson));
  EXPECT_TRUE(client.Patch("/m", "{}", kJson));
  EXPECT_TRUE(client.Delete("/m"));
  EXPECT_TRUE(client.Options("/m"));
  auto head = client.Head("/m");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");  // httplib never writes a body for HEAD

  std::vector<api::Method> methods;
  for (const auto& req : handler.requests()) methods.push_back(req.method);
  EXPECT_THAT(methods, ElementsAre(api::Method::kGet, api::Method::kPost, api::Method::kPut,
                                   api::Method::kPatch, api::Method::kDelete, api::Method::kOptions,
                                   api::Method::kHead));
}

TEST(HttpServerTest, PassesThePercentDecodedPath) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());

  ASSERT_TRUE(client.Get("/members/a%20b%2Bc%0Ad?x=%2F"));

  const auto requests = handler.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].path, "/members/a b+c\nd");  // every path reaches the handler
  EXPECT_EQ(requests[0].query_param("x"), "/");
}

TEST(HttpServerTest, FormEncodedBodyDoesNotLeakIntoTheQuery) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());

  ASSERT_TRUE(client.Post("/users?page=1", "page=9&name=x", "application/x-www-form-urlencoded"));

  const auto requests = handler.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_THAT(requests[0].query, ElementsAre(Pair("page", "1")));
  EXPECT_EQ(requests[0].body, "page=9&name=x");
}

// --- response conversion ------------------------------------------------------------------

TEST(HttpServerTest, WritesStatusBodyContentTypeAndExtraHeaders) {
  FakeHandler handler;
  handler.respond_with([](const api::Request&) {
    return api::Response{429,
                         kJson,
                         R"({"error":{"message":"Too many requests"}})",
                         {{"Retry-After", "7200"}, {"X-Request-Id", "req-1"}}};
  });
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());

  auto res = client.Get("/users/USR-1/members/MBR-1/check_balance");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  // The handler's error body is kept as it is, not replaced by the adapter's envelope.
  EXPECT_EQ(res->body, R"({"error":{"message":"Too many requests"}})");
  EXPECT_EQ(res->get_header_value("Content-Type"), kJson);
  EXPECT_EQ(res->get_header_value("Retry-After"), "7200");
  EXPECT_EQ(res->get_header_value("X-Request-Id"), "req-1");
}

TEST(HttpServerTest, IgnoresRangeHeaders) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());

  auto res = client.Get("/users", httplib::Headers{{"Range", "bytes=0-1"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, R"({"ok":true})");
  EXPECT_FALSE(res->has_header("Content-Range"));
}

TEST(HttpServerTest, NoContentHasNoBodyContentTypeOrContentLength) {
  FakeHandler handler;
  handler.respond_with([](const api::Request&) {
    return api::Response{204, kJson, "must not be sent", {}};
  });
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());
  client.set_keep_alive(true);
  std::atomic<int> connections{0};
  client.set_socket_options([&connections](socket_t) { ++connections; });

  for (int i = 0; i < 2; ++i) {  // the second request proves the framing on a kept connection
    auto res = client.Delete("/users/USR-1");
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    EXPECT_EQ(res->status, 204);
    EXPECT_EQ(res->body, "");
    EXPECT_FALSE(res->has_header("Content-Type"));
    EXPECT_FALSE(res->has_header("Content-Length"));  // RFC 9110 8.6: MUST NOT for 204
  }
  client.stop();
  EXPECT_EQ(connections, 1);
}

TEST(HttpServerTest, ErrorStatusWithoutBodyGetsTheEnvelope) {
  FakeHandler handler;
  handler.respond_with([](const api::Request&) { return api::Response{404, "", "", {}}; });
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());

  auto res = client.Get("/nowhere");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
  EXPECT_THAT(res->get_header_value("Content-Type"), StartsWith(kJson));
  EXPECT_EQ(parse(res->body), parse(R"({"error":{"message":"Not found"}})"));
}

// --- errors the handler never sees --------------------------------------------------------

TEST(HttpServerTest, HandlerExceptionBecomes500EnvelopeWithoutLeakingWhat) {
  FakeHandler handler;
  handler.respond_with([](const api::Request& req) -> api::Response {
    if (req.path == "/int") throw 42;
    throw std::runtime_error("db password=hunter2");
  });
  LogLines log;
  ServerOptions options = test_options();
  options.log_level = LogLevel::kError;
  options.log_sink = log.sink();
  HttpServer server(handler, options);
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());

  for (const char* path : {"/std", "/int"}) {
    auto res = client.Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_EQ(res->status, 500) << path;
    EXPECT_EQ(res->body, R"({"error":{"message":"Internal error"}})") << path;
    EXPECT_THAT(res->get_header_value("Content-Type"), StartsWith(kJson)) << path;
    EXPECT_FALSE(res->has_header("EXCEPTION_WHAT")) << path;
    for (const auto& [name, value] : res->headers) {
      EXPECT_THAT(value, Not(HasSubstr("hunter2"))) << name;
    }
  }
  server.stop();
  // what() goes to the error log, not to the client.
  EXPECT_THAT(log.snapshot(), ElementsAre(HasSubstr("GET /std: db password=hunter2"),
                                          HasSubstr("GET /int: unknown exception")));
}

TEST(HttpServerTest, OversizeBodyGets413Envelope) {
  FakeHandler handler;
  ServerOptions options = test_options();
  options.max_body_bytes = 1024;
  HttpServer server(handler, options);
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());

  auto too_big = client.Post("/users", std::string(1025, 'x'), kJson);
  ASSERT_TRUE(too_big) << httplib::to_string(too_big.error());
  EXPECT_EQ(too_big->status, 413);
  EXPECT_THAT(too_big->get_header_value("Content-Type"), StartsWith(kJson));
  EXPECT_EQ(parse(too_big->body)["error"]["message"],
            "Request body exceeds the limit of 1024 bytes");
  EXPECT_EQ(handler.request_count(), 0u);

  auto at_limit = client.Post("/users", std::string(1024, 'x'), kJson);
  ASSERT_TRUE(at_limit);
  EXPECT_EQ(at_limit->status, 200);
  EXPECT_EQ(handler.request_count(), 1u);
}

TEST(HttpServerTest, MalformedRequestLineGets400Envelope) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();

  const std::string response = raw_exchange(server.port(), "GARBAGE\r\n\r\n");
  EXPECT_THAT(response, HasSubstr("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_THAT(response, HasSubstr("Content-Type: application/json"));
  EXPECT_EQ(parse(body_of(response)), parse(R"({"error":{"message":"Bad request"}})"));
  EXPECT_EQ(handler.request_count(), 0u);
}

TEST(HttpServerTest, UnroutableMethodGets405Envelope) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();

  const std::string response =
      raw_exchange(server.port(), "TRACE /users HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_THAT(response, HasSubstr("HTTP/1.1 405 "));
  EXPECT_EQ(parse(body_of(response))["error"]["message"], "Method not allowed");
  EXPECT_EQ(handler.request_count(), 0u);
}

TEST(HttpServerTest, OverlongUriGets414Envelope) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();

  const std::string response = raw_exchange(
      server.port(), "GET /" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(response, HasSubstr("HTTP/1.1 414 "));
  EXPECT_EQ(parse(body_of(response))["error"]["message"], "URI too long");
  EXPECT_EQ(handler.request_count(), 0u);
}

// --- binding and lifecycle ----------------------------------------------------------------

TEST(HttpServerTest, SecondServerCannotBindTheSamePort) {
  FakeHandler handler;
  HttpServer first(handler, test_options());
  const int port = first.bind();
  ASSERT_GT(port, 0) << first.error();
  EXPECT_EQ(first.port(), port);

  ServerOptions options = test_options();
  options.port = port;
  HttpServer second(handler, options);
  EXPECT_EQ(second.bind(), -1);
  EXPECT_EQ(second.port(), -1);
  EXPECT_THAT(second.error(), HasSubstr("Address already in use"));
  EXPECT_FALSE(second.start());
}

TEST(HttpServerTest, StoppedServerReleasesItsPort) {
  FakeHandler handler;
  int port = -1;
  {
    HttpServer bound_only(handler, test_options());  // bound, never started
    port = bound_only.bind();
    ASSERT_GT(port, 0) << bound_only.error();
  }
  ServerOptions options = test_options();
  options.port = port;
  HttpServer again(handler, options);
  EXPECT_EQ(again.bind(), port) << again.error();
  ASSERT_TRUE(again.start()) << again.error();
  again.stop();

  HttpServer third(handler, options);
  EXPECT_EQ(third.bind(), port) << third.error();
}

TEST(HttpServerTest, ListenBacklogQueuesManyConnectionsBeforeAccept) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  const int port = server.bind();  // listening, but nothing accepts yet
  ASSERT_GT(port, 0) << server.error();

  // The kernel completes a loopback handshake only while the accept queue has room; with
  // httplib's built-in backlog of 5, connection 7 would hang in connect() (and time out here).
  constexpr int kPending = 64;
  std::vector<int> fds;
  for (int i = 0; i < kPending; ++i) {
    const int fd = connect_loopback(port, timeval{0, 500000});
    if (fd < 0) break;
    fds.push_back(fd);
  }
  const std::size_t connected = fds.size();
  for (const int fd : fds) ::close(fd);
  EXPECT_EQ(connected, static_cast<std::size_t>(kPending));
}

TEST(HttpServerTest, RejectsInvalidOptions) {
  FakeHandler handler;
  ServerOptions options = test_options();
  options.threads = 0;
  HttpServer server(handler, options);
  EXPECT_EQ(server.bind(), -1);
  EXPECT_THAT(server.error(), HasSubstr("threads"));
  EXPECT_FALSE(server.start());
}

TEST(HttpServerTest, StartBindsImplicitlyAndRefusesASecondStart) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  EXPECT_EQ(server.port(), -1);
  EXPECT_FALSE(server.is_running());
  ASSERT_TRUE(server.start()) << server.error();
  EXPECT_TRUE(server.is_running());
  EXPECT_GT(server.port(), 0);
  EXPECT_FALSE(server.start());
  EXPECT_THAT(server.error(), HasSubstr("already started"));
}

TEST(HttpServerTest, StopIsIdempotentAndWorksFromAnotherThread) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();
  const int port = server.port();

  std::thread other([&server] { server.stop(); });
  server.stop();
  other.join();
  server.stop();

  EXPECT_FALSE(server.is_running());
  auto client = make_client(port);
  auto res = client.Get("/after-stop");
  EXPECT_FALSE(res);
  EXPECT_EQ(res.error(), httplib::Error::Connection);
  EXPECT_FALSE(server.start());
  EXPECT_THAT(server.error(), HasSubstr("stopped"));
}

TEST(HttpServerTest, StopReturnsWhileAKeepAliveClientLingers) {
  FakeHandler handler;
  ServerOptions options = test_options();  // keep_alive_timeout = 1 s
  HttpServer server(handler, options);
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());
  client.set_keep_alive(true);
  ASSERT_TRUE(client.Get("/linger"));  // the connection stays open and pins a worker

  // Returns once keep_alive_timeout releases the pinned worker; a hang fails the ctest timeout.
  server.stop();
  EXPECT_FALSE(server.is_running());
}

TEST(HttpServerTest, RunBlockingServesUntilStopped) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  const int port = server.bind();
  ASSERT_GT(port, 0) << server.error();

  std::atomic<bool> served_ok{false};
  std::thread serving([&server, &served_ok] { served_ok = server.run_blocking(); });
  auto client = make_client(port);
  auto res = client.Get("/blocking");  // waits in the accept queue until run_blocking accepts
  server.stop();
  serving.join();

  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  EXPECT_TRUE(served_ok);
  EXPECT_FALSE(server.is_running());
}

TEST(HttpServerTest, StopFromInsideAHandlerDoesNotDeadlock) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  handler.respond_with([&server](const api::Request&) {
    server.stop();  // only closes the listener here; the destructor joins
    return api::Response{200, kJson, "{}", {}};
  });
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());
  auto res = client.Get("/shutdown");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
}

// --- keep-alive and the thread pool -------------------------------------------------------

TEST(HttpServerTest, KeepAliveServesSequentialRequestsOnOneConnection) {
  FakeHandler handler;
  HttpServer server(handler, test_options());
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());
  client.set_keep_alive(true);
  std::atomic<int> connections{0};
  client.set_socket_options([&connections](socket_t) { ++connections; });

  int ok = 0;
  std::string keep_alive_header;
  for (int i = 0; i < 100; ++i) {
    auto res = client.Get("/users/USR-1");
    if (res && res->status == 200) ++ok;
    if (res && i == 0) keep_alive_header = res->get_header_value("Keep-Alive");
  }
  client.stop();

  EXPECT_EQ(ok, 100);
  EXPECT_EQ(connections, 1);
  EXPECT_EQ(keep_alive_header, "timeout=1, max=10000");
}

TEST(HttpServerTest, ManyConcurrentKeepAliveClientsAllGetAnswers) {
  FakeHandler handler;
  ServerOptions options = test_options();
  options.threads = ServerOptions{}.threads;  // the default must hold 64 open connections
  HttpServer server(handler, options);
  ASSERT_TRUE(server.start()) << server.error();
  const int port = server.port();

  // Every client keeps its connection open until all clients have had a first answer, so all
  // 64 connections are open at once; a pool smaller than that starves some of them until their
  // 5 s read timeout.
  constexpr int kClients = 64;
  constexpr int kRequestsEach = 20;
  std::mutex mutex;
  std::condition_variable all_arrived;
  int arrived = 0;
  std::atomic<int> answered{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      auto client = make_client(port);
      client.set_keep_alive(true);
      const std::string path = "/clients/" + std::to_string(c);
      for (int r = 0; r < kRequestsEach; ++r) {
        if (auto res = client.Get(path); res && res->status == 200) ++answered;
        if (r == 0) {
          std::unique_lock lock(mutex);
          ++arrived;
          all_arrived.notify_all();
          all_arrived.wait_for(lock, std::chrono::seconds(10), [&] { return arrived == kClients; });
        }
      }
      client.stop();
    });
  }
  for (auto& t : clients) t.join();

  EXPECT_EQ(answered, kClients * kRequestsEach);
  EXPECT_EQ(handler.request_count(), static_cast<std::size_t>(kClients * kRequestsEach));
}

// Documents the model behind ServerOptions::threads: each open keep-alive connection pins one
// worker, so with 2 workers a third client is not answered while the first two stay connected.
TEST(HttpServerTest, EachKeepAliveConnectionPinsAWorker) {
  FakeHandler handler;
  ServerOptions options = test_options();
  options.threads = 2;
  options.keep_alive_timeout = std::chrono::seconds(5);  // longer than the starved client waits
  HttpServer server(handler, options);
  ASSERT_TRUE(server.start()) << server.error();

  std::optional<httplib::Client> first(make_client(server.port()));
  std::optional<httplib::Client> second(make_client(server.port()));
  first->set_keep_alive(true);
  second->set_keep_alive(true);
  ASSERT_TRUE(first->Get("/one"));
  ASSERT_TRUE(second->Get("/two"));

  auto starved = make_client(server.port());
  starved.set_read_timeout(0, 300000);
  auto res = starved.Get("/three");
  EXPECT_FALSE(res);
  EXPECT_EQ(res.error(), httplib::Error::Read);

  first.reset();  // closing a connection frees its worker
  second.reset();
  starved.set_read_timeout(5, 0);
  auto later = starved.Get("/three-again");
  ASSERT_TRUE(later) << httplib::to_string(later.error());
  EXPECT_EQ(later->status, 200);
}

// --- logging ------------------------------------------------------------------------------

TEST(HttpServerTest, WritesAccessLinesAtInfo) {
  FakeHandler handler;
  LogLines log;
  ServerOptions options = test_options();
  options.log_level = LogLevel::kInfo;
  options.log_sink = log.sink();
  HttpServer server(handler, options);
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());
  ASSERT_TRUE(client.Get("/users/USR-1?secret=1"));
  ASSERT_TRUE(client.Post("/users", std::string(2000, 'x'), kJson));
  server.stop();

  // The query string is not logged; the body size is the response's. A line is written after
  // its response, so two connections' lines may come in either order.
  EXPECT_THAT(log.snapshot(),
              UnorderedElementsAre(MatchesRegex(R"(GET /users/USR-1 200 11B [0-9]+us)"),
                                   MatchesRegex(R"(POST /users 200 11B [0-9]+us)")));
}

TEST(HttpServerTest, WritesNoAccessLinesAboveInfo) {
  FakeHandler handler;
  LogLines log;
  ServerOptions options = test_options();
  options.log_level = LogLevel::kWarning;
  options.log_sink = log.sink();
  HttpServer server(handler, options);
  ASSERT_TRUE(server.start()) << server.error();
  auto client = make_client(server.port());
  ASSERT_TRUE(client.Get("/quiet"));
  server.stop();
  EXPECT_TRUE(log.snapshot().empty());
}

TEST(RequestConversionTest, AccessLineEscapesControlCharacters) {
  EXPECT_EQ(format_access_line("GET", "/a\nGET /forged 200", 404, 3, std::nullopt),
            "GET /a\\x0aGET /forged 200 404 3B -us");
  EXPECT_EQ(format_access_line("GET", "/x", 200, 0, std::chrono::microseconds(42)),
            "GET /x 200 0B 42us");
}

TEST(RequestConversionTest, ErrorEnvelopeIsTheApiLayers) {
  httplib::Response res;
  res.set_header("X-Stale", "1");
  set_error_response(res, 404, R"(quote " and \ backslash)");
  const api::Response api = api::error_response(404, R"(quote " and \ backslash)");
  EXPECT_EQ(res.status, 404);
  EXPECT_EQ(res.body, api.body);  // byte for byte: one writer of MX's error JSON
  EXPECT_EQ(res.get_header_value("Content-Type"), api.content_type);
  EXPECT_FALSE(res.has_header("X-Stale"));
  EXPECT_EQ(parse(res.body), parse(R"({"error":{"message":"quote \" and \\ backslash"}})"));
  EXPECT_EQ(message_for_status(413), "Request body too large");
  EXPECT_EQ(message_for_status(502), "Internal error");
  EXPECT_EQ(message_for_status(418), "HTTP error 418");
}

}  // namespace
}  // namespace mxemu::http
