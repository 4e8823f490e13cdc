#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/kernels/reference/depthwise_conv.h"
#include "runtime/shape.h"

#ifndef LS_ISA_LEVEL
#error "ISA kernel body: included only by runtime/kernels/optimized/kernels.isa.cc"
#endif

// Fast float DEPTHWISE_CONV_2D for NHWC, compiled once per ISA level (kernels.isa.cc); callers
// use optimized::DepthwiseConvFloatRows from isa_kernels.h. Same contract as
// reference::DepthwiseConvFloat, but computes a range of output rows so that callers can split the
// work across threads.
//
// How it is fast:
//  1. Per output row, the valid filter rows are computed once, and the output columns are
//     split into a border (some taps fall outside the input) and an interior (all taps inside).
//  2. Interior columns are computed four at a time: each filter tap's weights for a block of
//     channels are loaded once and applied to four output pixels.
//  3. Channels are processed in blocks of 16, 8 and 4 with compile-time sizes, so the compiler
//     keeps the accumulators in vector registers (NHWC makes channels contiguous).
// Depth multipliers above 1 take a simpler per-pixel path.
namespace litescope::runtime::optimized {
inline namespace LS_ISA_NAMESPACE {

namespace internal {

struct DwGeometry {
  int in_h, in_w, in_c, k_h, k_w, out_h, out_w, out_c;
};

// Eight floats in one vector register (GCC/Clang vector extension; the compiler lowers it to
// whatever the target has). Used only inside functions, never passed by value across calls.
typedef float Float8 __attribute__((vector_size(32)));

// Accumulates kPixels output pixels (kPixels consecutive columns of one row) for channels
// [0, kBlock) relative to the given pointers.
//   in: input at (batch, row of tap ky=0, column of tap kx=0 of the first pixel, channel c0)
//   w:  filter at (ky=0, kx=0, channel c0); bias at c0 or nullptr; out: output at (pixel, c0)
// Taps ky in [ky0, ky1) and kx in [kx0, kx1) are applied.
template <int kBlock, int kPixels>
inline void DwChannelBlock(const float* in, const float* w, const float* bias, float* out,
                           int64_t in_row_stride, int64_t pixel_stride, int64_t tap_x_stride,
                           int64_t w_row_stride, int c, int ky0, int ky1, int kx0, int kx1,
                           float lo, float hi) {
  if constexpr (kBlock % 8 == 0) {
    constexpr int kVecs = kBlock / 8;
    Float8 acc[kPixels][kVecs];
    Float8 init[kVecs];
    for (int v = 0; v < kVecs; ++v) {
      if (bias) {
        std::memcpy(&init[v], bias + 8 * v, sizeof(Float8));
      } else {
        init[v] = Float8{};
      }
    }
    for (int p = 0; p < kPixels; ++p)
      for (int v = 0; v < kVecs; ++v) acc[p][v] = init[v];
    for (int ky = ky0; ky < ky1; ++ky) {
      const float* in_y = in + ky * in_row_stride;
      const float* w_y = w + ky * w_row_stride;
      for (int kx = kx0; kx < kx1; ++kx) {
        const float* ip = in_y + kx * tap_x_stride;
        const float* wp = w_y + static_cast<int64_t>(kx) * c;
        Float8 wv[kVecs];
        for (int v = 0; v < kVecs; ++v) std::memcpy(&wv[v], wp + 8 * v, sizeof(Float8));
        for (int p = 0; p < kPixels; ++p) {
          const float* pp = ip + p * pixel_stride;
          for (int v = 0; v < kVecs; ++v) {
            Float8 x;
            std::memcpy(&x, pp + 8 * v, sizeof(Float8));
            acc[p][v] += x * wv[v];
          }
        }
      }
    }
    const Float8 lo8 = Float8{} + lo;
    const Float8 hi8 = Float8{} + hi;
    for (int p = 0; p < kPixels; ++p) {
      float* op = out + static_cast<int64_t>(p) * c;
      for (int v = 0; v < kVecs; ++v) {
        Float8 r = acc[p][v];
        r = r < lo8 ? lo8 : r;
        r = r > hi8 ? hi8 : r;
        std::memcpy(op + 8 * v, &r, sizeof(Float8));
      }
    }
  } else {
    float acc[kPixels][kBlock];
    for (int p = 0; p < kPixels; ++p)
      for (int j = 0; j < kBlock; ++j) acc[p][j] = bias ? bias[j] : 0.f;
    for (int ky = ky0; ky < ky1; ++ky) {
      const float* in_y = in + ky * in_row_stride;
      const float* w_y = w + ky * w_row_stride;
      for (int kx = kx0; kx < kx1; ++kx) {
        const float* ip = in_y + kx * tap_x_stride;
        const float* wp = w_y + static_cast<int64_t>(kx) * c;
        for (int p = 0; p < kPixels; ++p) {
          const float* pp = ip + p * pixel_stride;
          for (int j = 0; j < kBlock; ++j) acc[p][j] += pp[j] * wp[j];
        }
      }
    }
    for (int p = 0; p < kPixels; ++p) {
      float* op = out + static_cast<int64_t>(p) * c;
      for (int j = 0; j < kBlock; ++j) op[j] = std::min(std::max(acc[p][j], lo), hi);
    }
  }
}

// All channels of kPixels output pixels (depth multiplier 1).
template <int kPixels>
inline void DwPixels(const float* in, const float* w, const float* bias, float* out,
                     int64_t in_row_stride, int64_t pixel_stride, int64_t tap_x_stride,
                     int64_t w_row_stride, int c, int ky0, int ky1, int kx0, int kx1, float lo,
                     float hi) {
  int c0 = 0;
  for (; c0 + 16 <= c; c0 += 16)
    DwChannelBlock<16, kPixels>(in + c0, w + c0, bias ? bias + c0 : nullptr, out + c0,
                                in_row_stride, pixel_stride, tap_x_stride, w_row_stride, c, ky0,
                                ky1, kx0, kx1, lo, hi);
  for (; c0 + 8 <= c; c0 += 8)
    DwChannelBlock<8, kPixels>(in + c0, w + c0, bias ? bias + c0 : nullptr, out + c0, in_row_stride,
                               pixel_stride, tap_x_stride, w_row_stride, c, ky0, ky1, kx0, kx1, lo,
                               hi);
  for (; c0 + 4 <= c; c0 += 4)
    DwChannelBlock<4, kPixels>(in + c0, w + c0, bias ? bias + c0 : nullptr, out + c0, in_row_stride,
                               pixel_stride, tap_x_stride, w_row_stride, c, ky0, ky1, kx0, kx1, lo,
                               hi);
  for (; c0 < c; ++c0)
    DwChannelBlock<1, kPixels>(in + c0, w + c0, bias ? bias + c0 : nullptr, out + c0, in_row_stride,
                               pixel_stride, tap_x_stride, w_row_stride, c, ky0, ky1, kx0, kx1, lo,
                               hi);
}

// First tap index t in [0, k) with origin + t * step >= 0, and one past the last with
// origin + t * step < size (step > 0). Returns an empty range [k, k) when none fits.
inline void ValidTaps(int origin, int step, int k, int size, int* t0, int* t1) {
  int lo = 0;
  if (origin < 0) lo = (-origin + step - 1) / step;
  int hi = k;
  const int64_t last = static_cast<int64_t>(origin) + static_cast<int64_t>(k - 1) * step;
  if (last >= size) {
    const int64_t span = static_cast<int64_t>(size) - 1 - origin;
    hi = span < 0 ? 0 : static_cast<int>(span / step) + 1;
    hi = std::min(hi, k);
  }
  if (lo >= hi) lo = hi = k;
  *t0 = lo;
  *t1 = hi;
}

}  // namespace internal

// Computes output rows [row_begin, row_end), where row = batch * out_h + oy.
inline void DepthwiseConvFloatRows(const reference::DepthwiseParams& p, const Shape& input_shape,
                                   const float* input, const Shape& filter_shape,
                                   const float* filter, const float* bias,
                                   const Shape& output_shape, float* output, int64_t row_begin,
                                   int64_t row_end) {
  using internal::ValidTaps;
  const internal::DwGeometry g{input_shape.dim(1),  input_shape.dim(2),  input_shape.dim(3),
                               filter_shape.dim(1), filter_shape.dim(2), output_shape.dim(1),
                               output_shape.dim(2), output_shape.dim(3)};
  const int m_count = p.depth_multiplier;
  const int64_t in_pixel = g.in_c;
  const int64_t in_row = static_cast<int64_t>(g.in_w) * g.in_c;
  const int64_t in_image = static_cast<int64_t>(g.in_h) * in_row;
  const int64_t w_row = static_cast<int64_t>(g.k_w) * g.out_c;
  const int64_t tap_y_stride = in_row * p.dilation_h;
  const int64_t tap_x_stride = in_pixel * p.dilation_w;
  const int64_t pixel_stride = in_pixel * p.stride_w;
  const int64_t w_tap_y = w_row;

  // Interior columns: every horizontal tap lies inside the input.
  int ox_lo = 0;
  if (p.pad_left > 0) ox_lo = (p.pad_left + p.stride_w - 1) / p.stride_w;
  const int64_t reach = static_cast<int64_t>(g.k_w - 1) * p.dilation_w;
  const int64_t hi_num = static_cast<int64_t>(g.in_w) - 1 - reach + p.pad_left;
  int ox_hi =
      hi_num < 0 ? 0 : static_cast<int>(std::min<int64_t>(hi_num / p.stride_w + 1, g.out_w));
  ox_lo = std::min(ox_lo, g.out_w);
  if (ox_hi < ox_lo) ox_hi = ox_lo;

  std::vector<float> acc;
  if (m_count != 1) acc.resize(static_cast<size_t>(g.out_c));

  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / g.out_h;
    const int oy = static_cast<int>(row % g.out_h);
    const int iy0 = oy * p.stride_h - p.pad_top;
    int ky0, ky1;
    ValidTaps(iy0, p.dilation_h, g.k_h, g.in_h, &ky0, &ky1);
    // Start of image b; pixel pointers are formed only for taps inside the image.
    const float* in_b = input + b * in_image;
    float* out_row = output + row * static_cast<int64_t>(g.out_w) * g.out_c;

    // Depth multiplier > 1: input channel ic feeds output channels [ic*M, ic*M + M).
    auto pixel_generic = [&](int ox, int kx0, int kx1) {
      const int ix0 = ox * p.stride_w - p.pad_left;
      float* op = out_row + static_cast<int64_t>(ox) * g.out_c;
      for (int oc = 0; oc < g.out_c; ++oc) acc[static_cast<size_t>(oc)] = bias ? bias[oc] : 0.f;
      for (int ky = ky0; ky < ky1; ++ky) {
        const int iy = iy0 + ky * p.dilation_h;
        for (int kx = kx0; kx < kx1; ++kx) {
          const int ix = ix0 + kx * p.dilation_w;
          const float* ip = in_b + iy * in_row + static_cast<int64_t>(ix) * in_pixel;
          const float* wp = filter + ky * w_row + static_cast<int64_t>(kx) * g.out_c;
          for (int ic = 0; ic < g.in_c; ++ic) {
            const float v = ip[ic];
            float* a = acc.data() + static_cast<int64_t>(ic) * m_count;
            const float* ww = wp + static_cast<int64_t>(ic) * m_count;
            for (int m = 0; m < m_count; ++m) a[m] += v * ww[m];
          }
        }
      }
      for (int oc = 0; oc < g.out_c; ++oc)
        op[oc] = std::min(std::max(acc[static_cast<size_t>(oc)], p.act_min), p.act_max);
    };

    for (int ox = 0; ox < g.out_w; ++ox) {
      const bool interior = ox >= ox_lo && ox < ox_hi;
      const int ix0 = ox * p.stride_w - p.pad_left;
      int kx0 = 0, kx1 = g.k_w;
      if (!interior) ValidTaps(ix0, p.dilation_w, g.k_w, g.in_w, &kx0, &kx1);
      if (m_count != 1) {
        pixel_generic(ox, kx0, kx1);
        continue;
      }
      if (ky0 >= ky1 || kx0 >= kx1) {  // no tap inside the input: bias only
        float* op = out_row + static_cast<int64_t>(ox) * g.out_c;
        for (int oc = 0; oc < g.out_c; ++oc)
          op[oc] = std::min(std::max(bias ? bias[oc] : 0.f, p.act_min), p.act_max);
        continue;
      }
      // Pointers at the first valid tap, so no out-of-range pointer is ever formed.
      const float* in_first = in_b + static_cast<int64_t>(iy0 + ky0 * p.dilation_h) * in_row +
                              static_cast<int64_t>(ix0 + kx0 * p.dilation_w) * in_pixel;
      const float* w_first = filter + ky0 * w_tap_y + static_cast<int64_t>(kx0) * g.out_c;
      float* op = out_row + static_cast<int64_t>(ox) * g.out_c;
      if (g.out_c <= 16 && interior && ox + 8 <= ox_hi) {
        internal::DwPixels<8>(in_first, w_first, bias, op, tap_y_stride, pixel_stride, tap_x_stride,
                              w_tap_y, g.out_c, 0, ky1 - ky0, 0, kx1 - kx0, p.act_min, p.act_max);
        ox += 7;
        continue;
      }
      if (interior && ox + 4 <= ox_hi) {
        internal::DwPixels<4>(in_first, w_first, bias, op, tap_y_stride, pixel_stride, tap_x_stride,
                              w_tap_y, g.out_c, 0, ky1 - ky0, 0, kx1 - kx0, p.act_min, p.act_max);
        ox += 3;
        continue;
      }
      internal::DwPixels<1>(in_first, w_first, bias, op, tap_y_stride, pixel_stride, tap_x_stride,
                            w_tap_y, g.out_c, 0, ky1 - ky0, 0, kx1 - kx0, p.act_min, p.act_max);
    }
  }
}

}  // namespace LS_ISA_NAMESPACE
}  // namespace litescope::runtime::optimized
