#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/kernels/reference/resize.h"
#include "runtime/shape.h"

// RESIZE_BILINEAR over 8-bit NHWC tensors, as TFLite's builtin kernel computes them (the
// output shares the input's quantization, so raw integers are interpolated):
//  - uint8: the float coordinates and weights of the float kernel, the four products summed
//    in float in the order (y0,x0), (y0,x1), (y1,x0), (y1,x1), plus 0.5, truncated;
//  - int8: all-integer coordinates in units of 1/1024 and an int64 weighted sum divided by
//    2^20, rounded half away from zero.
namespace litescope::runtime::reference {

// Output rows [row_begin, row_end) (row = batch * OH + y) of the uint8 form, given the float
// tables of both axes (MakeBilinearAxis).
inline void ResizeBilinearUint8Rows(const Shape& input_shape, const uint8_t* input,
                                    const Shape& output_shape, uint8_t* output,
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
    const uint8_t* img = input + b * in_h * in_w * depth;
    const uint8_t* r0 = img + static_cast<int64_t>(ys.lo[y]) * in_w * depth;
    const uint8_t* r1 = img + static_cast<int64_t>(ys.hi[y]) * in_w * depth;
    uint8_t* out = output + row * out_w * depth;
    for (int x = 0; x < out_w; ++x, out += depth) {
      const size_t k = static_cast<size_t>(x);
      const float dx = xs.frac[k];
      const float w00 = (1 - dy) * (1 - dx);
      const float w01 = (1 - dy) * dx;
      const float w10 = dy * (1 - dx);
      const float w11 = dy * dx;
      const uint8_t* p00 = r0 + static_cast<int64_t>(xs.lo[k]) * depth;
      const uint8_t* p01 = r0 + static_cast<int64_t>(xs.hi[k]) * depth;
      const uint8_t* p10 = r1 + static_cast<int64_t>(xs.lo[k]) * depth;
      const uint8_t* p11 = r1 + static_cast<int64_t>(xs.hi[k]) * depth;
      for (int c = 0; c < depth; ++c) {
        const float v = static_cast<float>(p00[c]) * w00 + static_cast<float>(p01[c]) * w01 +
                        static_cast<float>(p10[c]) * w10 + static_cast<float>(p11[c]) * w11 + 0.5f;
        out[c] = static_cast<uint8_t>(v);
      }
    }
  }
}

// Source position of output index i in units of 1/1024 and its two neighbours.
inline void BilinearSourceInteger(int32_t i, int32_t scale_10, bool half_pixel_centers, int in_size,
                                  int32_t* pos_10, int32_t* lo, int32_t* hi) {
  *pos_10 = half_pixel_centers ? i * scale_10 + scale_10 / 2 - (1 << 9) : i * scale_10;
  *lo = std::max<int32_t>(*pos_10 / (1 << 10), 0);  // truncates toward zero, as TFLite
  *hi = std::min<int32_t>((*pos_10 + (1 << 10) - 1) / (1 << 10), in_size - 1);
}

// Input units per output unit in 1/1024, rounded to nearest.
inline int32_t ResizeScale10(int in_size, int out_size, bool align_corners) {
  if (align_corners && out_size > 1)
    return ((1 << 10) * (in_size - 1) + (out_size - 1) / 2) / (out_size - 1);
  return ((1 << 10) * in_size + out_size / 2) / out_size;
}

// The integer form (int8, int16): input [N, H, W, C] -> output [N, OH, OW, C]; H, W >= 1 and
// sizes below 2^20 so that coordinates stay inside int32.
template <typename T>
inline void ResizeBilinearInteger(const ResizeParams& p, const Shape& input_shape, const T* input,
                                  const Shape& output_shape, T* output) {
  const int batches = input_shape.dim(0);
  const int in_h = input_shape.dim(1);
  const int in_w = input_shape.dim(2);
  const int depth = input_shape.dim(3);
  const int out_h = output_shape.dim(1);
  const int out_w = output_shape.dim(2);
  const int32_t scale_y = ResizeScale10(in_h, out_h, p.align_corners);
  const int32_t scale_x = ResizeScale10(in_w, out_w, p.align_corners);
  constexpr int64_t kOne = 1 << 10;
  T* out = output;
  for (int b = 0; b < batches; ++b) {
    const T* img = input + static_cast<int64_t>(b) * in_h * in_w * depth;
    for (int y = 0; y < out_h; ++y) {
      int32_t pos_y, y0, y1;
      BilinearSourceInteger(y, scale_y, p.half_pixel_centers, in_h, &pos_y, &y0, &y1);
      const int64_t fy = pos_y - kOne * y0;
      for (int x = 0; x < out_w; ++x, out += depth) {
        int32_t pos_x, x0, x1;
        BilinearSourceInteger(x, scale_x, p.half_pixel_centers, in_w, &pos_x, &x0, &x1);
        const int64_t fx = pos_x - kOne * x0;
        const T* p00 = img + (static_cast<int64_t>(y0) * in_w + x0) * depth;
        const T* p01 = img + (static_cast<int64_t>(y0) * in_w + x1) * depth;
        const T* p10 = img + (static_cast<int64_t>(y1) * in_w + x0) * depth;
        const T* p11 = img + (static_cast<int64_t>(y1) * in_w + x1) * depth;
        for (int c = 0; c < depth; ++c) {
          const int64_t sum = static_cast<int64_t>(p00[c]) * (kOne - fy) * (kOne - fx) +
                              static_cast<int64_t>(p10[c]) * fy * (kOne - fx) +
                              static_cast<int64_t>(p01[c]) * (kOne - fy) * fx +
                              static_cast<int64_t>(p11[c]) * fy * fx;
          const int64_t round = sum > 0 ? (1 << 19) : -(1 << 19);
          out[c] = static_cast<T>((sum + round) / (1 << 20));
        }
      }
    }
  }
}

}  // namespace litescope::runtime::reference
