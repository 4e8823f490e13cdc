#pragma once

#include <string>
#include <vector>

namespace litescope::profiler {

// What else the machine is doing, read around a benchmark: the load average against the
// online CPUs, and the CPUs' current clock frequencies where the kernel exposes them.
struct MachineLoad {
  int online_cpus = 0;
  double load_avg_1min = -1;  // getloadavg; -1 when unreadable
  // online_cpus - load average, at least 0: roughly how many CPUs nothing else wants.
  double free_cpus() const;
};
MachineLoad ReadMachineLoad();

// scaling_cur_freq of every CPU (/sys/devices/system/cpu/cpu*/cpufreq), MHz, in CPU order;
// empty when not readable (many VMs and containers).
std::vector<double> ReadCpuFrequenciesMhz();

// "WARNING: ..." when `threads` exceeds the free CPUs; empty otherwise.
std::string OversubscriptionWarning(const MachineLoad& load, int threads);
// "WARNING: ..." when the mean frequency moved by more than 10% between the two readings (same
// CPU count); empty otherwise or when unreadable.
std::string FrequencyChangeWarning(const std::vector<double>& before_mhz,
                                   const std::vector<double>& after_mhz);

}  // namespace litescope::profiler
