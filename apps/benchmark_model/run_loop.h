#pragma once

#include <functional>
#include <vector>

#include "reports/benchmark_result.h"
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
};

// Hooks around each run; none of them is timed.
struct RunLoopHooks {
  std::function<void(int run)> before;  // e.g. reset inputs, tag profiling events
  std::function<void(int run)> after;   // e.g. drain profiling events
};

// Times `invoke` (wall clock and process CPU time) per run and appends one RunRecord per run.
// Stops at the first failing run and returns its status.
Status RunLoop(const RunLoopParams& params, const std::function<Status()>& invoke,
               const RunLoopHooks& hooks, std::vector<reports::RunRecord>* runs);

}  // namespace litescope::apps
