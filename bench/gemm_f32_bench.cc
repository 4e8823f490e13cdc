// Throughput of the float32 GEMM behind CONV_2D, FULLY_CONNECTED and BATCH_MATMUL, single
// threaded, reported as FLOP/s (2 per multiply-add):
//
//   BM_GemmF32/<M>/<N>/<K>               dense A, packed B (1x1 convolutions, FC, matmul)
//   BM_ConvF32/<H>/<C>/<OC>/<k>/<stride> implicit GEMM through the indirection table (SAME)
//
// The shapes are the large layers of mobilenet_v1 and deeplabv3 plus square reference sizes.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "runtime/kernels/optimized/conv_indirection.h"
#include "runtime/kernels/optimized/gemm_f32.h"

namespace {

namespace opt = litescope::runtime::optimized;

std::vector<float> RandomVector(size_t n) {
  std::mt19937 rng(1);
  std::uniform_real_distribution<float> dist(-1.f, 1.f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

void SetFlops(benchmark::State& state, double flops) {
  state.counters["FLOPS"] = benchmark::Counter(flops, benchmark::Counter::kIsIterationInvariantRate,
                                               benchmark::Counter::kIs1000);
  state.SetLabel(opt::GemmF32KernelName());
}

void BM_GemmF32(benchmark::State& state) {
  const int m = static_cast<int>(state.range(0));
  const int n = static_cast<int>(state.range(1));
  const int k = static_cast<int>(state.range(2));
  const std::vector<float> a = RandomVector(static_cast<size_t>(m) * k);
  const std::vector<float> b = RandomVector(static_cast<size_t>(n) * k);
  const std::vector<float> bias = RandomVector(static_cast<size_t>(n));
  std::vector<float> c(static_cast<size_t>(m) * n);
  opt::PackedMatrixF32 packed;
  if (!packed.Pack(b.data(), k, n, /*k_stride=*/1, /*n_stride=*/k, bias.data())) {
    state.SkipWithError("out of memory");
    return;
  }
  for (auto _ : state) {
    opt::GemmF32(opt::GemmInputF32::Dense(a.data(), k), m, packed, c.data(), n, 0.f, 6.f, nullptr);
    benchmark::DoNotOptimize(c.data());
  }
  SetFlops(state, 2.0 * m * n * k);
}
BENCHMARK(BM_GemmF32)
    ->Args({3136, 64, 64})
    ->Args({196, 128, 128})
    ->Args({49, 256, 256})
    ->Args({1089, 256, 512})
    ->Args({1089, 160, 480})
    ->Args({1089, 480, 80})
    ->Args({1, 1001, 256})
    ->Args({256, 1000, 1024})
    ->Args({1024, 1024, 1024});

void BM_ConvF32(benchmark::State& state) {
  opt::ConvGeometry g;
  g.batches = 1;
  g.in_h = g.in_w = static_cast<int>(state.range(0));
  g.in_c = static_cast<int>(state.range(1));
  const int out_c = static_cast<int>(state.range(2));
  g.k_h = g.k_w = static_cast<int>(state.range(3));
  g.stride_h = g.stride_w = static_cast<int>(state.range(4));
  g.out_h = g.out_w = (g.in_h + g.stride_h - 1) / g.stride_h;
  g.pad_top = g.pad_left = std::max(0, ((g.out_h - 1) * g.stride_h + g.k_h - g.in_h) / 2);
  const int k = g.taps() * g.in_c;
  const std::vector<float> in = RandomVector(static_cast<size_t>(g.in_h) * g.in_w * g.in_c);
  const std::vector<float> filter = RandomVector(static_cast<size_t>(out_c) * k);
  const std::vector<float> zero(static_cast<size_t>(g.in_c), 0.f);
  std::vector<float> out(static_cast<size_t>(g.rows()) * out_c);
  std::vector<const float*> table(static_cast<size_t>(g.rows()) * g.taps());
  opt::BuildConvIndirection(g, in.data(), zero.data(), table.data());
  opt::PackedMatrixF32 packed;
  if (!packed.Pack(filter.data(), k, out_c, 1, k, nullptr)) {
    state.SkipWithError("out of memory");
    return;
  }
  const opt::GemmInputF32 a =
      opt::GemmInputF32::Indirect(table.data(), g.taps(), g.in_c, 0, zero.data());
  for (auto _ : state) {
    opt::GemmF32(a, static_cast<int>(g.rows()), packed, out.data(), out_c, 0.f, 6.f, nullptr);
    benchmark::DoNotOptimize(out.data());
  }
  SetFlops(state, 2.0 * static_cast<double>(g.rows()) * k * out_c);
}
BENCHMARK(BM_ConvF32)
    ->Args({224, 3, 8, 3, 2})
    ->Args({257, 3, 16, 3, 2})
    ->Args({56, 64, 64, 3, 1})
    ->Args({28, 128, 128, 3, 1});

}  // namespace

BENCHMARK_MAIN();
