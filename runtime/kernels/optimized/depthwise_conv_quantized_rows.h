#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/optimized/depthwise_conv_quantized.h"
#include "runtime/kernels/optimized/depthwise_conv_rows.h"
#include "runtime/kernels/reference/depthwise_conv_quantized.h"
#include "runtime/shape.h"

#ifndef LS_ISA_LEVEL
#error "ISA kernel body: included only by runtime/kernels/optimized/kernels.isa.cc"
#endif

// The loops of the fast quantized DEPTHWISE_CONV_2D (see depthwise_conv_quantized.h), compiled
// once per ISA level.
namespace litescope::runtime::optimized {
inline namespace LS_ISA_NAMESPACE {

namespace internal {
// The per-channel requantization in the form the vector loop reads.
struct Requantization {
  int32_t input_offset = 0;
  const int32_t* multiplier = nullptr;
  const int32_t* left_shift = nullptr;
  const int32_t* right_shift = nullptr;
  int32_t output_offset = 0, act_min = 0, act_max = 0;
};
}  // namespace internal

namespace internal {

inline int32_t RequantizeOne(int32_t acc, int32_t multiplier, int shift, int32_t output_offset,
                             int32_t act_min, int32_t act_max) {
  // 64-bit sum: the rescaled value may be saturated at the int32 limits.
  const int64_t v =
      int64_t{fixed_point::MultiplyByQuantizedMultiplier(acc, multiplier, shift)} + output_offset;
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(v, act_min), act_max));
}

// MultiplyByQuantizedMultiplier written without branches so that a loop over channels
// vectorizes; equal to it for multipliers in [0, 2^31) (never INT32_MIN, so the doubling high
// multiply cannot saturate). left = max(shift, 0), right = max(-shift, 0).
inline int32_t RequantizeBranchless(int32_t acc, int32_t multiplier, int32_t left, int32_t right,
                                    int32_t output_offset, int32_t act_min, int32_t act_max) {
  const int32_t x = static_cast<int32_t>(static_cast<uint32_t>(acc) << left);
  const int64_t ab = static_cast<int64_t>(x) * multiplier;
  const int64_t nudged = ab + (ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30)));
  // Division by 2^31 truncating toward zero.
  const auto high =
      static_cast<int32_t>((nudged + (nudged < 0 ? (int64_t{1} << 31) - 1 : 0)) >> 31);
  const int32_t mask = static_cast<int32_t>((int64_t{1} << right) - 1);
  const int32_t remainder = high & mask;
  const int32_t threshold = (mask >> 1) + (high < 0 ? 1 : 0);
  int64_t v = int64_t{high >> right} + (remainder > threshold ? 1 : 0) + output_offset;
  v = v < act_min ? act_min : v;
  return static_cast<int32_t>(v > act_max ? act_max : v);
}

// kBlock channels of one output pixel (depth multiplier 1). Pointers are at channel c0:
//   in: input at the first valid tap; w: packed weights at the first valid tap; init: the
//   starting accumulator (interior bias when kInterior, else bias); out: output pixel.
// kInterior: accumulate in * w (offset folded into init); else (in + input_offset) * w.
template <typename T, int kBlock, bool kInterior>
inline void DwqChannelBlock(const T* __restrict__ in, const int32_t* __restrict__ w,
                            const int32_t* __restrict__ init, T* __restrict__ out,
                            int64_t tap_y_stride, int64_t tap_x_stride, int64_t w_row_stride, int c,
                            int n_ky, int n_kx, const Requantization& rq, int c0) {
  // uint32: the sums wrap like TFLite's int32 accumulators, and one type for the whole loop
  // keeps GCC 12's vectorizer from miscompiling it (fixed_point::WrappingProduct).
  uint32_t acc[kBlock];
  for (int j = 0; j < kBlock; ++j) acc[j] = static_cast<uint32_t>(init[j]);
  const int32_t input_offset = rq.input_offset;
  for (int ky = 0; ky < n_ky; ++ky) {
    const T* in_y = in + ky * tap_y_stride;
    const int32_t* w_y = w + ky * w_row_stride;
    for (int kx = 0; kx < n_kx; ++kx) {
      const T* ip = in_y + kx * tap_x_stride;
      const int32_t* wp = w_y + static_cast<int64_t>(kx) * c;
      for (int j = 0; j < kBlock; ++j) {
        const int32_t v =
            kInterior ? static_cast<int32_t>(ip[j]) : static_cast<int32_t>(ip[j]) + input_offset;
        acc[j] += fixed_point::WrappingProduct(v, wp[j]);
      }
    }
  }
  const int32_t* mult = rq.multiplier + c0;
  const int32_t* left = rq.left_shift + c0;
  const int32_t* right = rq.right_shift + c0;
  const int32_t out_offset = rq.output_offset, lo = rq.act_min, hi = rq.act_max;
  int32_t res[kBlock];
  for (int j = 0; j < kBlock; ++j)
    res[j] = RequantizeBranchless(static_cast<int32_t>(acc[j]), mult[j], left[j], right[j],
                                  out_offset, lo, hi);
  for (int j = 0; j < kBlock; ++j) out[j] = static_cast<T>(res[j]);
}

