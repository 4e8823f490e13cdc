#include "apps/benchmark_model/benchmark_analysis.h"

#include "analyzers/compatibility.h"
#include "analyzers/cost.h"
#include "apps/benchmark_model/backend_selection.h"
#include "reports/compatibility_report.h"
#include "reports/cost_report.h"
#include "runtime/interpreter.h"

namespace litescope::apps {

nlohmann::json AnalyzeForReport(const std::shared_ptr<const runtime::Model>& model,
                                const BenchmarkFlags& flags) {
  // The run's limits, so that the analysis never allocates more than the run may.
  runtime::InterpreterOptions limits;
  limits.max_arena_bytes = flags.max_arena_mb << 20;
  limits.max_while_iterations = flags.max_while_iterations;
  analyzers::CompatibilityOptions options;
  options.interpreter = limits;
  options.allocate = false;  // the run itself allocated; spares delegates a second weight packing
  options.backend_config = BackendConfigOf(flags);
  Result<analyzers::CompatibilityReport> compat = analyzers::AnalyzeCompatibility(model, options);
  if (!compat.ok()) return {{"error", compat.status().message()}};
  analyzers::CostOptions cost_options;
  cost_options.interpreter = limits;
  Result<analyzers::CostReport> cost = analyzers::AnalyzeCost(model, cost_options);
  if (!cost.ok()) return {{"error", cost.status().message()}};
  return {{"compatibility", reports::CompatibilityToJson(*compat)},
          {"cost", reports::CostToJson(*cost)}};
}

}  // namespace litescope::apps
