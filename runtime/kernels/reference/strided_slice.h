#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/shape.h"

// STRIDED_SLICE and SLICE.
//
// Planning turns the op's begin/end/strides and masks into one (start, stride, count) triple
// per dimension of the "effective" input (the input with the new axes of new_axis_mask
// inserted); copying then walks those triples. Output dims of shrunk axes are dropped.
namespace litescope::runtime::reference {

struct StridedSliceParams {
  std::vector<int64_t> begin;
  std::vector<int64_t> end;
  std::vector<int64_t> strides;
  uint32_t begin_mask = 0;
  uint32_t end_mask = 0;
  uint32_t ellipsis_mask = 0;
  uint32_t new_axis_mask = 0;
  uint32_t shrink_axis_mask = 0;
  bool offset = false;  // end is a size counted from begin
};

struct SlicePlan {
  std::vector<int64_t> start;   // per effective dim: first index read (in [0, dim))
  std::vector<int64_t> stride;  // per effective dim: step between indices read
  std::vector<int64_t> count;   // per effective dim: number of indices read
  Shape effective_input;        // input shape with new axes (size 1) inserted
  Shape output;                 // counts without the shrunk axes
};

namespace slice_internal {

inline bool Bit(uint32_t mask, int i) { return i < 32 && ((mask >> i) & 1u) != 0; }

inline int64_t ClampI64(int64_t v, int64_t lo, int64_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

}  // namespace slice_internal

// Resolves the slice of `input` described by `p` (TFLite's StridedSlice semantics):
//   1. Count begin entries n. An ellipsis bit at i stands for as many full dimensions as needed
//      to make n entries cover the input; new-axis bits outside the ellipsis add a size-1 axis.
//   2. For each effective dimension of size d: begin (or 0 / d-1 under begin_mask, depending on
//      the stride's sign) wraps when negative and clamps to [0, d] (stride > 0) or [-1, d-1];
//      end does the same (under offset it is begin + end first; under end_mask it becomes d or
//      -1). A shrunk axis reads exactly the element at begin, which must exist.
//   3. count = number of steps of `stride` from begin that stay before end.
// Returns false with a one-line reason when the parameters are invalid.
inline bool PlanStridedSlice(const Shape& input, const StridedSliceParams& p, SlicePlan* plan,
                             std::string* error) {
  using slice_internal::Bit;
  using slice_internal::ClampI64;
  const int n = static_cast<int>(p.begin.size());
  if (p.end.size() != p.begin.size() || p.strides.size() != p.begin.size()) {
    *error = "begin, end and strides must have the same length";
    return false;
  }
  if (n > 31) {
    *error = "at most 31 begin/end/strides entries are supported";
    return false;
  }
  const int rank = input.rank();
  int num_new_axes = 0;
  for (int i = 0; i < n; ++i)
    if (Bit(p.new_axis_mask, i) && !Bit(p.ellipsis_mask, i)) ++num_new_axes;
  const int eff_rank = rank + num_new_axes;

  // Which effective dims the ellipsis covers and which are new axes.
  std::vector<bool> eff_ellipsis(static_cast<size_t>(eff_rank), false);
  std::vector<bool> eff_new_axis(static_cast<size_t>(eff_rank), false);
  int ellipsis_start = eff_rank;
  int ellipsis_extra = 0;  // effective dims covered by the ellipsis beyond its own entry
  for (int i = 0; i < eff_rank;) {
    if (ellipsis_start == eff_rank && i < n && Bit(p.ellipsis_mask, i)) {
      ellipsis_start = i;
      int end = i + 1 + num_new_axes + rank - n;
      if (end > eff_rank) end = eff_rank;
      if (end < i + 1) end = i + 1;
      ellipsis_extra = end - i - 1;
      for (; i < end; ++i) eff_ellipsis[static_cast<size_t>(i)] = true;
      continue;
    }
    const int orig = i - ellipsis_extra;
    if (orig < n && Bit(p.new_axis_mask, orig)) eff_new_axis[static_cast<size_t>(i)] = true;
    ++i;
  }

  plan->start.assign(static_cast<size_t>(eff_rank), 0);
  plan->stride.assign(static_cast<size_t>(eff_rank), 1);
  plan->count.assign(static_cast<size_t>(eff_rank), 0);
  std::vector<int32_t> eff_dims(static_cast<size_t>(eff_rank), 1);
  std::vector<int32_t> out_dims;
  int added_axes = 0;
  for (int i = 0; i < eff_rank; ++i) {
    const size_t ui = static_cast<size_t>(i);
    if (eff_new_axis[ui] && !eff_ellipsis[ui]) {
      eff_dims[ui] = 1;
      plan->count[ui] = 1;
      ++added_axes;
      out_dims.push_back(1);
      continue;
    }
    const int in_dim = i - added_axes;
    if (in_dim < 0 || in_dim >= rank) {
      *error = "begin has more entries than the input has dimensions";
      return false;
    }
    const int64_t size = input.dim(in_dim);
    eff_dims[ui] = input.dim(in_dim);
    const bool full = eff_ellipsis[ui] || i >= n + ellipsis_extra;
    if (full) {
      plan->count[ui] = size;
      out_dims.push_back(static_cast<int32_t>(size));
      continue;
    }
    const int orig = i < ellipsis_start ? i : i - ellipsis_extra;
    const int64_t stride = p.strides[static_cast<size_t>(orig)];
    if (stride == 0) {
      *error = "stride " + std::to_string(orig) + " is 0";
      return false;
    }
    int64_t begin = p.begin[static_cast<size_t>(orig)];
    if (Bit(p.shrink_axis_mask, orig)) {
      // One element at begin; masks and end do not apply.
      if (begin < 0) begin += size;
      if (begin < 0 || begin >= size) {
        *error = "shrink index " + std::to_string(p.begin[static_cast<size_t>(orig)]) +
                 " is out of range for dimension " + std::to_string(in_dim) + " of size " +
                 std::to_string(size);
        return false;
      }
      plan->start[ui] = begin;
      plan->count[ui] = 1;
      continue;
    }
    if (begin < 0) begin += size;
    begin = stride > 0 ? ClampI64(begin, 0, size) : ClampI64(begin, -1, size - 1);
    if (Bit(p.begin_mask, orig)) begin = stride > 0 ? 0 : size - 1;
    int64_t end = p.end[static_cast<size_t>(orig)];
    if (p.offset) end += begin;
    if (end < 0) end += size;
    end = stride > 0 ? ClampI64(end, 0, size) : ClampI64(end, -1, size - 1);
    if (Bit(p.end_mask, orig)) end = stride > 0 ? size : -1;
    int64_t count = 0;
    if (stride > 0 && end > begin) count = (end - begin - 1) / stride + 1;
    if (stride < 0 && begin > end) count = (begin - end - 1) / -stride + 1;
    plan->start[ui] = count > 0 ? begin : 0;
    plan->stride[ui] = stride;
    plan->count[ui] = count;
    out_dims.push_back(static_cast<int32_t>(count));
  }
  plan->effective_input = Shape(std::move(eff_dims));
  plan->output = Shape(std::move(out_dims));
  return true;
}

// SLICE: begin[d] in [0, dim], size[d] = -1 (to the end) or begin + size <= dim.
inline bool PlanSlice(const Shape& input, const std::vector<int64_t>& begin,
                      const std::vector<int64_t>& size, SlicePlan* plan, std::string* error) {
  const int rank = input.rank();
  if (static_cast<int>(begin.size()) != rank || static_cast<int>(size.size()) != rank) {
    *error =
        "begin and size must have one entry per input dimension (" + std::to_string(rank) + ")";
    return false;
  }
  plan->start.assign(static_cast<size_t>(rank), 0);
  plan->stride.assign(static_cast<size_t>(rank), 1);
  plan->count.assign(static_cast<size_t>(rank), 0);
  std::vector<int32_t> out_dims(static_cast<size_t>(rank));
  for (int d = 0; d < rank; ++d) {
    const size_t ud = static_cast<size_t>(d);
    const int64_t dim = input.dim(d);
    const int64_t b = begin[ud];
    int64_t s = size[ud];
    if (b < 0 || b > dim) {
      *error = "begin " + std::to_string(b) + " is out of range for dimension " +
               std::to_string(d) + " of size " + std::to_string(dim);
      return false;
    }
    if (s == -1) s = dim - b;
    if (s < 0 || s > dim - b) {
      *error = "size " + std::to_string(size[ud]) + " from begin " + std::to_string(b) +
               " exceeds dimension " + std::to_string(d) + " of size " + std::to_string(dim);
      return false;
    }
    plan->start[ud] = s > 0 ? b : 0;
    plan->count[ud] = s;
    out_dims[ud] = static_cast<int32_t>(s);
  }
  plan->effective_input = input;
  plan->output = Shape(std::move(out_dims));
  return true;
}

namespace slice_internal {

template <typename T>
void CopyDim(int d, const SlicePlan& plan, const std::vector<int64_t>& in_strides, const T* in,
             T*& out) {
  const size_t ud = static_cast<size_t>(d);
  const int64_t count = plan.count[ud];
  const int64_t step = plan.stride[ud] * in_strides[ud];
  const T* p = in + plan.start[ud] * in_strides[ud];
  if (static_cast<size_t>(d) + 1 == plan.count.size()) {
    if (plan.stride[ud] == 1) {
      if (count > 0) std::memcpy(out, p, static_cast<size_t>(count) * sizeof(T));
      out += count;
    } else {
      for (int64_t k = 0; k < count; ++k) *out++ = p[k * step];
    }
    return;
  }
  for (int64_t k = 0; k < count; ++k) CopyDim(d + 1, plan, in_strides, p + k * step, out);
}

}  // namespace slice_internal

// Copies the planned slice of `input` (whose shape is plan.effective_input, in row-major order)
// to `output` (plan.output.FlatSize() elements).
template <typename T>
void StridedSlice(const SlicePlan& plan, const T* input, T* output) {
  const int rank = plan.effective_input.rank();
  if (rank == 0) {
    output[0] = input[0];
    return;
  }
  for (int64_t c : plan.count)
    if (c == 0) return;
  std::vector<int64_t> in_strides(static_cast<size_t>(rank), 1);
  for (int d = rank - 2; d >= 0; --d)
    in_strides[static_cast<size_t>(d)] =
        in_strides[static_cast<size_t>(d) + 1] * plan.effective_input.dim(d + 1);
  T* out = output;
  slice_internal::CopyDim(0, plan, in_strides, input, out);
}

}  // namespace litescope::runtime::reference
