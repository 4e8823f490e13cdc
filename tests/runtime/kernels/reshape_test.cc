#include <catch2/catch.hpp>

#include <vector>

#include "runtime/kernels/reference/tile.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace ls = litescope::runtime;
namespace reference = litescope::runtime::reference;

TEST_CASE("RESHAPE with a shape computed at run time resizes its output in Eval",
          "[runtime][kernels]") {
  namespace schema = litescope::schema;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::RESHAPE);
  const int in = m.AddInput(ls::DataType::kFloat32, {2, 3});
  const int shape = m.AddInput(ls::DataType::kInt32, {2});
  const int out = m.AddOutput(ls::DataType::kFloat32, {3, 2});
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {1, 2, 3, 4, 5, 6});
  m.SetInput<int32_t>(shape, {-1, 2});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{3, 2});
  CHECK(m.Output<float>(out) == std::vector<float>{1, 2, 3, 4, 5, 6});
  m.SetInput<int32_t>(shape, {6, -1});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{6, 1});
  m.SetInput<int32_t>(shape, {4, -1});
  const litescope::Status s = m.Invoke();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("RESHAPE") != std::string::npos);
}

TEST_CASE("BroadcastTo repeats size-1 and missing leading dimensions", "[runtime][kernels]") {
  const std::vector<int> row = {1, 2, 3};
  std::vector<int> out(6);
  reference::BroadcastTo(ls::Shape({3}), row.data(), ls::Shape({2, 3}), out.data());
  CHECK(out == std::vector<int>{1, 2, 3, 1, 2, 3});
  const std::vector<int> col = {1, 2};
  reference::BroadcastTo(ls::Shape({2, 1}), col.data(), ls::Shape({2, 3}), out.data());
  CHECK(out == std::vector<int>{1, 1, 1, 2, 2, 2});
}

TEST_CASE("Tile repeats each dimension", "[runtime][kernels]") {
  const std::vector<int> in = {1, 2, 3, 4};  // [[1, 2], [3, 4]]
  std::vector<int> out(12);
  reference::Tile(ls::Shape({2, 2}), {3, 1}, in.data(), out.data());
  CHECK(out == std::vector<int>{1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4});
  reference::Tile(ls::Shape({2, 2}), {1, 3}, in.data(), out.data());
  CHECK(out == std::vector<int>{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4});
}
