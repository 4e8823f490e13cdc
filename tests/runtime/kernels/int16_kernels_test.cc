// "16x8" quantization (int16 activations with zero point 0, int8 weights) through the real
// interpreter: each kernel's integer result is compared with the same op computed in double on
// the dequantized inputs, and the simple rules (QUANTIZE rounding and saturation, DEQUANTIZE,
// the power-of-two ADD) exactly. Parameters TensorFlow Lite rejects must fail in Prepare with
// one error naming the node.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/tensor.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {

namespace ls = litescope::runtime;
namespace sc = litescope::schema;
using litescope::testing::SingleOpModel;
using ls::DataType;
using Act = sc::ActivationFunctionType;

ls::QuantParams Quant(float scale, int64_t zero_point = 0) {
  ls::QuantParams q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

ls::QuantParams PerChannel(const std::vector<float>& scales, int dim) {
  ls::QuantParams q;
  q.scale = scales;
  q.zero_point.assign(scales.size(), 0);
  q.quantized_dimension = dim;
  return q;
}

template <typename T>
std::vector<T> Random(size_t n, int lo, int hi, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_int_distribution<int> dist(lo, hi);
  std::vector<T> v(n);
  for (T& x : v) x = static_cast<T>(dist(gen));
  return v;
}

std::vector<int16_t> AllInt16() {
  std::vector<int16_t> v;
  for (int i = -32768; i <= 32767; ++i) v.push_back(static_cast<int16_t>(i));
  return v;
}

double ClampInt16(double v) { return std::min(32767.0, std::max(-32768.0, v)); }

// Both 16x8 forms stay within one output step of the exact value: the scaled form rounds once
// (0.5), the GEMM form rounds its Q31 product and then its shift.
constexpr double kTolerance16x8 = 1.0;

ls::OptionsFn ConvOptions(sc::Padding padding, int stride, Act act,
                          sc::TensorType bias_type = sc::TensorType::FLOAT32) {
  return [=](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(
        sc::BuiltinOptions::Conv2DOptions,
        sc::CreateConv2DOptions(b, padding, stride, stride, act, 1, 1, bias_type).Union());
  };
}

ls::OptionsFn FcOptions(Act act, sc::TensorType bias_type = sc::TensorType::FLOAT32) {
  return [=](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(
        sc::BuiltinOptions::FullyConnectedOptions,
        sc::CreateFullyConnectedOptions(b, act, sc::FullyConnectedOptionsWeightsFormat::DEFAULT,
                                        false, false, bias_type)
            .Union());
  };
}

// Exact convolution in double: NHWC input, [OC, KH, KW, IC / groups] filter, SAME or VALID.
std::vector<double> ConvDouble(const std::vector<int16_t>& x, double sx, int h, int w, int ic,
                               const std::vector<int8_t>& f, const std::vector<float>& sf, int oc,
                               int k, int stride, bool same, const std::vector<double>& bias,
                               double so, int* oh, int* ow) {
  const int gic = static_cast<int>(f.size()) / (oc * k * k);
  const int groups = ic / gic;
  *oh = same ? (h + stride - 1) / stride : (h - k + stride) / stride;
  *ow = same ? (w + stride - 1) / stride : (w - k + stride) / stride;
  const int pad_h = same ? std::max(0, ((*oh - 1) * stride + k - h) / 2) : 0;
  const int pad_w = same ? std::max(0, ((*ow - 1) * stride + k - w) / 2) : 0;
  std::vector<double> out;
  for (int y = 0; y < *oh; ++y)
    for (int xo = 0; xo < *ow; ++xo)
      for (int o = 0; o < oc; ++o) {
        const int g = o / (oc / groups);
        double acc = bias.empty() ? 0.0 : bias[static_cast<size_t>(o)];
        for (int ky = 0; ky < k; ++ky)
          for (int kx = 0; kx < k; ++kx) {
            const int iy = y * stride - pad_h + ky;
            const int ix = xo * stride - pad_w + kx;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
            for (int c = 0; c < gic; ++c) {
              const double xv = sx * x[static_cast<size_t>((iy * w + ix) * ic + g * gic + c)];
              const double wv =
                  static_cast<double>(sf[sf.size() == 1 ? 0 : static_cast<size_t>(o)]) *
                  f[static_cast<size_t>(((o * k + ky) * k + kx) * gic + c)];
              acc += xv * wv;
            }
          }
        out.push_back(acc / so);
      }
  return out;
}

}  // namespace

