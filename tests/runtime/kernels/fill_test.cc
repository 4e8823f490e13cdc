#include "runtime/kernels/reference/fill.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "runtime/schema/tflite_schema_generated.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {

using litescope::runtime::DataType;
using litescope::testing::SingleOpModel;
namespace schema = litescope::runtime::schema;

}  // namespace

TEST_CASE("FILL with constant dims sizes its output in Prepare", "[runtime][kernels][fill]") {
  SingleOpModel m(schema::BuiltinOperator::FILL);
  m.AddConstInput<int32_t>(DataType::kInt32, {2}, {2, 3});
  const int value = m.AddInput(DataType::kFloat32, {});
  const int out = m.AddOutput(DataType::kFloat32, {2, 3});
  REQUIRE(m.Build().ok());
  m.SetInput<float>(value, {2.5f});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{2, 3});
  CHECK(m.Output<float>(out) == std::vector<float>(6, 2.5f));
}

TEST_CASE("FILL with runtime dims makes a dynamic output", "[runtime][kernels][fill]") {
  SingleOpModel m(schema::BuiltinOperator::FILL);
  const int dims = m.AddInput(DataType::kInt64, {3});
  m.AddConstInput<int32_t>(DataType::kInt32, {}, {7});
  const int out = m.AddOutput(DataType::kInt32, {});
  REQUIRE(m.Build().ok());
  m.SetInput<int64_t>(dims, {2, 1, 2});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{2, 1, 2});
  CHECK(m.Output<int32_t>(out) == std::vector<int32_t>(4, 7));

  SECTION("a negative dimension is an error") {
    m.SetInput<int64_t>(dims, {2, -1, 2});
    const litescope::Status s = m.Invoke();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("FILL") != std::string::npos);
  }
}

TEST_CASE("ZEROS_LIKE zeroes an output of the input's shape", "[runtime][kernels][fill]") {
  SingleOpModel m(schema::BuiltinOperator::ZEROS_LIKE);
  const int in = m.AddInput(DataType::kInt64, {2, 2});
  const int out = m.AddOutput(DataType::kInt64, {2, 2});
  REQUIRE(m.Build().ok());
  m.SetInput<int64_t>(in, {1, 2, 3, 4});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<int64_t>(out) == std::vector<int64_t>(4, 0));
}
