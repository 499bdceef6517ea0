#include "adapters/http/connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace gateway::http {
namespace {

constexpr size_t kReadChunk = 16384;
// Buffers above this are given back after the request that grew them, so a
// worker's memory returns to its normal size.
constexpr size_t kKeepCapacity = 64 * 1024;

thread_local Connection* t_current = nullptr;

int RemainingMs(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<int64_t>(0, left.count()));
}

void NameOf(const sockaddr_storage& addr, socklen_t len, std::string& ip, int& port) {
  char host[NI_MAXHOST];
  char serv[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, serv,
                  sizeof serv, NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(serv);
  }
}

void ShrinkIfLarge(std::string& s) {
  if (s.capacity() > kKeepCapacity && s.size() < kKeepCapacity) s.shrink_to_fit();
}

}  // namespace

Connection::Connection(int fd, const ConnectionLimits& limits, int wake_fd)
    : fd_(fd), limits_(limits), wake_fd_(wake_fd), previous_(t_current) {
  t_current = this;
  // Every wait is a poll with a deadline; reads and writes never block.
  fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
}

Connection::~Connection() {
  if (ssl_ != nullptr) SSL_free(ssl_);
  t_current = previous_;
}

bool Connection::WaitFor(short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd_, events, 0};
    int ready = poll(&p, 1, RemainingMs(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) timed_out_ = true;
    return ready > 0;
  }
}

bool Connection::StartTls(SSL_CTX* ctx) {
  ssl_ = SSL_new(ctx);
  if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1) return false;
  SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  const auto deadline = Clock::now() + limits_.request_timeout;
  for (;;) {
    int r = SSL_accept(ssl_);
    if (r == 1) return true;
    int err = SSL_get_error(ssl_, r);
    if (err == SSL_ERROR_WANT_READ && WaitFor(POLLIN, deadline)) continue;
    if (err == SSL_ERROR_WANT_WRITE && WaitFor(POLLOUT, deadline)) continue;
    return false;
  }
}

ssize_t Connection::Receive(char* ptr, size_t size, Clock::time_point deadline) {
  for (;;) {
    if (ssl_ == nullptr) {
      ssize_t n = recv(fd_, ptr, size, 0);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno == EAGAIN || errno == EWOULDBLOCK) && WaitFor(POLLIN, deadline)) continue;
      return -1;
    }
    int n = SSL_read(ssl_, ptr, static_cast<int>(std::min<size_t>(size, 1 << 20)));
    if (n > 0) return n;
    int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_ZERO_RETURN) return 0;
    if (err == SSL_ERROR_WANT_READ && WaitFor(POLLIN, deadline)) continue;
    if (err == SSL_ERROR_WANT_WRITE && WaitFor(POLLOUT, deadline)) continue;
    return -1;
  }
}

Connection* Connection::Current() { return t_current; }

void Connection::Compact() {
  in_.erase(0, in_off_);
  in_off_ = 0;
  ShrinkIfLarge(in_);
}

bool Connection::Fill(Clock::time_point deadline) {
  size_t old = in_.size();
  in_.resize(old + kReadChunk);
  ssize_t n = Receive(in_.data() + old, kReadChunk, deadline);
  in_.resize(old + static_cast<size_t>(std::max<ssize_t>(n, 0)));
  return n > 0;
}

