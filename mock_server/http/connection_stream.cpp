#include "http/connection_stream.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace mxemu::http {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{16} * 1024;
// Written bytes beyond this are sent at once rather than collected further.
constexpr std::size_t kMaxCollected = std::size_t{64} * 1024;
constexpr std::chrono::milliseconds kStopCheckInterval{100};

int to_poll_timeout(std::chrono::microseconds timeout) {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count();
  return static_cast<int>(std::clamp<long long>(ms, 0, 1 << 30));
}

// poll() for `events`, retried on EINTR; > 0 ready, 0 timed out, < 0 error.
int wait_for(socket_t sock, short events, std::chrono::microseconds timeout) {
  pollfd p{sock, events, 0};
  int n = 0;
  do {
    n = ::poll(&p, 1, to_poll_timeout(timeout));
  } while (n < 0 && errno == EINTR);
  if (n > 0 && (p.revents & POLLNVAL) != 0) return -1;
  return n;
}

void address_of(const sockaddr_storage& addr, std::string& ip, int& port) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (addr.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &in.sin_addr, text.data(), text.size());
    port = ntohs(in.sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &in6.sin6_addr, text.data(), text.size());
    port = ntohs(in6.sin6_port);
  }
  ip = text.data();
}

// One of the socket's addresses, by `query` (getpeername or getsockname); `port` stays < 0 when
// the socket cannot say.
void read_address(socket_t sock, int (*query)(int, sockaddr*, socklen_t*), std::string& ip,
                  int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (query(sock, reinterpret_cast<sockaddr*>(&addr), &len) == 0) address_of(addr, ip, port);
}

}  // namespace

namespace {
thread_local ConnectionStream* t_current_stream = nullptr;
}  // namespace

ConnectionStream* current_stream() { return t_current_stream; }

CurrentStream::CurrentStream(ConnectionStream* stream) : previous_(t_current_stream) {
  t_current_stream = stream;
}

CurrentStream::~CurrentStream() { t_current_stream = previous_; }

ConnectionStream::ConnectionStream(socket_t sock, std::chrono::microseconds read_timeout,
                                   std::chrono::microseconds write_timeout)
    : sock_(sock),
      read_timeout_(read_timeout),
      write_timeout_(write_timeout),
      buffer_(kBufferBytes) {}

bool ConnectionStream::wait_for_request(std::chrono::milliseconds idle_timeout,
                                        const std::function<bool()>& keep_waiting) {
  if (!flush()) return false;
  if (buffered() > 0) return true;
  for (auto left = idle_timeout; left.count() > 0 && keep_waiting(); left -= kStopCheckInterval) {
    const int ready = wait_for(sock_, POLLIN, std::min(left, kStopCheckInterval));
    if (ready < 0) return false;
    if (ready > 0) return true;  // a byte, or the peer's close: the next read tells which
  }
  return false;
}

bool ConnectionStream::is_readable() const {
  return buffered() > 0 || wait_for(sock_, POLLIN, read_timeout_) > 0;
}

bool ConnectionStream::is_writable() const { return wait_for(sock_, POLLOUT, write_timeout_) > 0; }

// One recv into the read-ahead buffer: at once when data is there, else after waiting up to the
// read timeout. > 0 bytes, 0 the peer closed, < 0 error or timeout.
ssize_t ConnectionStream::receive() {
  for (bool waited = false;; waited = true) {
    const ssize_t n = ::recv(sock_, buffer_.data(), buffer_.size(), MSG_DONTWAIT);
    if (n >= 0) {
      begin_ = 0;
      end_ = static_cast<std::size_t>(n);
      return n;
    }
    if (errno == EINTR) continue;
    if ((errno != EAGAIN && errno != EWOULDBLOCK) || waited) return -1;
    if (wait_for(sock_, POLLIN, read_timeout_) <= 0) return -1;
  }
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (size == 0) return 0;
  if (buffered() == 0) {
    if (!flush()) return -1;  // the peer may be waiting for it ("100 Continue") before it sends
    const ssize_t n = receive();
    if (n <= 0) return n;  // 0: the peer closed
  }
  const std::size_t n = std::min(size, buffered());
  std::memcpy(ptr, buffer_.data() + begin_, n);
  begin_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  out_.append(ptr, size);
  if (out_.size() > kMaxCollected && !flush()) return -1;
  return static_cast<ssize_t>(size);
}

bool ConnectionStream::flush() {
  std::size_t sent = 0;
  bool ok = true;
  while (sent < out_.size()) {
    const ssize_t n =
        ::send(sock_, out_.data() + sent, out_.size() - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    const bool full = n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
    const bool again =
        (n < 0 && errno == EINTR) || (full && wait_for(sock_, POLLOUT, write_timeout_) > 0);
    if (!again) {
      ok = false;
      break;
    }
  }
  out_.clear();
  if (out_.capacity() > kMaxCollected) out_.shrink_to_fit();
  return ok;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  if (remote_port_ < 0) read_address(sock_, ::getpeername, remote_ip_, remote_port_);
  ip = remote_ip_;
  port = remote_port_;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  if (local_port_ < 0) read_address(sock_, ::getsockname, local_ip_, local_port_);
  ip = local_ip_;
  port = local_port_;
}

socket_t ConnectionStream::socket() const { return sock_; }

}  // namespace mxemu::http
