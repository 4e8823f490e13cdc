#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/fixed_point_int16.h"

// INT16 LOGISTIC and TANH (zero points 0, output scale 2^-15) with TensorFlow Lite's rules.
// General input scales use its table-and-interpolation form (the power-of-two scales TFLite's
// builtin kernels evaluate in fixed point instead, see LogisticInt16FixedPointOp below):
//  1. The input is rescaled to units of 1/(3 * 4096) by an integer multiplier in
//     (16383.5, 32767] and a rounding right shift, both found in Prepare
//     (Int16SigmoidParams::Init); TFLite's reference kernel also sends the power-of-two scales
//     (2^-12 for LOGISTIC, 2^-12 or 2^-11 for TANH) here, as an exact multiply by 3 << shift.
//  2. |v| selects a knot of SigmoidKnotsQ16(), sigmoid(i / 24) in Q0.16, through its high
//     bits (LOGISTIC: |v| >> 9; TANH: |v| >> 8, since tanh(x) = 2 sigmoid(2x) - 1) and the low
//     bits interpolate linearly to the next entry; indices past 254 saturate.
//  3. The sign is restored (sigmoid(-x) = 1 - sigmoid(x)) with fixed rounding offsets and the
//     result is shifted down to Q0.15.
namespace litescope::runtime::reference {

// sigmoid(i / 24) for i in [0, 255] in Q0.16, the knots that step 2 interpolates between.
// Each knot is raised by a quarter of the midpoint errors of linear interpolation over its two
// neighbouring segments, so that the interpolated curve errs evenly on both sides of the
// sigmoid; the last knot is the saturation value 65535. These are TensorFlow Lite's knots.
struct SigmoidKnots {
  uint16_t q16[256];
};

inline const SigmoidKnots& SigmoidKnotsQ16() {
  static const SigmoidKnots knots = [] {
    SigmoidKnots k{};
    const auto sigmoid = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
    constexpr double kStep = 1.0 / 24.0;
    for (int i = 0; i < 256; ++i) {
      const double x = i * kStep;
      const double f = sigmoid(x);
      const double left_error = sigmoid(x - kStep / 2) - (sigmoid(x - kStep) + f) / 2;
      const double right_error = sigmoid(x + kStep / 2) - (f + sigmoid(x + kStep)) / 2;
      const double q = std::round(65536.0 * (f + (left_error + right_error) / 4));
      k.q16[i] = static_cast<uint16_t>(std::min(q, 65535.0));
    }
    k.q16[255] = 65535;
    return k;
  }();
  return knots;
}

// TFLite's CheckedLog2: *log2 = round(log2(x)); true when x is within 1e-3 (in log2) of that
// power of two. Computed in float, as TFLite does.
inline bool CheckedLog2(float x, int* log2) {
  const float l = std::log(x) * (1.0f / std::log(2.0f));
  const float rounded = std::round(l);
  *log2 = static_cast<int>(rounded);
  return std::fabs(l - rounded) < 1e-3f;
}

// Input rescaling of step 1: v = (x * multiplier + 2^(shift-1)) >> shift.
struct Int16SigmoidParams {
  int32_t multiplier = 3;
  int shift = 0;

  // pot_shift: the input scale's log2 plus 12 when that scale is a power of two the kernel
  // takes exactly (LOGISTIC: 0; TANH: 0 or 1), else negative.
  void Init(double input_scale, int pot_shift) {
    if (pot_shift >= 0) {
      multiplier = 3 << pot_shift;
      shift = 0;
      return;
    }
    double m = input_scale * 4096.0 * 3.0;
    shift = 0;
    while (m <= 32767.0 / 2.0 && shift <= 30) {
      ++shift;
      m *= 2.0;
    }
    // Hostile scales: keep the multiplier finite; the clamp in Rescale saturates the output.
    multiplier = static_cast<int32_t>(std::min(m, 2147483647.0));
  }

  // Step 1, in 64 bits and clamped to +-2^30 (every such value already saturates the table).
  int32_t Rescale(int16_t x) const {
    const int64_t round = shift > 0 ? int64_t{1} << (shift - 1) : 0;
    const int64_t v = (int64_t{x} * multiplier + round) >> shift;
    constexpr int64_t kLimit = int64_t{1} << 30;
    return static_cast<int32_t>(std::min(std::max(v, -kLimit), kLimit));
  }
};

inline int16_t LogisticInt16(const Int16SigmoidParams& p, int16_t x) {
  const int32_t v = p.Rescale(x);
  const uint32_t mag = static_cast<uint32_t>(v < 0 ? -v : v);
  const uint32_t index = mag >> 9;
  uint32_t r = 0;
  if (index >= 255) {
    r = uint32_t{0x7FFF} << 10;
  } else {
    const uint16_t* knots = SigmoidKnotsQ16().q16;
    const uint32_t lo = knots[index];
    const uint32_t hi = knots[index + 1];
    r = (lo << 9) + (mag & 0x1FF) * (hi - lo);
  }
  r = v >= 0 ? r + (1u << 9) : (1u << 25) - r + (1u << 9) - 1;
  return static_cast<int16_t>(r >> 10);
}

inline int16_t TanhInt16(const Int16SigmoidParams& p, int16_t x) {
  const int32_t v = p.Rescale(x);
  const uint32_t mag = static_cast<uint32_t>(v < 0 ? -v : v);
  const uint32_t index = mag >> 8;
  int32_t r = 0;
  if (index >= 255) {
    r = 0xFFFF << 8;
  } else {
    const uint16_t* knots = SigmoidKnotsQ16().q16;
    const uint32_t lo = knots[index];
    const uint32_t hi = knots[index + 1];
    r = static_cast<int32_t>((lo << 8) + (mag & 0xFF) * (hi - lo));
  }
  constexpr int32_t kHalf = 1 << 23;  // 0.5 in the table's Q.24 after the << 8
  r = v >= 0 ? r - kHalf + (1 << 7) : -r + kHalf + (1 << 7) - 1;
  return static_cast<int16_t>(r >> 8);  // arithmetic shift: floor
}

// TFLite's builtin kernels take another road for the power-of-two input scales of step 1
// (input_multiplier 0 there): the 16-bit fixed-point logistic and tanh of
// runtime/kernels/fixed_point_int16.h (the ones the integer LSTM uses) on the raw values read as
// Q3.12; TANH with scale 2^-11 first doubles its input, saturating.

struct LogisticInt16Op {
  const Int16SigmoidParams* p;
  int16_t operator()(int16_t x) const { return LogisticInt16(*p, x); }
};

struct TanhInt16Op {
  const Int16SigmoidParams* p;
  int16_t operator()(int16_t x) const { return TanhInt16(*p, x); }
};

// The power-of-two forms; TANH doubles an input on scale 2^-11 first.
struct LogisticInt16FixedPointOp {
  int16_t operator()(int16_t x) const { return fixed_point::q16::Logistic(x, 3); }
};

struct TanhInt16FixedPointOp {
  bool double_input;
  int16_t operator()(int16_t x) const {
    return fixed_point::q16::Tanh(double_input ? fixed_point::q16::MultiplyByPOT(x, 1) : x, 3);
  }
};

}  // namespace litescope::runtime::reference
