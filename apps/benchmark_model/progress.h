#pragma once

#include <cstdint>
#include <string>

#include "apps/benchmark_model/run_loop.h"
#include "profiler/run_samples.h"

namespace litescope::apps {

// A progress line on stderr for run phases that last: nothing for the first 2 seconds, then a
// live line rewritten in place 4 times a second on a terminal, or a line every 5 seconds
// otherwise (CI logs). Off with --quiet. Update() only reads the clock until a line is due, so
// it costs nothing measurable between runs.
class Progress {
 public:
  Progress(bool quiet, const char* phase, const RunLoopParams& params);
  ~Progress() { Finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Update(int runs_done, const profiler::RunRecord& last);
  // Ends the live line (a newline) if one was shown.
  void Finish();

 private:
  bool enabled_;
  bool tty_;
  std::string phase_;
  double max_secs_;
  int min_runs_;
  int64_t start_ns_;
  int64_t next_ns_;
  bool live_line_open_ = false;
};

}  // namespace litescope::apps
