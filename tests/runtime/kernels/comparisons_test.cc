#include "runtime/kernels/reference/comparisons.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>
#include <vector>

#include "runtime/kernels/reference/broadcast.h"
#include "runtime/kernels/reference/select.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {

using litescope::runtime::DataType;
using litescope::runtime::Shape;
using litescope::testing::SingleOpModel;
namespace ref = litescope::runtime::reference;
namespace schema = litescope::runtime::schema;

// Bool outputs read back as bytes.
std::vector<uint8_t> Bools(std::initializer_list<int> v) {
  return std::vector<uint8_t>(v.begin(), v.end());
}

}  // namespace

TEST_CASE("Comparisons broadcast and return bools", "[runtime][kernels][comparisons]") {
  const std::vector<float> a = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f};  // [2, 3]
  const std::vector<float> b = {2.f, 5.f};                      // [2, 1]
  bool out[6];
  REQUIRE(ref::BroadcastBinary(Shape{2, 3}, a.data(), Shape{2, 1}, b.data(), Shape{2, 3}, out,
                               ref::LessOp{}));
  CHECK(std::vector<bool>(out, out + 6) ==
        std::vector<bool>{true, false, false, true, false, false});
  REQUIRE(ref::BroadcastBinary(Shape{2, 3}, a.data(), Shape{2, 1}, b.data(), Shape{2, 3}, out,
                               ref::GreaterEqualOp{}));
  CHECK(std::vector<bool>(out, out + 6) == std::vector<bool>{false, true, true, false, true, true});
  const float nan = std::numeric_limits<float>::quiet_NaN();
  CHECK_FALSE(ref::EqualOp{}(nan, nan));
  CHECK(ref::NotEqualOp{}(nan, nan));
}

TEST_CASE("Bool bytes other than 0 and 1 read as true", "[runtime][kernels][comparisons]") {
  CHECK(ref::BoolEqualOp{}(uint8_t{2}, uint8_t{1}));
  CHECK(ref::LogicalAndOp{}(uint8_t{7}, uint8_t{1}));
  CHECK_FALSE(ref::LogicalOrOp{}(uint8_t{0}, uint8_t{0}));
  const uint8_t in[3] = {0, 1, 9};
  bool out[3];
  ref::LogicalNot(in, out, 3);
  CHECK(out[0]);
  CHECK_FALSE(out[1]);
  CHECK_FALSE(out[2]);
}

TEST_CASE("EQUAL on bools and LOGICAL_OR through the interpreter",
          "[runtime][kernels][comparisons]") {
  SECTION("EQUAL bool") {
    SingleOpModel m(schema::BuiltinOperator::EQUAL);
    const int a = m.AddInput(DataType::kBool, {4});
    const int b = m.AddInput(DataType::kBool, {1});
    const int out = m.AddOutput(DataType::kBool, {4});
    REQUIRE(m.Build().ok());
    m.SetInput<uint8_t>(a, {0, 1, 0, 1});
    m.SetInput<uint8_t>(b, {1});
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<uint8_t>(out) == Bools({0, 1, 0, 1}));
  }
  SECTION("LOGICAL_OR broadcast") {
    SingleOpModel m(schema::BuiltinOperator::LOGICAL_OR);
    const int a = m.AddInput(DataType::kBool, {2, 1});
    const int b = m.AddInput(DataType::kBool, {2});
    const int out = m.AddOutput(DataType::kBool, {2, 2});
    REQUIRE(m.Build().ok());
    m.SetInput<uint8_t>(a, {0, 1});
    m.SetInput<uint8_t>(b, {0, 1});
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<uint8_t>(out) == Bools({0, 1, 1, 1}));
  }
  SECTION("LESS needs a BOOL output") {
    SingleOpModel m(schema::BuiltinOperator::LESS);
    m.AddInput(DataType::kFloat32, {2});
    m.AddInput(DataType::kFloat32, {2});
    m.AddOutput(DataType::kFloat32, {2});
    const litescope::Status s = m.Build();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("expected BOOL") != std::string::npos);
  }
}

TEST_CASE("SelectSpan picks x or y", "[runtime][kernels][select]") {
  const uint8_t c[4] = {1, 0, 0, 3};
  const int x[4] = {1, 2, 3, 4};
  const int y[4] = {-1, -2, -3, -4};
  int out[4];
  ref::SelectSpan(c, 1, x, 1, y, 1, out, 4);
  CHECK(std::vector<int>(out, out + 4) == std::vector<int>{1, -2, -3, 4});
  ref::SelectSpan(c + 1, 0, x, 1, y, 1, out, 4);
  CHECK(std::vector<int>(out, out + 4) == std::vector<int>{-1, -2, -3, -4});
  ref::SelectSpan(c, 1, x, 0, y, 1, out, 4);
  CHECK(std::vector<int>(out, out + 4) == std::vector<int>{1, -2, -3, 1});
}

TEST_CASE("SELECT and SELECT_V2 through the interpreter", "[runtime][kernels][select]") {
  SECTION("SELECT with a rank-1 condition picks rows") {
    SingleOpModel m(schema::BuiltinOperator::SELECT);
    const int c = m.AddInput(DataType::kBool, {2});
    const int x = m.AddInput(DataType::kFloat32, {2, 2});
    const int y = m.AddInput(DataType::kFloat32, {2, 2});
    const int out = m.AddOutput(DataType::kFloat32, {2, 2});
    REQUIRE(m.Build().ok());
    m.SetInput<uint8_t>(c, {0, 1});
    m.SetInput<float>(x, {1, 2, 3, 4});
    m.SetInput<float>(y, {5, 6, 7, 8});
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<float>(out) == std::vector<float>{5, 6, 3, 4});
  }
  SECTION("SELECT rejects a condition of another shape") {
    SingleOpModel m(schema::BuiltinOperator::SELECT);
    m.AddInput(DataType::kBool, {3});
    m.AddInput(DataType::kFloat32, {2, 2});
    m.AddInput(DataType::kFloat32, {2, 2});
    m.AddOutput(DataType::kFloat32, {2, 2});
    CHECK_FALSE(m.Build().ok());
  }
  SECTION("SELECT_V2 broadcasts all three inputs") {
    SingleOpModel m(schema::BuiltinOperator::SELECT_V2);
    const int c = m.AddInput(DataType::kBool, {2, 1});
    const int x = m.AddInput(DataType::kInt32, {1, 3});
    m.AddConstInput<int32_t>(DataType::kInt32, {}, {-1});
    const int out = m.AddOutput(DataType::kInt32, {2, 3});
    REQUIRE(m.Build().ok());
    m.SetInput<uint8_t>(c, {1, 0});
    m.SetInput<int32_t>(x, {7, 8, 9});
    REQUIRE(m.Invoke().ok());
    CHECK(m.OutputShape(out) == std::vector<int32_t>{2, 3});
    CHECK(m.Output<int32_t>(out) == std::vector<int32_t>{7, 8, 9, -1, -1, -1});
  }
}