template <typename T, bool kInterior>
inline void DwqPixel(const T* in, const int32_t* w, const int32_t* init, T* out,
                     int64_t tap_y_stride, int64_t tap_x_stride, int64_t w_row_stride, int c,
                     int n_ky, int n_kx, const Requantization& q) {
  int c0 = 0;
  for (; c0 + 16 <= c; c0 += 16)
    DwqChannelBlock<T, 16, kInterior>(in + c0, w + c0, init + c0, out + c0, tap_y_stride,
                                      tap_x_stride, w_row_stride, c, n_ky, n_kx, q, c0);
  for (; c0 + 8 <= c; c0 += 8)
    DwqChannelBlock<T, 8, kInterior>(in + c0, w + c0, init + c0, out + c0, tap_y_stride,
                                     tap_x_stride, w_row_stride, c, n_ky, n_kx, q, c0);
  for (; c0 + 4 <= c; c0 += 4)
    DwqChannelBlock<T, 4, kInterior>(in + c0, w + c0, init + c0, out + c0, tap_y_stride,
                                     tap_x_stride, w_row_stride, c, n_ky, n_kx, q, c0);
  for (; c0 < c; ++c0)
    DwqChannelBlock<T, 1, kInterior>(in + c0, w + c0, init + c0, out + c0, tap_y_stride,
                                     tap_x_stride, w_row_stride, c, n_ky, n_kx, q, c0);
}

}  // namespace internal

