#include "runtime/kernels/optimized/depthwise_conv_quantized.h"
#include "runtime/kernels/optimized/isa_kernels.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/reference/depthwise_conv_quantized.h"
#include "runtime/shape.h"

namespace {

using litescope::runtime::Shape;
namespace fixed_point = litescope::runtime::fixed_point;
namespace reference = litescope::runtime::reference;
namespace optimized = litescope::runtime::optimized;

template <typename T>
std::vector<T> RandomInts(int64_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(std::numeric_limits<T>::min(),
                                          std::numeric_limits<T>::max());
  std::vector<T> v(static_cast<size_t>(n));
  for (T& x : v) x = static_cast<T>(dist(rng));
  return v;
}

struct DwqCase {
  int batches, in_h, in_w, in_c, multiplier, k_h, k_w, stride, dilation;
  bool same;
  bool bias;
};

void Geometry(bool same, int in, int k, int stride, int dilation, int* out, int* pad) {
  const int eff = (k - 1) * dilation + 1;
  *out = same ? (in + stride - 1) / stride : std::max(0, (in - eff + stride) / stride);
  *pad = same ? std::max(0, (*out - 1) * stride + eff - in) / 2 : 0;
}

// The optimized kernel must equal the reference bit for bit.
template <typename T>
void CheckAgainstReference(const DwqCase& c) {
  CAPTURE(c.batches, c.in_h, c.in_w, c.in_c, c.multiplier, c.k_h, c.k_w, c.stride, c.dilation,
          c.same, c.bias);
  reference::DepthwiseParams p;
  p.stride_h = p.stride_w = c.stride;
  p.dilation_h = p.dilation_w = c.dilation;
  p.depth_multiplier = c.multiplier;
  int out_h, out_w;
  Geometry(c.same, c.in_h, c.k_h, c.stride, c.dilation, &out_h, &p.pad_top);
  Geometry(c.same, c.in_w, c.k_w, c.stride, c.dilation, &out_w, &p.pad_left);
  const int out_c = c.in_c * c.multiplier;
  const Shape in_shape{c.batches, c.in_h, c.in_w, c.in_c};
  const Shape filter_shape{1, c.k_h, c.k_w, out_c};
  const Shape out_shape{c.batches, out_h, out_w, out_c};
  const std::vector<T> in = RandomInts<T>(in_shape.FlatSize(), 1);
  std::vector<T> filter = RandomInts<T>(filter_shape.FlatSize(), 2);
  if constexpr (std::is_same_v<T, int8_t>)  // int8 weights are symmetric: avoid -128
    for (T& w : filter) w = std::max<T>(w, -127);
  std::vector<int32_t> bias(static_cast<size_t>(out_c));
  std::mt19937 rng(3);
  std::uniform_int_distribution<int32_t> bias_dist(-20000, 20000);
  for (int32_t& b : bias) b = bias_dist(rng);
  std::vector<int32_t> multipliers(static_cast<size_t>(out_c));
  std::vector<int> shifts(static_cast<size_t>(out_c));
  for (int oc = 0; oc < out_c; ++oc)
    fixed_point::QuantizeMultiplier(0.0007 + 0.0001 * oc, &multipliers[static_cast<size_t>(oc)],
                                    &shifts[static_cast<size_t>(oc)]);
  reference::DepthwiseQuantParams q;
  q.input_offset = std::is_same_v<T, int8_t> ? 5 : -120;
  q.filter_offset = std::is_same_v<T, int8_t> ? 0 : -131;
  q.output_offset = std::is_same_v<T, int8_t> ? -7 : 130;
  q.multiplier = multipliers.data();
  q.shift = shifts.data();
  q.act_min = std::is_same_v<T, int8_t> ? -100 : 10;
  q.act_max = std::is_same_v<T, int8_t> ? 110 : 240;
  const int32_t* b = c.bias ? bias.data() : nullptr;

  std::vector<T> want(static_cast<size_t>(out_shape.FlatSize()));
  reference::DepthwiseConvQuantized(p, q, in_shape, in.data(), filter_shape, filter.data(), b,
                                    out_shape, want.data());
  optimized::DepthwiseQuantizedFilter packed;
  optimized::PackDepthwiseQuantizedFilter(filter.data(), c.k_h * c.k_w, out_c, b, q.input_offset,
                                          q.filter_offset, &packed);
  std::vector<T> got(want.size());
  optimized::DepthwiseConvQuantizedRows(p, q, in_shape, in.data(), filter_shape, packed, out_shape,
                                        got.data(), 0, int64_t{c.batches} * out_h);
  CHECK(got == want);
}

const DwqCase kCases[] = {
    {1, 8, 8, 4, 1, 3, 3, 1, 1, true, true},    {1, 9, 9, 3, 2, 3, 3, 1, 1, false, true},
    {1, 9, 9, 8, 1, 3, 3, 2, 1, true, true},    {1, 11, 11, 4, 1, 3, 3, 1, 2, true, false},
    {2, 9, 9, 6, 1, 3, 3, 1, 2, false, true},   {1, 7, 7, 37, 1, 5, 5, 2, 1, true, true},
    {1, 12, 10, 64, 1, 3, 3, 1, 1, true, true}, {1, 2, 2, 16, 1, 5, 5, 3, 1, true, true},
};

}  // namespace

TEST_CASE("Quantized depthwise convolution matches the reference", "[runtime][kernels]") {
  SECTION("int8") {
    for (const DwqCase& c : kCases) CheckAgainstReference<int8_t>(c);
  }
  SECTION("uint8") {
    for (const DwqCase& c : kCases) CheckAgainstReference<uint8_t>(c);
  }
}

// Minimal reproducer of a GCC 12.2 -O3 miscompile (fixed_point::WrappingProduct): one 8-channel
// block, 9x9 input, 3x3 filter, stride 2, SAME padding, so that the pixels on the border take
// the per-tap loop with two or three valid taps. With int32 accumulators updated through
// WrappingAdd, GCC's loop vectorizer vectorized that tap loop wrongly: 78 of 200 outputs were
// off (both int8 and uint8); -O2, -fno-tree-loop-vectorize and clang were right.
TEST_CASE("Quantized depthwise border pixels of an 8-channel block", "[runtime][kernels]") {
  const DwqCase c{1, 9, 9, 8, 1, 3, 3, 2, 1, true, true};
  SECTION("int8") { CheckAgainstReference<int8_t>(c); }
  SECTION("uint8") { CheckAgainstReference<uint8_t>(c); }
}

TEST_CASE("Reference quantized depthwise convolution follows TFLite's rules",
          "[runtime][kernels]") {
  // One pixel, one channel, 1x1 filter: (10 - 2) * 3 + 4 = 28; times 0.5 -> 14; + 1 -> 15.
  reference::DepthwiseParams p;
  const int32_t multiplier = 1 << 30;  // 0.5 with shift 0
  const int shift = 0;
  reference::DepthwiseQuantParams q;
  q.input_offset = -2;
  q.output_offset = 1;
  q.multiplier = &multiplier;
  q.shift = &shift;
  q.act_min = -128;
  q.act_max = 127;
  const int8_t in = 10, w = 3;
  const int32_t bias = 4;
  int8_t out = 0;
  reference::DepthwiseConvQuantized(p, q, Shape{1, 1, 1, 1}, &in, Shape{1, 1, 1, 1}, &w, &bias,
                                    Shape{1, 1, 1, 1}, &out);
  CHECK(out == 15);
}
