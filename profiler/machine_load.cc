#include "profiler/machine_load.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <numeric>

#include <fmt/format.h>

namespace litescope::profiler {

double MachineLoad::free_cpus() const {
  if (load_avg_1min < 0) return online_cpus;
  return std::max(0.0, online_cpus - load_avg_1min);
}

MachineLoad ReadMachineLoad() {
  MachineLoad m;
  const long cpus = ::sysconf(_SC_NPROCESSORS_ONLN);
  m.online_cpus = cpus > 0 ? static_cast<int>(cpus) : 1;
  double load[1];
  if (::getloadavg(load, 1) == 1) m.load_avg_1min = load[0];
  return m;
}

std::vector<double> ReadCpuFrequenciesMhz() {
  std::vector<double> mhz;
  for (int cpu = 0;; ++cpu) {
    std::ifstream in(fmt::format("/sys/devices/system/cpu/cpu{}/cpufreq/scaling_cur_freq", cpu));
    double khz = 0;
    if (!(in >> khz)) break;
    mhz.push_back(khz / 1000.0);
  }
  return mhz;
}

std::string OversubscriptionWarning(const MachineLoad& load, int threads) {
  // Our own process is idle when this is read (before the runs), so the load is other work.
  const double free = load.free_cpus();
  if (threads <= std::max(1.0, std::floor(free + 0.5))) return "";
  return fmt::format(
      "WARNING: {} threads but only {:.1f} of {} CPUs are free (load average {:.2f}); the runs "
      "will wait for CPUs and the latency says more about the machine than the model",
      threads, free, load.online_cpus, load.load_avg_1min);
}

std::string FrequencyChangeWarning(const std::vector<double>& before_mhz,
                                   const std::vector<double>& after_mhz) {
  if (before_mhz.empty() || before_mhz.size() != after_mhz.size()) return "";
  const double a = std::accumulate(before_mhz.begin(), before_mhz.end(), 0.0) /
                   static_cast<double>(before_mhz.size());
  const double b = std::accumulate(after_mhz.begin(), after_mhz.end(), 0.0) /
                   static_cast<double>(after_mhz.size());
  if (a <= 0 || std::abs(b - a) / a <= 0.10) return "";
  return fmt::format(
      "WARNING: the CPU clock changed during the runs (mean {:.0f} MHz before, {:.0f} MHz "
      "after); pin the frequency (performance governor) for comparable numbers",
      a, b);
}

}  // namespace litescope::profiler
