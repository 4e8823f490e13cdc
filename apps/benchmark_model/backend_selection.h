#pragma once

#include <memory>
#include <string>
#include <vector>

#include "apps/benchmark_model/benchmark_flags.h"
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
  std::vector<std::string> log_lines;  // TFLite's "Explicitly applied ..." lines
};

// Applies the delegates the flags ask for, in TFLite's order (XNNPACK, then GPU), before
// AllocateTensors. With none requested every node stays on the CPU kernels; then
// --require_full_delegation fails with TFLite's "Disallowed CPU fallback detected.".
// Providers: XNNPACK (delegates/xnnpack; num_threads and xnnpack_force_fp16 apply). GPU is not
// in litescope yet: --use_gpu=true fails with kUnsupportedOp.
Result<BackendSelection> SelectBackends(const BenchmarkFlags& flags, runtime::Interpreter& interp);

}  // namespace litescope::apps
