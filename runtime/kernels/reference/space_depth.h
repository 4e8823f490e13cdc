#pragma once

#include <cstdint>
#include <cstring>

#include "runtime/shape.h"

// SPACE_TO_DEPTH and DEPTH_TO_SPACE on NHWC tensors with block size b:
//   space [N, H*b, W*b, C]  <->  depth [N, H, W, b*b*C]
//   depth[n][h][w][(bh * b + bw) * C + c] = space[n][h * b + bh][w * b + bw][c]
namespace litescope::runtime::reference {

namespace space_depth_internal {

// Visits every (space run, depth run) pair of C contiguous elements.
template <typename Fn>
void ForEachRun(const Shape& depth_shape, int block, int64_t channels, Fn&& fn) {
  const int64_t batches = depth_shape.dim(0), h_out = depth_shape.dim(1),
                w_out = depth_shape.dim(2);
  const int64_t w_space = w_out * block, h_space = h_out * block;
  int64_t depth_offset = 0;
  for (int64_t n = 0; n < batches; ++n)
    for (int64_t h = 0; h < h_out; ++h)
      for (int64_t w = 0; w < w_out; ++w)
        for (int64_t bh = 0; bh < block; ++bh)
          for (int64_t bw = 0; bw < block; ++bw) {
            const int64_t space_offset =
                ((n * h_space + h * block + bh) * w_space + w * block + bw) * channels;
            fn(space_offset, depth_offset);
            depth_offset += channels;
          }
}

}  // namespace space_depth_internal

// input: [N, H*b, W*b, C]; output: [N, H, W, b*b*C].
template <typename T>
void SpaceToDepth(const Shape& output_shape, int block, const T* input, T* output) {
  const int64_t channels = output_shape.dim(3) / (static_cast<int64_t>(block) * block);
  if (channels == 0) return;
  space_depth_internal::ForEachRun(output_shape, block, channels, [&](int64_t s, int64_t d) {
    std::memcpy(output + d, input + s, static_cast<size_t>(channels) * sizeof(T));
  });
}

// input: [N, H, W, b*b*C]; output: [N, H*b, W*b, C].
template <typename T>
void DepthToSpace(const Shape& input_shape, int block, const T* input, T* output) {
  const int64_t channels = input_shape.dim(3) / (static_cast<int64_t>(block) * block);
  if (channels == 0) return;
  space_depth_internal::ForEachRun(input_shape, block, channels, [&](int64_t s, int64_t d) {
    std::memcpy(output + s, input + d, static_cast<size_t>(channels) * sizeof(T));
  });
}

}  // namespace litescope::runtime::reference