TEST_CASE("QUANTIZE float to INT16 rounds half away from zero and saturates",
          "[runtime][kernels][int16]") {
  SingleOpModel m(sc::BuiltinOperator::QUANTIZE);
  const int in = m.AddInput(DataType::kFloat32, {9});
  const int out = m.AddOutput(DataType::kInt16, {9}, Quant(0.5f));
  REQUIRE(m.Build().ok());
  m.SetInput<float>(in, {1.25f, -1.25f, 0.75f, -0.25f, 16383.f, 16383.75f, -16384.5f, 1e9f, -1e9f});
  REQUIRE(m.Invoke().ok());
  // x / 0.5 = 2.5, -2.5, 1.5, -0.5, 32766, 32767.5, -32769, 2e9, -2e9.
  CHECK(m.Output<int16_t>(out) ==
        std::vector<int16_t>{3, -3, 2, -1, 32766, 32767, -32768, 32767, -32768});
}

TEST_CASE("QUANTIZE requantizes INT16 to INT8 and INT16 within one step",
          "[runtime][kernels][int16]") {
  const std::vector<int16_t> x = AllInt16();
  const int n = static_cast<int>(x.size());
  const float si = 1.f / 1000;
  SECTION("to INT8 with a zero point") {
    SingleOpModel m(sc::BuiltinOperator::QUANTIZE, 3);
    const int in = m.AddInput(DataType::kInt16, {n}, Quant(si));
    const int out = m.AddOutput(DataType::kInt8, {n}, Quant(0.05f, -3));
    REQUIRE(m.Build().ok());
    m.SetInput<int16_t>(in, x);
    REQUIRE(m.Invoke().ok());
    const std::vector<int8_t> y = m.Output<int8_t>(out);
    for (size_t i = 0; i < x.size(); ++i) {
      const double real = std::min(127.0, std::max(-128.0, x[i] * double{si} / 0.05 - 3));
      REQUIRE(std::fabs(y[i] - real) <= 1.0);
    }
  }
  SECTION("to INT16 on another scale") {
    SingleOpModel m(sc::BuiltinOperator::QUANTIZE, 3);
    const int in = m.AddInput(DataType::kInt16, {n}, Quant(si));
    const int out = m.AddOutput(DataType::kInt16, {n}, Quant(1.f / 700));
    REQUIRE(m.Build().ok());
    m.SetInput<int16_t>(in, x);
    REQUIRE(m.Invoke().ok());
    const std::vector<int16_t> y = m.Output<int16_t>(out);
    for (size_t i = 0; i < x.size(); ++i)
      REQUIRE(std::fabs(y[i] - ClampInt16(x[i] * double{si} * 700.0)) <= 1.0);
  }
  SECTION("to INT16 on the same scale is the identity") {
    SingleOpModel m(sc::BuiltinOperator::QUANTIZE, 3);
    const int in = m.AddInput(DataType::kInt16, {n}, Quant(si));
    const int out = m.AddOutput(DataType::kInt16, {n}, Quant(si));
    REQUIRE(m.Build().ok());
    m.SetInput<int16_t>(in, x);
    REQUIRE(m.Invoke().ok());
    CHECK(m.Output<int16_t>(out) == x);
  }
}

TEST_CASE("QUANTIZE rejects the INT16 forms TFLite rejects", "[runtime][kernels][int16]") {
  SECTION("INT16 to INT16 with a zero point") {
    SingleOpModel m(sc::BuiltinOperator::QUANTIZE, 3);
    m.AddInput(DataType::kInt16, {4}, Quant(0.01f));
    m.AddOutput(DataType::kInt16, {4}, Quant(0.02f, 5));
    const litescope::Status s = m.Build();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("node 0 (QUANTIZE)") != std::string::npos);
    CHECK(s.message().find("zero points 0") != std::string::npos);
  }
  SECTION("INT16 to UINT8") {
    SingleOpModel m(sc::BuiltinOperator::QUANTIZE, 3);
    m.AddInput(DataType::kInt16, {4}, Quant(0.01f));
    m.AddOutput(DataType::kUInt8, {4}, Quant(0.02f, 128));
    const litescope::Status s = m.Build();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("expected INT8 or INT16") != std::string::npos);
  }
  SECTION("INT8 to INT16") {
    SingleOpModel m(sc::BuiltinOperator::QUANTIZE, 3);
    m.AddInput(DataType::kInt8, {4}, Quant(0.01f));
    m.AddOutput(DataType::kInt16, {4}, Quant(0.02f));
    REQUIRE_FALSE(m.Build().ok());
  }
}

