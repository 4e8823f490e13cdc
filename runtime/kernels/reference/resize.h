#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

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

// Source neighbours and weight of the upper neighbour, for every output index of one axis.
struct BilinearAxis {
  std::vector<int> lo;
  std::vector<int> hi;
  std::vector<float> frac;  // pos - lo; may fall outside [0, 1] at the borders, as in TFLite
};

inline BilinearAxis MakeBilinearAxis(int in_size, int out_size, const ResizeParams& p) {
  BilinearAxis a;
  a.lo.resize(static_cast<size_t>(out_size));
  a.hi.resize(static_cast<size_t>(out_size));
  a.frac.resize(static_cast<size_t>(out_size));
  const float scale = ResizeScale(in_size, out_size, p.align_corners);
  for (int i = 0; i < out_size; ++i) {
    float pos;
    const size_t k = static_cast<size_t>(i);
    BilinearSource(i, scale, p.half_pixel_centers, in_size, &pos, &a.lo[k], &a.hi[k]);
    a.frac[k] = pos - static_cast<float>(a.lo[k]);
  }
  return a;
}

// Output rows [row_begin, row_end) (row = batch * OH + y) of a bilinear resize, given the
// tables of both axes. input [N, H, W, C] -> output [N, OH, OW, C]; H, W >= 1.
inline void ResizeBilinearFloatRows(const Shape& input_shape, const float* input,
                                    const Shape& output_shape, float* output,
                                    const BilinearAxis& ys, const BilinearAxis& xs,
                                    int64_t row_begin, int64_t row_end) {
  const int in_h = input_shape.dim(1);
  const int in_w = input_shape.dim(2);
  const int depth = input_shape.dim(3);
  const int out_h = output_shape.dim(1);
  const int out_w = output_shape.dim(2);
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / out_h;
    const size_t y = static_cast<size_t>(row % out_h);
    const float dy = ys.frac[y];
    const float* img = input + b * in_h * in_w * depth;
    const float* r0 = img + static_cast<int64_t>(ys.lo[y]) * in_w * depth;
    const float* r1 = img + static_cast<int64_t>(ys.hi[y]) * in_w * depth;
    float* out = output + row * out_w * depth;
    for (int x = 0; x < out_w; ++x, out += depth) {
      const size_t k = static_cast<size_t>(x);
      const float dx = xs.frac[k];
      const float w00 = (1 - dy) * (1 - dx);
      const float w10 = dy * (1 - dx);
      const float w01 = (1 - dy) * dx;
      const float w11 = dy * dx;
      const float* p00 = r0 + static_cast<int64_t>(xs.lo[k]) * depth;
      const float* p01 = r0 + static_cast<int64_t>(xs.hi[k]) * depth;
      const float* p10 = r1 + static_cast<int64_t>(xs.lo[k]) * depth;
      const float* p11 = r1 + static_cast<int64_t>(xs.hi[k]) * depth;
      for (int c = 0; c < depth; ++c)
        out[c] = p00[c] * w00 + p10[c] * w10 + p01[c] * w01 + p11[c] * w11;
    }
  }
}

// Whole tensor: input [N, H, W, C] -> output [N, OH, OW, C]; H, W >= 1.
inline void ResizeBilinearFloat(const ResizeParams& p, const Shape& input_shape, const float* input,
                                const Shape& output_shape, float* output) {
  const BilinearAxis ys = MakeBilinearAxis(input_shape.dim(1), output_shape.dim(1), p);
  const BilinearAxis xs = MakeBilinearAxis(input_shape.dim(2), output_shape.dim(2), p);
  ResizeBilinearFloatRows(input_shape, input, output_shape, output, ys, xs, 0,
                          static_cast<int64_t>(output_shape.dim(0)) * output_shape.dim(1));
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
