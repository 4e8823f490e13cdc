#include "runtime/kernels/reference/quantization.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <vector>

namespace {
namespace reference = litescope::runtime::reference;
}  // namespace

TEST_CASE("QuantizeValue rounds half away from zero and saturates",
          "[runtime][kernels][quantize]") {
  CHECK(reference::QuantizeValue<int8_t>(0.5f, 1.f, 0) == 1);
  CHECK(reference::QuantizeValue<int8_t>(-0.5f, 1.f, 0) == -1);
  CHECK(reference::QuantizeValue<int8_t>(2.5f, 1.f, 0) == 3);
  CHECK(reference::QuantizeValue<int8_t>(1.f, 0.5f, -3) == -1);
  CHECK(reference::QuantizeValue<int8_t>(1000.f, 1.f, 0) == 127);
  CHECK(reference::QuantizeValue<uint8_t>(-1.f, 1.f, 10) == 9);
  CHECK(reference::QuantizeValue<uint8_t>(-100.f, 1.f, 10) == 0);
  CHECK(reference::QuantizeValue<int8_t>(1e30f, 1e-10f, 0) == 127);
  CHECK(reference::QuantizeValue<int8_t>(std::numeric_limits<float>::quiet_NaN(), 1.f, 0) == -128);
}

TEST_CASE("Dequantize per tensor and per channel", "[runtime][kernels][dequantize]") {
  const std::vector<int8_t> q = {-128, 0, 5, 127};
  std::vector<float> out(4);
  reference::DequantizePerTensor(q.data(), 4, 0.5f, 2, out.data());
  CHECK(out == std::vector<float>{-65.f, -1.f, 1.5f, 62.5f});
  // [2 channels, 2 inner]: channel 0 scale 1 zp 0, channel 1 scale 0.25 zp 1.
  const std::vector<float> scales = {1.f, 0.25f};
  const std::vector<int64_t> zps = {0, 1};
  reference::DequantizePerChannel(q.data(), 1, 2, 2, scales.data(), zps.data(), out.data());
  CHECK(out == std::vector<float>{-128.f, 0.f, 1.f, 31.5f});
}

TEST_CASE("Float16ToFloat32 converts half bits", "[runtime][kernels][dequantize]") {
  const std::vector<uint16_t> h = {0x3C00, 0xC000, 0x0000, 0x7C00, 0x3555};
  std::vector<float> out(5);
  reference::Float16ToFloat32(h.data(), 5, out.data());
  CHECK(out[0] == 1.f);
  CHECK(out[1] == -2.f);
  CHECK(out[2] == 0.f);
  CHECK(out[3] == std::numeric_limits<float>::infinity());
  CHECK(out[4] == Approx(0.33325195f));
}

TEST_CASE("Requantize rescales with TFLite's fixed-point multiplier",
          "[runtime][kernels][quantize]") {
  int32_t multiplier = 0;
  int shift = 0;
  SECTION("uint8 (zp 128) to int8 (zp 0) with the same scale shifts by 128") {
    litescope::runtime::fixed_point::QuantizeMultiplier(1.0, &multiplier, &shift);
    const std::vector<uint8_t> in = {0, 127, 128, 255};
    std::vector<int8_t> out(4);
    reference::Requantize(in.data(), 4, 128, multiplier, shift, 0, out.data());
    CHECK(out == std::vector<int8_t>{-128, -1, 0, 127});
  }
  SECTION("doubling the scale ratio doubles and saturates") {
    litescope::runtime::fixed_point::QuantizeMultiplier(2.0, &multiplier, &shift);
    const std::vector<int8_t> in = {-100, -3, 0, 5, 100};
    std::vector<int8_t> out(5);
    reference::Requantize(in.data(), 5, 0, multiplier, shift, 1, out.data());
    CHECK(out == std::vector<int8_t>{-128, -5, 1, 11, 127});
  }
  SECTION("halving rounds ties toward +infinity, as TFLite's high multiply does") {
    litescope::runtime::fixed_point::QuantizeMultiplier(0.5, &multiplier, &shift);
    const std::vector<int8_t> in = {-3, -1, 1, 3};
    std::vector<int8_t> out(4);
    reference::Requantize(in.data(), 4, 0, multiplier, shift, 0, out.data());
    CHECK(out == std::vector<int8_t>{-1, 0, 1, 2});
  }
}