TEST_CASE("DEQUANTIZE INT16 multiplies by the scale in double", "[runtime][kernels][int16]") {
  SingleOpModel m(sc::BuiltinOperator::DEQUANTIZE, 4);
  const std::vector<int16_t> x = {-32768, -12345, -1, 0, 1, 777, 32767};
  const float scale = 0.0013f;
  const int in = m.AddInput(DataType::kInt16, {7}, Quant(scale));
  const int out = m.AddOutput(DataType::kFloat32, {7});
  REQUIRE(m.Build().ok());
  m.SetInput<int16_t>(in, x);
  REQUIRE(m.Invoke().ok());
  const std::vector<float> y = m.Output<float>(out);
  for (size_t i = 0; i < x.size(); ++i)
    CHECK(y[i] == static_cast<float>(static_cast<double>(scale) * x[i]));
}

TEST_CASE("CONV_2D 16x8 matches a double convolution", "[runtime][kernels][int16]") {
  const int h = 6, w = 5, ic = 4, oc = 4, k = 3;
  const float sx = 0.01f, so = 0.5f;
  const std::vector<float> sf = {0.02f, 0.015f, 0.03f, 0.007f};
  int stride = 1;
  bool same = true;
  int groups = 1;
  Act act = Act::NONE;
  DataType bias_type = DataType::kInt64;
  SECTION("int64 bias (wide accumulator)") {}
  SECTION("int32 bias (GEMM accumulator), VALID stride 2") {
    bias_type = DataType::kInt32;
    stride = 2;
    same = false;
  }
  SECTION("int32 bias with two groups") {
    bias_type = DataType::kInt32;
    groups = 2;
  }
  SECTION("int64 bias with RELU") { act = Act::RELU; }
  const int gic = ic / groups;
  const std::vector<int16_t> x = Random<int16_t>(static_cast<size_t>(h * w * ic), -32768, 32767, 7);
  const std::vector<int8_t> f = Random<int8_t>(static_cast<size_t>(oc * k * k * gic), -127, 127, 8);
  const std::vector<int32_t> b32 = Random<int32_t>(oc, -2000000, 2000000, 9);
  std::vector<double> bias_real;
  for (int o = 0; o < oc; ++o)
    bias_real.push_back(b32[static_cast<size_t>(o)] * double{sx} * sf[static_cast<size_t>(o)]);
  int oh = 0, ow = 0;
  std::vector<double> real =
      ConvDouble(x, sx, h, w, ic, f, sf, oc, k, stride, same, bias_real, so, &oh, &ow);

  SingleOpModel m(sc::BuiltinOperator::CONV_2D, 4);
  const int in = m.AddInput(DataType::kInt16, {1, h, w, ic}, Quant(sx));
  m.AddConstInput<int8_t>(DataType::kInt8, {oc, k, k, gic}, f, PerChannel(sf, 0));
  if (bias_type == DataType::kInt64) {
    std::vector<int64_t> b64(b32.begin(), b32.end());
    m.AddConstInput<int64_t>(DataType::kInt64, {oc}, b64);
  } else {
    m.AddConstInput<int32_t>(DataType::kInt32, {oc}, b32);
  }
  const int out = m.AddOutput(DataType::kInt16, {1, oh, ow, oc}, Quant(so));
  m.SetOptions(ConvOptions(same ? sc::Padding::SAME : sc::Padding::VALID, stride, act));
  const litescope::Status built = m.Build();
  INFO(built.message());
  REQUIRE(built.ok());
  m.SetInput<int16_t>(in, x);
  REQUIRE(m.Invoke().ok());
  CHECK(m.OutputShape(out) == std::vector<int32_t>{1, oh, ow, oc});
  const std::vector<int16_t> y = m.Output<int16_t>(out);
  REQUIRE(y.size() == real.size());
  int saturated = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double lo = act == Act::RELU ? 0.0 : -32768.0;
    const double want = std::min(32767.0, std::max(lo, real[i]));
    saturated += std::fabs(want) >= 32767.0 ? 1 : 0;
    INFO("output " << i << ": " << y[i] << " vs " << real[i]);
    CHECK(std::fabs(y[i] - want) <= kTolerance16x8);
  }
  CHECK(saturated < static_cast<int>(y.size()) / 4);  // the comparison is not all clamping
}

