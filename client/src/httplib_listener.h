// The client's servers (webhook_server.cpp, connect_host.cpp) at their HTTP edge.
#pragma once

#include <httplib.h>

#include <chrono>
#include <thread>

namespace mxclient::internal {

// Waits, in real time and at most two seconds, until `server`'s listen loop (started on another
// thread after bind) runs. cpp-httplib 0.11.4 has no wait_until_ready(), and Server::stop()
// works only once the loop runs. The client's one real-clock wait; false when it never started.
inline bool wait_until_running(const httplib::Server& server) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!server.is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return server.is_running();
}

}  // namespace mxclient::internal
