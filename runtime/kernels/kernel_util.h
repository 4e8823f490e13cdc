#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <variant>

#include "runtime/kernel_api.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

// Helpers shared by kernels' Prepare functions. Pure functions and Status builders only.
namespace litescope::runtime {

// "node 12 (CONV_2D)"
std::string NodeLabel(const Node& node);

// Checks the number of input slots (between min and max inclusive) and outputs.
Status ExpectArity(const Node& node, int min_inputs, int max_inputs, int outputs);

// Fails when a kernel's own scratch buffer of `elements` x `element_bytes` would exceed the
// interpreter's max_arena_bytes: scratch sizes are products of input and filter sizes, which a
// crafted model can make enormous although every tensor is within the limits.
Status CheckScratchSize(KernelContext& ctx, const Node& node, const char* what, int64_t elements,
                        int64_t element_bytes);

// Required input/output: error naming node and slot when absent.
Result<Tensor*> RequireInput(KernelContext& ctx, const Node& node, int i);
Result<Tensor*> RequireOutput(KernelContext& ctx, const Node& node, int i);

// "node 3 (ADD): input 1 (tensor 7 'x') is INT16; expected FLOAT32"
Status TypeError(const Node& node, const char* role, int slot, int tensor_index, const Tensor& t,
                 const char* expected);

// The node's parsed parameters of type T (op_params.h): the error Subgraph::Build recorded
// when parsing failed, or an InvalidArgument error when the node holds no T (a hand-built node
// without parameters). The pointer is valid while the node is.
Status MissingParamsError(const Node& node);
template <typename T>
Result<const T*> NodeParams(const Node& node) {
  if (!node.params_error.ok()) return node.params_error;
  if (const T* p = std::get_if<T>(&node.params)) return p;
  return MissingParamsError(node);
}

// Clamp range for a fused activation on float outputs.
void FloatActivationRange(FusedActivation act, float* min, float* max);

// Output size and leading padding of one spatial dimension under SAME (0) / VALID (1) padding,
// the schema's Padding enum. Returns false for invalid parameters (stride/dilation <= 0).
bool ComputeSpatialOutput(int padding, int in, int filter, int stride, int dilation, int* out,
                          int* pad_before);

template <typename T>
inline T Clamp(T v, T lo, T hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

}  // namespace litescope::runtime