TEST_CASE("FULLY_CONNECTED 16x8 matches a double product", "[runtime][kernels][int16]") {
  const int rows = 3, kdim = 37, n = 5;
  const float sx = 0.002f, so = 0.05f;
  std::vector<float> sw = {0.01f};
  DataType bias_type = DataType::kInt32;
  bool has_bias = true;
  SECTION("per-tensor weights, int32 bias") {}
  SECTION("per-channel weights, int64 bias") {
    sw = {0.01f, 0.02f, 0.005f, 0.013f, 0.03f};
    bias_type = DataType::kInt64;
  }
  SECTION("per-channel weights, no bias") {
    sw = {0.01f, 0.02f, 0.005f, 0.013f, 0.03f};
    has_bias = false;
  }
  const std::vector<int16_t> x =
      Random<int16_t>(static_cast<size_t>(rows * kdim), -32768, 32767, 3);
  const std::vector<int8_t> wq = Random<int8_t>(static_cast<size_t>(n * kdim), -127, 127, 4);
  const std::vector<int32_t> b32 = Random<int32_t>(n, -500000, 500000, 5);

  SingleOpModel m(sc::BuiltinOperator::FULLY_CONNECTED, 7);
  const int in = m.AddInput(DataType::kInt16, {rows, kdim}, Quant(sx));
  m.AddConstInput<int8_t>(DataType::kInt8, {n, kdim}, wq,
                          sw.size() == 1 ? Quant(sw[0]) : PerChannel(sw, 0));
  if (has_bias && bias_type == DataType::kInt64) {
    m.AddConstInput<int64_t>(DataType::kInt64, {n}, std::vector<int64_t>(b32.begin(), b32.end()));
  } else if (has_bias) {
    m.AddConstInput<int32_t>(DataType::kInt32, {n}, b32);
  }
  const int out = m.AddOutput(DataType::kInt16, {rows, n}, Quant(so));
  m.SetOptions(FcOptions(Act::NONE));
  const litescope::Status built = m.Build();
  INFO(built.message());
  REQUIRE(built.ok());
  m.SetInput<int16_t>(in, x);
  REQUIRE(m.Invoke().ok());
  const std::vector<int16_t> y = m.Output<int16_t>(out);
  for (int r = 0; r < rows; ++r)
    for (int o = 0; o < n; ++o) {
      const double s = sw[sw.size() == 1 ? 0 : static_cast<size_t>(o)];
      double acc = has_bias ? b32[static_cast<size_t>(o)] * double{sx} * s : 0.0;
      for (int i = 0; i < kdim; ++i)
        acc += x[static_cast<size_t>(r * kdim + i)] * double{sx} *
               (wq[static_cast<size_t>(o * kdim + i)] * s);
      const double want = ClampInt16(acc / so);
      INFO("row " << r << " unit " << o);
      CHECK(std::fabs(y[static_cast<size_t>(r * n + o)] - want) <= kTolerance16x8);
    }
}

