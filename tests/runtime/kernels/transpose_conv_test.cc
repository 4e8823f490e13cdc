#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "runtime/kernels/reference/transpose_conv.h"
#include "runtime/model_builder.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/shape.h"
#include "tests/random_data.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {

namespace schema = litescope::runtime::schema;
namespace reference = litescope::runtime::reference;
using litescope::runtime::DataType;
using litescope::runtime::Shape;
using litescope::testing::SingleOpModel;

using litescope::testing::RandomVector;

struct TcCase {
  Shape in_shape;
  int out_c, k_h, k_w, stride;
  int out_h, out_w;
  bool same;
  bool bias;
  bool const_output_shape;
  int threads;
};

void CheckTransposeConv(const TcCase& c) {
  CAPTURE(c.in_shape.ToString(), c.out_c, c.k_h, c.k_w, c.stride, c.out_h, c.out_w, c.same, c.bias,
          c.const_output_shape, c.threads);
  const Shape filter_shape{c.out_c, c.k_h, c.k_w, c.in_shape.dim(3)};
  const Shape out_shape{c.in_shape.dim(0), c.out_h, c.out_w, c.out_c};
  reference::TransposeConvParams p;
  p.stride_h = p.stride_w = c.stride;
  p.act_min = 0.f;  // RELU
  // Padding of a forward convolution from the output back to the input.
  auto pad = [&](int out, int k) {
    if (!c.same) return 0;
    const int o = (out + c.stride - 1) / c.stride;
    return std::max(0, (o - 1) * c.stride + k - out) / 2;
  };
  p.pad_top = pad(c.out_h, c.k_h);
  p.pad_left = pad(c.out_w, c.k_w);
  const std::vector<float> in = RandomVector(c.in_shape.FlatSize(), 1);
  const std::vector<float> filter = RandomVector(filter_shape.FlatSize(), 2);
  const std::vector<float> bias = RandomVector(c.out_c, 3);
  std::vector<float> expected(static_cast<size_t>(out_shape.FlatSize()));
  reference::TransposeConvFloat(p, c.in_shape, in.data(), filter_shape, filter.data(),
                                c.bias ? bias.data() : nullptr, out_shape, expected.data());

  SingleOpModel m(schema::BuiltinOperator::TRANSPOSE_CONV, 4);
  int shape_h = -1;
  if (c.const_output_shape) {
    m.AddConstInput<int32_t>(DataType::kInt32, {4}, out_shape.dims());
  } else {
    shape_h = m.AddInput(DataType::kInt32, {4});
  }
  m.AddConstInput<float>(DataType::kFloat32, filter_shape.dims(), filter);
  const int in_h = m.AddInput(DataType::kFloat32, c.in_shape.dims());
  if (c.bias) m.AddConstInput<float>(DataType::kFloat32, {c.out_c}, bias);
  const int out = m.AddOutput(DataType::kFloat32, out_shape.dims());
  m.SetOptions([c](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(schema::BuiltinOptions::TransposeConvOptions,
                          schema::CreateTransposeConvOptions(
                              b, c.same ? schema::Padding::SAME : schema::Padding::VALID, c.stride,
                              c.stride, schema::ActivationFunctionType::RELU)
                              .Union());
  });
  REQUIRE(m.Build(c.threads).ok());
  if (shape_h >= 0) m.SetInput<int32_t>(shape_h, out_shape.dims());
  m.SetInput<float>(in_h, in);
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == out_shape.dims());
  const std::vector<float> got = m.Output<float>(out);
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(expected[i]).margin(1e-4));
}

}  // namespace

TEST_CASE("TRANSPOSE_CONV matches the reference", "[runtime][kernels][transpose_conv]") {
  SECTION("SAME, stride 2, bias") {
    CheckTransposeConv({{1, 5, 4, 6}, 7, 3, 3, 2, 10, 8, true, true, true, 1});
  }
  SECTION("VALID, stride 3, 4x2 filter, two batches, no bias") {
    CheckTransposeConv({{2, 3, 4, 5}, 33, 4, 2, 3, 10, 11, false, false, true, 2});
  }
  SECTION("output_shape given at run time") {
    CheckTransposeConv({{1, 4, 4, 3}, 5, 3, 3, 2, 7, 8, true, true, false, 1});
  }
}
