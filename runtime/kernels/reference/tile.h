#pragma once

#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/shape.h"

// TILE and BROADCAST_TO: repeat the input along each dimension.
namespace litescope::runtime::reference {

namespace tile_internal {

// Writes the tiled block of dimension d at `out` and returns the number of elements written.
// Each input row is written once, then the whole block is copied multiples[d] - 1 more times.
template <typename T>
int64_t TileDim(int d, const Shape& in_shape, const std::vector<int64_t>& multiples, const T* in,
                T* out) {
  const int64_t n = in_shape.dim(d);
  const int64_t m = multiples[static_cast<size_t>(d)];
  int64_t block = 0;
  if (d == in_shape.rank() - 1) {
    if (n > 0) std::memcpy(out, in, static_cast<size_t>(n) * sizeof(T));
    block = n;
  } else {
    const int64_t in_stride = in_shape.FlatSize(d + 1, in_shape.rank());
    for (int64_t i = 0; i < n; ++i)
      block += TileDim(d + 1, in_shape, multiples, in + i * in_stride, out + block);
  }
  if (block == 0 || m == 0) return 0;
  for (int64_t r = 1; r < m; ++r)
    std::memcpy(out + r * block, out, static_cast<size_t>(block) * sizeof(T));
  return block * m;
}

}  // namespace tile_internal

// Output dim d = input dim d * multiples[d] (multiples >= 0, one per input dimension).
template <typename T>
void Tile(const Shape& input_shape, const std::vector<int64_t>& multiples, const T* input,
          T* output) {
  if (input_shape.rank() == 0) {
    output[0] = input[0];
    return;
  }
  if (input_shape.FlatSize() == 0) return;
  for (int64_t m : multiples)
    if (m == 0) return;
  tile_internal::TileDim(0, input_shape, multiples, input, output);
}

// BROADCAST_TO: input_shape, right-aligned to output_shape's rank, has each dim equal to the
// output's or 1. Implemented as a tile of the rank-aligned input.
template <typename T>
void BroadcastTo(const Shape& input_shape, const T* input, const Shape& output_shape, T* output) {
  const int rank = output_shape.rank();
  std::vector<int32_t> aligned(static_cast<size_t>(rank), 1);
  std::vector<int64_t> multiples(static_cast<size_t>(rank), 1);
  const int shift = rank - input_shape.rank();
  for (int d = 0; d < rank; ++d) {
    if (d >= shift) aligned[static_cast<size_t>(d)] = input_shape.dim(d - shift);
    if (aligned[static_cast<size_t>(d)] == 1)
      multiples[static_cast<size_t>(d)] = output_shape.dim(d);
  }
  if (output_shape.FlatSize() == 0) return;
  Tile(Shape(std::move(aligned)), multiples, input, output);
}

}  // namespace litescope::runtime::reference
