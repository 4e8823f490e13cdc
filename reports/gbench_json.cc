#include "reports/gbench_json.h"

#include <cctype>
#include <cmath>
#include <string>

#include "profiler/stats.h"
#include "reports/benchmark_json.h"

namespace litescope::reports {
namespace {

using nlohmann::json;

json Entry(const std::string& name, const std::string& run_name, int64_t repetitions) {
  return {{"name", name},         {"family_index", 0},          {"per_family_instance_index", 0},
          {"run_name", run_name}, {"repetitions", repetitions}, {"threads", 1}};
}

}  // namespace

json GbenchToJson(const BenchmarkResult& r) {
  const std::string name = ReportName(r);
  const profiler::HostInfo& h = r.host;
  std::string build = BuildType();
  for (char& c : build) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  json context = {
      {"date", r.date},
      {"host_name", h.hostname},
      {"executable", r.executable},
      {"num_cpus", h.cpu_cores},
      {"mhz_per_cpu", static_cast<int64_t>(h.cpu_max_mhz)},
      {"cpu_scaling_enabled", !h.cpu_governor.empty() && h.cpu_governor != "performance"},
      {"caches", json::array()},
      {"load_avg", h.load_avg},
      {"library_build_type", build == "debug" ? "debug" : "release"},
      {"json_schema_version", 1},
      {"litescope_tool", r.tool},
      {"model", r.model_path},
      {"model_sha256", r.model_sha256},
      {"backend", r.backend},
      {"num_threads", r.num_threads}};

  // One repetition per kept run (every run up to the reservoir's capacity); the aggregates
  // describe the repetitions listed.
  const std::vector<double> wall =
      r.regular_runs.KeptValues(profiler::RunSamples::Measure::kWallUs);
  const std::vector<double> cpu = r.regular_runs.KeptValues(profiler::RunSamples::Measure::kCpuUs);
  const auto n = static_cast<int64_t>(wall.size());
  json benchmarks = json::array();
  for (int64_t i = 0; i < n; ++i) {
    json e = Entry(name, name, n);
    e["run_type"] = "iteration";
    e["repetition_index"] = i;
    e["iterations"] = 1;
    e["real_time"] = wall[static_cast<size_t>(i)];
    e["cpu_time"] = cpu[static_cast<size_t>(i)];
    e["time_unit"] = "us";
    benchmarks.push_back(std::move(e));
  }
  if (n > 0) {
    struct Aggregate {
      const char* name;
      const char* unit;
      double real, cpu;
    };
    const double wall_mean = profiler::Mean(wall), cpu_mean = profiler::Mean(cpu);
    // Google Benchmark's stddev and cv use the sample (n - 1) standard deviation.
    auto sample_std = [n](const std::vector<double>& v) {
      return n > 1 ? profiler::StdDev(v) *
                         std::sqrt(static_cast<double>(n) / static_cast<double>(n - 1))
                   : 0.0;
    };
    const double wall_std = sample_std(wall), cpu_std = sample_std(cpu);
    const Aggregate aggregates[] = {
        {"mean", "time", wall_mean, cpu_mean},
        {"median", "time", profiler::Median(wall), profiler::Median(cpu)},
        {"stddev", "time", wall_std, cpu_std},
        {"cv", "percentage", wall_mean > 0 ? wall_std / wall_mean : 0,
         cpu_mean > 0 ? cpu_std / cpu_mean : 0},
    };
    for (const Aggregate& a : aggregates) {
      json e = Entry(name + "_" + a.name, name, n);
      e["run_type"] = "aggregate";
      e["aggregate_name"] = a.name;
      e["aggregate_unit"] = a.unit;
      e["iterations"] = n;
      e["real_time"] = a.real;
      e["cpu_time"] = a.cpu;
      e["time_unit"] = "us";
      benchmarks.push_back(std::move(e));
    }
  }
  // Assigned one by one: the same document written as a braced list of moved values came out
  // with an empty "benchmarks" array in a GCC 12 -O1 sanitizer build (nlohmann/json 3.11).
  json out = json::object();
  out["context"] = std::move(context);
  out["benchmarks"] = std::move(benchmarks);
  return out;
}

}  // namespace litescope::reports
