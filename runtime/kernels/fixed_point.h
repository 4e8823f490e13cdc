#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/kernels/kernel_util.h"
#include "runtime/tensor.h"

// TensorFlow Lite's integer arithmetic for quantized kernels, written so that our results match
// TFLite bit for bit. The rules (facts of the format, not code we copied):
// - a real multiplier M > 0 is stored as a Q31 fraction q in [2^30, 2^31) and a power-of-two
//   exponent, M = q * 2^(shift - 31), with q rounded half away from zero;
// - products use a saturating "rounding doubling high multiply" (the high 32 bits of 2*a*b,
//   rounded to nearest with ties toward +infinity) followed by a rounding right shift whose
//   ties round away from zero;
// - left shifts (multipliers >= 1) are applied to the input before the high multiply.
// Overflowing intermediate shifts wrap like TFLite's two's-complement code, without UB.
namespace litescope::runtime::fixed_point {

// Splits `real` (>= 0) into a Q31 multiplier and a shift; a zero multiplier gives (0, 0).
inline void QuantizeMultiplier(double real, int32_t* multiplier, int* shift) {
  if (real == 0.0 || !std::isfinite(real)) {
    *multiplier = 0;
    *shift = 0;
    return;
  }
  int exp = 0;
  const double q = std::frexp(real, &exp);  // real = q * 2^exp, q in [0.5, 1)
  int64_t q_fixed = static_cast<int64_t>(std::round(q * static_cast<double>(int64_t{1} << 31)));
  if (q_fixed == (int64_t{1} << 31)) {
    q_fixed /= 2;
    ++exp;
  }
  if (exp < -31) {
    exp = 0;
    q_fixed = 0;
  }
  if (exp > 30) {
    exp = 30;
    q_fixed = (int64_t{1} << 31) - 1;
  }
  *multiplier = static_cast<int32_t>(q_fixed);
  *shift = exp;
}

// High 32 bits of 2*a*b, rounded to nearest (ties toward +infinity); saturates the one
// overflow case (INT32_MIN * INT32_MIN).
inline int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min())
    return std::numeric_limits<int32_t>::max();
  const int64_t ab = static_cast<int64_t>(a) * static_cast<int64_t>(b);
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : (1 - (int64_t{1} << 30));
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

// x / 2^exponent rounded to nearest, ties away from zero. exponent in [0, 31]; larger ones
// (hostile scales) act as 31, which rounds every int32 to 0 or -1 as the exact quotient would.
inline int32_t RoundingDivideByPOT(int32_t x, int exponent) {
  if (exponent <= 0) return x;
  if (exponent > 31) exponent = 31;
  const int32_t mask = static_cast<int32_t>((int64_t{1} << exponent) - 1);
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

// a + b with the int32 accumulator's two's-complement wrap-around (a crafted bias or a very
// long dot product overflows it; TFLite's code wraps there in practice).
inline int32_t WrappingAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// A loop-carried int32 accumulator that must wrap is kept as uint32 for the whole loop and
// converted back once at the end (WrappingAccumulator below), never updated through
// WrappingAdd's int32 -> uint32 -> int32 round trip. GCC 12.2 (Debian 12's g++) at -O3
// miscompiles that round trip when its loop vectorizer vectorizes an outer loop over several
// such accumulators (the per-tap loop of the depthwise kernel: wrong sums on every border
// pixel of an 8-channel block; tests/runtime/kernels/depthwise_conv_quantized_test.cc holds
// the reproducer). Unsigned arithmetic throughout gives the same bits and is compiled right.
inline uint32_t WrappingProduct(int32_t a, int32_t b) {
  return static_cast<uint32_t>(a) * static_cast<uint32_t>(b);
}

// x * 2^shift with two's-complement wrap-around, as TFLite's int32 shift behaves.
inline int32_t WrappingShiftLeft(int32_t x, int shift) {
  if (shift >= 32) return 0;  // every bit wraps out
  return static_cast<int32_t>(static_cast<uint32_t>(x) << shift);
}

// x * M for M = (multiplier, shift) from QuantizeMultiplier.
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  const int left = shift > 0 ? shift : 0;
  const int right = shift > 0 ? 0 : -shift;
  return RoundingDivideByPOT(
      SaturatingRoundingDoublingHighMul(WrappingShiftLeft(x, left), multiplier), right);
}

// x * M for M < 1 given as (multiplier, left_shift <= 0).
inline int32_t MultiplyByQuantizedMultiplierSmallerThanOneExp(int32_t x, int32_t multiplier,
                                                              int left_shift) {
  return RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, multiplier), -left_shift);
}

// x * M for M > 1 given as (multiplier, left_shift >= 0).
inline int32_t MultiplyByQuantizedMultiplierGreaterThanOne(int32_t x, int32_t multiplier,
                                                           int left_shift) {
  return SaturatingRoundingDoublingHighMul(WrappingShiftLeft(x, left_shift), multiplier);
}

// The 64-bit accumulator form used by the 16x8 kernels: the multiplier is reduced to 16 bits
// (rounded) and the product shifted right by 15 - shift with round-half-up.
inline int32_t MultiplyByQuantizedMultiplier(int64_t x, int32_t multiplier, int shift) {
  const int32_t reduced =
      multiplier < 0x7FFF0000 ? static_cast<int32_t>((multiplier + (1 << 15)) >> 16) : 0x7FFF;
  const int total_shift = 15 - shift;
  const int64_t product = x * static_cast<int64_t>(reduced);
  const int64_t rounded = product + (int64_t{1} << (total_shift - 1));
  return static_cast<int32_t>(rounded >> total_shift);
}

// Clamp range of a fused activation on a quantized output: the activation's bounds quantized
// with the output's scale and zero point (round half away from zero), within [qmin, qmax].
inline void QuantizedActivationRange(FusedActivation act, float scale, int32_t zero_point,
                                     int32_t qmin, int32_t qmax, int32_t* act_min,
                                     int32_t* act_max) {
  auto quantize = [&](float f) {  // clamped first: a tiny scale overflows int32
    return zero_point + static_cast<int32_t>(std::clamp(std::round(f / scale), -1e9f, 1e9f));
  };
  *act_min = qmin;
  *act_max = qmax;
  switch (act) {
    case FusedActivation::kRelu:
      *act_min = std::max(qmin, quantize(0.f));
      break;
    case FusedActivation::kRelu6:
      *act_min = std::max(qmin, quantize(0.f));
      *act_max = std::min(qmax, quantize(6.f));
      break;
    case FusedActivation::kReluN1To1:
      *act_min = std::max(qmin, quantize(-1.f));
      *act_max = std::min(qmax, quantize(1.f));
      break;
    default:
      break;
  }
}

// [min, max] of an integer element type as int32.
template <typename T>
inline int32_t TypeMin() {
  return static_cast<int32_t>(std::numeric_limits<T>::min());
}
template <typename T>
inline int32_t TypeMax() {
  return static_cast<int32_t>(std::numeric_limits<T>::max());
}

// v clamped to T's range. 64-bit input: callers add a zero point to a product that may already
// be saturated at the int32 limits.
template <typename T>
inline T SaturateTo(int64_t v) {
  return static_cast<T>(std::min<int64_t>(std::max<int64_t>(v, std::numeric_limits<T>::min()),
                                          std::numeric_limits<T>::max()));
}

}  // namespace litescope::runtime::fixed_point
