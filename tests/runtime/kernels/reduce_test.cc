#include "runtime/kernels/reference/reduce.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/shape.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {
using litescope::runtime::Shape;
namespace reference = litescope::runtime::reference;
using reference::ReduceKind;

// [2, 3, 2] tensor holding 1..12.
const Shape kShape{2, 3, 2};
const std::vector<float> kValues = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

std::vector<bool> Axes(std::vector<int64_t> axes, int rank = 3) {
  std::vector<bool> reduced;
  int64_t bad = -1;
  REQUIRE(
      reference::ResolveAxes(rank, axes.data(), static_cast<int64_t>(axes.size()), &reduced, &bad));
  return reduced;
}

template <ReduceKind kKind>
std::vector<float> Reduce(const std::vector<bool>& reduced) {
  std::vector<float> out(
      static_cast<size_t>(reference::ReducedShape(kShape, reduced, false).FlatSize()));
  reference::ReduceInto<float, kKind>(kShape, kValues.data(), reduced, out.data());
  return out;
}
}  // namespace

TEST_CASE("ResolveAxes accepts negative and duplicate axes", "[runtime][kernels][reduce]") {
  CHECK(Axes({-1, 2, 0}) == std::vector<bool>{true, false, true});
  CHECK(Axes({}) == std::vector<bool>{false, false, false});
  std::vector<bool> reduced;
  int64_t bad = -1;
  const int64_t axes[] = {1, 3};
  CHECK_FALSE(reference::ResolveAxes(3, axes, 2, &reduced, &bad));
  CHECK(bad == 1);
  const int64_t negative[] = {-4};
  CHECK_FALSE(reference::ResolveAxes(3, negative, 1, &reduced, &bad));
}

TEST_CASE("ReducedShape keeps or drops reduced dimensions", "[runtime][kernels][reduce]") {
  const std::vector<bool> r = {false, true, true};
  CHECK(reference::ReducedShape(kShape, r, true) == Shape{2, 1, 1});
  CHECK(reference::ReducedShape(kShape, r, false) == Shape{2});
  CHECK(reference::ReducedShape(kShape, {true, true, true}, false) == Shape{});
}

TEST_CASE("Reductions over outer, middle and inner axes", "[runtime][kernels][reduce]") {
  SECTION("sum over the middle axis") {
    CHECK(Reduce<ReduceKind::kSum>(Axes({1})) == std::vector<float>{9, 12, 27, 30});
  }
  SECTION("max over the outer axis") {
    CHECK(Reduce<ReduceKind::kMax>(Axes({0})) == std::vector<float>{7, 8, 9, 10, 11, 12});
  }
  SECTION("min over the inner axis") {
    CHECK(Reduce<ReduceKind::kMin>(Axes({-1})) == std::vector<float>{1, 3, 5, 7, 9, 11});
  }
  SECTION("prod over outer and inner axes") {
    CHECK(Reduce<ReduceKind::kProd>(Axes({0, 2})) ==
          std::vector<float>{1 * 2 * 7 * 8, 3 * 4 * 9 * 10, 5 * 6 * 11 * 12});
  }
  SECTION("sum over everything") {
    CHECK(Reduce<ReduceKind::kSum>(Axes({0, 1, 2})) == std::vector<float>{78});
  }
  SECTION("no axes copies the input") { CHECK(Reduce<ReduceKind::kMax>(Axes({})) == kValues); }
}

TEST_CASE("MeanFloat averages spatial axes of NHWC", "[runtime][kernels][reduce]") {
  // [1, 2, 2, 3]: channel c holds c, c+3, c+6, c+9 -> mean c + 4.5.
  const Shape shape{1, 2, 2, 3};
  std::vector<float> in(12);
  for (int i = 0; i < 12; ++i) in[static_cast<size_t>(i)] = static_cast<float>(i);
  std::vector<float> out(3);
  reference::MeanFloat(shape, in.data(), Axes({1, 2}, 4), out.data());
  CHECK(out == std::vector<float>{4.5f, 5.5f, 6.5f});
}

