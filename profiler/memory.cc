#include "profiler/memory.h"

#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "runtime/interpreter.h"

namespace litescope::profiler {
namespace {

// "  1234 kB" -> 1234 * 1024; -1 when malformed.
int64_t ParseKb(const std::string& value) {
  const char* p = value.c_str();
  char* end = nullptr;
  const long long kb = std::strtoll(p, &end, 10);
  if (end == p || kb < 0) return -1;
  return static_cast<int64_t>(kb) * 1024;
}

}  // namespace

ProcessMemory ParseProcStatus(const std::string& text) {
  ProcessMemory m;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = line.substr(0, colon);
    const std::string value = line.substr(colon + 1);
    if (key == "VmRSS")
      m.vm_rss_bytes = ParseKb(value);
    else if (key == "VmHWM")
      m.vm_hwm_bytes = ParseKb(value);
    else if (key == "RssAnon")
      m.rss_anon_bytes = ParseKb(value);
    else if (key == "RssFile")
      m.rss_file_bytes = ParseKb(value);
    else if (key == "RssShmem")
      m.rss_shmem_bytes = ParseKb(value);
  }
  return m;
}

ProcessMemory ReadProcessMemory() {
  std::ifstream f("/proc/self/status");
  if (!f) return {};
  std::stringstream ss;
  ss << f.rdbuf();
  return ParseProcStatus(ss.str());
}

int64_t MaxRssBytes() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return -1;
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

ModelMemory ReadModelMemory(const runtime::Interpreter& interp) {
  ModelMemory m;
  m.arena_bytes = static_cast<int64_t>(interp.arena_bytes());
  m.persistent_bytes = static_cast<int64_t>(interp.persistent_bytes());
  m.model_file_bytes = static_cast<int64_t>(interp.model().size());
  m.model_mapped = interp.model().memory_mapped();
  return m;
}

PeakMemorySampler::PeakMemorySampler(int interval_ms)
    : interval_ms_(interval_ms > 0 ? interval_ms : 1) {}

PeakMemorySampler::~PeakMemorySampler() { Stop(); }

void PeakMemorySampler::Sample() {
  const int64_t rss = ReadProcessMemory().vm_rss_bytes;
  ++samples_;
  int64_t peak = peak_bytes_.load();
  while (rss > peak && !peak_bytes_.compare_exchange_weak(peak, rss)) {
  }
}

void PeakMemorySampler::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    Sample();
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(interval_ms_), [this] { return stop_; });
  }
}

void PeakMemorySampler::Start() {
  if (thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
}

void PeakMemorySampler::Stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  Sample();
}

}  // namespace litescope::profiler
