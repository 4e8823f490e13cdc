#include "runtime/kernels/reference/strided_slice.h"

#include <catch2/catch.hpp>

#include <numeric>
#include <string>
#include <vector>

#include "tests/runtime/kernels/single_op_model.h"

namespace {

namespace ls = litescope::runtime;
namespace reference = litescope::runtime::reference;

std::vector<int> Iota(int n) {
  std::vector<int> v(static_cast<size_t>(n));
  std::iota(v.begin(), v.end(), 0);
  return v;
}

// Plans and runs a strided slice of an iota tensor; fails the test when planning fails.
std::vector<int> Slice(const ls::Shape& in, const reference::StridedSliceParams& p,
                       ls::Shape* out_shape) {
  reference::SlicePlan plan;
  std::string error;
  REQUIRE(reference::PlanStridedSlice(in, p, &plan, &error));
  *out_shape = plan.output;
  const std::vector<int> input = Iota(static_cast<int>(in.FlatSize()));
  std::vector<int> out(static_cast<size_t>(plan.output.FlatSize()));
  reference::StridedSlice(plan, input.data(), out.data());
  return out;
}

reference::StridedSliceParams Params(std::vector<int64_t> begin, std::vector<int64_t> end,
                                     std::vector<int64_t> strides) {
  reference::StridedSliceParams p;
  p.begin = std::move(begin);
  p.end = std::move(end);
  p.strides = std::move(strides);
  return p;
}

}  // namespace

TEST_CASE("StridedSlice follows TFLite's begin/end/mask rules", "[runtime][kernels]") {
  ls::Shape out;
  SECTION("negative stride with end_mask reverses a vector") {
    auto p = Params({-1}, {0}, {-1});
    p.end_mask = 1;
    CHECK(Slice(ls::Shape({5}), p, &out) == std::vector<int>{4, 3, 2, 1, 0});
    CHECK(out == ls::Shape({5}));
  }
  SECTION("begin and end clamp to the dimension") {
    CHECK(Slice(ls::Shape({5}), Params({-100}, {100}, {2}), &out) == std::vector<int>{0, 2, 4});
  }
  SECTION("shrink_axis drops the dimension and reads the element at begin") {
    // x of shape [2, 3]: x[-1, :] = [3, 4, 5]
    auto p = Params({-1, 0}, {0, 0}, {1, 1});
    p.shrink_axis_mask = 1;
    p.end_mask = 2;
    CHECK(Slice(ls::Shape({2, 3}), p, &out) == std::vector<int>{3, 4, 5});
    CHECK(out == ls::Shape({3}));
  }
  SECTION("an ellipsis covers the leading dimensions") {
    // x of shape [2, 3, 4]: x[..., 1:3] keeps [2, 3] and slices the last dimension.
    auto p = Params({0, 1}, {0, 3}, {1, 1});
    p.ellipsis_mask = 1;
    const std::vector<int> got = Slice(ls::Shape({2, 3, 4}), p, &out);
    CHECK(out == ls::Shape({2, 3, 2}));
    std::vector<int> want;
    for (int r = 0; r < 6; ++r) {
      want.push_back(r * 4 + 1);
      want.push_back(r * 4 + 2);
    }
    CHECK(got == want);
  }
  SECTION("new_axis inserts a dimension of size 1") {
    // x of shape [2, 3]: x[None, :, 1]
    auto p = Params({0, 0, 1}, {0, 0, 2}, {1, 1, 1});
    p.new_axis_mask = 1;
    p.begin_mask = 2;
    p.end_mask = 2;
    p.shrink_axis_mask = 4;
    CHECK(Slice(ls::Shape({2, 3}), p, &out) == std::vector<int>{1, 4});
    CHECK(out == ls::Shape({1, 2}));
  }
  SECTION("offset makes end a size counted from begin") {
    auto p = Params({1}, {3}, {1});
    p.offset = true;
    CHECK(Slice(ls::Shape({6}), p, &out) == std::vector<int>{1, 2, 3});
  }
  SECTION("missing trailing entries take whole dimensions") {
    CHECK(Slice(ls::Shape({2, 2}), Params({1}, {2}, {1}), &out) == std::vector<int>{2, 3});
    CHECK(out == ls::Shape({1, 2}));
  }
}

TEST_CASE("StridedSlice rejects invalid parameters with a reason", "[runtime][kernels]") {
  reference::SlicePlan plan;
  std::string error;
  SECTION("zero stride") {
    CHECK_FALSE(reference::PlanStridedSlice(ls::Shape({4}), Params({0}, {4}, {0}), &plan, &error));
    CHECK(error.find("is 0") != std::string::npos);
  }
  SECTION("shrink index outside the dimension") {
    auto p = Params({7}, {8}, {1});
    p.shrink_axis_mask = 1;
    CHECK_FALSE(reference::PlanStridedSlice(ls::Shape({4}), p, &plan, &error));
    CHECK(error.find("out of range") != std::string::npos);
  }
  SECTION("more entries than dimensions") {
    auto p = Params({0, 0, 0}, {1, 1, 1}, {1, 1, 1});
    p.new_axis_mask = 4;  // a new axis beyond the input cannot be placed
    CHECK_FALSE(reference::PlanStridedSlice(ls::Shape({2}), p, &plan, &error));
  }
}

TEST_CASE("Slice takes size -1 as 'to the end' and checks bounds", "[runtime][kernels]") {
  reference::SlicePlan plan;
  std::string error;
  REQUIRE(reference::PlanSlice(ls::Shape({3, 4}), {1, 1}, {-1, 2}, &plan, &error));
  CHECK(plan.output == ls::Shape({2, 2}));
  const std::vector<int> input = Iota(12);
  std::vector<int> out(4);
  reference::StridedSlice(plan, input.data(), out.data());
  CHECK(out == std::vector<int>{5, 6, 9, 10});
  CHECK_FALSE(reference::PlanSlice(ls::Shape({3, 4}), {2, 0}, {2, 1}, &plan, &error));
  CHECK_FALSE(reference::PlanSlice(ls::Shape({3, 4}), {-1, 0}, {1, 1}, &plan, &error));
}

TEST_CASE("STRIDED_SLICE with a non-constant begin sizes its output in Eval",
          "[runtime][kernels]") {
  namespace schema = litescope::schema;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::STRIDED_SLICE);
  const int in = m.AddInput(ls::DataType::kFloat32, {6});
  const int begin = m.AddInput(ls::DataType::kInt32, {1});
  m.AddConstInput<int32_t>(ls::DataType::kInt32, {1}, {6});
  m.AddConstInput<int32_t>(ls::DataType::kInt32, {1}, {2});
  const int out = m.AddOutput(ls::DataType::kFloat32, {3});
  m.SetOptions([](flatbuffers::FlatBufferBuilder& fbb) {
    return std::make_pair(schema::BuiltinOptions::StridedSliceOptions,
                          schema::CreateStridedSliceOptions(fbb).Union());
  });
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {0, 1, 2, 3, 4, 5});
  m.SetInput<int32_t>(begin, {1});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{3});
  CHECK(m.Output<float>(out) == std::vector<float>{1, 3, 5});
  m.SetInput<int32_t>(begin, {4});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<float>(out) == std::vector<float>{4});
}
