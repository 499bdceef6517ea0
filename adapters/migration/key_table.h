// KeyTable: the set of keys (ids, email keys) an import has seen so far, each
// with one 32-bit value, in about (key length + 20) bytes per key. A file of
// a million customers is checked for repeated ids and emails in tens of
// megabytes, where a std::unordered_map of strings took over 200.
//
// Keys are stored once, back to back, in fixed-size blocks (growing never
// copies them); lookups go through an open-addressing table of entry numbers.
//
// Thread-safety: none; one importer owns it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace gateway::migration {

class KeyTable {
 public:
  struct Entry {
    uint32_t index;  // stable; Key(index) and Value(index) read it back
    bool inserted;   // false: the key was already there, with its first value
  };

  // Adds `key` with `value` unless present.
  Entry Insert(std::string_view key, uint32_t value);
  std::string_view Key(uint32_t index) const;
  uint32_t Value(uint32_t index) const { return values_[index]; }
  size_t size() const { return values_.size(); }

 private:
  static constexpr int kBlockBits = 20;
  static constexpr size_t kBlockBytes = size_t{1} << kBlockBits;
  static constexpr uint32_t kEmpty = 0;  // slots hold index + 1

  void Grow();
  size_t SlotOf(std::string_view key, uint64_t hash) const;

  std::vector<std::unique_ptr<char[]>> blocks_;
  size_t block_used_ = kBlockBytes;  // bytes used in blocks_.back()
  // Where each key is: block number << kBlockBits | offset of its 4-byte
  // length, the key's bytes following.
  std::vector<uint32_t> keys_;
  std::vector<uint32_t> values_;
  std::vector<uint32_t> slots_;
};

}  // namespace gateway::migration
