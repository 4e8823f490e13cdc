#pragma once

#include <cstdint>
#include <limits>

#include "runtime/kernels/fixed_point.h"

// 16-bit Q-format arithmetic as TFLite's fully integer LSTM uses it (gemmlowp's FixedPoint with
// an int16 raw value). A value with `ib` integer bits is raw / 2^(15 - ib). The rules, which we
// reproduce bit for bit (they are facts of the format, not code we copied):
// - products are "saturating rounding doubling high multiplies" on 16 bits;
// - plain additions, subtractions and negations wrap around in two's complement, except the one
//   saturating addition at the end of the exp polynomial;
// - multiplication by 2^e saturates for e > 0 and rounds half away from zero for e < 0;
// - the 32-bit constants of the 32-bit algorithms are reduced to 16 bits by a rounding shift
//   right by 16.
namespace litescope::runtime::fixed_point::q16 {

inline int16_t Wrap(int32_t v) { return static_cast<int16_t>(static_cast<uint16_t>(v & 0xFFFF)); }
inline int16_t Add(int16_t a, int16_t b) { return Wrap(int32_t{a} + b); }
inline int16_t Sub(int16_t a, int16_t b) { return Wrap(int32_t{a} - b); }
inline int16_t Neg(int16_t a) { return Wrap(-int32_t{a}); }

inline int16_t SaturatingAdd(int16_t a, int16_t b) {
  const int32_t s = int32_t{a} + b;
  return static_cast<int16_t>(s > 32767 ? 32767 : (s < -32768 ? -32768 : s));
}

// High 16 bits of 2*a*b, rounded to nearest; (-1) * (-1) saturates to the maximum.
inline int16_t Mul(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min())
    return std::numeric_limits<int16_t>::max();
  const int32_t ab = int32_t{a} * int32_t{b};
  const int32_t nudge = ab >= 0 ? (1 << 14) : (1 - (1 << 14));
  return Wrap((ab + nudge) / (1 << 15));  // C++ division truncates toward zero
}

// x / 2^e rounded to nearest, ties away from zero; e in [0, 15].
inline int16_t RoundingDivideByPOT(int16_t x, int e) {
  if (e <= 0) return x;
  const int32_t mask = (1 << e) - 1;
  const int32_t remainder = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return Wrap((int32_t{x} >> e) + (remainder > threshold ? 1 : 0));
}

// x * 2^e: saturating for e > 0, rounding for e < 0.
inline int16_t MultiplyByPOT(int16_t x, int e) {
  if (e == 0) return x;
  if (e < 0) return RoundingDivideByPOT(x, -e);
  const int32_t threshold = (1 << (15 - e)) - 1;
  if (x > threshold) return std::numeric_limits<int16_t>::max();
  if (x < -threshold) return std::numeric_limits<int16_t>::min();
  return Wrap(int32_t{x} * (1 << e));
}

// A 32-bit Q-format constant reduced to 16 bits.
inline int16_t Constant(int32_t raw32) {
  return static_cast<int16_t>(fixed_point::RoundingDivideByPOT(raw32, 16));
}

// (a + b) / 2 rounded half away from zero.
inline int16_t RoundingHalfSum(int16_t a, int16_t b) {
  const int32_t s = int32_t{a} + b;
  return Wrap((s + (s >= 0 ? 1 : -1)) / 2);
}

constexpr int16_t kOneQ0 = 32767;  // "one" with 0 integer bits is the largest raw value

// exp(a) for a in [-1/4, 0), input and result with 0 integer bits: a fourth-order Taylor
// polynomial around -1/8.
inline int16_t ExpOnIntervalNegQuarterToZero(int16_t a) {
  const int16_t exp_minus_eighth = Constant(1895147668);  // exp(-1/8) in Q0.31
  const int16_t one_third = Constant(715827883);          // 1/3 in Q0.31
  const int16_t x = Add(a, int16_t{1 << 12});             // a + 1/8
  const int16_t x2 = Mul(x, x);
  const int16_t x3 = Mul(x2, x);
  const int16_t x4 = Mul(x2, x2);
  const int16_t x4_over_4 = MultiplyByPOT(x4, -2);
  const int16_t poly = MultiplyByPOT(Add(Mul(Add(x4_over_4, x3), one_third), x2), -1);
  return SaturatingAdd(exp_minus_eighth, Mul(exp_minus_eighth, Add(x, poly)));
}

