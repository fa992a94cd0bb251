#include "http/connection_fault.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "api/fault_rules.h"

namespace mxemu::http {
namespace {

bool peer_is(int fd, const std::string& addr, int port) {
  sockaddr_storage peer{};
  socklen_t len = sizeof(peer);
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return false;
  char text[INET6_ADDRSTRLEN] = {};
  int peer_port = -1;
  if (peer.ss_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(&peer);
    ::inet_ntop(AF_INET, &in->sin_addr, text, sizeof(text));
    peer_port = ntohs(in->sin_port);
  } else if (peer.ss_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(&peer);
    ::inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof(text));
    peer_port = ntohs(in6->sin6_port);
  }
  return peer_port == port && addr == text;
}

}  // namespace

bool drop_connection(const std::string& remote_addr, int remote_port) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  const int own = ::dirfd(dir);
  bool dropped = false;
  while (const dirent* entry = ::readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || fd == own) continue;
    if (peer_is(static_cast<int>(fd), remote_addr, remote_port)) {
      ::shutdown(static_cast<int>(fd), SHUT_RDWR);
      dropped = true;
      break;
    }
  }
  ::closedir(dir);
  return dropped;
}

void wait_real_delay(std::chrono::milliseconds delay) {
  if (delay.count() > 0) std::this_thread::sleep_for(std::min(delay, api::kMaxRealDelay));
}

}  // namespace mxemu::http
