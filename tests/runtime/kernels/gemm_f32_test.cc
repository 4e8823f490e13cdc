#include "runtime/kernels/optimized/gemm_f32.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "runtime/kernels/reference/gemm_f32.h"
#include "runtime/thread_pool.h"
#include "tests/random_data.h"

namespace {

using litescope::runtime::ThreadPool;
using litescope::runtime::optimized::GemmF32;
using litescope::runtime::optimized::GemmInputF32;
using litescope::runtime::optimized::PackedMatrixF32;
namespace reference = litescope::runtime::reference;

using litescope::testing::RandomVector;

// Float error bound of a dot product of k terms in [-1, 1] in any summation order.
float Tolerance(int k) { return 1e-6f * static_cast<float>(k + 1) + 1e-6f; }

struct Case {
  int m, n, k;
  bool b_is_nk;  // B stored as [N, K] (filters, FC weights) instead of [K, N]
  bool clamp;
  int threads;
};

void CheckAgainstReference(const Case& c) {
  CAPTURE(c.m, c.n, c.k, c.b_is_nk, c.clamp, c.threads);
  const int64_t lda = c.k + 3;  // rows with a gap: the GEMM must honor lda
  const int64_t ldc = c.n + 5;  // and ldc, leaving the gap untouched
  std::vector<float> a = RandomVector(static_cast<size_t>(c.m * lda), 1);
  std::vector<float> b = RandomVector(static_cast<size_t>(c.n * c.k), 2);
  std::vector<float> bias = RandomVector(static_cast<size_t>(c.n), 3);
  const int64_t k_stride = c.b_is_nk ? 1 : c.n;
  const int64_t n_stride = c.b_is_nk ? c.k : 1;
  const float lo = c.clamp ? -0.5f : -std::numeric_limits<float>::infinity();
  const float hi = c.clamp ? 0.75f : std::numeric_limits<float>::infinity();

  std::vector<float> expected(static_cast<size_t>(c.m * ldc), 42.f);
  reference::GemmF32(c.m, c.n, c.k, a.data(), lda, b.data(), k_stride, n_stride, bias.data(),
                     expected.data(), ldc, lo, hi);

  PackedMatrixF32 packed;
  REQUIRE(packed.Pack(b.data(), c.k, c.n, k_stride, n_stride, bias.data()));
  std::vector<float> got(static_cast<size_t>(c.m * ldc), 42.f);
  ThreadPool pool(c.threads);
  GemmF32(GemmInputF32::Dense(a.data(), lda), c.m, packed, got.data(), ldc, lo, hi, &pool);

  const float tol = Tolerance(c.k);
  int bad = 0;
  for (int i = 0; i < c.m; ++i) {
    for (int64_t j = 0; j < ldc; ++j) {
      const float e = expected[static_cast<size_t>(i * ldc + j)];
      const float g = got[static_cast<size_t>(i * ldc + j)];
      if (!(std::fabs(e - g) <= tol) && bad++ < 5)
        FAIL_CHECK("C[" << i << "][" << j << "] = " << g << ", expected " << e);
    }
  }
  CHECK(bad == 0);
}

}  // namespace

TEST_CASE("GemmF32 matches the reference GEMM on odd sizes", "[runtime][kernels][gemm]") {
  const int m = GENERATE(1, 3, 17, 64, 129);
  const int n = GENERATE(1, 3, 17, 64, 129);
  const int k = GENERATE(1, 3, 17, 64, 129);
  SECTION("B as [N, K], no clamp, one thread") { CheckAgainstReference({m, n, k, true, false, 1}); }
  SECTION("B as [K, N], clamped, two threads") { CheckAgainstReference({m, n, k, false, true, 2}); }
}

TEST_CASE("GemmF32 handles K blocks, large tiles and many threads", "[runtime][kernels][gemm]") {
  // K above the cache block (several K blocks); M and N spanning several tiles.
  CheckAgainstReference({300, 200, 700, true, true, 3});
  CheckAgainstReference({7, 1000, 1024, true, false, 4});
  CheckAgainstReference({1000, 8, 27, true, true, 2});
}

TEST_CASE("GemmF32 with K = 0 writes the clamped bias", "[runtime][kernels][gemm]") {
  const std::vector<float> bias = {-2.f, 0.25f, 3.f};
  PackedMatrixF32 packed;
  REQUIRE(packed.Pack(nullptr, 0, 3, 1, 0, bias.data()));
  std::vector<float> c(6, 9.f);
  const float* rows = nullptr;
  GemmF32(GemmInputF32::Dense(rows, 0), 2, packed, c.data(), 3, -1.f, 1.f, nullptr);
  CHECK(c == std::vector<float>{-1.f, 0.25f, 1.f, -1.f, 0.25f, 1.f});
}

TEST_CASE("GemmF32 propagates NaN through a fused clamp", "[runtime][kernels][gemm]") {
  const std::vector<float> a = {std::numeric_limits<float>::quiet_NaN(), 1.f};
  const std::vector<float> b = {1.f, 1.f};  // [K=2, N=1]
  PackedMatrixF32 packed;
  REQUIRE(packed.Pack(b.data(), 2, 1, 1, 1, nullptr));
  float c = 0.f;
  GemmF32(GemmInputF32::Dense(a.data(), 2), 1, packed, &c, 1, 0.f, 6.f, nullptr);
  CHECK(std::isnan(c));
}

TEST_CASE("GemmF32 reads A through an indirection table", "[runtime][kernels][gemm]") {
  // 21 rows, 3 taps of tap_k floats each, taken from a pool of source vectors or the zero
  // vector; the offset selects the second half of each source (a channel group), so the
  // zero vector must be recognized and left unshifted.
  const int tap_k = GENERATE(4, 20);
  const int rows = 21, taps = 3, n = 19;
  const std::vector<float> src = RandomVector(6 * 2 * tap_k, 7);
  const std::vector<float> zero(static_cast<size_t>(tap_k), 0.f);
  std::vector<const float*> table;
  std::vector<float> dense;  // the same A, materialized
  for (int r = 0; r < rows; ++r) {
    for (int t = 0; t < taps; ++t) {
      const bool pad = (r + t) % 4 == 0;
      const float* p = pad ? zero.data() : src.data() + ((r * 5 + t) % 6) * 2 * tap_k;
      table.push_back(p);
      for (int i = 0; i < tap_k; ++i) dense.push_back(pad ? 0.f : p[tap_k + i]);
    }
  }
  const int k = taps * tap_k;
  const std::vector<float> b = RandomVector(static_cast<size_t>(k * n), 8);
  PackedMatrixF32 packed;
  REQUIRE(packed.Pack(b.data(), k, n, n, 1, nullptr));
  std::vector<float> expected(static_cast<size_t>(rows * n));
  reference::GemmF32(rows, n, k, dense.data(), k, b.data(), n, 1, nullptr, expected.data(), n,
                     -std::numeric_limits<float>::infinity(),
                     std::numeric_limits<float>::infinity());
  std::vector<float> got(expected.size());
  ThreadPool pool(2);
  GemmF32(GemmInputF32::Indirect(table.data(), taps, tap_k, /*offset=*/tap_k, zero.data()), rows,
          packed, got.data(), n, -std::numeric_limits<float>::infinity(),
          std::numeric_limits<float>::infinity(), &pool);
  for (size_t i = 0; i < got.size(); ++i) CHECK(got[i] == Approx(expected[i]).margin(1e-5));
}
