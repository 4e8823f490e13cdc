#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/kernels/fixed_point.h"

// Quantized (int8/uint8) binary arithmetic as TensorFlow Lite computes it. Each functor maps
// two stored values to one stored value and plugs into the broadcast helpers of broadcast.h.
// Prepare fills the parameter structs once (see *Params::Init).
//
// ADD and SUB: both inputs are re-centred (minus their zero points), shifted left by
// `left_shift` (20 for 8-bit types) and rescaled to a common scale, 2 * max(s1, s2), with one
// multiplier each; the sum or difference is rescaled to the output scale and re-offset.
// MUL: the product of the re-centred inputs is rescaled by s1 * s2 / s_out.
// SQUARED_DIFFERENCE: as SUB with left_shift 7, and the squared difference is rescaled by
// (2 max)^2 / (2^14 s_out).
// PRELU: x >= 0 is rescaled by s_in / s_out, x < 0 multiplied by the re-centred alpha and
// rescaled by s_in * s_alpha / s_out.
namespace litescope::runtime::reference {

struct QuantAddSubParams {
  int32_t offset1 = 0, offset2 = 0;  // minus the input zero points
  int32_t output_offset = 0;         // the output zero point
  int left_shift = 20;
  int32_t mult1 = 0, mult2 = 0, out_mult = 0;
  int shift1 = 0, shift2 = 0, out_shift = 0;
  int32_t act_min = 0, act_max = 0;

  // `squared`: the SQUARED_DIFFERENCE form (output scale squared).
  void Init(float s1, int32_t zp1, float s2, int32_t zp2, float s_out, int32_t zp_out, int shift,
            bool squared) {
    offset1 = -zp1;
    offset2 = -zp2;
    output_offset = zp_out;
    left_shift = shift;
    const double twice_max = 2.0 * static_cast<double>(std::max(s1, s2));
    fixed_point::QuantizeMultiplier(static_cast<double>(s1) / twice_max, &mult1, &shift1);
    fixed_point::QuantizeMultiplier(static_cast<double>(s2) / twice_max, &mult2, &shift2);
    const double real_out =
        squared
            ? (twice_max * twice_max) /
                  (static_cast<double>(int64_t{1} << (2 * shift)) * static_cast<double>(s_out))
            : twice_max / (static_cast<double>(int64_t{1} << shift) * static_cast<double>(s_out));
    fixed_point::QuantizeMultiplier(real_out, &out_mult, &out_shift);
  }

  int32_t Scale1(int32_t x) const {
    return fixed_point::MultiplyByQuantizedMultiplierSmallerThanOneExp(
        fixed_point::WrappingShiftLeft(offset1 + x, left_shift), mult1, shift1);
  }
  int32_t Scale2(int32_t y) const {
    return fixed_point::MultiplyByQuantizedMultiplierSmallerThanOneExp(
        fixed_point::WrappingShiftLeft(offset2 + y, left_shift), mult2, shift2);
  }
};

template <typename T>
struct QuantAddOp {
  const QuantAddSubParams* p;
  T operator()(T x, T y) const {
    const int32_t sum = p->Scale1(x) + p->Scale2(y);
    // 64-bit: hostile scales saturate the product near the int32 limits.
    const int64_t out = int64_t{fixed_point::MultiplyByQuantizedMultiplierSmallerThanOneExp(
                            sum, p->out_mult, p->out_shift)} +
                        p->output_offset;
    return static_cast<T>(std::min<int64_t>(p->act_max, std::max<int64_t>(p->act_min, out)));
  }
};

template <typename T>
struct QuantSubOp {
  const QuantAddSubParams* p;
  T operator()(T x, T y) const {
    const int32_t diff = p->Scale1(x) - p->Scale2(y);
    const int64_t out = int64_t{fixed_point::MultiplyByQuantizedMultiplierSmallerThanOneExp(
                            diff, p->out_mult, p->out_shift)} +
                        p->output_offset;
    return static_cast<T>(std::min<int64_t>(p->act_max, std::max<int64_t>(p->act_min, out)));
  }
};

template <typename T>
struct QuantSquaredDifferenceOp {
  const QuantAddSubParams* p;
  T operator()(T x, T y) const {
    const int32_t diff = p->Scale1(x) - p->Scale2(y);
    const int64_t out = int64_t{fixed_point::MultiplyByQuantizedMultiplier(diff * diff, p->out_mult,
                                                                           p->out_shift)} +
                        p->output_offset;
    return static_cast<T>(std::min<int64_t>(p->act_max, std::max<int64_t>(p->act_min, out)));
  }
};

// INT16 ADD in TFLite's legacy power-of-two form (pot_scale_int16 with every scale a power of
// two, zero points 0): one input is already on the output scale; the other is divided by
// 2^right_shift (rounding half away from zero), the two are added with int16 saturation and
// the sum is clamped to the activation range.
struct QuantAddPotInt16Params {
  bool shift_first = false;  // input 0 is the rescaled one
  int right_shift = 0;
  int32_t act_min = -32768, act_max = 32767;
};

struct QuantAddPotInt16Op {
  const QuantAddPotInt16Params* p;
  int16_t operator()(int16_t x, int16_t y) const {
    const int32_t kept = p->shift_first ? y : x;
    const int32_t shifted =
        fixed_point::RoundingDivideByPOT(p->shift_first ? x : y, p->right_shift);
    const int32_t sum = std::min(32767, std::max(-32768, kept + shifted));
    return static_cast<int16_t>(std::min(p->act_max, std::max(p->act_min, sum)));
  }
};

struct QuantMulParams {
  int32_t offset1 = 0, offset2 = 0, output_offset = 0;
  int32_t mult = 0;
  int shift = 0;
  int32_t act_min = 0, act_max = 0;

