#pragma once

#include <chrono>
#include <string>

// Internal to mxemu_http: the two fault effects only a socket can show (api/fault_rules.h).
namespace mxemu::http {

// Shuts down (both directions) the accepted connection whose peer is remote_addr:remote_port,
// so the client reads EOF where the answer should be. cpp-httplib 0.11.4 hands a handler no
// socket, so the connection is found among this process's sockets by its peer address. Returns
// false when no such socket is open.
bool drop_connection(const std::string& remote_addr, int remote_port);

// The adapter's one documented sleep on the request path: a fault's real delay, capped at
// api::kMaxRealDelay (10 s). Emulated latency never sleeps; only this optional real part does.
void wait_real_delay(std::chrono::milliseconds delay);

}  // namespace mxemu::http
