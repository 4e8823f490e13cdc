#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/fixed_point_math.h"

// Quantized (int8/uint8) activations and unary math as TensorFlow Lite computes them.
// - LOGISTIC, TANH, ELU, EXP and LOG use a 256-entry table built in Prepare by evaluating the
//   float function at every dequantized input (float arithmetic, round half away from zero,
//   clamp), exactly as TFLite's builtin kernels build theirs.
// - RELU-family, LEAKY_RELU and ABS rescale with Q31 multipliers.
// - HARD_SWISH follows TFLite's int16 fixed-point formulation.
// - RSQRT computes 1/sqrt with the Newton-Raphson inverse square root of fixed_point_math.h.
// - SQRT dequantizes, takes the float root and truncates toward zero (TFLite's int8 SQRT).
namespace litescope::runtime::reference {

// x86's float -> int32 conversion: out-of-range and NaN values give INT32_MIN.
inline int32_t FloatToInt32LikeX86(float v) {
  if (!(v >= -2147483648.f && v < 2147483648.f)) return std::numeric_limits<int32_t>::min();
  return static_cast<int32_t>(v);
}

// round half away from zero, in float.
inline float RoundHalfAway(float v) { return std::round(v); }

// Fills lut[static_cast<uint8_t>(q)] = quantize(f(dequantize(q))) for every q of T.
template <typename T, typename Fn>
void PopulateLut8(float input_scale, int32_t input_zp, float output_scale, int32_t output_zp,
                  const Fn& f, T* lut) {
  const float inverse_scale = 1.f / output_scale;
  const int32_t lo = fixed_point::TypeMin<T>();
  const int32_t hi = fixed_point::TypeMax<T>();
  for (int32_t v = lo; v <= hi; ++v) {
    const float dequantized = input_scale * static_cast<float>(v - input_zp);
    const float transformed = f(dequantized);
    const float rescaled = RoundHalfAway(transformed * inverse_scale);
    const int32_t q = FloatToInt32LikeX86(rescaled + static_cast<float>(output_zp));
    lut[static_cast<uint8_t>(static_cast<T>(v))] = static_cast<T>(std::max(std::min(hi, q), lo));
  }
}

template <typename T>
struct LutOp {
  const T* lut;
  T operator()(T x) const { return lut[static_cast<uint8_t>(x)]; }
};

// (x - in_zp) * M + out_zp clamped to [act_min, act_max]: RELU, RELU6, RELU_N1_TO_1, RELU_0_TO_1.
struct QuantRescaleParams {
  int32_t input_zp = 0, output_zp = 0;
  int32_t mult = 0;
  int shift = 0;
  int32_t act_min = 0, act_max = 0;
};

template <typename T>
struct QuantReluOp {
  const QuantRescaleParams* p;
  T operator()(T x) const {
    const int32_t v = p->output_zp + fixed_point::MultiplyByQuantizedMultiplier(
                                         static_cast<int32_t>(x) - p->input_zp, p->mult, p->shift);
    return static_cast<T>(std::max(p->act_min, std::min(p->act_max, v)));
  }
};

// ABS: |x - in_zp| rescaled (or not, when the scales are equal) and re-offset.
template <typename T>
struct QuantAbsOp {
  const QuantRescaleParams* p;
  bool rescale;
  T operator()(T x) const {
    const int32_t value = std::abs(static_cast<int32_t>(x) - p->input_zp);
    // 64-bit: a hostile scale ratio saturates the product near the int32 limits.
    return fixed_point::SaturateTo<T>(
        int64_t{rescale ? fixed_point::MultiplyByQuantizedMultiplier(value, p->mult, p->shift)
                        : value} +
        p->output_zp);
  }
};

struct QuantLeakyReluParams {
  int32_t input_zp = 0, output_zp = 0;
  int32_t mult_identity = 0, mult_alpha = 0;
  int shift_identity = 0, shift_alpha = 0;
};

template <typename T>
struct QuantLeakyReluOp {
  const QuantLeakyReluParams* p;
  T operator()(T x) const {
    const int32_t v = static_cast<int32_t>(x) - p->input_zp;
    int32_t out = p->output_zp;
    if (v >= 0) {
      out += fixed_point::MultiplyByQuantizedMultiplier(v, p->mult_identity, p->shift_identity);
    } else {
      const bool negative = p->mult_alpha < 0;
      const int32_t m = negative ? -p->mult_alpha : p->mult_alpha;
      const int32_t scaled = fixed_point::MultiplyByQuantizedMultiplier(v, m, p->shift_alpha);
      out += negative ? -scaled : scaled;
    }
    return static_cast<T>(
        std::min(fixed_point::TypeMax<T>(), std::max(fixed_point::TypeMin<T>(), out)));
  }
};

// Splits a real multiplier into a sign and a Q31 multiplier (TFLite keeps the sign in it).
inline void QuantizeSignedMultiplier(double real, int32_t* mult, int* shift) {
  fixed_point::QuantizeMultiplier(std::fabs(real), mult, shift);
  if (real < 0) *mult = -*mult;
}

// HARD_SWISH on int16 fixed-point intermediates.
struct QuantHardSwishParams {
  int32_t input_zp = 0, output_zp = 0;
  int16_t output_mult = 0;   // Q15
  int output_exp = 0;        // <= 0
  int16_t reluish_mult = 0;  // Q15
  int reluish_exp = 0;