  void Init(float s1, int32_t zp1, float s2, int32_t zp2, float s_out, int32_t zp_out) {
    offset1 = -zp1;
    offset2 = -zp2;
    output_offset = zp_out;
    // TFLite forms s1 * s2 / s_out in float before widening it.
    fixed_point::QuantizeMultiplier(static_cast<double>(s1 * s2 / s_out), &mult, &shift);
  }
};

template <typename T>
struct QuantMulOp {
  const QuantMulParams* p;
  T operator()(T x, T y) const {
    const int32_t prod = (p->offset1 + x) * (p->offset2 + y);
    const int64_t out =
        int64_t{fixed_point::MultiplyByQuantizedMultiplier(prod, p->mult, p->shift)} +
        p->output_offset;
    return static_cast<T>(std::min<int64_t>(p->act_max, std::max<int64_t>(p->act_min, out)));
  }
};

struct QuantPreluParams {
  int32_t input_offset = 0, alpha_offset = 0, output_offset = 0;
  int32_t mult_pos = 0, mult_neg = 0;
  int shift_pos = 0, shift_neg = 0;

  void Init(float s_in, int32_t zp_in, float s_alpha, int32_t zp_alpha, float s_out,
            int32_t zp_out) {
    input_offset = -zp_in;
    alpha_offset = -zp_alpha;
    output_offset = zp_out;
    // TFLite forms both ratios in float before widening them.
    fixed_point::QuantizeMultiplier(static_cast<double>(s_in / s_out), &mult_pos, &shift_pos);
    fixed_point::QuantizeMultiplier(static_cast<double>(s_in * s_alpha / s_out), &mult_neg,
                                    &shift_neg);
  }
};

template <typename T>
struct QuantPreluOp {
  const QuantPreluParams* p;
  T operator()(T x, T alpha) const {
    const int32_t v = p->input_offset + x;
    int32_t out = 0;
    if (v >= 0) {
      out = fixed_point::MultiplyByQuantizedMultiplier(v, p->mult_pos, p->shift_pos);
    } else {
      out = fixed_point::MultiplyByQuantizedMultiplier(v * (p->alpha_offset + alpha), p->mult_neg,
                                                       p->shift_neg);
    }
    const int64_t shifted = int64_t{out} + p->output_offset;
    return static_cast<T>(std::min<int64_t>(fixed_point::TypeMax<T>(),
                                            std::max<int64_t>(fixed_point::TypeMin<T>(), shifted)));
  }
};

}  // namespace litescope::runtime::reference
