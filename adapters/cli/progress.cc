#include "adapters/cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace gateway::cli {
namespace {

constexpr auto kTerminalInterval = std::chrono::milliseconds(100);
constexpr auto kPlainInterval = std::chrono::seconds(1);
constexpr int kBarWidth = 24;

std::string Duration(double seconds) {
  long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  } else if (s >= 60) {
    std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  } else {
    std::snprintf(buf, sizeof buf, "%lds", s);
  }
  return buf;
}

}  // namespace

std::string Thousands(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

Progress::Progress(std::string noun, bool terminal)
    : noun_(std::move(noun)), terminal_(terminal), start_(std::chrono::steady_clock::now()) {}

bool Progress::StderrIsTerminal() { return isatty(STDERR_FILENO) == 1; }

double Progress::ElapsedSeconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::Update(uint64_t items, uint64_t done, uint64_t total, std::string_view detail) {
  const auto now = std::chrono::steady_clock::now();
  if (printed_once_ && now - last_draw_ < (terminal_ ? kTerminalInterval : kPlainInterval)) return;
  printed_once_ = true;
  last_draw_ = now;
  const double elapsed = ElapsedSeconds();
  const double rate = elapsed > 0 ? static_cast<double>(items) / elapsed : 0;
  const bool known = total > 0 && done <= total;
  const double fraction = known ? static_cast<double>(done) / static_cast<double>(total) : 0;
  std::string eta;
  if (known && done > 0 && done < total && elapsed > 0) {
    eta = Duration(elapsed * (1 - fraction) / fraction);
  }
  std::string numbers =
      Thousands(items) + " " + noun_ + "  " + Thousands(static_cast<uint64_t>(rate)) + "/s";
  if (!eta.empty()) numbers += "  ETA " + eta;
  if (terminal_) {
    std::string bar;
    if (known) {
      const int filled = static_cast<int>(fraction * kBarWidth);
      bar = "[" + std::string(static_cast<size_t>(filled), '#') +
            std::string(static_cast<size_t>(kBarWidth - filled), '-') + "] ";
      char pct[8];
      std::snprintf(pct, sizeof pct, "%3d%%  ", static_cast<int>(fraction * 100));
      bar += pct;
    }
    std::fprintf(stderr, "\r\033[K%s%s  %.*s", bar.c_str(), numbers.c_str(),
                 static_cast<int>(detail.size()), detail.data());
    drawn_ = true;
  } else {
    std::string pct;
    if (known) pct = " (" + std::to_string(static_cast<int>(fraction * 100)) + "%)";
    std::fprintf(stderr, "progress: %s%s%s%.*s\n", numbers.c_str(), pct.c_str(),
                 detail.empty() ? "" : "; ", static_cast<int>(detail.size()), detail.data());
  }
  std::fflush(stderr);
}

void Progress::Line(std::string_view text) {
  if (drawn_) std::fputs("\r\033[K", stderr);
  std::fprintf(stderr, "%.*s\n", static_cast<int>(text.size()), text.data());
  // On a terminal the bar was just erased: redraw it at the next update.
  if (terminal_) printed_once_ = false;
  drawn_ = false;
}

void Progress::Finish() {
  if (drawn_) std::fputs("\r\033[K", stderr);
  drawn_ = false;
  std::fflush(stderr);
}

}  // namespace gateway::cli
