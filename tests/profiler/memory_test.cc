#include "profiler/memory.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "profiler/host_info.h"

namespace lp = litescope::profiler;

TEST_CASE("ParseProcStatus reads the resident memory lines", "[profiler][memory]") {
  const std::string text =
      "Name:\tbenchmark_model\n"
      "VmHWM:\t   20480 kB\n"
      "VmRSS:\t   10240 kB\n"
      "RssAnon:\t    6144 kB\n"
      "RssFile:\t    4000 kB\n"
      "RssShmem:\t      96 kB\n"
      "Threads:\t1\n";
  const lp::ProcessMemory m = lp::ParseProcStatus(text);
  CHECK(m.vm_hwm_bytes == 20480 * 1024);
  CHECK(m.vm_rss_bytes == 10240 * 1024);
  CHECK(m.rss_anon_bytes == 6144 * 1024);
  CHECK(m.rss_file_bytes == 4000 * 1024);
  CHECK(m.rss_shmem_bytes == 96 * 1024);
  SECTION("missing fields stay -1") {
    const lp::ProcessMemory none = lp::ParseProcStatus("Name:\tx\nVmRSS:\tgarbage\n");
    CHECK(none.vm_rss_bytes == -1);
    CHECK(none.rss_anon_bytes == -1);
  }
}

TEST_CASE("This process has resident memory", "[profiler][memory]") {
  const lp::ProcessMemory m = lp::ReadProcessMemory();
  CHECK(m.vm_rss_bytes > 0);
  CHECK(m.rss_anon_bytes >= 0);
  CHECK(lp::MaxRssBytes() >= m.vm_rss_bytes / 2);
}

TEST_CASE("PeakMemorySampler samples on a thread and stops promptly", "[profiler][memory]") {
  lp::PeakMemorySampler sampler(1);
  CHECK(sampler.peak_bytes() == -1);
  sampler.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto t0 = std::chrono::steady_clock::now();
  sampler.Stop();
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(1));
  CHECK(sampler.samples() >= 2);
  CHECK(sampler.peak_bytes() > 0);
  sampler.Stop();  // a second Stop is harmless
}

TEST_CASE("ReadHostInfo describes the machine", "[profiler][host]") {
  const lp::HostInfo h = lp::ReadHostInfo();
  CHECK(h.cpu_cores >= 1);
  CHECK(h.os_name == "Linux");
  CHECK_FALSE(h.machine.empty());
}
