#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/shape.h"

// GATHER, GATHER_ND and EMBEDDING_LOOKUP: copy slices of a table chosen by index tensors.
// Every function first checks all indices and returns the position of the first invalid one
// (or -1 when all are valid) without writing anything in that case.
namespace litescope::runtime::reference {

// GATHER with batch dimensions. With params seen as [batch, outer, axis_size, inner] and
// indices as [batch, coords], output is [batch, outer, coords, inner]:
//   out[b][o][c][:] = params[b][o][indices[b][c]][:]
// batch is the product of the first batch_dims dims (shared by params and indices).
template <typename T, typename IndexT>
int64_t Gather(const Shape& params_shape, const T* params, int axis, int batch_dims,
               const Shape& indices_shape, const IndexT* indices, T* output) {
  const int64_t batch = params_shape.FlatSize(0, batch_dims);
  const int64_t outer = params_shape.FlatSize(batch_dims, axis);
  const int64_t axis_size = params_shape.dim(axis);
  const int64_t inner = params_shape.FlatSize(axis + 1, params_shape.rank());
  const int64_t coords = indices_shape.FlatSize(batch_dims, indices_shape.rank());
  const int64_t n_indices = batch * coords;
  for (int64_t i = 0; i < n_indices; ++i)
    if (indices[i] < 0 || static_cast<int64_t>(indices[i]) >= axis_size) return i;
  if (inner == 0) return -1;
  const size_t run_bytes = static_cast<size_t>(inner) * sizeof(T);
  T* out = output;
  for (int64_t b = 0; b < batch; ++b) {
    for (int64_t o = 0; o < outer; ++o) {
      const T* src = params + (b * outer + o) * axis_size * inner;
      for (int64_t c = 0; c < coords; ++c) {
        std::memcpy(out, src + static_cast<int64_t>(indices[b * coords + c]) * inner, run_bytes);
        out += inner;
      }
    }
  }
  return -1;
}

// GATHER_ND: indices has shape [..., k] with k <= rank(params); each k-tuple selects the slice
// params[i0, ..., ik-1, :, ...] (params dims k and beyond). Returns the flat position of the
// first out-of-range index component, or -1.
template <typename T, typename IndexT>
int64_t GatherNd(const Shape& params_shape, const T* params, const Shape& indices_shape,
                 const IndexT* indices, T* output) {
  const int k = indices_shape.rank() == 0 ? 0 : indices_shape.dim(indices_shape.rank() - 1);
  const int64_t n_tuples =
      indices_shape.rank() == 0 ? 1 : indices_shape.FlatSize(0, indices_shape.rank() - 1);
  const int64_t slice = params_shape.FlatSize(k, params_shape.rank());
  std::vector<int64_t> strides(static_cast<size_t>(k), 0);
  for (int j = 0; j < k; ++j)
    strides[static_cast<size_t>(j)] = params_shape.FlatSize(j + 1, params_shape.rank());
  for (int64_t t = 0; t < n_tuples; ++t)
    for (int j = 0; j < k; ++j) {
      const int64_t v = indices[t * k + j];
      if (v < 0 || v >= params_shape.dim(j)) return t * k + j;
    }
  if (slice == 0) return -1;
  for (int64_t t = 0; t < n_tuples; ++t) {
    int64_t offset = 0;
    for (int j = 0; j < k; ++j)
      offset += static_cast<int64_t>(indices[t * k + j]) * strides[static_cast<size_t>(j)];
    std::memcpy(output + t * slice, params + offset, static_cast<size_t>(slice) * sizeof(T));
  }
  return -1;
}

// EMBEDDING_LOOKUP: out row i = table row ids[i]; a row is `row_elements` elements.
template <typename T>
int64_t EmbeddingLookup(const T* table, int64_t rows, int64_t row_elements, const int32_t* ids,
                        int64_t n_ids, T* output) {
  for (int64_t i = 0; i < n_ids; ++i)
    if (ids[i] < 0 || ids[i] >= rows) return i;
  if (row_elements == 0) return -1;
  for (int64_t i = 0; i < n_ids; ++i)
    std::memcpy(output + i * row_elements, table + static_cast<int64_t>(ids[i]) * row_elements,
                static_cast<size_t>(row_elements) * sizeof(T));
  return -1;
}

// Hybrid EMBEDDING_LOOKUP: int8 table, float output; row r is dequantized with scales[r] (one
// scale per row) or scales[0] (per tensor). The zero point is 0 (symmetric quantization).
inline int64_t EmbeddingLookupDequantize(const int8_t* table, int64_t rows, int64_t row_elements,
                                         const std::vector<float>& scales, const int32_t* ids,
                                         int64_t n_ids, float* output) {
  for (int64_t i = 0; i < n_ids; ++i)
    if (ids[i] < 0 || ids[i] >= rows) return i;
  for (int64_t i = 0; i < n_ids; ++i) {
    const int64_t r = ids[i];
    const float scale = scales.size() > 1 ? scales[static_cast<size_t>(r)] : scales[0];
    const int8_t* src = table + r * row_elements;
    float* dst = output + i * row_elements;
    for (int64_t j = 0; j < row_elements; ++j) dst[j] = static_cast<float>(src[j]) * scale;
  }
  return -1;
}

}  // namespace litescope::runtime::reference