TEST_CASE("CONV_2D and FULLY_CONNECTED 16x8 reject what TFLite rejects",
          "[runtime][kernels][int16]") {
  const std::vector<int8_t> f(2 * 1 * 1 * 2, 1);
  auto conv = [&](const ls::QuantParams& in_q, DataType bias_type, DataType filter_type,
                  sc::TensorType option) {
    SingleOpModel m(sc::BuiltinOperator::CONV_2D, 4);
    m.AddInput(DataType::kInt16, {1, 2, 2, 2}, in_q);
    if (filter_type == DataType::kInt8)
      m.AddConstInput<int8_t>(DataType::kInt8, {2, 1, 1, 2}, f, PerChannel({0.1f, 0.2f}, 0));
    else
      m.AddConstInput<int16_t>(DataType::kInt16, {2, 1, 1, 2}, std::vector<int16_t>(4, 1),
                               PerChannel({0.1f, 0.2f}, 0));
    if (bias_type == DataType::kInt16)
      m.AddConstInput<int16_t>(DataType::kInt16, {2}, {1, 2});
    else if (bias_type == DataType::kInt64)
      m.AddConstInput<int64_t>(DataType::kInt64, {2}, {1, 2});
    else
      m.AddConstInput<int32_t>(DataType::kInt32, {2}, {1, 2});
    m.AddOutput(DataType::kInt16, {1, 2, 2, 2}, Quant(0.5f));
    m.SetOptions(ConvOptions(sc::Padding::SAME, 1, Act::NONE, option));
    return m.Build();
  };
  const auto none = sc::TensorType::FLOAT32;
  SECTION("valid parameters build") {
    CHECK(conv(Quant(0.01f), DataType::kInt32, DataType::kInt8, none).ok());
    CHECK(conv(Quant(0.01f), DataType::kInt64, DataType::kInt8, sc::TensorType::INT64).ok());
  }
  SECTION("input zero point other than 0") {
    const litescope::Status s = conv(Quant(0.01f, 3), DataType::kInt64, DataType::kInt8, none);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("node 0 (CONV_2D)") != std::string::npos);
    CHECK(s.message().find("zero point 3") != std::string::npos);
  }
  SECTION("INT16 bias") {
    const litescope::Status s = conv(Quant(0.01f), DataType::kInt16, DataType::kInt8, none);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("expected INT32 or INT64") != std::string::npos);
  }
  SECTION("INT16 filter") {
    const litescope::Status s = conv(Quant(0.01f), DataType::kInt64, DataType::kInt16, none);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("expected INT8") != std::string::npos);
  }
  SECTION("bias disagreeing with quantized_bias_type") {
    const litescope::Status s =
        conv(Quant(0.01f), DataType::kInt32, DataType::kInt8, sc::TensorType::INT64);
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("quantized_bias_type") != std::string::npos);
  }
  SECTION("FULLY_CONNECTED output zero point other than 0") {
    SingleOpModel m(sc::BuiltinOperator::FULLY_CONNECTED, 7);
    m.AddInput(DataType::kInt16, {1, 2}, Quant(0.01f));
    m.AddConstInput<int8_t>(DataType::kInt8, {2, 2}, {1, 2, 3, 4}, Quant(0.1f));
    m.AddOutput(DataType::kInt16, {1, 2}, Quant(0.5f, -4));
    m.SetOptions(FcOptions(Act::NONE));
    const litescope::Status s = m.Build();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("node 0 (FULLY_CONNECTED)") != std::string::npos);
    CHECK(s.message().find("zero point -4") != std::string::npos);
  }
}

TEST_CASE("ADD and MUL on INT16 stay within one step of float", "[runtime][kernels][int16]") {
  const int n = 4096;
  const std::vector<int16_t> a = Random<int16_t>(n, -32768, 32767, 11);
  const std::vector<int16_t> b = Random<int16_t>(n, -32768, 32767, 12);
  const float sa = 1.f / 3000, sb = 1.f / 1700, so_add = 1.f / 800, so_mul = 1.f / 50;
  for (const bool is_add : {true, false}) {
    SingleOpModel m(is_add ? sc::BuiltinOperator::ADD : sc::BuiltinOperator::MUL, 3);
    const int ia = m.AddInput(DataType::kInt16, {n}, Quant(sa));
    const int ib = m.AddInput(DataType::kInt16, {n}, Quant(sb));
    const float so = is_add ? so_add : so_mul;
    const int out = m.AddOutput(DataType::kInt16, {n}, Quant(so));
    REQUIRE(m.Build().ok());
    m.SetInput<int16_t>(ia, a);
    m.SetInput<int16_t>(ib, b);
    REQUIRE(m.Invoke().ok());
    const std::vector<int16_t> y = m.Output<int16_t>(out);
    for (size_t i = 0; i < y.size(); ++i) {
      const double fa = a[i] * double{sa};
      const double fb = b[i] * double{sb};
      const double want = ClampInt16((is_add ? fa + fb : fa * fb) / so);
      INFO((is_add ? "ADD " : "MUL ") << a[i] << ", " << b[i]);
      REQUIRE(std::fabs(y[i] - want) <= 1.0);
    }
  }
  SECTION("zero points other than 0 are rejected") {
    SingleOpModel m(sc::BuiltinOperator::MUL, 5);
    m.AddInput(DataType::kInt16, {2}, Quant(sa, 1));
    m.AddInput(DataType::kInt16, {2}, Quant(sb));
    m.AddOutput(DataType::kInt16, {2}, Quant(so_mul));
    const litescope::Status s = m.Build();
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find("node 0 (MUL)") != std::string::npos);
  }
}

