#include "apps/benchmark_model/run_loop.h"

#include <chrono>
#include <thread>

#include "profiler/clock.h"

namespace litescope::apps {
namespace {

void SleepSeconds(double secs) {
  if (secs <= 0) return;
  std::this_thread::sleep_for(std::chrono::duration<double>(secs));
}

}  // namespace

Status RunLoop(const RunLoopParams& p, const std::function<Status()>& invoke,
               const RunLoopHooks& hooks, profiler::RunSamples* runs) {
  int64_t now_ns = profiler::MonotonicNowNs();
  const int64_t min_finish_ns = now_ns + static_cast<int64_t>(p.min_secs * 1e9);
  const int64_t max_finish_ns = now_ns + static_cast<int64_t>(p.max_secs * 1e9);
  const double gap_secs = p.run_frequency_hz > 0 ? 1.0 / p.run_frequency_hz : 0;
  double next_slot_secs = static_cast<double>(now_ns) * 1e-9 + gap_secs;
  bool enough = !p.enough;
  for (int run = 0;
       (run < p.min_runs || now_ns < min_finish_ns || !enough) && now_ns <= max_finish_ns; ++run) {
    if (hooks.before) hooks.before(run);
    profiler::RunRecord r;
    const int64_t cpu0 = profiler::ProcessCpuNowNs();
    r.start_ns = profiler::MonotonicNowNs();
    const Status status = invoke();
    const int64_t end_ns = profiler::MonotonicNowNs();
    r.cpu_ns = profiler::ProcessCpuNowNs() - cpu0;
    r.wall_ns = end_ns - r.start_ns;
    if (hooks.after) hooks.after(run, r);
    if (!status.ok()) return status;
    runs->Add(r);
    double sleep_secs = p.run_delay_secs;
    if (p.run_frequency_hz > 0) {
      sleep_secs = next_slot_secs - static_cast<double>(profiler::MonotonicNowNs()) * 1e-9;
      next_slot_secs += gap_secs;
    }
    SleepSeconds(sleep_secs);
    if (p.enough) enough = p.enough(run + 1);
    now_ns = profiler::MonotonicNowNs();
  }
  return Status::Ok();
}

}  // namespace litescope::apps
