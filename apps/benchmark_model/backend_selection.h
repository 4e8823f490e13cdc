#pragma once

#include <memory>
#include <string>
#include <vector>

#include "apps/benchmark_model/benchmark_flags.h"
#include "reports/benchmark_result.h"
#include "runtime/delegate.h"
#include "runtime/status.h"

namespace litescope::runtime {
class Interpreter;
}  // namespace litescope::runtime

namespace litescope::apps {

// The delegates applied to an interpreter. Owns them: destroy it after the interpreter.
struct BackendSelection {
  std::string backend = "cpu";  // "cpu", or the delegate(s) applied
  std::vector<std::unique_ptr<runtime::Delegate>> delegates;
  // Per delegate: the placement lines ("Replacing N out of M node(s) with delegate (XNNPACK),
  // yielding K partitions for the whole graph.", the fallback groups and, with --verbose, every
  // fallback node), then TFLite's "Explicitly applied ..." line.
  std::vector<std::string> log_lines;
};

// Applies the delegates the flags ask for, in TFLite's order (XNNPACK, then GPU), before
// AllocateTensors. With none requested every node stays on the CPU kernels.
// Providers: XNNPACK (delegates/xnnpack; num_threads and xnnpack_force_fp16 apply). GPU is not
// in litescope yet: --use_gpu=true fails with kUnsupportedOp.
Result<BackendSelection> SelectBackends(const BenchmarkFlags& flags, runtime::Interpreter& interp);

// With --require_full_delegation, fails (kUnsupportedOp) unless one delegate runs every node in
// a single partition. The message starts with TFLite's "Disallowed CPU fallback detected." and
// names the nodes left on the CPU. Ok otherwise. Call after SelectBackends.
Status CheckFullDelegation(const BenchmarkFlags& flags, runtime::Interpreter& interp,
                           const BackendSelection& selection);

// Where every node of every subgraph runs, for the JSON report.
reports::PlacementRecord RecordPlacement(runtime::Interpreter& interp,
                                         const BackendSelection& selection);

}  // namespace litescope::apps
