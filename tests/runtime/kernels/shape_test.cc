#include <catch2/catch.hpp>

#include <vector>

#include "tests/runtime/kernels/single_op_model.h"

namespace ls = litescope::runtime;

TEST_CASE("SHAPE writes the input's dimensions as INT32 or INT64", "[runtime][kernels]") {
  namespace schema = litescope::schema;
  SECTION("INT32") {
    litescope::testing::SingleOpModel m(schema::BuiltinOperator::SHAPE);
    m.AddInput(ls::DataType::kInt8, {2, 3, 5});
    const int out = m.AddOutput(ls::DataType::kInt32, {3});
    REQUIRE(m.Build().ok());
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<int32_t>(out) == std::vector<int32_t>{2, 3, 5});
  }
  SECTION("INT64") {
    litescope::testing::SingleOpModel m(schema::BuiltinOperator::SHAPE);
    m.AddInput(ls::DataType::kFloat32, {4, 1});
    const int out = m.AddOutput(ls::DataType::kInt64, {2});
    REQUIRE(m.Build().ok());
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<int64_t>(out) == std::vector<int64_t>{4, 1});
  }
}
