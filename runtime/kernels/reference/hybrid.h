#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/optimized/conv_indirection.h"

// Hybrid (dynamic-range) kernels: float activations, int8 constant weights, float bias. The
// float input is quantized to int8 at run time (per batch row for FULLY_CONNECTED, per image for
// CONV_2D), the products are summed in int32 and rescaled to float. TFLite's rules:
// - symmetric: scale = max|x| / 127, q = clamp(round(x * (127 / max|x|)), -127, 127), ties away
//   from zero; an all-zero input gives q = 0 and scale 1;
// - asymmetric: the range [min(0, min x), max(0, max x)] over 255 steps (in double), a zero
//   point nudged into [-128, 127], q = clamp(round(zp + x * (1 / scale)), -128, 127);
// - result = (int32 dot(q, w) - zero_point * sum(w)) * (input_scale * weight_scale) + bias.
namespace litescope::runtime::reference {

// round(v) clamped to [lo, hi], NaN giving 0: activations may hold NaN or infinity, and
// converting those to an integer is undefined.
inline int32_t RoundClamped(float v, int32_t lo, int32_t hi) {
  if (std::isnan(v)) return 0;
  const float r = std::round(v);
  if (r <= static_cast<float>(lo)) return lo;
  if (r >= static_cast<float>(hi)) return hi;
  return static_cast<int32_t>(r);
}

// Symmetric int8 quantization of `size` values; returns the scale (1 for an all-zero input).
inline float SymmetricQuantize(const float* values, int64_t size, int8_t* out) {
  float min_v = 0.f, max_v = 0.f;
  if (size > 0) {
    const auto mm = std::minmax_element(values, values + size);
    min_v = *mm.first;
    max_v = *mm.second;
  }
  const float range = std::max(std::fabs(min_v), std::fabs(max_v));
  if (range == 0.f) {
    std::memset(out, 0, static_cast<size_t>(size));
    return 1.f;
  }
  const float inv = 127.f / range;
  for (int64_t i = 0; i < size; ++i)
    out[i] = static_cast<int8_t>(RoundClamped(values[i] * inv, -127, 127));
  return range / 127.f;
}

// Asymmetric int8 quantization of `size` values: sets *scale and *zero_point.
inline void AsymmetricQuantize(const float* values, int64_t size, int8_t* out, float* scale,
                               int32_t* zero_point) {
  const double qmin = -128.0, qmax = 127.0;
  double rmin = 0.0, rmax = 0.0;
  if (size > 0) {
    const auto mm = std::minmax_element(values, values + size);
    rmin = std::fmin(0.0, static_cast<double>(*mm.first));
    rmax = std::fmax(0.0, static_cast<double>(*mm.second));
  }
  if (rmin == rmax) {
    std::memset(out, 0, static_cast<size_t>(size));
    *scale = 1.f;
    *zero_point = 0;
    return;
  }
  const double s = (rmax - rmin) / (qmax - qmin);
  const double zp_from_min = qmin - rmin / s;
  const double zp_from_max = qmax - rmax / s;
  const double err_min = std::fabs(qmin) + std::fabs(rmin / s);
  const double err_max = std::fabs(qmax) + std::fabs(rmax / s);
  const double zp_d = err_min < err_max ? zp_from_min : zp_from_max;
  int32_t zp = 0;
  if (std::isnan(zp_d) || zp_d <= qmin)  // NaN: an infinite input
    zp = -128;
  else if (zp_d >= qmax)
    zp = 127;
  else
    zp = static_cast<int32_t>(std::round(zp_d));
  *scale = static_cast<float>(s);
  *zero_point = zp;
  const float inv = static_cast<float>(1.0 / s);
  for (int64_t i = 0; i < size; ++i)
    out[i] = static_cast<int8_t>(RoundClamped(static_cast<float>(zp) + values[i] * inv, -128, 127));
}

// Sum of each of the n rows of k int8 weights (the zero-point correction).
inline void WeightRowSums(const int8_t* w, int n, int k, int32_t* sums) {
  for (int j = 0; j < n; ++j) {
    int32_t s = 0;
    for (int i = 0; i < k; ++i) s += w[static_cast<int64_t>(j) * k + i];
    sums[j] = s;
  }
}

// Hybrid FULLY_CONNECTED rows [r0, r1): out[r, j] = clamp(bias[j] + (dot(q_r, w_j) -
// zp[r] * row_sum[j]) * (scale[r] * channel_scale[j])). `channel_scale` holds one weight scale
// per output (per-tensor weights repeat it, or pass nullptr with the scale folded into `scale`).
inline void HybridFullyConnectedRows(const int8_t* q_input, const float* scale,
                                     const int32_t* zero_point, const int8_t* w,
                                     const int32_t* row_sums, const float* channel_scale,
                                     const float* bias, int k, int n, float act_min, float act_max,
                                     float* out, int64_t r0, int64_t r1) {
  for (int64_t r = r0; r < r1; ++r) {
    const int8_t* x = q_input + r * k;
    float* o = out + r * n;
    const int32_t zp = zero_point ? zero_point[r] : 0;
    for (int j = 0; j < n; ++j) {
      const int8_t* wj = w + static_cast<int64_t>(j) * k;
      int32_t dot = 0;
      for (int i = 0; i < k; ++i) dot += static_cast<int32_t>(wj[i]) * static_cast<int32_t>(x[i]);
      if (zp != 0) dot -= row_sums[j] * zp;
      float s = scale[r];
      if (channel_scale) s *= channel_scale[j];
      float v = (bias ? bias[j] : 0.f) + static_cast<float>(dot) * s;
      o[j] = std::min(std::max(v, act_min), act_max);
    }
  }
}

// Hybrid CONV_2D output rows [row_begin, row_end) (row = output pixel), int8 input quantized per
// image with scale[b] and zero point zp[b] (0 when symmetric); padding taps contribute nothing.
// out = clamp(dot * (channel_scale[oc] * scale[b]) + bias[oc]).
inline void HybridConvRows(const optimized::ConvGeometry& g, int group_in_c, int out_c,
                           const int8_t* q_input, const float* scale, const int32_t* zp,
                           const int8_t* filter, const float* channel_scale, const float* bias,
                           float act_min, float act_max, float* output, int64_t row_begin,
                           int64_t row_end) {
  const int groups = g.in_c / group_in_c;
  const int group_out_c = out_c / groups;
  for (int64_t row = row_begin; row < row_end; ++row) {
    const int ox = static_cast<int>(row % g.out_w);
    const int oy = static_cast<int>((row / g.out_w) % g.out_h);
    const int b = static_cast<int>(row / (static_cast<int64_t>(g.out_w) * g.out_h));
    const int32_t in_zp = zp ? zp[b] : 0;
    float* out_px = output + row * out_c;
    for (int oc = 0; oc < out_c; ++oc) {
      const int grp = oc / group_out_c;
      const int8_t* w_oc = filter + static_cast<int64_t>(oc) * g.k_h * g.k_w * group_in_c;
      int32_t acc = 0;
      for (int ky = 0; ky < g.k_h; ++ky) {
        const int iy = oy * g.stride_h - g.pad_top + ky * g.dilation_h;
        if (iy < 0 || iy >= g.in_h) continue;
        for (int kx = 0; kx < g.k_w; ++kx) {
          const int ix = ox * g.stride_w - g.pad_left + kx * g.dilation_w;
          if (ix < 0 || ix >= g.in_w) continue;
          const int8_t* in_px = q_input +
                                ((static_cast<int64_t>(b) * g.in_h + iy) * g.in_w + ix) * g.in_c +
                                static_cast<int64_t>(grp) * group_in_c;
          const int8_t* w_tap = w_oc + (static_cast<int64_t>(ky) * g.k_w + kx) * group_in_c;
          for (int c = 0; c < group_in_c; ++c)
            acc = fixed_point::WrappingAdd(
                acc, static_cast<int32_t>(w_tap[c]) * (static_cast<int32_t>(in_px[c]) - in_zp));
        }
      }
      float v = static_cast<float>(acc) * (channel_scale[oc] * scale[b]);
      if (bias) v += bias[oc];
      out_px[oc] = std::min(std::max(v, act_min), act_max);
    }
  }
}

}  // namespace litescope::runtime::reference
