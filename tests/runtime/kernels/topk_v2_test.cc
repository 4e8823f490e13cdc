#include "runtime/kernels/reference/topk.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "tests/runtime/kernels/single_op_model.h"

namespace ls = litescope::runtime;
namespace reference = litescope::runtime::reference;

TEST_CASE("TopK sorts descending and keeps equal values in index order", "[runtime][kernels]") {
  SECTION("ties") {
    const std::vector<int> in = {1, 3, 3, 2, 5, 5, 5, 0};  // two rows of 4
    std::vector<int> values(6);
    std::vector<int32_t> indices(6);
    reference::TopK(in.data(), 2, 4, 3, values.data(), indices.data());
    CHECK(values == std::vector<int>{3, 3, 2, 5, 5, 5});
    CHECK(indices == std::vector<int32_t>{1, 2, 3, 0, 1, 2});
  }
  SECTION("NaN ranks above every number") {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const std::vector<float> in = {1.f, nan, 2.f};
    std::vector<float> values(2);
    std::vector<int64_t> indices(2);
    reference::TopK(in.data(), 1, 3, 2, values.data(), indices.data());
    CHECK(std::isnan(values[0]));
    CHECK(values[1] == 2.f);
    CHECK(indices == std::vector<int64_t>{1, 2});
  }
}

TEST_CASE("TOPK_V2 returns values and INT32 indices per row", "[runtime][kernels]") {
  namespace schema = litescope::schema;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::TOPK_V2);
  const int in = m.AddInput(ls::DataType::kFloat32, {2, 4});
  m.AddConstInput<int32_t>(ls::DataType::kInt32, {}, {2});
  const int values = m.AddOutput(ls::DataType::kFloat32, {2, 2});
  const int indices = m.AddOutput(ls::DataType::kInt32, {2, 2});
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {0.5f, -1.f, 4.f, 2.f, 7.f, 7.f, -3.f, 8.f});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<float>(values) == std::vector<float>{4.f, 2.f, 8.f, 7.f});
  CHECK(m.Output<int32_t>(indices) == std::vector<int32_t>{2, 3, 3, 0});
}
