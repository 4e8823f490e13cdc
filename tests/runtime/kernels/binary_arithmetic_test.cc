#include "runtime/kernels/reference/binary_arithmetic.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "runtime/kernels/reference/broadcast.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {

using litescope::runtime::DataType;
using litescope::runtime::Shape;
using litescope::testing::SingleOpModel;
namespace ref = litescope::runtime::reference;
namespace schema = litescope::runtime::schema;

constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();

}  // namespace

TEST_CASE("FloorDiv rounds toward negative infinity", "[runtime][kernels][binary_arithmetic]") {
  const ref::FloorDivOp op;
  SECTION("int32") {
    CHECK(op(7, 2) == 3);
    CHECK(op(-7, 2) == -4);
    CHECK(op(7, -2) == -4);
    CHECK(op(-7, -2) == 3);
    CHECK(op(-6, 3) == -2);
    CHECK(op(0, -5) == 0);
    CHECK(op(kMin32, -1) == kMin32);  // wraps, no overflow trap
    CHECK(op(kMin32, 1) == kMin32);
  }
  SECTION("int8") {
    CHECK(op(int8_t{-128}, int8_t{-1}) == int8_t{-128});
    CHECK(op(int8_t{-127}, int8_t{2}) == int8_t{-64});
  }
  SECTION("float32 divides in double") {
    CHECK(op(7.f, 2.f) == 3.f);
    CHECK(op(-7.f, 2.f) == -4.f);
    CHECK(op(-0.5f, 4.f) == -1.f);
    CHECK(std::isinf(op(1.f, 0.f)));
  }
}

TEST_CASE("FloorMod takes the divisor's sign", "[runtime][kernels][binary_arithmetic]") {
  const ref::FloorModOp op;
  SECTION("int32") {
    CHECK(op(7, 3) == 1);
    CHECK(op(-7, 3) == 2);
    CHECK(op(7, -3) == -2);
    CHECK(op(-7, -3) == -1);
    CHECK(op(6, -3) == 0);
    CHECK(op(kMin32, -1) == 0);
  }
  SECTION("int64") {
    CHECK(op(int64_t{-10}, int64_t{4}) == 2);
    CHECK(op(std::numeric_limits<int64_t>::min(), int64_t{-1}) == 0);
  }
  SECTION("float32") {
    CHECK(op(7.5f, 2.f) == Approx(1.5f));
    CHECK(op(-7.5f, 2.f) == Approx(0.5f));
    CHECK(op(7.5f, -2.f) == Approx(-0.5f));
    CHECK(std::isnan(op(1.f, 0.f)));
  }
}

TEST_CASE("Integer arithmetic wraps instead of overflowing",
          "[runtime][kernels][binary_arithmetic]") {
  CHECK(ref::AddOp{}(kMax32, 1) == kMin32);
  CHECK(ref::SubOp{}(kMin32, 1) == kMax32);
  CHECK(ref::MulOp{}(kMax32, 2) == -2);
  CHECK(ref::MulOp{}(int16_t{-32768}, int16_t{-32768}) == 0);
  CHECK(ref::DivOp{}(kMin32, -1) == kMin32);
  CHECK(ref::DivOp{}(-7, 2) == -3);  // truncates
  CHECK(ref::SquaredDifferenceOp{}(kMin32, kMax32) == 1);
}

TEST_CASE("Pow of integers follows std::pow", "[runtime][kernels][binary_arithmetic]") {
  const ref::PowOp op;
  CHECK(op(2, 10) == 1024);
  CHECK(op(-3, 3) == -27);
  CHECK(op(0, 0) == 1);
  CHECK(op(-2, 31) == kMin32);
  CHECK(op(2, 31) == kMin32);  // out of range
  CHECK(op(2.f, 0.5f) == Approx(std::sqrt(2.f)));
}

TEST_CASE("Maximum and Minimum treat NaN as TFLite does", "[runtime][kernels][binary_arithmetic]") {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK(ref::MaximumOp{}(nan, 1.f) == 1.f);
  CHECK(std::isnan(ref::MaximumOp{}(1.f, nan)));
  CHECK(ref::MinimumOp{}(nan, 1.f) == 1.f);
  CHECK(ref::MinimumOp{}(-1, 3) == -1);
}

