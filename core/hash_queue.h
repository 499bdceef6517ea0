// HashQueue: bounded admission to password hashing.
//
// A hash costs ~150 ms of CPU and 32 MiB, and PasswordHasher runs only as many
// at once as there are cores; every other caller waits. Without a bound, a
// flood of logins parks every HTTP worker behind the hasher. HashQueue admits
// at most `capacity` callers at a time (hashing or waiting for a slot); a
// caller beyond that is refused at once, and the service answers kBusy so
// the client is told to retry (503 + Retry-After) instead of waiting.
//
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>

namespace gateway {

class HashQueue {
 public:
  explicit HashQueue(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}
  HashQueue(const HashQueue&) = delete;
  HashQueue& operator=(const HashQueue&) = delete;

  // A place in the queue, held for as long as the caller hashes.
  class Ticket {
   public:
    explicit Ticket(HashQueue& q) : q_(&q) {}
    Ticket(Ticket&& other) noexcept : q_(other.q_) { other.q_ = nullptr; }
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (q_ != nullptr) q_->depth_.fetch_sub(1);
    }

   private:
    HashQueue* q_;
  };

  // A ticket, or nullopt at once when `capacity` callers already hold one.
  [[nodiscard]] std::optional<Ticket> TryEnter();

  size_t capacity() const { return capacity_; }
  // Callers hashing or waiting to hash now.
  size_t depth() const { return depth_.load(); }
  // Callers refused since start.
  uint64_t rejected() const { return rejected_.load(); }

 private:
  const size_t capacity_;
  std::atomic<size_t> depth_{0};
  std::atomic<uint64_t> rejected_{0};
};

}  // namespace gateway
