#pragma once

#include <cstdint>
#include <limits>

#include "runtime/kernels/fixed_point.h"

// Fixed-point helpers beyond the multiplier rules of fixed_point.h: gemmlowp-style Q-format
// arithmetic (a raw int32 with a given number of integer bits) as TFLite's quantized kernels
// use it. Only the operations some kernel needs live here; each matches TFLite bit for bit.
namespace litescope::runtime::fixed_point {

// Number of leading zero bits of x (32 for 0).
inline int CountLeadingZeros32(uint32_t x) {
  if (x == 0) return 32;
  return __builtin_clz(x);
}

// x * 2^exponent: a saturating left shift for exponent > 0, a rounding right shift (ties away
// from zero) for exponent < 0.
inline int32_t SaturatingRoundingMultiplyByPOT(int32_t x, int exponent) {
  if (exponent == 0) return x;
  if (exponent < 0) return RoundingDivideByPOT(x, -exponent);
  const int32_t threshold = static_cast<int32_t>((int64_t{1} << (31 - exponent)) - 1);
  if (x > threshold) return std::numeric_limits<int32_t>::max();
  if (x < -threshold) return std::numeric_limits<int32_t>::min();
  return WrappingShiftLeft(x, exponent);
}

// Two's-complement subtraction without undefined overflow.
inline int32_t WrappingSub(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
}

// 1 / sqrt(input) for input >= 0 as a Q31 multiplier and shift, TFLite's
// GetInvSqrtQuantizedMultiplierExp. The result is applied as
// MultiplyByQuantizedMultiplier(x, *multiplier, *shift) when reverse_shift is -1 (the shift
// then counts left shifts). Inputs 0 and 1 give (INT32_MAX, 0).
//  1. Normalize: divide by 4 until input < 2^29 and then multiply by 4 until input >= 2^27,
//     tracking the exponent (starting at 11, for the Q-format of the result).
//  2. Five Newton-Raphson steps x <- 1.5 x - (input / 2) x^3 in Q3.28, starting at x = 1.
//  3. Multiply by sqrt(2) / 2 (Q0.31), which accounts for the input being read as Q3 after a
//     halving; fold a negative exponent into the multiplier.
inline void GetInvSqrtQuantizedMultiplierExp(int32_t input, int reverse_shift, int32_t* multiplier,
                                             int* shift) {
  if (input <= 1) {
    *multiplier = std::numeric_limits<int32_t>::max();
    *shift = 0;
    return;
  }
  int exponent = 11;
  while (input >= (1 << 29)) {
    input /= 4;
    ++exponent;
  }
  const int max_left_shift_bits = CountLeadingZeros32(static_cast<uint32_t>(input)) - 1;
  const int left_shift_bit_pairs = max_left_shift_bits / 2 - 1;
  exponent -= left_shift_bit_pairs;
  input = WrappingShiftLeft(input, 2 * left_shift_bit_pairs);

  // Q3.28 values: integer bits add under multiplication, and Rescale back to 3 bits is a
  // saturating shift.
  const int32_t q3_input = input >> 1;
  const int32_t q3_half_input = SaturatingRoundingMultiplyByPOT(q3_input, -1);
  const int32_t q3_half_three = (1 << 28) + (1 << 27);
  int32_t x = 1 << 28;  // 1.0 in Q3.28
  for (int i = 0; i < 5; ++i) {
    const int32_t x2 = SaturatingRoundingDoublingHighMul(x, x);              // Q6
    const int32_t x3_q9 = SaturatingRoundingDoublingHighMul(x2, x);          // Q9
    const int32_t x3 = SaturatingRoundingMultiplyByPOT(x3_q9, 6);            // back to Q3
    const int32_t a = SaturatingRoundingDoublingHighMul(q3_half_three, x);   // Q6
    const int32_t b = SaturatingRoundingDoublingHighMul(q3_half_input, x3);  // Q6
    x = SaturatingRoundingMultiplyByPOT(WrappingSub(a, b), 3);               // back to Q3
  }
  constexpr int32_t kHalfSqrt2Q31 = 1518500250;  // sqrt(2) / 2 in Q0.31
  x = SaturatingRoundingDoublingHighMul(x, kHalfSqrt2Q31);
  if (exponent < 0) {
    x = WrappingShiftLeft(x, -exponent);
    exponent = 0;
  }
  *multiplier = x;
  *shift = exponent * reverse_shift;
}

}  // namespace litescope::runtime::fixed_point
