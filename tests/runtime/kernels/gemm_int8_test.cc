#include "runtime/kernels/optimized/gemm_int8.h"

#include <catch2/catch.hpp>

#include <cstdint>
#include <random>
#include <vector>

#include "runtime/kernels/fixed_point.h"
#include "runtime/kernels/reference/conv_quantized.h"
#include "runtime/kernels/reference/fully_connected_quantized.h"
#include "runtime/kernels/reference/hybrid.h"

namespace {

using litescope::runtime::optimized::GemmI8;
using litescope::runtime::optimized::PackedMatrixI8;
namespace reference = litescope::runtime::reference;
namespace fixed_point = litescope::runtime::fixed_point;

std::vector<int8_t> RandomInt8(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> dist(-128, 127);
  std::vector<int8_t> v(n);
  for (int8_t& x : v) x = static_cast<int8_t>(dist(rng));
  return v;
}

}  // namespace

TEST_CASE("GemmI8 matches the reference quantized FULLY_CONNECTED", "[runtime][kernels][gemm]") {
  for (const int k : {1, 3, 4, 17, 64}) {
    for (const int n : {1, 5, 16, 33}) {
      for (const int rows : {1, 3, 4, 9}) {
        CAPTURE(k, n, rows);
        const std::vector<int8_t> in = RandomInt8(static_cast<size_t>(rows * ((k + 3) / 4 * 4)), 1);
        const std::vector<int8_t> w = RandomInt8(static_cast<size_t>(n * k), 2);
        std::vector<int32_t> bias(static_cast<size_t>(n));
        std::vector<int32_t> mult(static_cast<size_t>(n));
        std::vector<int> shift(static_cast<size_t>(n));
        for (int j = 0; j < n; ++j) {
          bias[static_cast<size_t>(j)] = (j * 7919) % 4001 - 2000;
          fixed_point::QuantizeMultiplier(0.0007 * (j + 1), &mult[static_cast<size_t>(j)],
                                          &shift[static_cast<size_t>(j)]);
        }
        reference::ConvQuantParams q;
        q.input_offset = 5;
        q.output_offset = -3;
        q.multiplier = mult.data();
        q.shift = shift.data();
        q.act_min = -100;
        q.act_max = 120;
        q.gemm_rounding = true;
        // The reference reads rows of k; the GEMM reads rows of k rounded up to 4.
        const int kp = (k + 3) / 4 * 4;
        std::vector<int8_t> dense(static_cast<size_t>(rows * k));
        for (int r = 0; r < rows; ++r)
          for (int t = 0; t < k; ++t)
            dense[static_cast<size_t>(r * k + t)] = in[static_cast<size_t>(r * kp + t)];
        std::vector<int8_t> expected(static_cast<size_t>(rows * n));
        reference::FullyConnectedQuantizedRows<int8_t>(q, k, n, dense.data(), w.data(), bias.data(),
                                                       expected.data(), 0, rows);
        PackedMatrixI8 packed;
        REQUIRE(packed.Pack(w.data(), k, n, bias.data(), q.input_offset));
        REQUIRE(packed.k_padded() == kp);
        std::vector<int8_t> got(static_cast<size_t>(rows * n));
        GemmI8(in.data(), kp, rows, packed, q, got.data(), n);
        CHECK(got == expected);
      }
    }
  }
}

TEST_CASE("GEMM output stage rounds ties toward +infinity", "[runtime][kernels][gemm]") {
  // Accumulators and multipliers seen in TFLite's int8 CONV_2D, whose results were -63, -64
  // and -34 where the away-from-zero rule gives -64, -65 and -35.
  CHECK(reference::MultiplyByQuantizedMultiplierGemm(-24369, 1432536432, -8) == -63);
  CHECK(reference::MultiplyByQuantizedMultiplierGemm(-30459, 1164166727, -8) == -64);
  CHECK(reference::MultiplyByQuantizedMultiplierGemm(-16772, 1130801283, -8) == -34);
  CHECK(fixed_point::MultiplyByQuantizedMultiplier(-30459, 1164166727, -8) == -65);
  // Away from ties both rules agree.
  CHECK(reference::MultiplyByQuantizedMultiplierGemm(1000, 1 << 30, -1) == 250);
}

TEST_CASE("Hybrid symmetric input quantization", "[runtime][kernels][hybrid]") {
  const float x[4] = {-1.f, 0.5f, 0.25f, 0.f};
  int8_t q[4];
  const float scale = reference::SymmetricQuantize(x, 4, q);
  CHECK(scale == 1.f / 127.f);
  CHECK(q[0] == -127);
  CHECK(q[1] == 64);  // 63.5 rounds away from zero
  CHECK(q[2] == 32);  // 31.75
  CHECK(q[3] == 0);
  const float zeros[3] = {0.f, 0.f, 0.f};
  CHECK(reference::SymmetricQuantize(zeros, 3, q) == 1.f);
  CHECK(q[0] == 0);
}

TEST_CASE("Hybrid asymmetric input quantization", "[runtime][kernels][hybrid]") {
  const float x[3] = {0.f, 1.f, 2.55f};
  int8_t q[3];
  float scale = 0.f;
  int32_t zp = 0;
  reference::AsymmetricQuantize(x, 3, q, &scale, &zp);
  CHECK(scale == Approx(0.01f));
  CHECK(zp == -128);
  CHECK(q[0] == -128);
  CHECK(q[2] == 127);
}
