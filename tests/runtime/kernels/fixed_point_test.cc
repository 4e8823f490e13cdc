#include "runtime/kernels/fixed_point.h"

#include <catch2/catch.hpp>

namespace fp = litescope::runtime::fixed_point;

TEST_CASE("QuantizeMultiplier splits a real multiplier into Q31 and shift",
          "[runtime][fixed_point]") {
  int32_t m = 0;
  int shift = 0;
  fp::QuantizeMultiplier(0.5, &m, &shift);
  CHECK(m == (1 << 30));
  CHECK(shift == 0);
  fp::QuantizeMultiplier(1.0, &m, &shift);
  CHECK(m == (1 << 30));
  CHECK(shift == 1);
  fp::QuantizeMultiplier(0.75, &m, &shift);
  CHECK(m == 1610612736);  // 0.75 * 2^31
  CHECK(shift == 0);
  fp::QuantizeMultiplier(0.0, &m, &shift);
  CHECK(m == 0);
  CHECK(shift == 0);
  fp::QuantizeMultiplier(1e-20, &m, &shift);  // below 2^-31: flushed to zero
  CHECK(m == 0);
}

TEST_CASE("SaturatingRoundingDoublingHighMul rounds ties upward and saturates",
          "[runtime][fixed_point]") {
  CHECK(fp::SaturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN) == INT32_MAX);
  CHECK(fp::SaturatingRoundingDoublingHighMul(1 << 30, 1 << 30) == (1 << 29));
  // 2 * 3 * 2^30 / 2^32 = 1.5 -> 2 ; -1.5 -> -1 (the nudge makes ties go toward +infinity)
  CHECK(fp::SaturatingRoundingDoublingHighMul(3, 1 << 30) == 2);
  CHECK(fp::SaturatingRoundingDoublingHighMul(-3, 1 << 30) == -1);
  CHECK(fp::SaturatingRoundingDoublingHighMul(-5, 1 << 30) == -2);  // -2.5 -> -2
}

TEST_CASE("RoundingDivideByPOT rounds half away from zero", "[runtime][fixed_point]") {
  CHECK(fp::RoundingDivideByPOT(5, 1) == 3);    // 2.5 -> 3
  CHECK(fp::RoundingDivideByPOT(-5, 1) == -3);  // -2.5 -> -3
  CHECK(fp::RoundingDivideByPOT(7, 2) == 2);    // 1.75 -> 2
  CHECK(fp::RoundingDivideByPOT(-6, 2) == -2);  // -1.5 -> -2
  CHECK(fp::RoundingDivideByPOT(6, 0) == 6);
}

TEST_CASE("MultiplyByQuantizedMultiplier matches the real product", "[runtime][fixed_point]") {
  for (double real : {0.0003, 0.01, 0.4999, 0.75, 1.3, 7.9}) {
    int32_t m = 0;
    int shift = 0;
    fp::QuantizeMultiplier(real, &m, &shift);
    for (int32_t x : {-100000, -1234, -1, 0, 1, 77, 5000, 99999}) {
      const double want = x * real;
      const int32_t got = fp::MultiplyByQuantizedMultiplier(x, m, shift);
      CHECK(std::abs(got - want) <= 0.5 + 1e-6 * std::abs(want) + 1);
    }
  }
}

TEST_CASE("QuantizedActivationRange clamps RELU6 to the output's quantized 0 and 6",
          "[runtime][fixed_point]") {
  int32_t lo = 0, hi = 0;
  fp::QuantizedActivationRange(litescope::runtime::FusedActivation::kRelu6, 0.05f, -128, -128, 127,
                               &lo, &hi);
  CHECK(lo == -128);
  CHECK(hi == -8);  // -128 + 6 / 0.05
  fp::QuantizedActivationRange(litescope::runtime::FusedActivation::kNone, 0.05f, -128, -128, 127,
                               &lo, &hi);
  CHECK(lo == -128);
  CHECK(hi == 127);
}
