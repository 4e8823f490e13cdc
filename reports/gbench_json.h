#pragma once

#include <nlohmann/json.hpp>

#include "reports/benchmark_result.h"

namespace litescope::reports {

// The regular runs in Google Benchmark's JSON output format, so tools written for it
// (tools/compare.py, dashboards) read benchmark_model results:
//   {"context": {date, host_name, executable, num_cpus, mhz_per_cpu, cpu_scaling_enabled,
//                caches, load_avg, library_build_type, json_schema_version: 1, ...},
//    "benchmarks": [one "iteration" entry per timed run (a repetition of 1 iteration),
//                   then "aggregate" entries _mean, _median, _stddev and _cv]}
// Times are in microseconds ("time_unit": "us"); cpu_time is the process CPU time of the run.
// The benchmark name is ReportName(result). Formats only.
nlohmann::json GbenchToJson(const BenchmarkResult& result);

}  // namespace litescope::reports
