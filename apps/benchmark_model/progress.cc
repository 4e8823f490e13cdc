#include "apps/benchmark_model/progress.h"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "profiler/clock.h"

namespace litescope::apps {
namespace {

constexpr int64_t kFirstLineNs = 2'000'000'000;
constexpr int64_t kTtyPeriodNs = 250'000'000;
constexpr int64_t kLogPeriodNs = 5'000'000'000;

}  // namespace

Progress::Progress(bool quiet, const char* phase, const RunLoopParams& params)
    : enabled_(!quiet),
      tty_(::isatty(STDERR_FILENO) == 1),
      phase_(phase),
      max_secs_(params.max_secs),
      min_runs_(params.min_runs),
      start_ns_(profiler::MonotonicNowNs()),
      next_ns_(start_ns_ + kFirstLineNs) {}

void Progress::Update(int runs_done, const profiler::RunRecord& last) {
  if (!enabled_) return;
  const int64_t now = profiler::MonotonicNowNs();
  if (now < next_ns_) return;
  next_ns_ = now + (tty_ ? kTtyPeriodNs : kLogPeriodNs);
  const double secs = static_cast<double>(now - start_ns_) * 1e-9;
  const std::string text = fmt::format(
      "benchmark_model: {} runs: {} done (at least {}), {:.1f} s of at most {:g} s, last run "
      "{:.4g} us",
      phase_, runs_done, min_runs_, secs, max_secs_, static_cast<double>(last.wall_ns) / 1000.0);
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s", text.c_str());
    live_line_open_ = true;
  } else {
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  std::fflush(stderr);
}

void Progress::Finish() {
  if (!live_line_open_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
  live_line_open_ = false;
}

}  // namespace litescope::apps
