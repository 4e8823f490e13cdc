#pragma once

#include <functional>
#include <vector>

#include "profiler/run_samples.h"
#include "runtime/status.h"

namespace litescope::apps {

// One loop of TFLite's BenchmarkModel::Run: runs while (run < min_runs OR elapsed < min_secs)
// AND elapsed <= max_secs, checked before each run. After a run it sleeps run_delay seconds, or,
// when run_frequency > 0, until the next slot of a fixed-rate schedule (slots that were missed
// are caught up, i.e. prorated, as TFLite does).
struct RunLoopParams {
  int min_runs = 0;
  double min_secs = 0;
  double max_secs = 150;
  double run_delay_secs = -1;
  double run_frequency_hz = -1;
  // When set, the loop also goes on (within max_secs) until it returns true; called after each
  // run with the number of runs done (e.g. --target_ci: the median's interval is narrow enough).
  std::function<bool(int runs_done)> enough;
};

// Hooks around each run; none of them is timed.
struct RunLoopHooks {
  std::function<void(int run)> before;  // e.g. reset inputs, tag profiling events
  // e.g. drain profiling events; gets the run's times (also for a run that failed)
  std::function<void(int run, const profiler::RunRecord& record)> after;
};

// Times `invoke` (wall clock and process CPU time) per run and adds one RunRecord per run to
// `runs`. Stops at the first failing run and returns its status.
Status RunLoop(const RunLoopParams& params, const std::function<Status()>& invoke,
               const RunLoopHooks& hooks, profiler::RunSamples* runs);

}  // namespace litescope::apps
