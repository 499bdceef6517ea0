// Progress: how a long-running command (import, export) reports its advance
// on stderr. On a terminal it redraws one line: a bar, counts, rate and ETA.
// Otherwise (a pipe, a log file, CI) it prints a plain line when the work
// starts and then at most once a second, so logs stay short.
//
// Thread-safety: not thread-safe; one Progress per command run.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace gateway::cli {

class Progress {
 public:
  // `noun` names what is counted ("records", "customers").
  Progress(std::string noun, bool terminal);

  static bool StderrIsTerminal();

  // `items` processed so far; `done` of `total` units measure the work
  // (bytes read, customers written; `total` 0 when unknown: no bar, no ETA).
  // `detail` follows the numbers, e.g. the outcome counts.
  void Update(uint64_t items, uint64_t done, uint64_t total, std::string_view detail);
  // Prints `text` on a line of its own without breaking the bar.
  void Line(std::string_view text);
  // Removes the bar, leaving the terminal clean for the summary.
  void Finish();

  double ElapsedSeconds() const;

 private:
  std::string noun_;
  bool terminal_;
  bool drawn_ = false;
  bool printed_once_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// 1234567 → "1,234,567".
std::string Thousands(uint64_t n);

}  // namespace gateway::cli
