#include "adapters/migration/key_table.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <stdexcept>

namespace gateway::migration {

std::string_view KeyTable::Key(uint32_t index) const {
  const uint32_t at = keys_[index];
  const char* p = blocks_[at >> kBlockBits].get() + (at & (kBlockBytes - 1));
  uint32_t length;
  std::memcpy(&length, p, sizeof length);
  return {p + sizeof length, length};
}

size_t KeyTable::SlotOf(std::string_view key, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uint32_t slot = slots_[i];
    if (slot == kEmpty || Key(slot - 1) == key) return i;
  }
}

void KeyTable::Grow() {
  std::vector<uint32_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, kEmpty);
  for (uint32_t slot : old) {
    if (slot == kEmpty) continue;
    const std::string_view key = Key(slot - 1);
    slots_[SlotOf(key, std::hash<std::string_view>{}(key))] = slot;
  }
}

KeyTable::Entry KeyTable::Insert(std::string_view key, uint32_t value) {
  if ((values_.size() + 1) * 10 > slots_.size() * 7) Grow();  // at most 70 % full
  const size_t at = SlotOf(key, std::hash<std::string_view>{}(key));
  if (slots_[at] != kEmpty) return {slots_[at] - 1, false};

  const size_t need = key.size() + sizeof(uint32_t);
  if (block_used_ + need > kBlockBytes) {
    // A location holds 32 bits: 4 GiB of keys, far more than memory allows.
    if (blocks_.size() >= (size_t{1} << (32 - kBlockBits)))
      throw std::length_error("KeyTable full");
    // A key longer than a block gets a block of its own.
    blocks_.push_back(std::make_unique<char[]>(std::max(kBlockBytes, need)));
    block_used_ = 0;
  }
  const auto location = static_cast<uint32_t>(((blocks_.size() - 1) << kBlockBits) | block_used_);
  char* p = blocks_.back().get() + block_used_;
  const auto length = static_cast<uint32_t>(key.size());
  std::memcpy(p, &length, sizeof length);
  std::memcpy(p + sizeof length, key.data(), key.size());
  block_used_ += need;

  const auto index = static_cast<uint32_t>(values_.size());
  keys_.push_back(location);
  values_.push_back(value);
  slots_[at] = index + 1;
  return {index, true};
}

}  // namespace gateway::migration
