#pragma once

#include <string>
#include <vector>

namespace litescope::profiler {

// The machine a benchmark ran on, for reproducibility metadata. Fields that cannot be read stay
// empty (strings) or 0 (numbers).
struct HostInfo {
  std::string cpu_model;     // /proc/cpuinfo "model name" (or "Hardware"/"Processor" on ARM)
  int cpu_cores = 0;         // online logical CPUs
  std::string cpu_governor;  // cpu0's cpufreq scaling_governor ("performance", "powersave")
  double cpu_max_mhz = 0;    // cpu0's cpuinfo_max_freq, else /proc/cpuinfo "cpu MHz"
  std::string os_name;       // uname sysname ("Linux")
  std::string os_release;    // uname release ("6.1.0-18-amd64")
  std::string os_version;    // uname version
  std::string machine;       // uname machine ("x86_64", "aarch64")
  std::string hostname;
  std::vector<double> load_avg;  // 1, 5 and 15 minute load averages (getloadavg)
};

// Reads /proc/cpuinfo, /sys/devices/system/cpu/cpu0/cpufreq, uname(2) and getloadavg(3).
HostInfo ReadHostInfo();

}  // namespace litescope::profiler
