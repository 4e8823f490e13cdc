#include "runtime/kernels/reference/resize.h"

#include <catch2/catch.hpp>

#include <vector>

#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/shape.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {
using litescope::runtime::Shape;
namespace reference = litescope::runtime::reference;
}  // namespace

TEST_CASE("NearestSource follows TFLite's coordinate rules", "[runtime][kernels][resize]") {
  // 2 -> 4, plain: floor(i * 0.5)
  CHECK(reference::NearestSource(3, 2, 4, false, false) == 1);
  // 3 -> 2, align corners: round(i * 2) clamped
  CHECK(reference::NearestSource(1, 3, 2, true, false) == 2);
  // 4 -> 3, half pixel: floor((i + 0.5) * 4/3)
  CHECK(reference::NearestSource(0, 4, 3, false, true) == 0);
  CHECK(reference::NearestSource(1, 4, 3, false, true) == 2);
  CHECK(reference::NearestSource(2, 4, 3, false, true) == 3);
}

TEST_CASE("ResizeBilinearFloat interpolates and clamps at the border",
          "[runtime][kernels][resize]") {
  // 1x1x2x1 [0, 10] -> 1x1x4x1. Plain: x * 0.5 -> 0, 5, 10, 10.
  const Shape in_shape{1, 1, 2, 1}, out_shape{1, 1, 4, 1};
  const std::vector<float> in = {0.f, 10.f};
  std::vector<float> out(4);
  reference::ResizeParams p;
  reference::ResizeBilinearFloat(p, in_shape, in.data(), out_shape, out.data());
  CHECK(out == std::vector<float>{0.f, 5.f, 10.f, 10.f});
  // Half pixel: (x + 0.5) * 0.5 - 0.5 -> -0.25, 0.25, 0.75, 1.25 -> 0, 2.5, 7.5, 10.
  p.half_pixel_centers = true;
  reference::ResizeBilinearFloat(p, in_shape, in.data(), out_shape, out.data());
  CHECK(out == std::vector<float>{0.f, 2.5f, 7.5f, 10.f});
  // Align corners: x * 1/3 -> 0, 3.33, 6.67, 10.
  p.half_pixel_centers = false;
  p.align_corners = true;
  reference::ResizeBilinearFloat(p, in_shape, in.data(), out_shape, out.data());
  CHECK(out[1] == Approx(10.f / 3.f));
  CHECK(out[3] == 10.f);
}

TEST_CASE("RESIZE_BILINEAR with a non-constant size tensor", "[runtime][kernels][resize]") {
  namespace schema = litescope::runtime::schema;
  using litescope::runtime::DataType;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::RESIZE_BILINEAR);
  const int in = m.AddInput(DataType::kFloat32, {1, 1, 2, 1});
  const int size = m.AddInput(DataType::kInt32, {2});
  const int out = m.AddOutput(DataType::kFloat32, {1, 1, 4, 1});
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {0.f, 10.f});
  m.SetInput<int32_t>(size, {1, 4});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{1, 1, 4, 1});
  CHECK(m.Output<float>(out) == std::vector<float>{0.f, 5.f, 10.f, 10.f});
  m.SetInput<int32_t>(size, {2, 1});
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{1, 2, 1, 1});
  m.SetInput<int32_t>(size, {0, 1});
  CHECK_FALSE(m.Invoke().ok());
}
