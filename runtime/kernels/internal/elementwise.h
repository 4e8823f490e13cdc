#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include <fmt/format.h>

#include "runtime/data_type.h"
#include "runtime/kernel_api.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/broadcast.h"
#include "runtime/shape.h"
#include "runtime/status.h"
#include "runtime/tensor.h"
#include "runtime/thread_pool.h"

// Prepare steps and the threaded loops shared by the elementwise kernels (binary arithmetic,
// comparisons, logical ops, SELECT, unary math, activations, CAST). Header-only; not part of
// the public API.
namespace litescope::runtime::elementwise {

// Loop sizes below which a kernel stays on the calling thread. Cheap ops (add, compare, copy)
// need long loops to pay for waking workers; transcendental ones (exp, tanh, pow) shorter ones.
inline constexpr int64_t kCheapMinChunk = int64_t{1} << 15;
inline constexpr int64_t kCostlyMinChunk = int64_t{1} << 12;

// Highest output rank of broadcasting ops (TFLite's limit for its binary ops).
inline constexpr int kMaxBinaryRank = 6;

// Tensor index of input/output `slot` (for messages); -1 when absent.
inline int InputIndex(const Node& node, int slot) {
  return slot >= 0 && static_cast<size_t>(slot) < node.inputs.size()
             ? node.inputs[static_cast<size_t>(slot)]
             : -1;
}
inline int OutputIndex(const Node& node, int slot) {
  return slot >= 0 && static_cast<size_t>(slot) < node.outputs.size()
             ? node.outputs[static_cast<size_t>(slot)]
             : -1;
}

// "FLOAT32, INT32 or INT64"
inline std::string TypeList(std::initializer_list<DataType> types) {
  std::string s;
  size_t i = 0;
  for (DataType t : types) {
    if (i > 0) s += (i + 1 == types.size()) ? " or " : ", ";
    s += DataTypeName(t);
    ++i;
  }
  return s;
}

inline bool TypeIn(DataType t, std::initializer_list<DataType> types) {
  for (DataType u : types)
    if (u == t) return true;
  return false;
}

// Input `slot` must have one of `types`.
inline Status ExpectInputType(const Node& node, int slot, const Tensor& t,
                              std::initializer_list<DataType> types) {
  if (TypeIn(t.type, types)) return Status::Ok();
  return TypeError(node, "input", slot, InputIndex(node, slot), t, TypeList(types).c_str());
}

// Input `slot` must have the type of input 0.
inline Status ExpectSameInputType(const Node& node, int slot, const Tensor& t,
                                  const Tensor& first) {
  if (t.type == first.type) return Status::Ok();
  return TypeError(node, "input", slot, InputIndex(node, slot), t, DataTypeName(first.type));
}

// Output `slot` must have `type` (kernels validate the output type, never change it).
inline Status ExpectOutputType(const Node& node, int slot, const Tensor& out, DataType type) {
  if (out.type == type) return Status::Ok();
  return TypeError(node, "output", slot, OutputIndex(node, slot), out, DataTypeName(type));
}

// The tensors of a node with `n_in` required inputs and one output.
template <int N>
struct Operands {
  Tensor* in[N] = {};
  Tensor* out = nullptr;
};

template <int N>
inline Result<Operands<N>> GetOperands(KernelContext& ctx, const Node& node) {
  Status s = ExpectArity(node, N, N, 1);
  if (!s.ok()) return s;
  Operands<N> ops;
  for (int i = 0; i < N; ++i) {
    Result<Tensor*> t = RequireInput(ctx, node, i);
    if (!t.ok()) return t.status();
    ops.in[i] = *t;
  }
  Result<Tensor*> o = RequireOutput(ctx, node, 0);
  if (!o.ok()) return o.status();
  ops.out = *o;
  return ops;
}

// Broadcasts the shapes of `inputs` (NumPy rules), resizes `out` to the result and fills
// `layout`. Errors name the node and the first input that does not broadcast.
template <int N>
inline Status PrepareBroadcast(KernelContext& ctx, const Node& node, Tensor* const (&inputs)[N],
                               Tensor& out, int max_rank, reference::BroadcastLayout<N>* layout) {
  Shape shape = inputs[0]->shape;
  for (int k = 1; k < N; ++k) {
    Shape next;
    if (!reference::BroadcastShape(shape, inputs[k]->shape, &next))
      return InvalidModelError(fmt::format(
          "{}: input {} (tensor {}) has shape {}, which does not broadcast with {}",
          NodeLabel(node), k, InputIndex(node, k), inputs[k]->shape.ToString(), shape.ToString()));
    shape = std::move(next);
  }
  bool same = true;
  for (int k = 0; k < N; ++k) same = same && inputs[k]->shape == shape;
  if (same && shape.rank() > reference::kMaxBroadcastRank) {
    // No broadcasting: any rank works, as one flat dimension.
    int64_t elements = 0;
    if (!shape.CheckedFlatSize(&elements) || elements > INT32_MAX)
      return InvalidModelError(fmt::format("{}: output shape {} is invalid or too large",
                                           NodeLabel(node), shape.ToString()));
    const Shape flat{static_cast<int32_t>(elements)};
    const Shape* shapes[N];
    for (int k = 0; k < N; ++k) shapes[k] = &flat;
    layout->Init(shapes, flat);
    return ctx.ResizeTensor(out, shape);
  }
  if (!same && shape.rank() > max_rank)
    return InvalidModelError(
        fmt::format("{}: broadcast output shape {} has rank {}; at most {} "
                    "is supported",
                    NodeLabel(node), shape.ToString(), shape.rank(), max_rank));
  const Shape* shapes[N];
  for (int k = 0; k < N; ++k) shapes[k] = &inputs[k]->shape;
  if (!layout->Init(shapes, shape))
    return InternalError(
        fmt::format("{}: cannot lay out broadcast to {}", NodeLabel(node), shape.ToString()));
  return ctx.ResizeTensor(out, shape);
}

// Runs fn(begin, end) over [0, n), split between the interpreter's threads when n is large.
template <typename Fn>
inline void ParallelRange(KernelContext& ctx, int64_t n, int64_t min_chunk, const Fn& fn) {
  if (n <= 0) return;
  if (n < 2 * min_chunk || ctx.num_threads() <= 1) {
    fn(int64_t{0}, n);
    return;
  }
  ctx.thread_pool().ParallelFor(n, min_chunk, [&fn](int64_t b, int64_t e) { fn(b, e); });
}

// Runs fn(out_offset, in_offsets, length) over every span of a broadcast (see
// reference::ForEachSpan), split between threads when the output is large.
template <int N, typename SpanFn>
inline void ParallelSpans(KernelContext& ctx, const reference::BroadcastLayout<N>& layout,
                          int64_t min_chunk, const SpanFn& fn) {
  ParallelRange(ctx, layout.elements, min_chunk,
                [&](int64_t b, int64_t e) { reference::ForEachSpan(layout, b, e, fn); });
}

// out = op(a, b) over a prepared binary broadcast (reference::BroadcastBinaryRange), split between
// threads when the output is large.
template <typename T, typename Out, typename Op>
inline void ParallelBroadcastBinary(KernelContext& ctx, const reference::BroadcastLayout<2>& layout,
                                    const T* a, const T* b, Out* out, int64_t min_chunk,
                                    const Op& op) {
  ParallelRange(ctx, layout.elements, min_chunk, [&](int64_t begin, int64_t end) {
    reference::BroadcastBinaryRange(layout, a, b, out, begin, end, op);
  });
}

// "node 4 (FLOOR_DIV): input 1 (tensor 2 'y') ..." prefix for data-dependent errors.
inline std::string InputLabel(const Node& node, int slot, const Tensor& t) {
  return fmt::format("{}: input {} (tensor {} '{}')", NodeLabel(node), slot, InputIndex(node, slot),
                     t.name);
}

}  // namespace litescope::runtime::elementwise
