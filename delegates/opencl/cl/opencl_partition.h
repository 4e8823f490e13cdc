#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "delegates/opencl/cl/opencl_context.h"
#include "delegates/opencl/opencl_support.h"
#include "runtime/delegate.h"
#include "runtime/subgraph.h"

namespace litescope::delegates {

class OpenclDelegate;

// Runs one partition on the OpenCL device.
//
// 1. Create() plans every node (OpenclPlanNode), makes one device buffer per tensor the
//    partition touches, uploads the constant ones (weights, biases, folded FLOAT16 weights)
//    once, builds each node's program (through the delegate's program cache) and sets every
//    kernel argument once: buffers never move.
// 2. Prepare() checks that the partition inputs kept the shapes the programs were built for
//    and sizes every tensor the partition produces. Tensors used only inside the partition
//    live only in device memory.
// 3. Eval() writes the partition inputs, enqueues every node in order, reads the partition
//    outputs back and waits once (one clFinish per invoke). With profiling hooks installed it
//    asks for an event per command and reports each node's device time (kDeviceOp, device
//    clock mapped onto the host clock) and every copy (kCopy).
//
// Lifetime: the delegate and the subgraph must outlive it.
class OpenclPartition final : public runtime::DelegateKernel {
 public:
  static Result<std::unique_ptr<OpenclPartition>> Create(OpenclDelegate& delegate,
                                                         runtime::Subgraph& graph,
                                                         std::vector<int> nodes);
  ~OpenclPartition() override;
  OpenclPartition(const OpenclPartition&) = delete;
  OpenclPartition& operator=(const OpenclPartition&) = delete;

  Status Prepare(runtime::KernelContext& ctx) override;
  Status Eval(runtime::KernelContext& ctx) override;

 private:
  struct Launch {
    cl_kernel kernel = nullptr;
    std::vector<size_t> global;
  };
  struct NodeRun {
    int node = -1;
    const char* tag = "";  // op name, model-owned storage
    OpenclNodePlan::Kind kind = OpenclNodePlan::Kind::kProgram;
    std::vector<Launch> launches;
    int copy_src = -1, copy_dst = -1;
  };

  OpenclPartition(OpenclDelegate& delegate, runtime::Subgraph& graph, std::vector<int> nodes);
  Status Build();
  Result<cl_mem> Buffer(int tensor);
  Status Upload(int tensor, int fp16_source);
  Status Run(bool profile);

  OpenclDelegate& delegate_;
  std::shared_ptr<OpenclContext> context_;
  runtime::Subgraph& graph_;
  std::vector<int> nodes_;
  std::vector<cl_mem> buffers_;               // per tensor; null when unused
  std::vector<cl_mem> zero_buffers_;          // absent biases
  std::vector<int> inputs_;                   // written from the host every Eval
  std::vector<runtime::Shape> input_shapes_;  // their shapes at Create
  std::vector<int> outputs_;                  // read back every Eval
  std::vector<int> produced_;                 // every tensor a node of the partition writes
  std::vector<int> folded_outputs_;           // folded DEQUANTIZE outputs read outside
  std::vector<std::vector<float>> folded_;    // per tensor: host FLOAT32 of folded FLOAT16
  std::vector<NodeRun> runs_;
};

}  // namespace litescope::delegates
