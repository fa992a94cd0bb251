// Under ThreadSanitizer only: builds libcpp-httplib's function-local statics before any test
// starts a thread.
//
// libcpp-httplib.so is not instrumented. It builds function-local statics on first use (the
// server's `static const std::set<std::string>` of request methods, the client's
// `static const std::regex` for a status line, ...). The first thread builds one under the C++
// static-init guard; later threads take the guard's inlined fast path, an acquire load inside the
// uninstrumented library, so TSan sees no happens-before between the build and a read on another
// thread and reports a race inside the library (CI, 2026-12-06: two server workers parsing request
// lines). Suppressing by module would hide mxemu's own races too (every handler runs under
// httplib's frames), and ignoring the library's interceptors loses its mutexes. Instead, this
// environment makes one exchange of each kind a test makes and joins every thread it started, so
// each static is built before, and so happens-before, every thread a test starts.
#if defined(__SANITIZE_THREAD__)

#include <gtest/gtest.h>
#include <httplib.h>

#include <thread>

namespace {

class HttplibStatics : public ::testing::Environment {
 public:
  void SetUp() override {
    httplib::Server server;
    server.Get("/.*", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("{}", "application/json");
    });
    server.Post("/.*", [](const httplib::Request& req, httplib::Response& res) {
      res.set_content(req.body, "application/json");
    });
    const int port = server.bind_to_any_port("127.0.0.1");
    ASSERT_GT(port, 0);
    std::thread listener([&] { server.listen_after_bind(); });
    {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      EXPECT_TRUE(client.Get("/a?x=1", {{"Range", "bytes=0-1"}}));
      EXPECT_TRUE(client.Post("/b", R"({"a":1})", "application/json"));
      EXPECT_TRUE(client.Put("/c", "x", "text/plain"));
      EXPECT_TRUE(client.Delete("/d"));
    }
    server.stop();
    listener.join();
  }
};

// gtest's registration idiom; AddGlobalTestEnvironment does not throw.
// NOLINTNEXTLINE(cert-err58-cpp)
[[maybe_unused]] ::testing::Environment* const kHttplibStatics =
    ::testing::AddGlobalTestEnvironment(new HttplibStatics);

}  // namespace

#endif
