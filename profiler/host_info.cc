#include "profiler/host_info.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "runtime/cpu_isa.h"
#include "runtime/kernels/optimized/gemm_f32.h"
#include "runtime/kernels/optimized/gemm_int8.h"
#include "runtime/kernels/optimized/isa_kernels.h"

namespace litescope::profiler {
namespace {

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

std::string ReadFirstLine(const char* path) {
  std::ifstream f(path);
  std::string line;
  if (f) std::getline(f, line);
  return Trim(line);
}

// "model name" (or the ARM equivalents) and "cpu MHz" of the first CPU in /proc/cpuinfo.
std::string CpuModel(double* mhz) {
  std::ifstream f("/proc/cpuinfo");
  std::string line, model, fallback;
  while (std::getline(f, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = Trim(line.substr(0, colon));
    const std::string value = Trim(line.substr(colon + 1));
    if (value.empty()) continue;
    if (key == "cpu MHz" && *mhz == 0) *mhz = std::strtod(value.c_str(), nullptr);
    if (key == "model name" && model.empty()) model = value;
    if ((key == "Hardware" || key == "Processor" || key == "cpu model") && fallback.empty())
      fallback = value;
  }
  return model.empty() ? fallback : model;
}

}  // namespace

HostInfo ReadHostInfo() {
  HostInfo h;
  double cpuinfo_mhz = 0;
  h.cpu_model = CpuModel(&cpuinfo_mhz);
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  h.cpu_cores = cores > 0 ? static_cast<int>(cores) : 0;
  h.cpu_governor = ReadFirstLine("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  const std::string khz = ReadFirstLine("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
  if (!khz.empty()) h.cpu_max_mhz = std::strtod(khz.c_str(), nullptr) / 1000.0;
  if (h.cpu_max_mhz <= 0) h.cpu_max_mhz = cpuinfo_mhz;
  utsname u{};
  if (uname(&u) == 0) {
    h.os_name = u.sysname;
    h.os_release = u.release;
    h.os_version = u.version;
    h.machine = u.machine;
    h.hostname = u.nodename;
  }
  double load[3];
  const int n = getloadavg(load, 3);
  for (int i = 0; i < n; ++i) h.load_avg.push_back(load[i]);
  h.cpu_name = runtime::CpuName();
  h.isa_features = runtime::CpuIsaFeatures();
  h.isa_active = runtime::IsaLevelName(runtime::ActiveIsa());
  h.isa_highest = runtime::IsaLevelName(runtime::HighestSupportedIsa());
  for (runtime::IsaLevel l : runtime::optimized::CompiledIsaLevels())
    h.isa_compiled.emplace_back(runtime::IsaLevelName(l));
  h.gemm_f32_kernel = runtime::optimized::GemmF32KernelName();
  h.gemm_i8_kernel = runtime::optimized::GemmI8KernelName();
  return h;
}

}  // namespace litescope::profiler
