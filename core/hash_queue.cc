#include "core/hash_queue.h"

namespace gateway {

std::optional<HashQueue::Ticket> HashQueue::TryEnter() {
  size_t depth = depth_.load();
  do {
    if (depth >= capacity_) {
      rejected_.fetch_add(1);
      return std::nullopt;
    }
  } while (!depth_.compare_exchange_weak(depth, depth + 1));
  return Ticket(*this);
}

}  // namespace gateway