TEST_CASE("Reductions of empty ranges give the identity", "[runtime][kernels][reduce]") {
  const Shape shape{2, 0};
  std::vector<float> out(2, 7.f);
  reference::ReduceInto<float, ReduceKind::kMax>(shape, nullptr, {false, true}, out.data());
  CHECK(out[0] == std::numeric_limits<float>::lowest());
  reference::ReduceInto<float, ReduceKind::kProd>(shape, nullptr, {false, true}, out.data());
  CHECK(out == std::vector<float>{1.f, 1.f});
}

TEST_CASE("Integer sums wrap instead of overflowing", "[runtime][kernels][reduce]") {
  const std::vector<int32_t> in = {INT32_MAX, 1};
  int32_t out = 0;
  reference::ReduceInto<int32_t, ReduceKind::kSum>(Shape{2}, in.data(), {true}, &out);
  CHECK(out == INT32_MIN);
}

namespace {
namespace schema = litescope::runtime::schema;
using litescope::runtime::DataType;
using litescope::testing::SingleOpModel;

litescope::runtime::OptionsFn KeepDims(bool keep) {
  return [keep](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(schema::BuiltinOptions::ReducerOptions,
                          schema::CreateReducerOptions(b, keep).Union());
  };
}
}  // namespace

TEST_CASE("REDUCE_MIN with a non-constant axis sizes its output in Eval",
          "[runtime][kernels][reduce]") {
  SingleOpModel m(schema::BuiltinOperator::REDUCE_MIN);
  const int in = m.AddInput(DataType::kFloat32, {2, 3});
  const int axis = m.AddInput(DataType::kInt32, {1});
  const int out = m.AddOutput(DataType::kFloat32, {2});
  m.SetOptions(KeepDims(false));
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {4, -1, 2, 0, 8, 3});
  m.SetInput<int32_t>(axis, {-1});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{2});
  CHECK(m.Output<float>(out) == std::vector<float>{-1, 0});
  m.SetInput<int32_t>(axis, {0});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{3});
  CHECK(m.Output<float>(out) == std::vector<float>{0, -1, 2});
  m.SetInput<int32_t>(axis, {2});
  const litescope::Status s = m.Invoke();
  CHECK_FALSE(s.ok());
  CHECK(s.message().find("axis") != std::string::npos);
}

TEST_CASE("REDUCE_PROD keeps dimensions and rejects bad constant axes",
          "[runtime][kernels][reduce]") {
  SingleOpModel m(schema::BuiltinOperator::REDUCE_PROD);
  const int in = m.AddInput(DataType::kFloat32, {2, 2});
  m.AddConstInput<int32_t>(DataType::kInt32, {2}, {1, -1});
  const int out = m.AddOutput(DataType::kFloat32, {2, 1});
  m.SetOptions(KeepDims(true));
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {2, 3, -1, 5});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{2, 1});
  CHECK(m.Output<float>(out) == std::vector<float>{6, -5});

  SingleOpModel bad(schema::BuiltinOperator::MEAN);
  bad.AddInput(DataType::kFloat32, {2, 2});
  bad.AddConstInput<int32_t>(DataType::kInt32, {1}, {5});
  bad.AddOutput(DataType::kFloat32, {2});
  CHECK_FALSE(bad.Build().ok());
}

TEST_CASE("SUM serves int32 tensors", "[runtime][kernels][reduce]") {
  SingleOpModel m(schema::BuiltinOperator::SUM);
  const int in = m.AddInput(DataType::kInt32, {2, 2});
  m.AddConstInput<int32_t>(DataType::kInt32, {1}, {0});
  const int out = m.AddOutput(DataType::kInt32, {2});
  REQUIRE(m.Build().ok());
  m.SetInput<int32_t>(in, {1, 2, 30, 40});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<int32_t>(out) == std::vector<int32_t>{31, 42});
}
