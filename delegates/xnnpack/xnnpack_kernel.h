#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include <xnnpack.h>

#include "delegates/xnnpack/xnnpack_lowering.h"
#include "runtime/delegate.h"
#include "runtime/kernel_api.h"
#include "runtime/shape.h"
#include "runtime/status.h"
#include "runtime/subgraph.h"

namespace litescope::delegates {

class XnnpackDelegate;

// Runs one partition as one XNNPACK runtime.
//
// 1. Create() lowers the partition's nodes (XnnpackVisitNode) with the shapes its inputs have
//    then and creates the runtime, which packs the weights once.
// 2. Prepare() rebuilds only when an input shape changed since, and sizes every tensor the
//    partition produces (ctx.ResizeTensor). Tensors used only inside the partition stay out of
//    the arena: XNNPACK keeps them as internal values.
// 3. Eval() binds the arena pointers of the partition's inputs and outputs (xnn_setup_runtime,
//    only when a pointer moved) and invokes the runtime.
//
// Per-op time: when the interpreter has profiling hooks, Eval instead runs one single-node
// XNNPACK runtime per original node (built on first use: a second copy of the packed weights,
// and scratch buffers for the partition's internal tensors), each inside a kDelegateOp event
// with the node's index, so every node gets its own measured time. The same microkernels run;
// only cross-node fusion (a clamp folded into the preceding conv) is lost. Without hooks, or
// when they say WantsDelegateOpBreakdown() is false (benchmark_model's timed runs), the
// partition runs at full speed.
//
// Lifetime: the delegate (thread pool, folded constants) and the subgraph must outlive it.
class XnnpackKernel : public runtime::DelegateKernel {
 public:
  static Result<std::unique_ptr<XnnpackKernel>> Create(XnnpackDelegate& delegate,
                                                       runtime::Subgraph& graph,
                                                       std::vector<int> nodes);
  ~XnnpackKernel() override;
  XnnpackKernel(const XnnpackKernel&) = delete;
  XnnpackKernel& operator=(const XnnpackKernel&) = delete;

  Status Prepare(runtime::KernelContext& ctx) override;
  Status Eval(runtime::KernelContext& ctx) override;

 private:
  // One XNNPACK runtime and the tensors bound to its external values.
  struct Runtime {
    xnn_runtime_t rt = nullptr;
    std::vector<int> externals;  // tensor index per bound external value
    std::vector<uint32_t> ids;   // external value id per entry of `externals`
    std::vector<void*> bound;    // pointers of the last xnn_setup_runtime
    std::vector<std::shared_ptr<const void>> keep_alive;
  };
  struct NodeRun {
    int node = -1;
    Runtime runtime;  // rt stays null for nodes that lower to nothing
  };

  XnnpackKernel(XnnpackDelegate& delegate, runtime::Subgraph& graph, std::vector<int> nodes);
  Status Classify();
  Status Build();
  Status BuildProfiling();
  void DropProfiling();
  // Lowers `nodes` into a new runtime; `external` marks the tensors passed by pointer.
  Status Lower(const std::vector<int>& nodes, const std::vector<bool>& external, bool whole,
               Runtime* out);
  void* Pointer(int tensor);
  Status Run(Runtime& r);
  Status CopyFolded(int node);

  XnnpackDelegate& delegate_;
  runtime::Subgraph& graph_;
  std::vector<int> nodes_;
  std::vector<bool> in_partition_;   // per node
  std::vector<bool> produced_;       // per tensor: written by a node of the partition
  std::vector<bool> external_;       // per tensor: partition input or output
  std::vector<int> inputs_;          // partition inputs (non-static)
  std::vector<int> folded_outputs_;  // folded DEQUANTIZE outputs read outside the partition
  std::vector<int> copies_;          // of those, the ones a CPU node or the caller reads
  std::vector<runtime::Shape> built_shapes_;  // shapes of inputs_ at the last Build
  XnnpackLowering::Partition state_;          // shapes computed by the last Build
  Runtime whole_;
  bool has_xnn_nodes_ = false;
  std::vector<NodeRun> per_node_;
  bool profiling_built_ = false;
  std::vector<std::vector<uint8_t>> scratch_;  // per tensor: storage for internal values
};

}  // namespace litescope::delegates
