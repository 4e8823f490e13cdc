#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "runtime/kernels/reference/activations_quantized.h"
#include "runtime/kernels/reference/binary_arithmetic_quantized.h"

// Integer forms of the quantized elementwise ops, checked against float math (bit-exactness
// against TensorFlow Lite is covered by the conformance suite).
namespace ref = litescope::runtime::reference;

namespace {

template <typename T>
float Dequant(T q, float scale, int32_t zp) {
  return scale * static_cast<float>(static_cast<int32_t>(q) - zp);
}

template <typename T>
int32_t Quant(float v, float scale, int32_t zp) {
  const int32_t q = zp + static_cast<int32_t>(std::round(v / scale));
  return std::min<int32_t>(std::max<int32_t>(q, std::numeric_limits<T>::min()),
                           std::numeric_limits<T>::max());
}

}  // namespace

TEST_CASE("Quantized ADD, SUB and MUL stay within one step of float", "[runtime][quantized]") {
  const float s1 = 0.03f, s2 = 0.02f, so = 0.05f;
  const int32_t z1 = -3, z2 = 7, zo = 2;
  ref::QuantAddSubParams as;
  as.Init(s1, z1, s2, z2, so, zo, 20, false);
  as.act_min = -128;
  as.act_max = 127;
  ref::QuantMulParams mp;
  mp.Init(s1, z1, s2, z2, so, zo);
  mp.act_min = -128;
  mp.act_max = 127;
  for (int a = -128; a <= 127; a += 5) {
    for (int b = -128; b <= 127; b += 7) {
      const auto x = static_cast<int8_t>(a);
      const auto y = static_cast<int8_t>(b);
      const float fx = Dequant(x, s1, z1);
      const float fy = Dequant(y, s2, z2);
      CHECK(std::abs(ref::QuantAddOp<int8_t>{&as}(x, y) - Quant<int8_t>(fx + fy, so, zo)) <= 1);
      CHECK(std::abs(ref::QuantSubOp<int8_t>{&as}(x, y) - Quant<int8_t>(fx - fy, so, zo)) <= 1);
      CHECK(std::abs(ref::QuantMulOp<int8_t>{&mp}(x, y) - Quant<int8_t>(fx * fy, so, zo)) <= 1);
    }
  }
}

TEST_CASE("Quantized INT16 ADD uses a 15-bit left shift", "[runtime][quantized]") {
  const float s1 = 1.f / 4096, s2 = 1.f / 3000, so = 1.f / 2000;
  ref::QuantAddSubParams as;
  as.Init(s1, 0, s2, 0, so, 0, 15, false);
  as.act_min = -32768;
  as.act_max = 32767;
  for (int a = -32768; a <= 32767; a += 977) {
    for (int b = -32768; b <= 32767; b += 1231) {
      const auto x = static_cast<int16_t>(a);
      const auto y = static_cast<int16_t>(b);
      const float f = Dequant(x, s1, 0) + Dequant(y, s2, 0);
      CHECK(std::abs(ref::QuantAddOp<int16_t>{&as}(x, y) - Quant<int16_t>(f, so, 0)) <= 1);
    }
  }
}

TEST_CASE("8-bit tables index int8 values through their unsigned bit pattern",
          "[runtime][quantized]") {
  int8_t lut[256];
  ref::PopulateLut8<int8_t>(
      0.05f, 0, 1.f / 128, 0, [](float v) { return std::tanh(v); }, lut);
  const ref::LutOp<int8_t> op{lut};
  CHECK(op(0) == 0);
  CHECK(op(-128) == Quant<int8_t>(std::tanh(-6.4f), 1.f / 128, 0));
  CHECK(op(20) == Quant<int8_t>(std::tanh(1.0f), 1.f / 128, 0));
  CHECK(op(-20) == -op(20));
}

TEST_CASE("Quantized HARD_SWISH and RSQRT stay close to float", "[runtime][quantized]") {
  const float si = 0.04f, so = 0.02f;
  const int32_t zi = -1, zo = -100;
  ref::QuantHardSwishParams hs;
  REQUIRE(hs.Init(si, zi, so, zo));
  for (int q = -128; q <= 127; ++q) {
    const float x = Dequant(static_cast<int8_t>(q), si, zi);
    const float want = x * std::min(6.f, std::max(0.f, x + 3.f)) / 6.f;
    CHECK(std::abs(ref::QuantHardSwishOp<int8_t>{&hs}(static_cast<int8_t>(q)) -
                   Quant<int8_t>(want, so, zo)) <= 1);
  }
  ref::QuantRescaleParams rs;
  rs.input_zp = -128;
  rs.output_zp = -128;
  const float rsi = 0.02f, rso = 0.01f;
  litescope::runtime::fixed_point::QuantizeMultiplier(
      1.0 / static_cast<double>(std::sqrt(rsi) * rso), &rs.mult, &rs.shift);
  for (int q = -120; q <= 127; ++q) {
    const float x = Dequant(static_cast<int8_t>(q), rsi, -128);
    CHECK(std::abs(ref::QuantRsqrtOp<int8_t>{&rs}(static_cast<int8_t>(q)) -
                   Quant<int8_t>(1.f / std::sqrt(x), rso, -128)) <= 1);
  }
}