TEST_CASE("INT16 ADD with power-of-two scales shifts one input and saturates",
          "[runtime][kernels][int16]") {
  SingleOpModel m(sc::BuiltinOperator::ADD, 3);
  const int ia = m.AddInput(DataType::kInt16, {8}, Quant(1.f / 4096));  // 2^-12
  const int ib = m.AddInput(DataType::kInt16, {8}, Quant(1.f / 1024));  // 2^-10
  const int out = m.AddOutput(DataType::kInt16, {8}, Quant(1.f / 1024));
  m.SetOptions([](flatbuffers::FlatBufferBuilder& b) {
    return std::make_pair(sc::BuiltinOptions::AddOptions,
                          sc::CreateAddOptions(b, Act::NONE, /*pot_scale_int16=*/true).Union());
  });
  REQUIRE(m.Build().ok());
  const std::vector<int16_t> a = {6, -6, 10, -10, 2, 32767, -32768, 4};
  const std::vector<int16_t> b = {0, 0, 1, -1, 0, 32767, -32768, -32768};
  m.SetInput<int16_t>(ia, a);
  m.SetInput<int16_t>(ib, b);
  REQUIRE(m.Invoke().ok());
  // a / 4 rounds half away from zero (1.5 -> 2, 2.5 -> 3); sums saturate to int16.
  CHECK(m.Output<int16_t>(out) == std::vector<int16_t>{2, -2, 4, -4, 1, 32767, -32768, -32767});
}

TEST_CASE("LOGISTIC and TANH on INT16 follow the float functions", "[runtime][kernels][int16]") {
  const std::vector<int16_t> x = AllInt16();
  const int n = static_cast<int>(x.size());
  // 2^-12 is the power-of-two scale both evaluate in fixed point (TANH also 2^-11); 1/3000 and,
  // for LOGISTIC, 2^-11 take the interpolated table.
  for (const float si : {1.f / 4096, 1.f / 3000, 1.f / 2048}) {
    for (const bool logistic : {true, false}) {
      SingleOpModel m(logistic ? sc::BuiltinOperator::LOGISTIC : sc::BuiltinOperator::TANH, 3);
      const int in = m.AddInput(DataType::kInt16, {n}, Quant(si));
      const int out = m.AddOutput(DataType::kInt16, {n}, Quant(1.f / 32768));
      REQUIRE(m.Build().ok());
      m.SetInput<int16_t>(in, x);
      REQUIRE(m.Invoke().ok());
      const std::vector<int16_t> y = m.Output<int16_t>(out);
      double worst = 0;
      for (size_t i = 0; i < x.size(); ++i) {
        const double v = x[i] * double{si};
        const double want =
            ClampInt16((logistic ? 1.0 / (1.0 + std::exp(-v)) : std::tanh(v)) * 32768.0);
        worst = std::max(worst, std::fabs(y[i] - want));
      }
      const bool fixed_point = si == 1.f / 4096 || (!logistic && si == 1.f / 2048);
      INFO((logistic ? "LOGISTIC" : "TANH") << " input scale " << si << ": " << worst);
      if (fixed_point) {
        // 16-bit fixed-point exp and Newton-Raphson division: TFLite's own tests allow
        // 2 / 4096, i.e. 16 steps of 2^-15.
        CHECK(worst <= 16.0);
        CHECK(y[32768] == (logistic ? 16384 : 0));  // x = 0 exactly: 1/2 and 0
      } else {
        // Interpolating a table with steps of 1/24 costs about one step of 2^-15; the general
        // input multiplier is truncated to 15 bits, which TANH's doubled slope turns into up
        // to two more.
        CHECK(worst <= (logistic ? 2.0 : 3.0));
      }
    }
  }
}

