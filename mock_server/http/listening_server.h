#pragma once

#include <httplib.h>

// Internal to mxemu_http (includes httplib.h: only .cpp files of http/ include this header).
namespace mxemu::http {

// httplib::Server plus what 0.11.4 offers only to subclasses:
//  - its protected listening socket `svr_sock_`: a re-listen() with a real backlog (the
//    library's is 5, compiled into the .so) and a close that works whether or not
//    listen_after_bind() is running yet (Server::stop() is a no-op until is_running(), and
//    ~Server() never closes the socket);
//  - its per-connection loop (process_and_close_socket, a virtual): ours keeps one
//    ConnectionStream for the connection's whole life, so pipelined requests are all answered,
//    in order, and each request is still parsed, routed and written by httplib's
//    process_request(). The loop serves up to keep_alive_max_count requests, waits at most
//    keep_alive_timeout for the next one (noticing a closed listener within ~100 ms) and closes
//    after a request whose framing or head was refused (take_close_after_response()).
class ListeningServer final : public httplib::Server {
 public:
  // REQUIRES: bound. Linux applies a new backlog to a socket that is already listening.
  bool relisten(int backlog);

  // Idempotent and thread-safe (atomic exchange). shutdown() wakes a blocked accept().
  void close_listener();

  // After listen_after_bind() failed: httplib closed the socket itself but left its number.
  void forget_listener() { svr_sock_ = INVALID_SOCKET; }

 private:
  bool process_and_close_socket(socket_t sock) override;
};

}  // namespace mxemu::http
