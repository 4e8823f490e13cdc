#include "runtime/kernels/reference/rfft2d.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "runtime/kernels/reference/complex_abs.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "tests/runtime/kernels/single_op_model.h"

namespace {
namespace reference = litescope::runtime::reference;

constexpr double kPi = 3.14159265358979323846;

// Direct evaluation of the definition, for comparison.
std::complex<double> NaiveBin(const std::vector<float>& x, int h, int w, int fh, int fw, int k1,
                              int k2) {
  std::complex<double> sum = 0.0;
  for (int n1 = 0; n1 < std::min(h, fh); ++n1)
    for (int n2 = 0; n2 < std::min(w, fw); ++n2) {
      const double ang = -2.0 * kPi * (double(k1) * n1 / fh + double(k2) * n2 / fw);
      sum += double(x[size_t(n1 * w + n2)]) * std::complex<double>(std::cos(ang), std::sin(ang));
    }
  return sum;
}
}  // namespace

TEST_CASE("Rfft2dFloat of a 2x2 input", "[runtime][kernels][rfft2d]") {
  const std::vector<float> x = {1.f, 2.f, 3.f, 4.f};
  std::vector<float> y(2 * 2 * 2);  // [2, 2/2 + 1 = 2] complex
  reference::Rfft2dFloat(x.data(), 1, 2, 2, 2, 2, y.data());
  CHECK(y == std::vector<float>{10.f, 0.f, -2.f, 0.f, -4.f, 0.f, 0.f, 0.f});
}

TEST_CASE("Rfft2dFloat matches the DFT definition with cropping and padding",
          "[runtime][kernels][rfft2d]") {
  const int h = GENERATE(3, 4, 6);
  const int w = GENERATE(5, 8, 9);
  const int fh = 4, fw = 8;  // crops or pads depending on h, w
  CAPTURE(h, w);
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> x(size_t(2 * h * w));
  for (float& v : x) v = dist(rng);
  const int out_w = fw / 2 + 1;
  std::vector<float> y(size_t(2 * fh * out_w * 2));
  reference::Rfft2dFloat(x.data(), 2, h, w, fh, fw, y.data());
  for (int b = 0; b < 2; ++b) {
    const std::vector<float> slice(x.begin() + b * h * w, x.begin() + (b + 1) * h * w);
    for (int k1 = 0; k1 < fh; ++k1)
      for (int k2 = 0; k2 < out_w; ++k2) {
        const std::complex<double> e = NaiveBin(slice, h, w, fh, fw, k1, k2);
        const size_t at = size_t(((b * fh + k1) * out_w + k2) * 2);
        CHECK(y[at] == Approx(e.real()).margin(1e-5));
        CHECK(y[at + 1] == Approx(e.imag()).margin(1e-5));
      }
  }
}

TEST_CASE("ComplexDft handles sizes that are not powers of two", "[runtime][kernels][rfft2d]") {
  std::vector<std::complex<double>> a = {1.0, 2.0, 3.0};
  std::vector<std::complex<double>> scratch;
  reference::ComplexDft(a.data(), 3, 1, &scratch);
  CHECK(a[0].real() == Approx(6.0));
  CHECK(a[1].real() == Approx(-1.5));
  CHECK(a[1].imag() == Approx(std::sqrt(3.0) / 2.0));
}

TEST_CASE("ComplexAbs computes magnitudes without overflow", "[runtime][kernels][complex_abs]") {
  const std::vector<float> in = {3.f, -4.f, 0.f, 0.f, 3e30f, 4e30f};
  std::vector<float> out(3);
  reference::ComplexAbs(in.data(), 3, out.data());
  CHECK(out[0] == 5.f);
  CHECK(out[1] == 0.f);
  CHECK(out[2] == Approx(5e30f));
}

TEST_CASE("RFFT2D then COMPLEX_ABS through the interpreter", "[runtime][kernels][rfft2d]") {
  namespace schema = litescope::runtime::schema;
  using litescope::runtime::DataType;
  litescope::testing::SingleOpModel fft(schema::BuiltinOperator::RFFT2D);
  const int in = fft.AddInput(DataType::kFloat32, {1, 2, 2});
  fft.AddConstInput<int32_t>(DataType::kInt32, {2}, {2, 4});  // pads the width to 4
  const int out = fft.AddOutput(DataType::kComplex64, {1, 2, 3});
  REQUIRE(fft.Build().ok());
  fft.SetInput<float>(in, {1, 2, 3, 4});
  REQUIRE(fft.Invoke().ok());
  CHECK(fft.OutputShape(out) == std::vector<int32_t>{1, 2, 3});
  const std::vector<std::complex<float>> y = fft.Output<std::complex<float>>(out);
  REQUIRE(y.size() == 6);
  CHECK(y[0].real() == Approx(10.f));  // X[0, 0]
  CHECK(y[2].real() == Approx(-2.f));  // X[0, 2] = (1 - 2) + (3 - 4)
  CHECK(y[3].real() == Approx(-4.f));  // X[1, 0]
  CHECK(y[1].imag() == Approx(-6.f));  // X[0, 1] = (1 - 2i) + (3 - 4i)

  litescope::testing::SingleOpModel odd(schema::BuiltinOperator::RFFT2D);
  odd.AddInput(DataType::kFloat32, {2, 3});
  odd.AddConstInput<int32_t>(DataType::kInt32, {2}, {2, 3});
  odd.AddOutput(DataType::kComplex64, {2, 2});
  CHECK_FALSE(odd.Build().ok());  // TFLite serves powers of two only

  litescope::testing::SingleOpModel abs(schema::BuiltinOperator::COMPLEX_ABS);
  const int c = abs.AddInput(DataType::kComplex64, {2});
  const int mag = abs.AddOutput(DataType::kFloat32, {2});
  REQUIRE(abs.Build().ok());
  abs.SetInput<float>(c, {3.f, 4.f, -5.f, 12.f});
  REQUIRE(abs.Invoke().ok());
  CHECK(abs.Output<float>(mag) == std::vector<float>{5.f, 13.f});
}
