#pragma once

#include <string>

#include "apps/benchmark_model/benchmark_flags.h"
#include "apps/benchmark_model/benchmark_inputs.h"
#include "runtime/status.h"

namespace litescope::apps {

// Runs the benchmark the flags describe, the way TFLite's BenchmarkTfLiteModel::Run does:
// parameter echo, load, interpreter creation, delegates, AllocateTensors ("Initialized session
// in ...ms."), a warmup loop and a timed loop (each followed by its statistics line), the timing
// and memory summary, op profiling tables, interpreter state and output files; then litescope's
// JSON, trace and Google Benchmark reports. Prints to stdout. Returns the first failure (model,
// delegate, I/O), which main() prints as one "error:" line; --list_signatures returns Ok after
// listing.
Status RunBenchmark(const BenchmarkFlags& flags, const InputSpecs& inputs,
                    const std::string& executable);

}  // namespace litescope::apps
