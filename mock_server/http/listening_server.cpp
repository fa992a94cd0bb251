#include "http/listening_server.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>

#include "http/connection_stream.h"
#include "http/server_setup.h"

namespace mxemu::http {
namespace {

std::chrono::microseconds timeout_of(time_t sec, time_t usec) {
  return std::chrono::seconds(sec) + std::chrono::microseconds(usec);
}

// Closes `sock` after its response: when the client still sends (a refused request's body),
// the write side is shut first and what arrives is read and dropped for a moment, bounded in
// bytes and time, so that closing with unread input does not reset the connection and destroy
// the response before the client reads it.
void close_gracefully(socket_t sock) {
  ::shutdown(sock, SHUT_WR);
  std::array<char, 4096> sink{};
  for (int round = 0; round < 16; ++round) {  // at most 64 KiB, about 16 × 20 ms
    pollfd p{sock, POLLIN, 0};
    if (::poll(&p, 1, 20) <= 0) break;
    if (::recv(sock, sink.data(), sink.size(), 0) <= 0) break;
  }
  ::close(sock);
}

}  // namespace

bool ListeningServer::relisten(int backlog) {
  const socket_t sock = svr_sock_;
  return sock != INVALID_SOCKET && ::listen(sock, backlog) == 0;
}

void ListeningServer::close_listener() {
  const socket_t sock = svr_sock_.exchange(INVALID_SOCKET);
  if (sock != INVALID_SOCKET) {
    ::shutdown(sock, SHUT_RDWR);
    ::close(sock);
  }
}

bool ListeningServer::process_and_close_socket(socket_t sock) {
  ConnectionStream stream(sock, timeout_of(read_timeout_sec_, read_timeout_usec_),
                          timeout_of(write_timeout_sec_, write_timeout_usec_));
  const CurrentStream current(&stream);
  const auto serving = [this] { return svr_sock_ != INVALID_SOCKET; };
  const std::chrono::milliseconds idle = std::chrono::seconds(keep_alive_timeout_sec_);
  bool ok = false;
  for (std::size_t left = keep_alive_max_count_; left > 0 && serving(); --left) {
    if (!stream.wait_for_request(idle, serving)) break;
    bool connection_closed = false;
    ok = process_request(stream, /*close_connection=*/left == 1, connection_closed, nullptr);
    const bool refused = take_close_after_response();
    if (!ok || connection_closed || refused) break;
  }
  take_close_after_response();  // a request cut short must not leak the flag to the next one
  stream.flush();               // the last response
  close_gracefully(sock);
  return ok;
}

}  // namespace mxemu::http
