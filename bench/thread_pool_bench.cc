// Cost of handing work to the thread pool: back-to-back ParallelFor calls whose chunks take a
// few microseconds each, as the ops of a small model do. The time per call minus the work
// itself is the hand-over overhead that decides whether a second thread pays off.
//
//   BM_ParallelFor/threads:<t>/work:<w>   one ParallelFor over t chunks, each w dependent
//                                         multiply-adds (w = 2000 is about 2.7 us here)
#include <benchmark/benchmark.h>

#include <cstdint>

#include "runtime/thread_pool.h"

namespace {

// About `iterations` dependent multiply-adds; the result keeps the compiler from dropping it.
uint64_t Work(int64_t iterations, uint64_t seed) {
  uint64_t x = seed;
  for (int64_t i = 0; i < iterations; ++i) x = x * 6364136223846793005ull + 1442695040888963407ull;
  return x;
}

void BM_ParallelFor(benchmark::State& state) {
  const int threads = static_cast<int>(state.range(0));
  const int64_t iterations = state.range(1);
  litescope::runtime::ThreadPool pool(threads);
  uint64_t sink[8] = {};
  for (auto _ : state) {
    pool.ParallelFor(threads, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) sink[i] += Work(iterations, static_cast<uint64_t>(i));
    });
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_ParallelFor)
    ->ArgNames({"threads", "work"})
    ->ArgsProduct({{1, 2}, {0, 2000, 20000}})
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
