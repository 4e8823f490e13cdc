#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "delegates/backend_registry.h"
#include "runtime/delegate.h"
#include "runtime/subgraph.h"

namespace litescope::delegates {

// An argument of one kernel launch.
struct OpenclArg {
  enum class Kind { kTensor, kInt, kZeros };
  Kind kind = Kind::kTensor;
  int tensor = -1;    // kTensor: the subgraph tensor whose device buffer is passed
  int32_t value = 0;  // kInt: the value; kZeros: the element count of a zero-filled buffer
};

// One clEnqueueNDRangeKernel.
struct OpenclLaunch {
  std::string kernel;  // function name in the node's program
  std::vector<OpenclArg> args;
  std::vector<size_t> global;  // 1 to 3 dimensions, exact (no padding, no local size)
};

// How one node runs on the device, decided without a device (OpenclPlanNode).
struct OpenclNodePlan {
  enum class Kind {
    kProgram,  // build `source` with `options`, then run `launches`
    kCopy,     // clEnqueueCopyBuffer from copy_src to copy_dst (RESHAPE, SQUEEZE)
    kFolded,   // DEQUANTIZE of a constant FLOAT16 tensor: converted once on the host
  };
  Kind kind = Kind::kProgram;
  std::string source;   // OpenCL C (common prelude included)
  std::string options;  // "-D IH=224 -D ..." plus -cl-std=CL1.2
  std::vector<OpenclLaunch> launches;
  int copy_src = -1;
  int copy_dst = -1;
};

// The one support check and lowering of a node for the OpenCL GPU delegate: answers "supported,
// or why not" (one reason, with its SupportCode) from the node, its tensors (types, shapes,
// constness) and its options alone, and with `plan` non-null also writes how it runs. The
// delegate partitions on this function and builds from the plans it writes, and
// tflite_analyze --compat --backend gpu calls it through OpenclSupport, so a prediction equals
// the run.
//
// Served, FLOAT32 activations, rank <= 4, static shapes: CONV_2D, DEPTHWISE_CONV_2D,
// FULLY_CONNECTED (constant weights and bias), ADD, SUB, MUL (broadcasting), AVERAGE_POOL_2D,
// MAX_POOL_2D, RESHAPE, SQUEEZE, SOFTMAX, CONCATENATION, LOGISTIC, RELU, RELU6, RELU_N1_TO_1,
// TANH, HARD_SWISH, MEAN (constant axes), PAD (constant paddings), DEQUANTIZE of a constant
// FLOAT16 tensor (folded into FLOAT32 weights); fused NONE, RELU, RELU_N1_TO_1, RELU6, TANH.
runtime::SupportResult OpenclPlanNode(runtime::Subgraph& graph, const runtime::Node& node,
                                      OpenclNodePlan* plan);

// A tensor the delegate uploads once: a FLOAT32 constant, or the output of a DEQUANTIZE of a
// FLOAT16 constant. Sets *fp16_source to the FLOAT16 tensor in the second case (else -1).
bool OpenclStaticTensor(runtime::Subgraph& graph, int tensor, int* fp16_source);

// The device-free checker of the "gpu" registration (tflite_analyze --compat --backend gpu);
// the delegate's CheckNode is the same function. Stateless.
class OpenclSupport final : public SupportChecker {
 public:
  runtime::SupportResult Check(runtime::Subgraph& subgraph, const runtime::Node& node) override {
    return OpenclPlanNode(subgraph, node, nullptr);
  }
};

}  // namespace litescope::delegates