// Computes output rows [row_begin, row_end), where row = batch * out_h + oy. `packed` comes
// from PackDepthwiseQuantizedFilter with the same offsets as q.
template <typename T>
inline void DepthwiseConvQuantizedRows(const reference::DepthwiseParams& p,
                                       const reference::DepthwiseQuantParams& q,
                                       const Shape& input_shape, const T* input,
                                       const Shape& filter_shape,
                                       const DepthwiseQuantizedFilter& packed,
                                       const Shape& output_shape, T* output, int64_t row_begin,
                                       int64_t row_end) {
  using internal::ValidTaps;
  const int in_h = input_shape.dim(1), in_w = input_shape.dim(2), in_c = input_shape.dim(3);
  const int k_h = filter_shape.dim(1), k_w = filter_shape.dim(2);
  const int out_h = output_shape.dim(1), out_w = output_shape.dim(2), out_c = output_shape.dim(3);
  const int m_count = p.depth_multiplier;
  const int64_t in_pixel = in_c;
  const int64_t in_row = static_cast<int64_t>(in_w) * in_c;
  const int64_t in_image = static_cast<int64_t>(in_h) * in_row;
  const int64_t w_row = static_cast<int64_t>(k_w) * out_c;
  const int64_t tap_y_stride = in_row * p.dilation_h;
  const int64_t tap_x_stride = in_pixel * p.dilation_w;
  const int32_t* weights = packed.weights.data();

  std::vector<uint32_t> acc;  // wraps; see fixed_point::WrappingProduct
  if (m_count != 1) acc.resize(static_cast<size_t>(out_c));
  std::vector<int32_t> left(static_cast<size_t>(out_c)), right(static_cast<size_t>(out_c));
  for (int oc = 0; oc < out_c; ++oc) {
    left[static_cast<size_t>(oc)] = std::max(q.shift[oc], 0);
    right[static_cast<size_t>(oc)] = std::max(-q.shift[oc], 0);
  }
  const internal::Requantization rq{q.input_offset,  q.multiplier, left.data(), right.data(),
                                    q.output_offset, q.act_min,    q.act_max};

  for (int64_t row = row_begin; row < row_end; ++row) {
    const int64_t b = row / out_h;
    const int oy = static_cast<int>(row % out_h);
    const int iy0 = oy * p.stride_h - p.pad_top;
    int ky0, ky1;
    ValidTaps(iy0, p.dilation_h, k_h, in_h, &ky0, &ky1);
    const T* in_b = input + b * in_image;
    T* out_row = output + row * static_cast<int64_t>(out_w) * out_c;
    for (int ox = 0; ox < out_w; ++ox) {
      const int ix0 = ox * p.stride_w - p.pad_left;
      int kx0, kx1;
      ValidTaps(ix0, p.dilation_w, k_w, in_w, &kx0, &kx1);
      T* op = out_row + static_cast<int64_t>(ox) * out_c;
      const bool any_tap = ky0 < ky1 && kx0 < kx1;
      if (m_count != 1) {
        for (int oc = 0; oc < out_c; ++oc)
          acc[static_cast<size_t>(oc)] = static_cast<uint32_t>(packed.bias[oc]);
        for (int ky = ky0; any_tap && ky < ky1; ++ky) {
          const int iy = iy0 + ky * p.dilation_h;
          for (int kx = kx0; kx < kx1; ++kx) {
            const int ix = ix0 + kx * p.dilation_w;
            const T* ip = in_b + iy * in_row + static_cast<int64_t>(ix) * in_pixel;
            const int32_t* wp = weights + ky * w_row + static_cast<int64_t>(kx) * out_c;
            for (int ic = 0; ic < in_c; ++ic) {
              const int32_t v = static_cast<int32_t>(ip[ic]) + q.input_offset;
              uint32_t* a = acc.data() + static_cast<int64_t>(ic) * m_count;
              const int32_t* ww = wp + static_cast<int64_t>(ic) * m_count;
              for (int m = 0; m < m_count; ++m) a[m] += fixed_point::WrappingProduct(v, ww[m]);
            }
          }
        }
        for (int oc = 0; oc < out_c; ++oc)
          op[oc] = static_cast<T>(internal::RequantizeOne(
              static_cast<int32_t>(acc[static_cast<size_t>(oc)]), q.multiplier[oc], q.shift[oc],
              q.output_offset, q.act_min, q.act_max));
        continue;
      }
      if (!any_tap) {  // no tap inside the input: bias only
        for (int oc = 0; oc < out_c; ++oc)
          op[oc] =
              static_cast<T>(internal::RequantizeOne(packed.bias[oc], q.multiplier[oc], q.shift[oc],
                                                     q.output_offset, q.act_min, q.act_max));
        continue;
      }
      // Pointers at the first valid tap, so no out-of-range pointer is ever formed.
      const T* in_first = in_b + static_cast<int64_t>(iy0 + ky0 * p.dilation_h) * in_row +
                          static_cast<int64_t>(ix0 + kx0 * p.dilation_w) * in_pixel;
      const int32_t* w_first = weights + ky0 * w_row + static_cast<int64_t>(kx0) * out_c;
      const bool interior = ky0 == 0 && ky1 == k_h && kx0 == 0 && kx1 == k_w;
      if (interior) {
        internal::DwqPixel<T, true>(in_first, w_first, packed.interior_bias.data(), op,
                                    tap_y_stride, tap_x_stride, w_row, out_c, k_h, k_w, rq);
      } else {
        internal::DwqPixel<T, false>(in_first, w_first, packed.bias.data(), op, tap_y_stride,
                                     tap_x_stride, w_row, out_c, ky1 - ky0, kx1 - kx0, rq);
      }
    }
  }
}

}  // namespace LS_ISA_NAMESPACE
}  // namespace litescope::runtime::optimized
