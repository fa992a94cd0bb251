// bare_server: the baseline for bench/run.sh. A cpp-httplib server configured exactly as mxemu's
// HTTP adapter configures it (mock_server/http/server_setup.cpp, http_server.cpp) that answers
// every GET with the bytes of one file. What mxemu costs beyond this is mxemu's own work
// (auth, routing, the emulator lock, the domain lookup, JSON encoding).
//
// Usage: bare_server --body FILE [--content-type TYPE] [--port N] [--threads N] [--backlog N]
// Binds 127.0.0.1 only and prints "bare_server listening on http://127.0.0.1:PORT".
#include <httplib.h>
#include <sys/socket.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>

namespace {

// Same trick as mxemu's ListeningServer: 0.11.4's backlog (5) is compiled into the .so, so
// re-listen() the bound socket with a real one.
class BareServer final : public httplib::Server {
 public:
  bool relisten(int backlog) {
    const socket_t sock = svr_sock_;
    return sock != INVALID_SOCKET && ::listen(sock, backlog) == 0;
  }
};

[[noreturn]] void die(const std::string& message) {
  std::cerr << "bare_server: " << message << "\n";
  std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
  std::string body_file;
  std::string content_type = "application/vnd.mx.api.v1+json; charset=utf-8";
  int port = 0;
  int threads = 256;
  int backlog = 4096;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) die(flag + " needs a value");
      return argv[++i];
    };
    if (flag == "--body")
      body_file = value();
    else if (flag == "--content-type")
      content_type = value();
    else if (flag == "--port")
      port = std::atoi(value().c_str());
    else if (flag == "--threads")
      threads = std::atoi(value().c_str());
    else if (flag == "--backlog")
      backlog = std::atoi(value().c_str());
    else
      die("unknown option " + flag);
  }
  if (body_file.empty()) die("--body FILE is required");
  std::ifstream in(body_file, std::ios::binary);
  if (!in) die("cannot read " + body_file);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  const std::string body = buffer.str();

  std::signal(SIGPIPE, SIG_IGN);
  BareServer server;
  // The four settings that matter (docs: ../shared/docs/httplib-performance.md), with mxemu's
  // values (ServerOptions defaults): pool size, Nagle off, keep-alive max count, backlog.
  const auto pool = static_cast<std::size_t>(threads < 1 ? 1 : threads);
  server.new_task_queue = [pool] { return new httplib::ThreadPool(pool); };
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(10000);
  server.set_keep_alive_timeout(5);
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  // mxemu routes everything through one catch-all regex; use the same pattern so routing costs
  // the same on both sides.
  server.Get(R"([\s\S]*)", [&body, &content_type](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, content_type.c_str());
  });

  const std::string host = "127.0.0.1";
  int bound = -1;
  if (port == 0)
    bound = server.bind_to_any_port(host);
  else if (server.bind_to_port(host, port))
    bound = port;
  if (bound < 0) die("cannot bind " + host + ":" + std::to_string(port));
  if (!server.relisten(backlog)) die("cannot set the listen backlog");
  std::printf("bare_server listening on http://%s:%d\n", host.c_str(), bound);
  std::fflush(stdout);

  // SIGTERM/SIGINT: stop the listener from a normal thread (Server::stop is not signal-safe).
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  std::thread waiter([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    server.stop();
  });
  waiter.detach();
  return server.listen_after_bind() ? 0 : 1;
}
