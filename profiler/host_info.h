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
  // The CPU kernels' instruction-set level (runtime/cpu_isa.h) when ReadHostInfo ran.
  std::string cpu_name;                   // cpuinfo's name of the package
  std::vector<std::string> isa_features;  // features behind the levels ("avx2", "avx512vnni")
  std::string isa_active;                 // the level the kernels use
  std::string isa_highest;                // the highest level the CPU supports
  std::vector<std::string> isa_compiled;  // levels this binary has kernel code for
  std::string gemm_f32_kernel;            // micro-kernels at the active level
  std::string gemm_i8_kernel;
};

// Reads /proc/cpuinfo, /sys/devices/system/cpu/cpu0/cpufreq, uname(2), getloadavg(3) and the
// runtime's ISA selection.
HostInfo ReadHostInfo();

}  // namespace litescope::profiler
