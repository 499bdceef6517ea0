// Connection: one accepted client socket, read through the request guard.
//
// cpp-httplib is never given the socket itself. For each request the
// connection reads the raw head (bounded in size and time), checks it with
// ParseHead, de-chunks a chunked body itself (bounded by --max-body, refused
// with 413 as soon as a chunk would pass it), and then presents cpp-httplib a
// stream that holds exactly one request: the rewritten head, then the body,
// then end of stream. Bytes after the body stay buffered here for the next
// request, so pipelined requests are all answered in order.
//
// One deadline covers a request's head and body (slow clients cannot hold a
// worker longer); an idle connection waits at most the keep-alive timeout,
// and not at all once the server is stopping (`wake_fd` becomes readable).
//
// Thread-safety: a Connection belongs to the worker serving it.
#pragma once

#include <httplib.h>
#include <openssl/ssl.h>

#include <chrono>
#include <string>
#include <string_view>

#include "adapters/http/request_guard.h"

namespace gateway::http {

struct ConnectionLimits {
  HeadLimits head;
  std::chrono::milliseconds idle_timeout{5000};      // before a request's first byte
  std::chrono::milliseconds request_timeout{10000};  // first byte to end of body
  std::chrono::milliseconds write_timeout{10000};    // each write of a response
};

class Connection final : public httplib::Stream {
 public:
  Connection(int fd, const ConnectionLimits& limits, int wake_fd);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  enum class Next {
    kRequest,   // head() is ready and the stream presents the request
    kRejected,  // answer rejection(), then close
    kClosed,    // the client left, stayed idle, or the server is stopping
  };
  Next ReadRequest();
  const RequestHead& head() const { return head_; }
  const Rejection& rejection() const { return rejection_; }

  // After cpp-httplib answered: whether the body was read to its end, so the
  // next bytes are the next request.
  bool BodyConsumed() const { return body_left_ == 0; }
  // When the current request's first byte arrived.
  std::chrono::steady_clock::time_point started() const { return started_; }
  // Whether the request deadline passed while cpp-httplib read the body.
  bool timed_out() const { return timed_out_; }

  // Runs a TLS handshake with `ctx` within the request timeout; from then on
  // every byte is read and written through it. False when it fails.
  bool StartTls(SSL_CTX* ctx);

  // Sends raw bytes (a response cpp-httplib did not write), best effort.
  void SendAll(std::string_view bytes);
  // Stops writing and discards what the client still sends for a moment,
  // so a response written before the whole request was read is not lost to
  // a reset when the socket closes.
  void LingeringClose();

  // The connection the calling worker is serving, if any.
  static Connection* Current();

  // httplib::Stream
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  socket_t socket() const override { return fd_; }

 private:
  using Clock = std::chrono::steady_clock;

  // Reads more raw bytes into in_ before `deadline`; false on end of
  // stream, error or timeout (then timed_out_ is set).
  bool Fill(Clock::time_point deadline);
  // Waits until the socket is ready for `events` or the deadline passes.
  bool WaitFor(short events, Clock::time_point deadline);
  ssize_t Receive(char* ptr, size_t size, Clock::time_point deadline);
  bool WaitIdle();
  void Reject(int status, std::string detail, std::string path, std::string method);
  void Compact();

  int fd_;
  const ConnectionLimits& limits_;
  int wake_fd_;
  SSL* ssl_ = nullptr;
  std::string in_;  // raw bytes received and not yet consumed from in_off_
  size_t in_off_ = 0;
  std::string presented_;  // the rewritten head (and a de-chunked body)
  size_t presented_off_ = 0;
  uint64_t body_left_ = 0;  // raw body bytes cpp-httplib has yet to read
  Clock::time_point started_;
  Clock::time_point deadline_;
  bool timed_out_ = false;
  RequestHead head_;
  Rejection rejection_{0, "", ""};
  Connection* previous_;
};

}  // namespace gateway::http