TEST_CASE("ADD broadcasts [2,1,3] with [4,1] and applies RELU6",
          "[runtime][kernels][binary_arithmetic]") {
  SingleOpModel m(schema::BuiltinOperator::ADD);
  const int a = m.AddInput(DataType::kFloat32, {2, 1, 3});
  const int b = m.AddInput(DataType::kFloat32, {4, 1});
  const int out = m.AddOutput(DataType::kFloat32, {2, 4, 3});
  m.SetOptions([](flatbuffers::FlatBufferBuilder& fbb) {
    return std::make_pair(
        schema::BuiltinOptions::AddOptions,
        schema::CreateAddOptions(fbb, schema::ActivationFunctionType::RELU6).Union());
  });
  REQUIRE(m.Build().ok());
  m.SetInput<float>(a, {0, 1, 2, -10, 10, 3});
  m.SetInput<float>(b, {0, 1, 2, 3});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{2, 4, 3});
  const std::vector<float> expected = {0, 1, 2, 1, 2, 3, 2, 3, 4, 3, 4, 5,
                                       0, 6, 3, 0, 6, 4, 0, 6, 5, 0, 6, 6};
  CHECK(m.Output<float>(out) == expected);
}

TEST_CASE("ADD on int32 clamps with RELU", "[runtime][kernels][binary_arithmetic]") {
  SingleOpModel m(schema::BuiltinOperator::ADD);
  const int a = m.AddInput(DataType::kInt32, {4});
  m.AddConstInput<int32_t>(DataType::kInt32, {}, {-5});
  const int out = m.AddOutput(DataType::kInt32, {4});
  m.SetOptions([](flatbuffers::FlatBufferBuilder& fbb) {
    return std::make_pair(
        schema::BuiltinOptions::AddOptions,
        schema::CreateAddOptions(fbb, schema::ActivationFunctionType::RELU).Union());
  });
  REQUIRE(m.Build().ok());
  m.SetInput<int32_t>(a, {0, 4, 6, kMax32});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<int32_t>(out) == std::vector<int32_t>{0, 0, 1, kMax32 - 5});
}

TEST_CASE("Integer division by zero is a one-line error", "[runtime][kernels][binary_arithmetic]") {
  SECTION("FLOOR_DIV with a runtime divisor") {
    SingleOpModel m(schema::BuiltinOperator::FLOOR_DIV);
    const int a = m.AddInput(DataType::kInt32, {3});
    const int b = m.AddInput(DataType::kInt32, {3});
    m.AddOutput(DataType::kInt32, {3});
    REQUIRE(m.Build().ok());
    m.SetInput<int32_t>(a, {1, 2, 3});
    m.SetInput<int32_t>(b, {1, 0, 1});
    const litescope::Status s = m.Invoke();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("FLOOR_DIV") != std::string::npos);
    CHECK(s.message().find("division by zero") != std::string::npos);
    CHECK(s.message().find('\n') == std::string::npos);
  }
  SECTION("DIV with a constant divisor fails in Prepare") {
    SingleOpModel m(schema::BuiltinOperator::DIV);
    m.AddInput(DataType::kInt32, {2});
    m.AddConstInput<int32_t>(DataType::kInt32, {2}, {3, 0});
    m.AddOutput(DataType::kInt32, {2});
    const litescope::Status s = m.Build();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("DIV") != std::string::npos);
  }
  SECTION("FLOOR_MOD of INT_MIN by -1 is 0") {
    SingleOpModel m(schema::BuiltinOperator::FLOOR_MOD);
    const int a = m.AddInput(DataType::kInt32, {2});
    m.AddConstInput<int32_t>(DataType::kInt32, {1}, {-1});
    const int out = m.AddOutput(DataType::kInt32, {2});
    REQUIRE(m.Build().ok());
    m.SetInput<int32_t>(a, {kMin32, 5});
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<int32_t>(out) == std::vector<int32_t>{0, 0});
  }
  SECTION("POW rejects negative integer exponents") {
    SingleOpModel m(schema::BuiltinOperator::POW);
    const int a = m.AddInput(DataType::kInt32, {2});
    const int b = m.AddInput(DataType::kInt32, {2});
    m.AddOutput(DataType::kInt32, {2});
    REQUIRE(m.Build().ok());
    m.SetInput<int32_t>(a, {2, 2});
    m.SetInput<int32_t>(b, {1, -1});
    CHECK_FALSE(m.Invoke().ok());
  }
}

