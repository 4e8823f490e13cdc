#include "runtime/kernels/reference/pooling.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/shape.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {
using litescope::runtime::Shape;
namespace reference = litescope::runtime::reference;
}  // namespace

TEST_CASE("Pooling ignores padding cells", "[runtime][kernels][pooling]") {
  // 1x2x2x1 input, 2x2 window, stride 1, SAME padding (pad after): the bottom-right output
  // sees only one input cell.
  reference::PoolParams p;
  p.filter_h = p.filter_w = 2;
  const Shape in_shape{1, 2, 2, 1}, out_shape{1, 2, 2, 1};
  const std::vector<float> in = {1.f, -2.f, 3.f, 4.f};
  std::vector<float> out(4);
  SECTION("average") {
    reference::AveragePoolFloat(p, in_shape, in.data(), out_shape, out.data());
    CHECK(out == std::vector<float>{1.5f, 1.f, 3.5f, 4.f});
  }
  SECTION("max") {
    reference::MaxPoolFloat(p, in_shape, in.data(), out_shape, out.data());
    CHECK(out == std::vector<float>{4.f, 4.f, 4.f, 4.f});
  }
  SECTION("l2: sqrt of the mean square") {
    reference::L2PoolFloat(p, in_shape, in.data(), out_shape, out.data());
    CHECK(out[0] == Approx(std::sqrt((1.f + 4.f + 9.f + 16.f) / 4.f)));
    CHECK(out[1] == Approx(std::sqrt((4.f + 16.f) / 2.f)));
    CHECK(out[2] == Approx(std::sqrt((9.f + 16.f) / 2.f)));
    CHECK(out[3] == Approx(4.f));
  }
}

TEST_CASE("Pooling applies the fused activation per channel", "[runtime][kernels][pooling]") {
  reference::PoolParams p;
  p.filter_h = p.filter_w = 2;
  p.stride_h = p.stride_w = 2;
  p.act_min = 0.f;
  p.act_max = 6.f;
  // Two channels interleaved (NHWC): channel 0 = {-1, -3, -5, -7}, channel 1 = {2, 10, 6, 8}.
  const Shape in_shape{1, 2, 2, 2}, out_shape{1, 1, 1, 2};
  const std::vector<float> in = {-1.f, 2.f, -3.f, 10.f, -5.f, 6.f, -7.f, 8.f};
  std::vector<float> out(2);
  reference::L2PoolFloat(p, in_shape, in.data(), out_shape, out.data());
  CHECK(out[0] == Approx(std::sqrt((1.f + 9.f + 25.f + 49.f) / 4.f)));
  CHECK(out[1] == 6.f);  // sqrt(51) clamped to RELU6
  reference::MaxPoolFloat(p, in_shape, in.data(), out_shape, out.data());
  CHECK(out == std::vector<float>{0.f, 6.f});
}

TEST_CASE("L2_POOL_2D reads Pool2DOptions", "[runtime][kernels][pooling]") {
  namespace schema = litescope::runtime::schema;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::L2_POOL_2D);
  const int in = m.AddInput(litescope::runtime::DataType::kFloat32, {1, 2, 4, 1});
  const int out = m.AddOutput(litescope::runtime::DataType::kFloat32, {1, 1, 2, 1});
  m.SetOptions([](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(schema::BuiltinOptions::Pool2DOptions,
                          schema::CreatePool2DOptions(b, schema::Padding::VALID, 2, 2, 2, 2,
                                                      schema::ActivationFunctionType::NONE)
                              .Union());
  });
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {1, 1, 2, 2, 1, 1, 2, 2});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{1, 1, 2, 1});
  CHECK(m.Output<float>(out) == std::vector<float>{1.f, 2.f});
}