TEST_CASE("LOGISTIC and TANH on INT16 reject other output scales and zero points",
          "[runtime][kernels][int16]") {
  auto build = [](sc::BuiltinOperator op, const ls::QuantParams& in_q,
                  const ls::QuantParams& out_q) {
    SingleOpModel m(op, 3);
    m.AddInput(DataType::kInt16, {4}, in_q);
    m.AddOutput(DataType::kInt16, {4}, out_q);
    return m.Build();
  };
  for (const auto op : {sc::BuiltinOperator::LOGISTIC, sc::BuiltinOperator::TANH}) {
    const litescope::Status scale = build(op, Quant(1.f / 4096), Quant(1.f / 256));
    REQUIRE_FALSE(scale.ok());
    CHECK(scale.message().find("expected 2^-15") != std::string::npos);
    const litescope::Status zp = build(op, Quant(1.f / 4096, 2), Quant(1.f / 32768));
    REQUIRE_FALSE(zp.ok());
    CHECK(zp.message().find("zero point 2") != std::string::npos);
  }
}

TEST_CASE("SOFTMAX on INT16 follows the float softmax", "[runtime][kernels][int16]") {
  const int rows = 64, depth = 10;
  const std::vector<int16_t> x =
      Random<int16_t>(static_cast<size_t>(rows * depth), -32768, 32767, 21);
  for (const float si : {1.f / 4096, 1.f / 20000}) {
    SingleOpModel m(sc::BuiltinOperator::SOFTMAX, 3);
    const int in = m.AddInput(DataType::kInt16, {2, rows / 2, depth}, Quant(si));
    const int out = m.AddOutput(DataType::kInt16, {2, rows / 2, depth}, Quant(1.f / 32768));
    m.SetOptions([](flatbuffers::FlatBufferBuilder& b) {
      return std::make_pair(sc::BuiltinOptions::SoftmaxOptions,
                            sc::CreateSoftmaxOptions(b, 1.f).Union());
    });
    REQUIRE(m.Build().ok());
    m.SetInput<int16_t>(in, x);
    REQUIRE(m.Invoke().ok());
    const std::vector<int16_t> y = m.Output<int16_t>(out);
    double worst = 0;
    for (int r = 0; r < rows; ++r) {
      double mx = -1e30;
      for (int c = 0; c < depth; ++c)
        mx = std::max(mx, x[static_cast<size_t>(r * depth + c)] * double{si});
      double sum = 0;
      for (int c = 0; c < depth; ++c)
        sum += std::exp(x[static_cast<size_t>(r * depth + c)] * double{si} - mx);
      for (int c = 0; c < depth; ++c) {
        const double p = std::exp(x[static_cast<size_t>(r * depth + c)] * double{si} - mx) / sum;
        worst = std::max(worst, std::fabs(y[static_cast<size_t>(r * depth + c)] / 32768.0 - p));
      }
    }
    INFO("input scale " << si << ": " << worst);
    // The exp table stops at x = -10: each value further below the row maximum counts as
    // exp(-10) (4.5e-5) in the sum; both tables interpolate, within a few steps of 2^-15.
    CHECK(worst <= depth * std::exp(-10.0) + 4.0 / 32768);
  }
  SECTION("zero points other than 0 and other output scales are rejected") {
    auto build = [](const ls::QuantParams& in_q, const ls::QuantParams& out_q) {
      SingleOpModel m(sc::BuiltinOperator::SOFTMAX, 3);
      m.AddInput(DataType::kInt16, {1, 4}, in_q);
      m.AddOutput(DataType::kInt16, {1, 4}, out_q);
      return m.Build();
    };
    CHECK(build(Quant(0.001f), Quant(1.f / 32768)).ok());
    const litescope::Status zp = build(Quant(0.001f, 7), Quant(1.f / 32768));
    REQUIRE_FALSE(zp.ok());
    CHECK(zp.message().find("node 0 (SOFTMAX)") != std::string::npos);
    CHECK_FALSE(build(Quant(0.001f), Quant(1.f / 256)).ok());
    SingleOpModel rank5(sc::BuiltinOperator::SOFTMAX, 3);
    rank5.AddInput(DataType::kInt16, {1, 1, 1, 2, 4}, Quant(0.001f));
    rank5.AddOutput(DataType::kInt16, {1, 1, 1, 2, 4}, Quant(1.f / 32768));
    const litescope::Status rank = rank5.Build();
    REQUIRE_FALSE(rank.ok());
    CHECK(rank.message().find("expected rank 1 to 4") != std::string::npos);
  }
}
