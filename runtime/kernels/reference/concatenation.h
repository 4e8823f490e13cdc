#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include "runtime/shape.h"

// Joining and splitting tensors along one axis (CONCATENATION, PACK, SPLIT, SPLIT_V, UNPACK).
// A tensor seen around an axis is [outer, axis, inner]: outer is the product of the dimensions
// before the axis and inner the product of those after it.
namespace litescope::runtime::reference {

// Number of elements before / after `axis` of `shape`.
inline int64_t OuterSize(const Shape& shape, int axis) { return shape.FlatSize(0, axis); }
inline int64_t InnerSize(const Shape& shape, int axis) {
  return shape.FlatSize(axis + 1, shape.rank());
}

// Writes the inputs one after another along `axis`. Input i has shape input_shapes[i], equal to
// output_shape except along the axis; the axis sizes add up to output_shape.dim(axis).
template <typename T>
void Concatenation(int axis, const std::vector<Shape>& input_shapes, const T* const* inputs,
                   const Shape& output_shape, T* output) {
  const int64_t outer = OuterSize(output_shape, axis);
  const int64_t inner = InnerSize(output_shape, axis);
  T* out = output;
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < input_shapes.size(); ++i) {
      const int64_t run = input_shapes[i].dim(axis) * inner;
      if (run == 0) continue;
      std::memcpy(out, inputs[i] + o * run, static_cast<size_t>(run) * sizeof(T));
      out += run;
    }
  }
}

// The inverse of Concatenation: output i receives output_shapes[i].dim(axis) entries of the
// input's axis, in order.
template <typename T>
void Split(int axis, const Shape& input_shape, const T* input,
           const std::vector<Shape>& output_shapes, T* const* outputs) {
  const int64_t outer = OuterSize(input_shape, axis);
  const int64_t inner = InnerSize(input_shape, axis);
  const T* in = input;
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < output_shapes.size(); ++i) {
      const int64_t run = output_shapes[i].dim(axis) * inner;
      if (run == 0) continue;
      std::memcpy(outputs[i] + o * run, in, static_cast<size_t>(run) * sizeof(T));
      in += run;
    }
  }
}

// Copies n quantized values from one (scale, zero point) to another, the way TFLite's uint8
// concatenation does: q_out = round(q_in * s + b) + zp_out with s = in_scale * (1 / out_scale)
// and b = -zp_in * s computed in float, rounding half away from zero, saturating to T.
template <typename T>
void Requantize(const T* in, int64_t n, float in_scale, int32_t in_zero_point, float out_scale,
                int32_t out_zero_point, T* out) {
  const float scale = in_scale * (1.f / out_scale);
  const float bias = -static_cast<float>(in_zero_point) * scale;
  constexpr float kMin = static_cast<float>(std::numeric_limits<T>::min());
  constexpr float kMax = static_cast<float>(std::numeric_limits<T>::max());
  for (int64_t i = 0; i < n; ++i) {
    const float scaled = static_cast<float>(in[i]) * scale + bias;
    // Clamp in float before converting so that huge or NaN values cannot overflow an int.
    float v = std::round(scaled) + static_cast<float>(out_zero_point);
    if (!(v >= kMin)) v = kMin;
    if (v > kMax) v = kMax;
    out[i] = static_cast<T>(v);
  }
}

// Concatenation of quantized inputs whose scale or zero point differ from the output's: inputs
// with the output's parameters are copied, the others requantized with Requantize.
template <typename T>
void ConcatenationWithScaling(int axis, const std::vector<Shape>& input_shapes,
                              const T* const* inputs, const std::vector<float>& input_scales,
                              const std::vector<int32_t>& input_zero_points,
                              const Shape& output_shape, float output_scale,
                              int32_t output_zero_point, T* output) {
  const int64_t outer = OuterSize(output_shape, axis);
  const int64_t inner = InnerSize(output_shape, axis);
  T* out = output;
  for (int64_t o = 0; o < outer; ++o) {
    for (size_t i = 0; i < input_shapes.size(); ++i) {
      const int64_t run = input_shapes[i].dim(axis) * inner;
      if (run == 0) continue;
      const T* in = inputs[i] + o * run;
      if (input_scales[i] == output_scale && input_zero_points[i] == output_zero_point) {
        std::memcpy(out, in, static_cast<size_t>(run) * sizeof(T));
      } else {
        Requantize(in, run, input_scales[i], input_zero_points[i], output_scale, output_zero_point,
                   out);
      }
      out += run;
    }
  }
}

// Clamps n floats to [lo, hi] (fused activation).
inline void ClampFloat(float* data, int64_t n, float lo, float hi) {
  for (int64_t i = 0; i < n; ++i) data[i] = std::min(std::max(data[i], lo), hi);
}

}  // namespace litescope::runtime::reference