  static int16_t DownScaleToQ15(int32_t m) {
    constexpr int32_t kRound = 1 << 15;
    if (m >= std::numeric_limits<int32_t>::max() - kRound)
      return std::numeric_limits<int16_t>::max();
    return static_cast<int16_t>((m + kRound) >> 16);
  }

  // False when the output multiplier would need a left shift (TFLite rejects that too).
  bool Init(float input_scale, int32_t in_zp, float output_scale, int32_t out_zp) {
    input_zp = in_zp;
    output_zp = out_zp;
    const float hires_input_scale = (1.0f / 128.0f) * input_scale;
    const float reluish_scale = 3.0f / 32768.0f;
    int32_t m = 0;
    fixed_point::QuantizeMultiplier(static_cast<double>(hires_input_scale / output_scale), &m,
                                    &output_exp);
    output_mult = DownScaleToQ15(m);
    fixed_point::QuantizeMultiplier(static_cast<double>(hires_input_scale / reluish_scale), &m,
                                    &reluish_exp);
    reluish_mult = DownScaleToQ15(m);
    return output_exp <= 0;
  }
};

// int16 forms of the gemmlowp primitives.
inline int16_t SatRoundDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min())
    return std::numeric_limits<int16_t>::max();
  const int32_t ab = static_cast<int32_t>(a) * static_cast<int32_t>(b);
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return static_cast<int16_t>((ab + nudge) / (1 << 15));
}
// Truncating (not rounding) doubling high multiply, like ARM's SQDMULH.
inline int16_t SatDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min())
    return std::numeric_limits<int16_t>::max();
  const int32_t ab = static_cast<int32_t>(a) * static_cast<int32_t>(b);
  return static_cast<int16_t>(ab / (1 << 15));
}
inline int16_t SatLeftShift16(int16_t v, int amount) {
  int64_t r = static_cast<int64_t>(v) * (int64_t{1} << amount);
  r = std::min<int64_t>(r, std::numeric_limits<int16_t>::max());
  r = std::max<int64_t>(r, std::numeric_limits<int16_t>::min());
  return static_cast<int16_t>(r);
}

template <typename T>
struct QuantHardSwishOp {
  const QuantHardSwishParams* p;
  T operator()(T x) const {
    const int16_t input_value = static_cast<int16_t>(static_cast<int32_t>(x) - p->input_zp);
    const int16_t hires = static_cast<int16_t>(input_value * (1 << 7));
    const int16_t preshift_out = SatRoundDoublingHighMul16(hires, p->output_mult);
    int16_t reluish = hires;
    if (p->reluish_exp > 0) reluish = SatLeftShift16(reluish, p->reluish_exp - 1);
    reluish = SatRoundDoublingHighMul16(reluish, p->reluish_mult);
    if (p->reluish_exp > 0) reluish = SatLeftShift16(reluish, 1);
    if (p->reluish_exp < 0)
      reluish = static_cast<int16_t>(fixed_point::RoundingDivideByPOT(reluish, -p->reluish_exp));
    reluish = static_cast<int16_t>((static_cast<int32_t>(reluish) + (1 << 15)) >> 1);
    const int16_t preshift = SatDoublingHighMul16(reluish, preshift_out);
    int32_t out = fixed_point::RoundingDivideByPOT(preshift, -p->output_exp);
    out = static_cast<int16_t>(out + p->output_zp);
    out = std::min(out, fixed_point::TypeMax<T>());
    out = std::max(out, fixed_point::TypeMin<T>());
    return static_cast<T>(out);
  }
};

// RSQRT: 1 / sqrt((x - in_zp) * s_in) / s_out + out_zp, with (mult, shift) = 1 / (sqrt(s_in)
// s_out). Inputs at the zero point give the type's maximum.
template <typename T>
struct QuantRsqrtOp {
  const QuantRescaleParams* p;
  T operator()(T x) const {
    const int32_t value = static_cast<int32_t>(x) - p->input_zp;
    if (value == 0) return static_cast<T>(fixed_point::TypeMax<T>());
    constexpr int kShift = 20;
    int32_t inv_mult = 0;
    int inv_shift = 0;
    fixed_point::GetInvSqrtQuantizedMultiplierExp(value, -1, &inv_mult, &inv_shift);
    const int32_t data =
        fixed_point::MultiplyByQuantizedMultiplier(1, inv_mult, inv_shift + kShift);
    const int64_t out =  // 64-bit: the product may be saturated near the int32 limits
        int64_t{fixed_point::MultiplyByQuantizedMultiplier(data, p->mult, p->shift - kShift)} +
        p->output_zp;
    return static_cast<T>(std::min<int64_t>(std::max<int64_t>(out, fixed_point::TypeMin<T>()),
                                            fixed_point::TypeMax<T>()));
  }
};

// SQRT: float root of the dequantized input, truncated toward zero on the output scale.
template <typename T>
struct QuantSqrtOp {
  float input_scale, output_scale;
  int32_t input_zp, output_zp;
  T operator()(T x) const {
    const float in = input_scale * static_cast<float>(static_cast<int32_t>(x) - input_zp);
    const float root = std::sqrt(in);
    // 64-bit: a NaN or out-of-range quotient converts to INT32_MIN, as on x86.
    return fixed_point::SaturateTo<T>(int64_t{FloatToInt32LikeX86(root / output_scale)} +
                                      output_zp);
  }
};

}  // namespace litescope::runtime::reference