// exp(a) for a <= 0 given with `ib` integer bits (0..13); result with 0 integer bits.
//  1. Split a into (a mod 1/4) - 1/4, in [-1/4, 0), and a remainder that is a negative multiple
//     of 1/4.
//  2. exp of the first part by the polynomial, then one multiplication by exp(-2^k) for each
//     bit k of the remainder's magnitude.
//  3. Inputs below -32 give 0 (only reachable with more than 5 integer bits); 0 gives one.
inline int16_t ExpOnNegativeValues(int16_t a, int ib) {
  const int fractional = 15 - ib;
  const int16_t one_quarter = static_cast<int16_t>(1 << (fractional - 2));
  const int16_t mask = static_cast<int16_t>(one_quarter - 1);
  const int16_t a_mod_quarter_minus_quarter = Sub(static_cast<int16_t>(a & mask), one_quarter);
  int16_t result = ExpOnIntervalNegQuarterToZero(MultiplyByPOT(a_mod_quarter_minus_quarter, ib));
  const int16_t remainder = Sub(a_mod_quarter_minus_quarter, a);
  // exp(-2^k) in Q0.31 for k = -2 .. 4.
  static constexpr int32_t kExpNegPow2[7] = {1672461947, 1302514674, 790015084, 290630308,
                                             39332535,   720401,     242};
  for (int k = -2; k <= 4; ++k) {
    if (ib <= k) break;
    const int bit = fractional + k;
    if ((remainder & (1 << bit)) != 0) result = Mul(result, Constant(kExpNegPow2[k + 2]));
  }
  if (ib > 5) {
    const int16_t minus_32 = Constant(-(1 << (36 - ib)));
    if (a < minus_32) result = 0;
  }
  if (a == 0) result = kOneQ0;
  return result;
}

// Newton-Raphson reciprocal for the denominator 1 + a, a in (0, 1) with 0 integer bits; returns
// x ~ 1 / ((1 + a) / 2) with 2 integer bits.
inline int16_t ReciprocalOfHalfDenominator(int16_t half_denominator) {
  const int16_t c48_over_17 = Constant(1515870810);       // 48/17 in Q2.29
  const int16_t c_neg32_over_17 = Constant(-1010580540);  // -32/17 in Q2.29
  constexpr int16_t kOneQ2 = 1 << 13;
  int16_t x = Add(c48_over_17, Mul(half_denominator, c_neg32_over_17));
  for (int i = 0; i < 3; ++i) {
    const int16_t hx = Mul(half_denominator, x);
    const int16_t one_minus_hx = Sub(kOneQ2, hx);
    x = Add(x, MultiplyByPOT(Mul(x, one_minus_hx), 2));  // Q4 product back to Q2
  }
  return x;
}

// 1 / (1 + a) for a in (0, 1), 0 integer bits in and out.
inline int16_t OneOverOnePlusX(int16_t a) {
  const int16_t x = ReciprocalOfHalfDenominator(RoundingHalfSum(a, kOneQ0));
  return MultiplyByPOT(x, 1);  // x / 2 read with 1 integer bit, rescaled to 0
}

// (1 - a) / (1 + a) for a in (0, 1), 0 integer bits in and out.
inline int16_t OneMinusXOverOnePlusX(int16_t a) {
  const int16_t x = ReciprocalOfHalfDenominator(RoundingHalfSum(a, kOneQ0));
  return MultiplyByPOT(Sub(x, int16_t{1 << 13}), 2);
}

// logistic(a) for a with `ib` integer bits; result with 0 integer bits (Q0.15).
inline int16_t Logistic(int16_t a, int ib) {
  if (a == 0) return Constant(1 << 30);  // one half
  const bool positive = a > 0;
  const int16_t abs_a = positive ? a : Neg(a);
  const int16_t pos = OneOverOnePlusX(ExpOnNegativeValues(Neg(abs_a), ib));
  return positive ? pos : Sub(kOneQ0, pos);
}

// tanh(a) for a with `ib` integer bits (0..12); result with 0 integer bits (Q0.15).
inline int16_t Tanh(int16_t a, int ib) {
  if (a == 0) return 0;
  const bool negative = a < 0;
  const int16_t n = negative ? a : Neg(a);  // -|a|, wrapping like the reference
  // exp(2n): the same raw value read with one more integer bit.
  const int16_t t = OneMinusXOverOnePlusX(ExpOnNegativeValues(n, ib + 1));
  return negative ? Neg(t) : t;
}

}  // namespace litescope::runtime::fixed_point::q16
