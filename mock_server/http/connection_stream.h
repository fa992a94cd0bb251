#pragma once

#include <httplib.h>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

// Internal to mxemu_http (includes httplib.h: only .cpp files of http/ include this header).
namespace mxemu::http {

// One accepted connection as an httplib::Stream that lives as long as the connection, not as
// one request. httplib 0.11.4 builds a new SocketStream for every request of a keep-alive
// connection and reads ahead up to 4 KiB into it: the bytes of pipelined requests that came in
// the same read were destroyed with it, and its wait for the next request looked only at the
// socket. Here the read-ahead buffer carries over, so every pipelined request is served in order.
//
// Reads wait at most `read_timeout` for each chunk (a silent client is dropped, as with httplib);
// writes at most `write_timeout`. Not thread-safe: one worker serves one connection.
//
// Writes are collected and sent together: httplib writes a response's head and body in two
// calls, and two sends cost two syscalls and two TCP segments. What was written is sent before
// the stream waits for input (the next request, or a body after "100 Continue"), before the next
// request is handed out, and by flush(); so the collected bytes never outlive one response.
// A read tries the socket before polling it: after wait_for_request, data is there. The peer's
// and the local address are read from the socket once per connection.
class ConnectionStream final : public httplib::Stream {
 public:
  // Does not own `sock`.
  ConnectionStream(socket_t sock, std::chrono::microseconds read_timeout,
                   std::chrono::microseconds write_timeout);

  // Returns true once a byte of the next request is available (at once when one is buffered);
  // false when the peer closed or errored, when `idle_timeout` passed without a byte, or when
  // `keep_waiting` (polled about every 100 ms) says to stop.
  bool wait_for_request(std::chrono::milliseconds idle_timeout,
                        const std::function<bool()>& keep_waiting);
  // Sends what was written and not yet sent; false when the peer is gone or the write timed out
  // (what was left is dropped).
  bool flush();

  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override;

 private:
  std::size_t buffered() const { return end_ - begin_; }
  ssize_t receive();

  socket_t sock_;
  std::chrono::microseconds read_timeout_;
  std::chrono::microseconds write_timeout_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  std::string out_;                           // written, not yet sent
  mutable std::string remote_ip_, local_ip_;  // empty until first asked
  mutable int remote_port_ = -1, local_port_ = -1;
};

// The stream of the connection this thread serves, or null outside one. ListeningServer sets it
// for each connection's life (CurrentStream); the pre-routing hook reads a GET's body with it.
ConnectionStream* current_stream();

class CurrentStream {
 public:
  explicit CurrentStream(ConnectionStream* stream);
  ~CurrentStream();
  CurrentStream(const CurrentStream&) = delete;
  CurrentStream& operator=(const CurrentStream&) = delete;

 private:
  ConnectionStream* previous_;
};

}  // namespace mxemu::http
