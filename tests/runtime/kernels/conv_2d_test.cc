#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "runtime/kernels/reference/conv_2d.h"
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

struct ConvCase {
  int batches, in_h, in_w, in_c, out_c, groups, k_h, k_w, stride, dilation;
  bool same;
  bool bias;
  schema::ActivationFunctionType act;
  bool const_filter;
  int threads;
};

// Runs CONV_2D through the interpreter and compares it with reference::ConvFloat.
void CheckConv(const ConvCase& c) {
  CAPTURE(c.batches, c.in_h, c.in_w, c.in_c, c.out_c, c.groups, c.k_h, c.k_w, c.stride, c.dilation,
          c.same, c.bias, c.const_filter, c.threads);
  const int eff_h = (c.k_h - 1) * c.dilation + 1;
  const int eff_w = (c.k_w - 1) * c.dilation + 1;
  const int out_h = c.same ? (c.in_h + c.stride - 1) / c.stride : (c.in_h - eff_h) / c.stride + 1;
  const int out_w = c.same ? (c.in_w + c.stride - 1) / c.stride : (c.in_w - eff_w) / c.stride + 1;
  reference::ConvParams p;
  p.stride_h = p.stride_w = c.stride;
  p.dilation_h = p.dilation_w = c.dilation;
  p.pad_top = c.same ? std::max(0, (out_h - 1) * c.stride + eff_h - c.in_h) / 2 : 0;
  p.pad_left = c.same ? std::max(0, (out_w - 1) * c.stride + eff_w - c.in_w) / 2 : 0;
  if (c.act == schema::ActivationFunctionType::RELU6) {
    p.act_min = 0.f;
    p.act_max = 6.f;
  }
  const Shape in_shape{c.batches, c.in_h, c.in_w, c.in_c};
  const Shape filter_shape{c.out_c, c.k_h, c.k_w, c.in_c / c.groups};
  const Shape out_shape{c.batches, out_h, out_w, c.out_c};
  const std::vector<float> in = RandomVector(in_shape.FlatSize(), 1);
  std::vector<float> filter = RandomVector(filter_shape.FlatSize(), 2);
  for (float& f : filter) f *= 3.f;  // reach the RELU6 bound now and then
  const std::vector<float> bias = RandomVector(c.out_c, 3);
  std::vector<float> expected(static_cast<size_t>(out_shape.FlatSize()));
  reference::ConvFloat(p, in_shape, in.data(), filter_shape, filter.data(),
                       c.bias ? bias.data() : nullptr, out_shape, expected.data());

  SingleOpModel m(schema::BuiltinOperator::CONV_2D, c.dilation > 1 ? 2 : 1);
  const int in_handle = m.AddInput(DataType::kFloat32, in_shape.dims());
  int filter_handle = -1;
  if (c.const_filter) {
    m.AddConstInput<float>(DataType::kFloat32, filter_shape.dims(), filter);
  } else {
    filter_handle = m.AddInput(DataType::kFloat32, filter_shape.dims());
  }
  if (c.bias) m.AddConstInput<float>(DataType::kFloat32, {c.out_c}, bias);
  const int out = m.AddOutput(DataType::kFloat32, out_shape.dims());
  m.SetOptions([c](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(
        schema::BuiltinOptions::Conv2DOptions,
        schema::CreateConv2DOptions(b, c.same ? schema::Padding::SAME : schema::Padding::VALID,
                                    c.stride, c.stride, c.act, c.dilation, c.dilation)
            .Union());
  });
  REQUIRE(m.Build(c.threads).ok());
  m.SetInput<float>(in_handle, in);
  if (filter_handle >= 0) m.SetInput<float>(filter_handle, filter);
  for (int run = 0; run < 2; ++run) {  // the second run reuses packed weights and tables
    REQUIRE(m.Invoke().ok());
    CHECK(m.OutputShape(out) == out_shape.dims());
    const std::vector<float> got = m.Output<float>(out);
    REQUIRE(got.size() == expected.size());
    int bad = 0;
    for (size_t i = 0; i < got.size(); ++i)
      if (!(std::fabs(got[i] - expected[i]) <= 1e-4f) && bad++ < 5)
        FAIL_CHECK("output[" << i << "] = " << got[i] << ", expected " << expected[i]);
    CHECK(bad == 0);
  }
}

constexpr auto kNone = schema::ActivationFunctionType::NONE;
constexpr auto kRelu6 = schema::ActivationFunctionType::RELU6;

}  // namespace

TEST_CASE("CONV_2D matches the reference convolution", "[runtime][kernels][conv_2d]") {
  SECTION("1x1 stride 1: dense GEMM, two batches") {
    CheckConv({2, 5, 7, 19, 37, 1, 1, 1, 1, 1, false, true, kNone, true, 1});
  }
  SECTION("1x1 stride 2 reads the input through the indirection table") {
    CheckConv({1, 9, 8, 16, 40, 1, 1, 1, 2, 1, true, true, kRelu6, true, 2});
  }
  SECTION("3x3 SAME, stride 2, RELU6, three threads") {
    CheckConv({1, 23, 17, 3, 70, 1, 3, 3, 2, 1, true, true, kRelu6, true, 3});
  }
  SECTION("5x3 VALID, dilation 2, no bias") {
    CheckConv({1, 14, 12, 6, 9, 1, 5, 3, 1, 2, false, false, kNone, true, 1});
  }
  SECTION("grouped: 3 groups of 4 input and 5 output channels") {
    CheckConv({2, 7, 6, 12, 15, 3, 3, 3, 1, 1, true, true, kNone, true, 2});
  }
  SECTION("filter given at run time") {
    CheckConv({1, 6, 6, 8, 12, 1, 3, 3, 1, 1, true, true, kNone, false, 1});
  }
  SECTION("deep input: K spans several cache blocks") {
    CheckConv({1, 6, 5, 300, 33, 1, 3, 3, 1, 1, true, true, kNone, true, 1});
  }
  SECTION("filter larger than the input, SAME") {
    CheckConv({1, 2, 3, 4, 5, 1, 5, 5, 1, 1, true, true, kNone, true, 1});
  }
}

TEST_CASE("CONV_2D rejects a filter that does not divide the input channels",
          "[runtime][kernels][conv_2d]") {
  SingleOpModel m(schema::BuiltinOperator::CONV_2D);
  m.AddInput(DataType::kFloat32, {1, 4, 4, 5});
  m.AddConstInput<float>(DataType::kFloat32, {2, 1, 1, 3}, std::vector<float>(6, 1.f));
  m.AddOutput(DataType::kFloat32, {1, 4, 4, 2});
  const litescope::Status s = m.Build();
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.message(), Catch::Contains("CONV_2D") && Catch::Contains("filter"));
}
