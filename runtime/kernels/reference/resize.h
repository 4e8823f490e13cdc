#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "runtime/shape.h"

// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR over NHWC tensors, with TFLite's coordinate
// rules (float arithmetic, same rounding) so results match it exactly.
namespace litescope::runtime::reference {

struct ResizeParams {
  bool align_corners = false;
  bool half_pixel_centers = false;
};

// Input units per output unit along one axis.
inline float ResizeScale(int in_size, int out_size, bool align_corners) {
  if (align_corners && out_size > 1)
    return static_cast<float>(in_size - 1) / static_cast<float>(out_size - 1);
  return static_cast<float>(in_size) / static_cast<float>(out_size);
}

// Source coordinate of output index `i` and the two neighbours that bracket it.
inline void BilinearSource(int i, float scale, bool half_pixel_centers, int in_size, float* pos,
                           int* lo, int* hi) {
  const float v = static_cast<float>(i);
  *pos = half_pixel_centers ? (v + 0.5f) * scale - 0.5f : v * scale;
  *lo = std::max(static_cast<int>(std::floor(*pos)), 0);
  *hi = std::min(static_cast<int>(std::ceil(*pos)), in_size - 1);
}

// input [N, H, W, C] -> output [N, OH, OW, C]; OH, OW >= 1 and H, W >= 1.
inline void ResizeBilinearFloat(const ResizeParams& p, const Shape& input_shape,
                                const float* input, const Shape& output_shape, float* output) {
  const int batches = input_shape.dim(0);
  const int in_h = input_shape.dim(1);
  const int in_w = input_shape.dim(2);
  const int depth = input_shape.dim(3);
  const int out_h = output_shape.dim(1);
  const int out_w = output_shape.dim(2);
  const float scale_h = ResizeScale(in_h, out_h, p.align_corners);
  const float scale_w = ResizeScale(in_w, out_w, p.align_corners);
  for (int b = 0; b < batches; ++b) {
    const float* img = input + static_cast<int64_t>(b) * in_h * in_w * depth;
    for (int y = 0; y < out_h; ++y) {
      float in_y;
      int y0, y1;
      BilinearSource(y, scale_h, p.half_pixel_centers, in_h, &in_y, &y0, &y1);
      const float dy = in_y - static_cast<float>(y0);
      for (int x = 0; x < out_w; ++x) {
        float in_x;
        int x0, x1;
        BilinearSource(x, scale_w, p.half_pixel_centers, in_w, &in_x, &x0, &x1);
        const float dx = in_x - static_cast<float>(x0);
        const float* p00 = img + (static_cast<int64_t>(y0) * in_w + x0) * depth;
        const float* p10 = img + (static_cast<int64_t>(y1) * in_w + x0) * depth;
        const float* p01 = img + (static_cast<int64_t>(y0) * in_w + x1) * depth;
        const float* p11 = img + (static_cast<int64_t>(y1) * in_w + x1) * depth;
        float* out = output + ((static_cast<int64_t>(b) * out_h + y) * out_w + x) * depth;
        for (int c = 0; c < depth; ++c) {
          out[c] = p00[c] * (1 - dy) * (1 - dx) + p10[c] * dy * (1 - dx) +
                   p01[c] * (1 - dy) * dx + p11[c] * dy * dx;
        }
      }
    }
  }
}

// Source index of output index `i` for nearest-neighbour resizing.
inline int NearestSource(int i, int in_size, int out_size, bool align_corners,
                         bool half_pixel_centers) {
  const float scale = ResizeScale(in_size, out_size, align_corners);
  const float offset = half_pixel_centers ? 0.5f : 0.f;
  const float pos = (static_cast<float>(i) + offset) * scale;
  int v = align_corners ? static_cast<int>(std::round(pos)) : static_cast<int>(std::floor(pos));
  v = std::min(v, in_size - 1);
  if (half_pixel_centers) v = std::max(v, 0);
  return v;
}

// Works on raw elements of `element_bytes` bytes, so it serves every type.
inline void ResizeNearestNeighbor(const ResizeParams& p, const Shape& input_shape,
                                  const void* input, const Shape& output_shape, void* output,
                                  size_t element_bytes) {
  const int batches = input_shape.dim(0);
  const int in_h = input_shape.dim(1);
  const int in_w = input_shape.dim(2);
  const int out_h = output_shape.dim(1);
  const int out_w = output_shape.dim(2);
  const size_t pixel_bytes = static_cast<size_t>(input_shape.dim(3)) * element_bytes;
  const auto* in = static_cast<const uint8_t*>(input);
  auto* out = static_cast<uint8_t*>(output);
  for (int b = 0; b < batches; ++b) {
    const uint8_t* img = in + static_cast<size_t>(b) * in_h * in_w * pixel_bytes;
    for (int y = 0; y < out_h; ++y) {
      const int sy = NearestSource(y, in_h, out_h, p.align_corners, p.half_pixel_centers);
      const uint8_t* row = img + static_cast<size_t>(sy) * in_w * pixel_bytes;
      for (int x = 0; x < out_w; ++x) {
        const int sx = NearestSource(x, in_w, out_w, p.align_corners, p.half_pixel_centers);
        std::memcpy(out, row + static_cast<size_t>(sx) * pixel_bytes, pixel_bytes);
        out += pixel_bytes;
      }
    }
  }
}

}  // namespace litescope::runtime::reference
