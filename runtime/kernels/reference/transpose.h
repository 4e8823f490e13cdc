#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/shape.h"

// TRANSPOSE: output dimension i is input dimension perm[i].
namespace litescope::runtime::reference {

namespace transpose_internal {

// Walks the output in row-major order; `in_strides[i]` is the input stride of output dim i.
template <typename T>
void TransposeDim(int d, const Shape& out_shape, const std::vector<int64_t>& in_strides,
                  const T* in, T*& out) {
  const int64_t n = out_shape.dim(d);
  const int64_t stride = in_strides[static_cast<size_t>(d)];
  if (d == out_shape.rank() - 1) {
    if (stride == 1) {
      if (n > 0) std::memcpy(out, in, static_cast<size_t>(n) * sizeof(T));
      out += n;
    } else {
      for (int64_t i = 0; i < n; ++i) *out++ = in[i * stride];
    }
    return;
  }
  for (int64_t i = 0; i < n; ++i) TransposeDim(d + 1, out_shape, in_strides, in + i * stride, out);
}

}  // namespace transpose_internal

// Output shape of a transpose: out.dim(i) = in.dim(perm[i]). perm must be a permutation of
// [0, rank).
inline Shape TransposedShape(const Shape& input_shape, const std::vector<int>& perm) {
  std::vector<int32_t> dims(perm.size());
  for (size_t i = 0; i < perm.size(); ++i) dims[i] = input_shape.dim(perm[i]);
  return Shape(std::move(dims));
}

// Writes the transpose of `input` (shape input_shape) by perm; output has TransposedShape().
template <typename T>
void Transpose(const Shape& input_shape, const std::vector<int>& perm, const T* input, T* output) {
  const int rank = input_shape.rank();
  if (rank == 0) {
    output[0] = input[0];
    return;
  }
  if (input_shape.FlatSize() == 0) return;
  std::vector<int64_t> in_strides(static_cast<size_t>(rank), 1);
  for (int d = rank - 2; d >= 0; --d)
    in_strides[static_cast<size_t>(d)] =
        in_strides[static_cast<size_t>(d) + 1] * input_shape.dim(d + 1);
  std::vector<int64_t> out_in_strides(static_cast<size_t>(rank));
  for (int i = 0; i < rank; ++i)
    out_in_strides[static_cast<size_t>(i)] =
        in_strides[static_cast<size_t>(perm[static_cast<size_t>(i)])];
  T* out = output;
  transpose_internal::TransposeDim(0, TransposedShape(input_shape, perm), out_in_strides, input,
                                   out);
}

}  // namespace litescope::runtime::reference
