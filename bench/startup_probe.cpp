// startup_probe: START-TO-FIRST-RESPONSE of a server that prints its URL (mxemu --port 0).
// For each run: note steady_clock, fork+exec the command (stdout piped back), read the first
// "http://127.0.0.1:PORT" it prints, then connect and send the request again and again (1 ms
// apart) until a complete 2xx response arrives; that instant minus the exec instant is the run's
// time. Then SIGTERM the child, wait for it (SIGKILL after 3 s). Loopback only.
//
// Usage: startup_probe [--runs N] [--path /users] [--auth user:pass] [--accept TYPE] -- CMD ARGS...
// Prints "startup_probe run=K ms=X" per run and "startup_probe median_ms=X min_ms=Y max_ms=Z".
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr auto kDeadline = std::chrono::seconds(10);

std::string base64(const std::string& in) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -6;
  for (unsigned char c : in) {
    val = (val << 8) + c;
    bits += 8;
    while (bits >= 0) {
      out.push_back(t[(val >> bits) & 0x3F]);
      bits -= 6;
    }
  }
  if (bits > -6) out.push_back(t[((val << 8) >> (bits + 8)) & 0x3F]);
  while (out.size() % 4) out.push_back('=');
  return out;
}

// One request on a fresh connection; true on a complete 2xx response (headers + Content-Length
// bytes of body).
bool try_request(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    std::string got;
    char buf[4096];
    const auto until = SteadyClock::now() + std::chrono::seconds(2);
    while (SteadyClock::now() < until) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, static_cast<std::size_t>(n));
      const auto end = got.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      if (got.compare(0, 10, "HTTP/1.1 2") != 0) break;
      std::size_t length = 0;
      for (const char* name : {"Content-Length: ", "content-length: "}) {
        const auto at = got.find(name);
        if (at != std::string::npos && at < end)
          length = std::strtoul(got.c_str() + at + 16, nullptr, 10);
      }
      if (got.size() >= end + 4 + length) {
        ok = true;
        break;
      }
    }
  }
  ::close(fd);
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 5;
  std::string path = "/users";
  std::string auth = "mxemu-client-id:mxemu-api-key";
  std::string accept = "application/vnd.mx.api.v1+json";
  int i = 1;
  for (; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--") {
      ++i;
      break;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "startup_probe: %s needs a value\n", flag.c_str());
      return 2;
    }
    if (flag == "--runs")
      runs = std::max(1, std::atoi(argv[++i]));
    else if (flag == "--path")
      path = argv[++i];
    else if (flag == "--auth")
      auth = argv[++i];
    else if (flag == "--accept")
      accept = argv[++i];
    else {
      std::fprintf(stderr, "startup_probe: unknown option %s\n", flag.c_str());
      return 2;
    }
  }
  if (i >= argc) {
    std::fprintf(stderr, "usage: startup_probe [options] -- CMD ARGS...\n");
    return 2;
  }
  const std::string request =
      "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic " + base64(auth) +
      "\r\nAccept: " + accept + "\r\nConnection: close\r\n\r\n";

  std::vector<double> times;
  for (int run = 1; run <= runs; ++run) {
    int out[2];
    if (::pipe(out) != 0) return 1;
    const auto start = SteadyClock::now();
    const pid_t child = ::fork();
    if (child == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the probe (e.g. killed by timeout)
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::close(out[1]);
      ::execvp(argv[i], argv + i);
      std::perror("startup_probe: exec");
      ::_exit(127);
    }
    ::close(out[1]);
    // Read stdout until the URL appears.
    std::string printed;
    int port = -1;
    char buf[512];
    while (port < 0 && SteadyClock::now() - start < kDeadline) {
      pollfd p{out[0], POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      const ssize_t n = ::read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      printed.append(buf, static_cast<std::size_t>(n));
      const auto at = printed.find("http://127.0.0.1:");
      if (at != std::string::npos) {
        const auto digits = at + std::strlen("http://127.0.0.1:");
        const auto stop = printed.find_first_not_of("0123456789", digits);
        if (stop != std::string::npos) port = std::atoi(printed.c_str() + digits);
      }
    }
    bool answered = false;
    while (port > 0 && SteadyClock::now() - start < kDeadline) {
      if (try_request(port, request)) {
        answered = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const double ms = std::chrono::duration<double, std::milli>(SteadyClock::now() - start).count();
    ::kill(child, SIGTERM);
    int status = 0;
    const auto kill_at = SteadyClock::now() + std::chrono::seconds(3);
    while (::waitpid(child, &status, WNOHANG) == 0) {
      if (SteadyClock::now() > kill_at) {
        ::kill(child, SIGKILL);
        ::waitpid(child, &status, 0);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ::close(out[0]);
    if (!answered) {
      std::printf("startup_probe run=%d failed (port %d, no 2xx within %lld s)\n", run, port,
                  static_cast<long long>(kDeadline.count()));
      return 1;
    }
    std::printf("startup_probe run=%d ms=%.1f\n", run, ms);
    times.push_back(ms);
  }
  std::sort(times.begin(), times.end());
  std::printf("startup_probe median_ms=%.1f min_ms=%.1f max_ms=%.1f\n", times[times.size() / 2],
              times.front(), times.back());
  return 0;
}
