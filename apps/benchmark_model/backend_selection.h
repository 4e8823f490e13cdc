#pragma once

#include <memory>
#include <string>
#include <vector>

#include "apps/benchmark_model/benchmark_flags.h"
#include "delegates/backend_registry.h"
#include "reports/benchmark_result.h"
#include "runtime/delegate.h"
#include "runtime/status.h"

namespace litescope::runtime {
class Interpreter;
}  // namespace litescope::runtime

namespace litescope::apps {

// The delegates applied to an interpreter. Owns them: declare it before the interpreter.
struct BackendSelection {
  std::string backend = "cpu";  // "cpu", or the delegates applied ("A+B", display names)
  delegates::AppliedBackends applied;
  // TFLite's "Going to apply N delegates one after another." when there are several, then per
  // delegate: the placement lines ("Replacing N out of M node(s) with delegate (NAME), yielding
  // K partitions for the whole graph.", the fallback groups and, with --verbose, every fallback
  // node), then TFLite's "Explicitly applied ..." line. With several delegates and --verbose,
  // finally every node's placement (delegates::FormatPlacementNodes).
  std::vector<std::string> log_lines;
};

// The backend configuration the flags give: threads, and every backend's flag values.
delegates::BackendConfig BackendConfigOf(const BenchmarkFlags& flags);

// Runs the backend actions the flags ask for (--list_gpu_devices, see BackendFlag::action), in
// registration order, and returns what they print. Fails on the first failing action.
Result<std::string> RunBackendActions(const BenchmarkFlags& flags);

// Applies the delegates the flags ask for (--use_<name> of each registered backend), in
// priority order (delegates::BackendRegistry::InPriorityOrder: a GPU before CPU libraries), before
// AllocateTensors; each sees only the nodes the earlier ones left on the CPU. With none
// requested every node stays on the CPU kernels. A backend that cannot be created here fails
// the run, its error prefixed with "--use_<name>=true".
Status SelectBackends(const BenchmarkFlags& flags, runtime::Interpreter& interp,
                      BackendSelection* selection);

// With --require_full_delegation, fails (kUnsupportedOp) unless one delegate runs every node in
// a single partition. The message starts with TFLite's "Disallowed CPU fallback detected." and
// names the nodes left on the CPU. Ok otherwise. Call after SelectBackends.
Status CheckFullDelegation(const BenchmarkFlags& flags, runtime::Interpreter& interp,
                           const BackendSelection& selection);

// Where every node of every subgraph runs, for the JSON report.
reports::PlacementRecord RecordPlacement(runtime::Interpreter& interp,
                                         const BackendSelection& selection);

}  // namespace litescope::apps