bool Connection::WaitIdle() {
  if (in_off_ < in_.size() || (ssl_ != nullptr && SSL_pending(ssl_) > 0)) return true;
  pollfd p[2] = {{fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  for (;;) {
    int ready = poll(p, wake_fd_ >= 0 ? 2 : 1, static_cast<int>(limits_.idle_timeout.count()));
    if (ready < 0 && errno == EINTR) continue;
    // A request that has already arrived is served even while stopping.
    return ready > 0 && (p[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
  }
}

void Connection::Reject(int status, std::string detail, std::string path, std::string method) {
  rejection_ = Rejection{status, std::move(detail), std::move(path), method == "HEAD", method};
}

Connection::Next Connection::ReadRequest() {
  presented_.clear();
  presented_off_ = 0;
  ShrinkIfLarge(presented_);
  timed_out_ = false;
  Compact();
  if (!WaitIdle()) return Next::kClosed;
  started_ = Clock::now();
  deadline_ = started_ + limits_.request_timeout;

  size_t head_size = 0;
  for (;;) {
    // Empty lines before a request line are ignored (RFC 9112 2.2).
    while (in_off_ < in_.size() && (in_[in_off_] == '\r' || in_[in_off_] == '\n')) ++in_off_;
    auto end = FindHeadEnd(std::string_view(in_).substr(in_off_), limits_.head);
    if (auto* rejected = std::get_if<Rejection>(&end)) {
      rejection_ = std::move(*rejected);
      return Next::kRejected;
    }
    if (auto* size = std::get_if<size_t>(&end)) {
      head_size = *size;
      break;
    }
    if (!Fill(deadline_)) {
      if (!timed_out_ || in_off_ == in_.size()) return Next::kClosed;
      Reject(408, "The request head did not arrive in time",
             PathOf(std::string_view(in_).substr(in_off_, 512)), "");
      return Next::kRejected;
    }
  }

  auto parsed = ParseHead(std::string_view(in_).substr(in_off_, head_size), limits_.head);
  in_off_ += head_size;
  if (auto* rejected = std::get_if<Rejection>(&parsed)) {
    rejection_ = std::move(*rejected);
    return Next::kRejected;
  }
  head_ = std::move(std::get<RequestHead>(parsed));
  presented_ = std::move(head_.forwarded);
  head_.forwarded.clear();

  switch (head_.framing) {
    case BodyFraming::kNone:
      if (head_.method == "POST" || head_.method == "PUT" || head_.method == "PATCH") {
        presented_ += "Content-Length: 0\r\n";
      }
      presented_ += "\r\n";
      break;
    case BodyFraming::kLength:
      presented_ += "Content-Length: " + std::to_string(head_.content_length) + "\r\n\r\n";
      body_left_ = head_.content_length;
      break;
    case BodyFraming::kChunked: {
      ChunkedDecoder decoder(limits_.head.max_body);
      std::string body;
      for (;;) {
        in_off_ += decoder.Feed(std::string_view(in_).substr(in_off_), body);
        Compact();
        if (decoder.state() == ChunkedDecoder::State::kDone) break;
        if (decoder.state() == ChunkedDecoder::State::kTooLarge) {
          Reject(413, "The request body is larger than the server accepts", head_.path,
                 head_.method);
          return Next::kRejected;
        }
        if (decoder.state() == ChunkedDecoder::State::kMalformed) {
          Reject(400, "The chunked request body is malformed", head_.path, head_.method);
          return Next::kRejected;
        }
        if (!Fill(deadline_)) {
          if (!timed_out_) return Next::kClosed;
          Reject(408, "The request body did not arrive in time", head_.path, head_.method);
          return Next::kRejected;
        }
      }
      presented_ += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
      presented_ += body;
      break;
    }
  }
  return Next::kRequest;
}

bool Connection::is_readable() const {
  return presented_off_ < presented_.size() || in_off_ < in_.size();
}

bool Connection::is_writable() const {
  pollfd p{fd_, POLLOUT, 0};
  return poll(&p, 1, 0) > 0;
}

ssize_t Connection::read(char* ptr, size_t size) {
  if (presented_off_ < presented_.size()) {
    size_t n = std::min(size, presented_.size() - presented_off_);
    std::memcpy(ptr, presented_.data() + presented_off_, n);
    presented_off_ += n;
    return static_cast<ssize_t>(n);
  }
  if (body_left_ == 0) return 0;
  if (in_off_ == in_.size()) {
    Compact();
    if (!Fill(deadline_)) return -1;
  }
  size_t n = static_cast<size_t>(
      std::min<uint64_t>({static_cast<uint64_t>(size), body_left_, in_.size() - in_off_}));
  std::memcpy(ptr, in_.data() + in_off_, n);
  in_off_ += n;
  body_left_ -= n;
  return static_cast<ssize_t>(n);
}

ssize_t Connection::write(const char* ptr, size_t size) {
  const auto deadline = Clock::now() + limits_.write_timeout;
  for (;;) {
    if (ssl_ == nullptr) {
      ssize_t n = send(fd_, ptr, size, MSG_NOSIGNAL);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if ((errno == EAGAIN || errno == EWOULDBLOCK) && WaitFor(POLLOUT, deadline)) continue;
      return -1;
    }
    int n = SSL_write(ssl_, ptr, static_cast<int>(std::min<size_t>(size, 1 << 20)));
    if (n > 0) return n;
    int err = SSL_get_error(ssl_, n);
    if (err == SSL_ERROR_WANT_WRITE && WaitFor(POLLOUT, deadline)) continue;
    if (err == SSL_ERROR_WANT_READ && WaitFor(POLLIN, deadline)) continue;
    return -1;
  }
}

void Connection::SendAll(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = write(bytes.data(), bytes.size());
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void Connection::LingeringClose() {
  if (ssl_ != nullptr) SSL_shutdown(ssl_);
  shutdown(fd_, SHUT_WR);
  // Bounded by time only: discarding is cheap, and a client still sending
  // its body reads the answer once it looks.
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  char sink[16384];
  while (WaitFor(POLLIN, deadline) && recv(fd_, sink, sizeof sink, 0) > 0) {
  }
}

void Connection::get_remote_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getpeername(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) NameOf(addr, len, ip, port);
}

void Connection::get_local_ip_and_port(std::string& ip, int& port) const {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0) NameOf(addr, len, ip, port);
}

}  // namespace gateway::http
