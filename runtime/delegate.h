#pragma once

#include <climits>
#include <memory>
#include <string>
#include <vector>

#include "runtime/kernel_api.h"
#include "runtime/status.h"

namespace litescope::runtime {

class Subgraph;

// Why a backend does or does not take a node. Machine-readable; the message says the rest.
enum class SupportCode {
  kSupported = 0,
  kUnsupportedOp,       // the backend has no lowering for this op
  kOpVersion,           // op version beyond what the backend handles
  kInputType,           // an input's element type
  kOutputType,          // an output's element type
  kQuantization,        // quantization kind (hybrid, per-channel where not allowed, ...)
  kFusedActivation,     // fused activation the backend lacks
  kNonConstantWeights,  // weights/bias/parameter tensors must be constant
  kDynamicShape,        // shape depends on run-time data
  kRank,                // tensor rank out of range
  kAttribute,           // an attribute value (stride, beta, axis, ...)
  kCustomOp,            // custom op without a lowering
  kFlexOp,              // Select-TF (Flex) op
  kNoKernel,            // CPU: no kernel registered for this op
  kPartitionLimit,      // supported, but dropped by partition options
  kNodeRange,           // outside first/last delegated node index
  kDelegateError,       // the backend failed to build the partition
};

const char* SupportCodeName(SupportCode code);

struct SupportResult {
  SupportCode code = SupportCode::kSupported;
  std::string message;  // "node 4 (MEAN): axis tensor is dynamic"; empty when supported
  bool supported() const { return code == SupportCode::kSupported; }
  static SupportResult Yes() { return {}; }
  static SupportResult No(SupportCode code, std::string message) {
    return {code, std::move(message)};
  }
};

// Partitioning options with TFLite's meanings.
struct DelegateOptions {
  int max_delegated_partitions = 0;   // keep at most this many (largest first); 0 = no limit
  int min_nodes_per_partition = 0;    // drop smaller partitions
  int first_delegate_node_index = 0;  // delegate only nodes in [first, last] (bisecting aid)
  int last_delegate_node_index = INT_MAX;
};

// Runs one partition (a set of nodes, in execution order) of a subgraph.
class DelegateKernel {
 public:
  virtual ~DelegateKernel() = default;
  // Called during AllocateTensors, in execution order, once the partition's input shapes are
  // known. Must size every partition output with ctx.ResizeTensor.
  virtual Status Prepare(KernelContext& ctx) = 0;
  // Reads the partition's inputs and writes its outputs (tensors in the subgraph's arena).
  virtual Status Eval(KernelContext& ctx) = 0;
};

// A backend that takes over the nodes it supports. The support check and the lowering share
// one function, so what the analyzer predicts is what happens at run time.
class Delegate {
 public:
  virtual ~Delegate() = default;
  virtual const char* name() const = 0;  // as TFLite's log lines name it, upper case
  // Whether the backend takes this node of a built (not necessarily allocated) subgraph, and why
  // not. Reads only the node, its tensors (types, shapes, constness, quantization) and options.
  virtual SupportResult CheckNode(Subgraph& subgraph, const Node& node) = 0;
  // Builds the kernel for a partition; `nodes` are node indices in execution order.
  virtual Result<std::unique_ptr<DelegateKernel>> CreateKernel(Subgraph& subgraph,
                                                               const std::vector<int>& nodes) = 0;
};

// One delegate's "no" for a node, as that delegate's CheckNode (or partitioning, or CreateKernel)
// gave it.
struct Refusal {
  std::string backend;  // the delegate's name()
  SupportCode code = SupportCode::kSupported;
  std::string reason;
};

// Where a node runs, and why there. Delegates are applied one after another; each sees only the
// nodes no earlier one took.
struct NodePlacement {
  std::string backend = "cpu";  // delegate name, or "cpu"
  int partition = -1;           // index into the subgraph's partitions, -1 on the CPU
  // For a CPU node: the verdict of the first delegate that refused it (the only one when a
  // single delegate is applied). kSupported with an empty reason when delegated.
  SupportCode code = SupportCode::kSupported;
  std::string reason;  // why the node stayed on the CPU (empty when delegated)
  // Every delegate that saw the node and refused it, in the order they were applied. A node a
  // later delegate took keeps the refusals of the earlier ones.
  std::vector<Refusal> refusals;
  // The refusal of `backend`, or null when that delegate did not refuse (or never saw) the node.
  const Refusal* RefusalOf(const std::string& backend) const;
};

// A group of nodes one delegate kernel runs.
struct Partition {
  std::string backend;
  std::vector<int> nodes;  // in execution order
};

// Forms partitions: maximal runs of consecutive supported nodes in execution order (the
// execution order is topological, so every run is a valid unit), then applies the options:
// node range, minimum size, maximum count (largest kept). `supported[i]` is node i's verdict and
// is rewritten for nodes dropped by the options.
std::vector<std::vector<int>> FormPartitions(std::vector<SupportResult>& supported,
                                             const DelegateOptions& options);

}  // namespace litescope::runtime
