#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "delegates/backend_registry.h"
#include "runtime/delegate.h"
#include "runtime/interpreter.h"
#include "runtime/model.h"
#include "runtime/status.h"

namespace litescope::analyzers {

// Per backend, where every node of a model would run and why, computed on the very code path
// the runtime uses:
//   - "cpu": an Interpreter is built from the model; a node is supported when the OpRegistry
//     serves its op (custom ops by name) at its version, the lookup Subgraph::Build and
//     PrepareNode make. Codes: kNoKernel (builtin without a kernel), kOpVersion (version outside
//     the kernel's range), kCustomOp (custom code not registered), kFlexOp (custom code with the
//     "Flex" prefix: a Select-TF op, which litescope never runs).
//   - a registered backend (delegates/registered_backends.h): its device-free SupportChecker,
//     made from CompatibilityOptions::backend_config, judges every node of a second Interpreter,
//     and FormPartitions groups the verdicts with the config's DelegateOptions, exactly as
//     Subgraph::ApplyDelegate does when tflite_run or benchmark_model apply the delegate (whose
//     CheckNode is the same check). No delegate is needed, so a backend whose device is absent
//     is analyzed too. Each backend is judged alone, as if it were the only delegate applied.
// Nothing is invoked; AllocateTensors runs (every kernel's Prepare and the arena plan) only
// when CompatibilityOptions::allocate is set, to report whether the model can be prepared; for
// a delegate backend this needs its delegate (an unavailable one reports the error there).

inline constexpr const char kBackendCpu[] = "cpu";

// The backends AnalyzeCompatibility can evaluate, in report order: "cpu", then every backend of
// `registry` (null: RegisteredBackends()) that has a support checker.
std::vector<std::string> KnownBackends(const delegates::BackendRegistry* registry = nullptr);

// Ok for a known backend name. A registered backend without a checker fails with
// kUnsupportedOp saying why (its description); any other name with kInvalidArgument listing the
// known ones.
Status CheckBackendName(const std::string& name,
                        const delegates::BackendRegistry* registry = nullptr);

// One node's verdict on one backend.
struct NodeVerdict {
  int node = 0;
  std::string op;  // "CONV_2D", or the custom code
  int version = 1;
  runtime::SupportCode code = runtime::SupportCode::kSupported;
  std::string reason;  // one sentence naming node, op and what is missing; empty when supported
  int partition = -1;  // delegate backends: index into SubgraphCompat::partitions; -1 otherwise
  bool supported() const { return code == runtime::SupportCode::kSupported; }
};

// A non-constant tensor that crosses a partition boundary: the CPU side writes it and the
// partition reads it ("input"), or the partition writes it and the CPU side (another partition
// or a subgraph output) reads it ("output").
struct BoundaryTensor {
  int tensor = 0;
  std::string name;
  int64_t bytes = 0;  // element bytes of its shape (as built, before AllocateTensors)
};

// Nodes one delegate kernel runs. FormPartitions makes maximal runs of consecutive nodes, so
// the nodes are first_node..last_node.
struct PartitionInfo {
  int index = 0;
  int first_node = 0;
  int last_node = 0;
  int node_count = 0;
  std::vector<BoundaryTensor> inputs;
  std::vector<BoundaryTensor> outputs;
};

struct SubgraphCompat {
  int subgraph = 0;
  std::string name;
  std::vector<NodeVerdict> nodes;         // execution order
  std::vector<PartitionInfo> partitions;  // empty for "cpu"
  int supported_nodes = 0;                // delegated (delegates) or with a kernel (cpu)
  int unsupported_nodes = 0;              // fall back to the CPU (delegates) or no kernel (cpu)
  int64_t boundary_bytes = 0;             // bytes of all partition inputs and outputs
};

struct BackendCompat {
  std::string backend;       // "cpu", or the registered name
  std::string display_name;  // "CPU", or the registration's display name
  bool is_delegate = false;
  // False when the backend could not be set up (its checker could not be made); `error` says
  // why and `subgraphs` is empty.
  bool available = true;
  std::string error;
  std::vector<SubgraphCompat> subgraphs;
  int node_count = 0;          // all subgraphs
  int supported_nodes = 0;     // all subgraphs
  int unsupported_nodes = 0;   // all subgraphs
  int partition_count = 0;     // all subgraphs
  int64_t boundary_bytes = 0;  // all subgraphs
  // Unsupported nodes per reason code (SupportCodeName spelling), all subgraphs.
  std::map<std::string, int> unsupported_by_code;
  // Set when CompatibilityOptions::allocate: whether AllocateTensors succeeded on this backend
  // and, if so, Interpreter::arena_bytes() (every subgraph allocated, control-flow bodies
  // included); otherwise the error (one line).
  bool allocate_checked = false;
  bool allocate_ok = false;
  std::string allocate_error;
  int64_t arena_bytes = 0;
};

struct CompatibilityOptions {
  // Empty: KnownBackends().
  std::vector<std::string> backends;
  // Where the backends come from; null: RegisteredBackends(). Not owned.
  const delegates::BackendRegistry* registry = nullptr;
  // How every delegate backend is checked and partitioned (threads, DelegateOptions, the
  // backends' flag values). Use the run's config to predict that run.
  delegates::BackendConfig backend_config;
  // Options of every interpreter built (limits such as max_arena_bytes apply to AllocateTensors).
  runtime::InterpreterOptions interpreter;
  bool allocate = true;
};

struct CompatibilityReport {
  std::vector<BackendCompat> backends;  // in the order asked for
  const BackendCompat* Find(const std::string& backend) const;
};

// Evaluates every requested backend. Fails only on a bad backend name (see CheckBackendName) or
// when no Interpreter can be built from the model; a backend that cannot be set up is reported
// with available = false.
Result<CompatibilityReport> AnalyzeCompatibility(std::shared_ptr<const runtime::Model> model,
                                                 const CompatibilityOptions& options = {});

}  // namespace litescope::analyzers
