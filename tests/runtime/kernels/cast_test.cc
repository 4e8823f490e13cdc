#include "runtime/kernels/reference/cast.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <vector>

#include "runtime/schema/tflite_schema_generated.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {

using litescope::runtime::DataType;
using litescope::testing::SingleOpModel;
namespace ref = litescope::runtime::reference;
namespace schema = litescope::runtime::schema;

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInf = std::numeric_limits<float>::infinity();

}  // namespace

TEST_CASE("Float to integer casts saturate", "[runtime][kernels][cast]") {
  CHECK(ref::CastValue<int32_t>(3.9f) == 3);
  CHECK(ref::CastValue<int32_t>(-3.9f) == -3);
  CHECK(ref::CastValue<int32_t>(3e9f) == std::numeric_limits<int32_t>::max());
  CHECK(ref::CastValue<int32_t>(-3e9f) == std::numeric_limits<int32_t>::min());
  CHECK(ref::CastValue<int32_t>(2147483648.f) == std::numeric_limits<int32_t>::max());
  CHECK(ref::CastValue<int32_t>(kNaN) == std::numeric_limits<int32_t>::max());
  CHECK(ref::CastValue<int32_t>(-kInf) == std::numeric_limits<int32_t>::min());
  CHECK(ref::CastValue<uint8_t>(-1.f) == 0);
  CHECK(ref::CastValue<uint8_t>(300.f) == 255);
  CHECK(ref::CastValue<int8_t>(-200.0) == -128);
  CHECK(ref::CastValue<int64_t>(1e30f) == std::numeric_limits<int64_t>::max());
  CHECK(ref::CastValue<uint32_t>(4294967296.0) == std::numeric_limits<uint32_t>::max());
}

TEST_CASE("Integer casts keep the low bits; bool is != 0", "[runtime][kernels][cast]") {
  CHECK(ref::CastValue<int8_t>(int32_t{300}) == 44);
  CHECK(ref::CastValue<uint8_t>(int32_t{-1}) == 255);
  CHECK(ref::CastValue<int32_t>(uint32_t{0xffffffffu}) == -1);
  CHECK(ref::CastValue<bool>(int32_t{-5}));
  CHECK_FALSE(ref::CastValue<bool>(0.f));
  CHECK(ref::CastValue<bool>(kNaN));
  CHECK(ref::CastValue<float>(ref::BoolByte{7}) == 1.f);
  CHECK(ref::CastValue<int32_t>(ref::BoolByte{0}) == 0);
  CHECK(ref::CastValue<float>(int8_t{-128}) == -128.f);
}

TEST_CASE("16-bit floats and complex convert through float", "[runtime][kernels][cast]") {
  CHECK(ref::CastValue<ref::Half>(1.5f).bits == 0x3e00);
  CHECK(ref::CastValue<float>(ref::Half{0xc000}) == -2.f);
  CHECK(ref::CastValue<int32_t>(ref::Half{0x7c00}) == std::numeric_limits<int32_t>::max());
  CHECK(ref::CastValue<ref::BFloat16>(1.f).bits == 0x3f80);
  // 1 + 2^-8 is halfway between two bfloat16 values: ties to even (down to 1.0).
  CHECK(ref::CastValue<ref::BFloat16>(1.00390625f).bits == 0x3f80);
  CHECK(ref::CastValue<ref::BFloat16>(1.01171875f).bits == 0x3f82);
  CHECK(std::isnan(ref::CastValue<float>(ref::CastValue<ref::BFloat16>(kNaN))));
  CHECK(ref::CastValue<float>(std::complex<float>(2.5f, -1.f)) == 2.5f);
  CHECK(ref::CastValue<std::complex<float>>(int32_t{3}) == std::complex<float>(3.f, 0.f));
}

TEST_CASE("Packed INT4 and INT2 convert to and from float", "[runtime][kernels][cast]") {
  const uint8_t int4[2] = {0x8f, 0x07};  // elements -1, -8, 7 (low nibble first)
  float out[3];
  ref::UnpackToFloat(int4, out, 3, 4, true);
  CHECK(std::vector<float>(out, out + 3) == std::vector<float>{-1.f, -8.f, 7.f});
  ref::UnpackToFloat(int4, out, 3, 4, false);
  CHECK(std::vector<float>(out, out + 3) == std::vector<float>{15.f, 8.f, 7.f});
  const float in[5] = {-1.7f, 100.f, kNaN, -100.f, 0.5f};
  uint8_t packed[3];
  ref::PackFromFloat(in, packed, 5, 4, -8, 7);
  CHECK(packed[0] == 0x7f);              // -1, 7
  CHECK(packed[1] == 0x87);              // 7 (NaN), -8
  CHECK(packed[2] == 0x00);              // 0
  const uint8_t int2[1] = {0b11100100};  // 0, 1, -2, -1
  float out2[4];
  ref::UnpackToFloat(int2, out2, 4, 2, true);
  CHECK(std::vector<float>(out2, out2 + 4) == std::vector<float>{0.f, 1.f, -2.f, -1.f});
}

TEST_CASE("CAST runs float32 to int32 and bool to float32", "[runtime][kernels][cast]") {
  SECTION("float32 -> int32") {
    SingleOpModel m(schema::BuiltinOperator::CAST);
    const int in = m.AddInput(DataType::kFloat32, {4});
    const int out = m.AddOutput(DataType::kInt32, {4});
    REQUIRE(m.Build().ok());
    m.SetInput<float>(in, {1.9f, -1.9f, kNaN, 1e20f});
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<int32_t>(out) == std::vector<int32_t>{1, -1, std::numeric_limits<int32_t>::max(),
                                                         std::numeric_limits<int32_t>::max()});
  }
  SECTION("bool -> float32") {
    SingleOpModel m(schema::BuiltinOperator::CAST);
    const int in = m.AddInput(DataType::kBool, {3});
    const int out = m.AddOutput(DataType::kFloat32, {3});
    REQUIRE(m.Build().ok());
    m.SetInput<uint8_t>(in, {0, 1, 2});
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<float>(out) == std::vector<float>{0.f, 1.f, 1.f});
  }
  SECTION("string is rejected in Prepare") {
    SingleOpModel m(schema::BuiltinOperator::CAST);
    m.AddInput(DataType::kFloat32, {3});
    m.AddOutput(DataType::kString, {3});
    CHECK_FALSE(m.Build().ok());
  }
}
