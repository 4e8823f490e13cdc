#include <catch2/catch.hpp>

#include <vector>

#include "runtime/kernels/reference/gather.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace ls = litescope::runtime;
namespace reference = litescope::runtime::reference;

TEST_CASE("GatherNd selects elements or slices by index tuples", "[runtime][kernels]") {
  const std::vector<int> params = {1, 2, 3, 4, 5, 6};  // [[1, 2], [3, 4], [5, 6]]
  SECTION("full tuples select elements") {
    const std::vector<int32_t> idx = {1, 0, 2, 1};  // [[1, 0], [2, 1]]
    std::vector<int> out(2);
    CHECK(reference::GatherNd(ls::Shape({3, 2}), params.data(), ls::Shape({2, 2}), idx.data(),
                              out.data()) == -1);
    CHECK(out == std::vector<int>{3, 6});
  }
  SECTION("short tuples select rows") {
    const std::vector<int64_t> idx = {2, 0};  // [[2], [0]]
    std::vector<int> out(4);
    CHECK(reference::GatherNd(ls::Shape({3, 2}), params.data(), ls::Shape({2, 1}), idx.data(),
                              out.data()) == -1);
    CHECK(out == std::vector<int>{5, 6, 1, 2});
  }
  SECTION("an out-of-range component is reported by position") {
    const std::vector<int32_t> idx = {0, 1, 0, 2};  // second tuple has column 2 of 2
    std::vector<int> out(2, -7);
    CHECK(reference::GatherNd(ls::Shape({3, 2}), params.data(), ls::Shape({2, 2}), idx.data(),
                              out.data()) == 3);
    CHECK(out == std::vector<int>{-7, -7});
  }
}

TEST_CASE("Gather with batch_dims gathers within each batch", "[runtime][kernels]") {
  // params [2, 3]: batch 0 = {10, 11, 12}, batch 1 = {20, 21, 22}; indices [2, 2].
  const std::vector<int> params = {10, 11, 12, 20, 21, 22};
  const std::vector<int32_t> idx = {2, 0, 1, 1};
  std::vector<int> out(4);
  CHECK(reference::Gather(ls::Shape({2, 3}), params.data(), 1, 1, ls::Shape({2, 2}), idx.data(),
                          out.data()) == -1);
  CHECK(out == std::vector<int>{12, 10, 21, 21});
  const std::vector<int32_t> negative = {0, -1, 0, 0};
  CHECK(reference::Gather(ls::Shape({2, 3}), params.data(), 1, 1, ls::Shape({2, 2}),
                          negative.data(), out.data()) == 1);
}

TEST_CASE("GATHER_ND fails with a one-line error on a bad index", "[runtime][kernels]") {
  namespace schema = litescope::schema;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::GATHER_ND);
  m.AddConstInput<float>(ls::DataType::kFloat32, {2, 2}, {1.f, 2.f, 3.f, 4.f});
  const int idx = m.AddInput(ls::DataType::kInt32, {1, 2});
  const int out = m.AddOutput(ls::DataType::kFloat32, {1});
  REQUIRE(m.Build().ok());
  m.SetInput<int32_t>(idx, {1, 1});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<float>(out) == std::vector<float>{4.f});
  m.SetInput<int32_t>(idx, {2, 0});
  const litescope::Status s = m.Invoke();
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("GATHER_ND") != std::string::npos);
  CHECK(s.message().find("out of range") != std::string::npos);
  CHECK(s.message().find('\n') == std::string::npos);
}
