#include "runtime/kernels/reference/unary_math.h"

#include <catch2/catch.hpp>

#include <cmath>
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

}  // namespace

TEST_CASE("Round rounds half to even", "[runtime][kernels][unary_math]") {
  const ref::RoundOp round;
  CHECK(round(0.5f) == 0.f);
  CHECK(round(1.5f) == 2.f);
  CHECK(round(2.5f) == 2.f);
  CHECK(round(-0.5f) == 0.f);
  CHECK(round(-1.5f) == -2.f);
  CHECK(round(-2.5f) == -2.f);
  CHECK(round(2.4f) == 2.f);
  CHECK(round(2.6f) == 3.f);
  CHECK(round(-2.6f) == -3.f);
  CHECK(round(8388609.f) == 8388609.f);  // above 2^23 every float is an integer
  CHECK(std::isnan(round(std::numeric_limits<float>::quiet_NaN())));
  CHECK(std::isinf(round(std::numeric_limits<float>::infinity())));
}

TEST_CASE("Sign, Abs and Neg", "[runtime][kernels][unary_math]") {
  CHECK(ref::SignOp{}(-3.5f) == -1.f);
  CHECK(ref::SignOp{}(0.f) == 0.f);
  CHECK(ref::SignOp{}(2) == 1);
  CHECK(ref::SignOp{}(std::numeric_limits<float>::quiet_NaN()) == 0.f);
  const int32_t min32 = std::numeric_limits<int32_t>::min();
  CHECK(ref::AbsOp{}(-7) == 7);
  CHECK(ref::AbsOp{}(min32) == min32);  // wraps, as TFLite's int32 ABS does in practice
  CHECK(ref::AbsOp{}(int16_t{-32768}) == int16_t{-32768});
  CHECK(ref::AbsOp{}(-2.5f) == 2.5f);
  CHECK(ref::NegOp{}(min32) == min32);
  CHECK(ref::NegOp{}(int64_t{5}) == -5);
}

TEST_CASE("Float unary ops", "[runtime][kernels][unary_math]") {
  CHECK(ref::RsqrtOp{}(4.f) == 0.5f);
  CHECK(ref::SquareOp{}(-3.f) == 9.f);
  CHECK(ref::FloorOp{}(-1.5f) == -2.f);
  CHECK(ref::CeilOp{}(-1.5f) == -1.f);
  CHECK(ref::SinOp{}(0.f) == 0.f);
  CHECK(ref::CosOp{}(0.f) == 1.f);
  CHECK(std::isnan(ref::LogOp{}(-1.f)));
}

TEST_CASE("ROUND and SIGN run through the interpreter", "[runtime][kernels][unary_math]") {
  SECTION("ROUND") {
    SingleOpModel m(schema::BuiltinOperator::ROUND);
    const int in = m.AddInput(DataType::kFloat32, {6});
    const int out = m.AddOutput(DataType::kFloat32, {6});
    REQUIRE(m.Build().ok());
    m.SetInput<float>(in, {0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 3.7f});
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<float>(out) == std::vector<float>{0.f, 2.f, 2.f, 0.f, -2.f, 4.f});
  }
  SECTION("SIGN on int32") {
    SingleOpModel m(schema::BuiltinOperator::SIGN);
    const int in = m.AddInput(DataType::kInt32, {3});
    const int out = m.AddOutput(DataType::kInt32, {3});
    REQUIRE(m.Build().ok());
    m.SetInput<int32_t>(in, {-9, 0, 4});
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<int32_t>(out) == std::vector<int32_t>{-1, 0, 1});
  }
  SECTION("EXP rejects int32 in Prepare") {
    SingleOpModel m(schema::BuiltinOperator::EXP);
    m.AddInput(DataType::kInt32, {3});
    m.AddOutput(DataType::kInt32, {3});
    const litescope::Status s = m.Build();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("EXP") != std::string::npos);
    CHECK(s.message().find("expected FLOAT32") != std::string::npos);
  }
}
