#include "runtime/kernels/reference/arg_min_max.h"

#include <catch2/catch.hpp>

#include <vector>

#include "tests/runtime/kernels/single_op_model.h"

namespace ls = litescope::runtime;
namespace reference = litescope::runtime::reference;

TEST_CASE("ArgMinMax returns the first extreme index along the axis", "[runtime][kernels]") {
  const std::vector<int8_t> in = {3, -1, -1, 7, 7, 0};  // [[3, -1, -1], [7, 7, 0]]
  std::vector<int32_t> out(2);
  reference::ArgMinMax(ls::Shape({2, 3}), 1, /*is_max=*/false, in.data(), out.data());
  CHECK(out == std::vector<int32_t>{1, 2});
  reference::ArgMinMax(ls::Shape({2, 3}), 1, /*is_max=*/true, in.data(), out.data());
  CHECK(out == std::vector<int32_t>{0, 0});
  std::vector<int64_t> cols(3);
  reference::ArgMinMax(ls::Shape({2, 3}), 0, /*is_max=*/false, in.data(), cols.data());
  CHECK(cols == std::vector<int64_t>{0, 0, 0});
}

TEST_CASE("ARG_MIN writes INT64 indices along axis 0", "[runtime][kernels]") {
  namespace schema = litescope::schema;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::ARG_MIN);
  const int in = m.AddInput(ls::DataType::kFloat32, {3, 2});
  m.AddConstInput<int32_t>(ls::DataType::kInt32, {1}, {0});
  const int out = m.AddOutput(ls::DataType::kInt64, {2});
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {0.5f, 2.f, -1.f, 3.f, -1.f, 1.f});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<int64_t>(out) == std::vector<int64_t>{1, 2});
}