TEST_CASE("Binary kernels reject mismatched types and shapes",
          "[runtime][kernels][binary_arithmetic]") {
  SECTION("input types differ") {
    SingleOpModel m(schema::BuiltinOperator::SUB);
    m.AddInput(DataType::kFloat32, {2});
    m.AddInput(DataType::kInt32, {2});
    m.AddOutput(DataType::kFloat32, {2});
    const litescope::Status s = m.Build();
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == litescope::StatusCode::kUnsupportedType);
  }
  SECTION("shapes do not broadcast") {
    SingleOpModel m(schema::BuiltinOperator::MUL);
    m.AddInput(DataType::kFloat32, {2, 3});
    m.AddInput(DataType::kFloat32, {4, 3});
    m.AddOutput(DataType::kFloat32, {2, 3});
    const litescope::Status s = m.Build();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("does not broadcast") != std::string::npos);
  }
}

TEST_CASE("Binary kernels limit the rank only when broadcasting",
          "[runtime][kernels][binary_arithmetic]") {
  SECTION("same shapes of rank 9") {
    SingleOpModel m(schema::BuiltinOperator::MUL);
    const int a = m.AddInput(DataType::kFloat32, {1, 1, 1, 1, 1, 1, 1, 1, 2});
    const int b = m.AddInput(DataType::kFloat32, {1, 1, 1, 1, 1, 1, 1, 1, 2});
    const int out = m.AddOutput(DataType::kFloat32, {1, 1, 1, 1, 1, 1, 1, 1, 2});
    REQUIRE(m.Build().ok());
    m.SetInput<float>(a, {2.f, 3.f});
    m.SetInput<float>(b, {4.f, 5.f});
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<float>(out) == std::vector<float>{8.f, 15.f});
  }
  SECTION("broadcast to rank 7") {
    SingleOpModel m(schema::BuiltinOperator::MUL);
    m.AddInput(DataType::kFloat32, {1, 1, 1, 1, 1, 2, 2});
    m.AddInput(DataType::kFloat32, {2});
    m.AddOutput(DataType::kFloat32, {1, 1, 1, 1, 1, 2, 2});
    const litescope::Status s = m.Build();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("rank 7") != std::string::npos);
  }
}

TEST_CASE("Binary kernels give the same result on several threads",
          "[runtime][kernels][binary_arithmetic]") {
  const int n = 1 << 18;
  std::vector<float> a(n), b(64);
  for (int i = 0; i < n; ++i) a[static_cast<size_t>(i)] = static_cast<float>(i % 1000) * 0.5f;
  for (int i = 0; i < 64; ++i) b[static_cast<size_t>(i)] = static_cast<float>(i) - 32.f;
  std::vector<float> results[2];
  for (int threads : {1, 4}) {
    SingleOpModel m(schema::BuiltinOperator::SQUARED_DIFFERENCE);
    const int ia = m.AddInput(DataType::kFloat32, {n / 64, 64});
    const int ib = m.AddInput(DataType::kFloat32, {64});
    const int out = m.AddOutput(DataType::kFloat32, {n / 64, 64});
    REQUIRE(m.Build(threads).ok());
    m.SetInput<float>(ia, a);
    m.SetInput<float>(ib, b);
    REQUIRE(m.Invoke().ok());
    results[threads == 1 ? 0 : 1] = m.Output<float>(out);
  }
  CHECK(results[0] == results[1]);
  CHECK(results[0][65] == (a[65] - b[1]) * (a[65] - b[1]));
}
