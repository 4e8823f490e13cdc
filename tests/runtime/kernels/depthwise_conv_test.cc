#include "runtime/kernels/optimized/isa_kernels.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "runtime/kernels/reference/depthwise_conv.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/shape.h"
#include "tests/random_data.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {

using litescope::runtime::Shape;
namespace reference = litescope::runtime::reference;
namespace optimized = litescope::runtime::optimized;

using litescope::testing::RandomVector;

struct DwCase {
  int batches, in_h, in_w, in_c, multiplier, k_h, k_w, stride, dilation;
  bool same;
  bool bias;
};

// Output size and leading padding (TFLite SAME/VALID rules).
void Geometry(bool same, int in, int k, int stride, int dilation, int* out, int* pad) {
  const int eff = (k - 1) * dilation + 1;
  *out = same ? (in + stride - 1) / stride : std::max(0, (in - eff + stride) / stride);
  *pad = same ? std::max(0, (*out - 1) * stride + eff - in) / 2 : 0;
}

void CheckAgainstReference(const DwCase& c) {
  CAPTURE(c.batches, c.in_h, c.in_w, c.in_c, c.multiplier, c.k_h, c.k_w, c.stride, c.dilation,
          c.same, c.bias);
  reference::DepthwiseParams p;
  p.stride_h = p.stride_w = c.stride;
  p.dilation_h = p.dilation_w = c.dilation;
  p.depth_multiplier = c.multiplier;
  p.act_min = -0.75f;
  p.act_max = 1.5f;
  int out_h, out_w;
  Geometry(c.same, c.in_h, c.k_h, c.stride, c.dilation, &out_h, &p.pad_top);
  Geometry(c.same, c.in_w, c.k_w, c.stride, c.dilation, &out_w, &p.pad_left);
  const int out_c = c.in_c * c.multiplier;
  const Shape in_shape{c.batches, c.in_h, c.in_w, c.in_c};
  const Shape filter_shape{1, c.k_h, c.k_w, out_c};
  const Shape out_shape{c.batches, out_h, out_w, out_c};
  const std::vector<float> in = RandomVector(in_shape.FlatSize(), 1);
  const std::vector<float> filter = RandomVector(filter_shape.FlatSize(), 2);
  const std::vector<float> bias = RandomVector(out_c, 3);
  const float* b = c.bias ? bias.data() : nullptr;
  std::vector<float> expected(static_cast<size_t>(out_shape.FlatSize()), 42.f);
  std::vector<float> got(expected.size(), -42.f);
  reference::DepthwiseConvFloat(p, in_shape, in.data(), filter_shape, filter.data(), b, out_shape,
                                expected.data());
  // Two row ranges, as two threads would compute them.
  const int64_t rows = int64_t{c.batches} * out_h;
  optimized::DepthwiseConvFloatRows(p, in_shape, in.data(), filter_shape, filter.data(), b,
                                    out_shape, got.data(), 0, rows / 2);
  optimized::DepthwiseConvFloatRows(p, in_shape, in.data(), filter_shape, filter.data(), b,
                                    out_shape, got.data(), rows / 2, rows);
  int bad = 0;
  for (size_t i = 0; i < got.size(); ++i)
    if (!(std::fabs(got[i] - expected[i]) <= 1e-5f) && bad++ < 5)
      FAIL_CHECK("output[" << i << "] = " << got[i] << ", expected " << expected[i]);
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("DepthwiseConvFloat computes a hand-checked 3x3 case", "[runtime][kernels][depthwise]") {
  // One channel, 3x3 input 1..9, all-ones 3x3 filter, SAME padding, bias 0.5:
  // each output is the sum of the input's 3x3 neighbourhood plus 0.5.
  reference::DepthwiseParams p;
  p.pad_top = p.pad_left = 1;
  const Shape in_shape{1, 3, 3, 1}, filter_shape{1, 3, 3, 1}, out_shape{1, 3, 3, 1};
  const std::vector<float> in = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  const std::vector<float> filter(9, 1.f);
  const float bias = 0.5f;
  std::vector<float> out(9);
  reference::DepthwiseConvFloat(p, in_shape, in.data(), filter_shape, filter.data(), &bias,
                                out_shape, out.data());
  CHECK(out == std::vector<float>{12.5f, 21.5f, 16.5f, 27.5f, 45.5f, 33.5f, 24.5f, 39.5f, 28.5f});
  std::vector<float> fast(9);
  optimized::DepthwiseConvFloatRows(p, in_shape, in.data(), filter_shape, filter.data(), &bias,
                                    out_shape, fast.data(), 0, 3);
  CHECK(fast == out);
}

TEST_CASE("DepthwiseConvFloat applies the depth multiplier", "[runtime][kernels][depthwise]") {
  // Two input channels, multiplier 2, 1x1 filter: out[ic*2 + m] = in[ic] * w[ic*2 + m].
  reference::DepthwiseParams p;
  p.depth_multiplier = 2;
  const Shape in_shape{1, 1, 1, 2}, filter_shape{1, 1, 1, 4}, out_shape{1, 1, 1, 4};
  const std::vector<float> in = {2.f, -3.f};
  const std::vector<float> filter = {1.f, 10.f, 100.f, 1000.f};
  std::vector<float> out(4);
  reference::DepthwiseConvFloat(p, in_shape, in.data(), filter_shape, filter.data(), nullptr,
                                out_shape, out.data());
  CHECK(out == std::vector<float>{2.f, 20.f, -300.f, -3000.f});
  std::vector<float> fast(4);
  optimized::DepthwiseConvFloatRows(p, in_shape, in.data(), filter_shape, filter.data(), nullptr,
                                    out_shape, fast.data(), 0, 1);
  CHECK(fast == out);
}

TEST_CASE("Optimized depthwise matches the reference", "[runtime][kernels][depthwise]") {
  const int channels = GENERATE(1, 3, 4, 8, 13, 16, 40);
  SECTION("3x3 stride 1 SAME") {
    CheckAgainstReference({1, 9, 11, channels, 1, 3, 3, 1, 1, true, true});
  }
  SECTION("3x3 stride 2 VALID, no bias") {
    CheckAgainstReference({2, 10, 9, channels, 1, 3, 3, 2, 1, false, false});
  }
  SECTION("5x3 dilation 2 SAME") {
    CheckAgainstReference({1, 12, 13, channels, 1, 5, 3, 1, 2, true, true});
  }
  SECTION("multiplier 3, stride 2 SAME") {
    CheckAgainstReference({1, 7, 8, channels, 3, 3, 3, 2, 1, true, true});
  }
  SECTION("filter larger than the input, SAME") {
    CheckAgainstReference({1, 2, 3, channels, 1, 5, 5, 1, 1, true, true});
  }
  SECTION("wide rows use the 8-pixel path") {
    CheckAgainstReference({1, 4, 37, channels, 1, 3, 3, 1, 1, true, true});
  }
}

TEST_CASE("Depthwise propagates NaN through the fused clamp", "[runtime][kernels][depthwise]") {
  reference::DepthwiseParams p;
  p.act_min = 0.f;
  p.act_max = 6.f;
  const Shape shape{1, 1, 1, 8}, filter_shape{1, 1, 1, 8};
  std::vector<float> in(8, 1.f);
  in[3] = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> filter(8, 1.f);
  std::vector<float> out(8);
  optimized::DepthwiseConvFloatRows(p, shape, in.data(), filter_shape, filter.data(), nullptr,
                                    shape, out.data(), 0, 1);
  CHECK(std::isnan(out[3]));
  CHECK(out[0] == 1.f);
}

TEST_CASE("DEPTHWISE_CONV_2D without bias, on two threads", "[runtime][kernels][depthwise]") {
  namespace schema = litescope::runtime::schema;
  using litescope::runtime::DataType;
  litescope::testing::SingleOpModel m(schema::BuiltinOperator::DEPTHWISE_CONV_2D);
  const int in = m.AddInput(DataType::kFloat32, {1, 2, 2, 2});
  m.AddConstInput<float>(DataType::kFloat32, {1, 1, 1, 4}, {1.f, 2.f, 3.f, 4.f});
  const int out = m.AddOutput(DataType::kFloat32, {1, 2, 2, 4});
  m.SetOptions([](flatbuffers::FlatBufferBuilder& b) {
    // depth_multiplier in the options is ignored; the shapes say 2.
    return std::make_pair(schema::BuiltinOptions::DepthwiseConv2DOptions,
                          schema::CreateDepthwiseConv2DOptions(b, schema::Padding::VALID, 1, 1, 0,
                                                               schema::ActivationFunctionType::RELU)
                              .Union());
  });
  REQUIRE(m.Build(/*num_threads=*/2).ok());
  m.SetInput<float>(in, {1, -1, 2, -2, 3, -3, 4, -4});
  REQUIRE(m.Invoke().ok());
  CHECK(m.Output<float>(out) == std::vector<float>{1, 2, 0, 0, 2, 4, 0, 0, 3, 6, 0, 0, 4, 8, 0, 0});
}
