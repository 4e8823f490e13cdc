#pragma once

#include <memory>
#include <string>
#include <vector>

#include "apps/benchmark_model/benchmark_flags.h"
#include "apps/benchmark_model/benchmark_inputs.h"
#include "reports/benchmark_result.h"
#include "runtime/model.h"
#include "runtime/status.h"
#include "runtime/subgraph.h"

namespace litescope::apps {

// --check_outputs: which backend the benchmarked outputs are checked against. "auto" is the
// reference kernels when a delegate ran the benchmark, and off when the reference kernels did
// (they would be checked against themselves). Returns "off", "reference" or a backend name.
std::string OutputCheckTarget(const BenchmarkFlags& flags, bool delegates_applied);

// Runs `input_data` once more through a fresh interpreter of `model` on `target` (same
// subgraph, input shapes and thread count) and compares each of `benchmarked`'s outputs with it
// under analyzers::CrossBackendTolerance(). Fills `*check`; fails only when the check could not
// run (the target backend is not available, the run failed), not on a mismatch.
Status CheckOutputs(const BenchmarkFlags& flags, const InputSpecs& inputs,
                    const std::shared_ptr<const runtime::Model>& model, int subgraph_index,
                    const std::vector<std::vector<uint8_t>>& input_data,
                    const runtime::Subgraph& benchmarked, const std::string& target,
                    reports::OutputCheckRecord* check);

}  // namespace litescope::apps
