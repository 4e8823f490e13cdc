#include "reports/benchmark_result.h"

namespace litescope::reports {

std::string ReportName(const BenchmarkResult& result) {
  if (!result.benchmark_name.empty()) return result.output_prefix + result.benchmark_name;
  std::string base = result.model_path;
  const size_t slash = base.find_last_of('/');
  if (slash != std::string::npos) base = base.substr(slash + 1);
  return result.output_prefix + result.tool + "/" + base;
}

}  // namespace litescope::reports
