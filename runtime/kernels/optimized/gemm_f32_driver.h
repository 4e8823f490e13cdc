#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <utility>

#include "runtime/kernels/optimized/gemm_f32.h"
#include "runtime/kernels/optimized/gemm_f32_microkernel.h"
#include "runtime/thread_pool.h"

#ifndef LS_ISA_LEVEL
#error "ISA kernel body: included only by runtime/kernels/optimized/kernels.isa.cc"
#endif

// The blocked GEMM loop around the micro-kernels, compiled once per ISA level; GemmF32 calls it
// through the kernels its packed matrix was made for.
namespace litescope::runtime::optimized {
inline namespace LS_ISA_NAMESPACE {
namespace gemm_f32 {

using internal::kMr;
using internal::kNr;
using internal::MicroKernelArgsF32;
using internal::MicroKernelF32;

// Cache blocking. A K block of one panel (kKc x kNr floats, 32 KiB with AVX-512) stays in L1
// while the kMc rows of a tile stream past it; the tile's A block (kMc x kKc) stays in L2.
constexpr int kKc = 256;
constexpr int kMc = 16 * kMr;
constexpr int kNcPanels = std::max(1, 128 / kNr);
// Least work (multiply-adds) worth handing to another thread: ~7 us on one core, about what
// waking a pool thread costs.
constexpr int64_t kMinTaskMacs = int64_t{1} << 20;

using KernelFn = void (*)(const MicroKernelArgsF32&);

template <int NV, size_t... I>
constexpr std::array<KernelFn, sizeof...(I)> MakeKernelRow(std::index_sequence<I...>) {
  return {&MicroKernelF32<static_cast<int>(I) + 1, NV>...};
}
// kKernels[nv - 1][mr - 1] computes mr rows of a full (nv = 2) or half (nv = 1) panel.
constexpr std::array<std::array<KernelFn, kMr>, 2> kKernels = {
    MakeKernelRow<1>(std::make_index_sequence<kMr>()),
    MakeKernelRow<2>(std::make_index_sequence<kMr>())};

struct Problem {
  const GemmInputF32* a;
  int m;
  const PackedMatrixF32* b;
  float* c;
  int64_t ldc;
  bool clamp;
  float min;
  float max;
  // K blocking: dense A splits K into k_blocks blocks of block_k floats; indirect A splits the
  // taps into blocks of block_taps whole taps.
  int k_blocks;
  int block_k;
  int block_taps;
};

// Computes rows [m0, m1) x panels [p0, p1) of C.
inline void RunTile(const Problem& x, int m0, int m1, int p0, int p1) {
  const GemmInputF32& a = *x.a;
  const PackedMatrixF32& b = *x.b;
  const int k_total = b.k();
  const int n = b.n();
  const bool indirect = a.table != nullptr;
  const float* rows[kMr] = {};
  MicroKernelArgsF32 g;
  g.ldc = x.ldc;
  g.min = x.min;
  g.max = x.max;
  g.zero = indirect ? a.zero : nullptr;
  for (int kb = 0; kb < x.k_blocks; ++kb) {
    int t0 = 0;
    int b_row0 = 0;
    if (indirect) {
      t0 = kb * x.block_taps;
      g.ks = std::min(x.block_taps, a.taps - t0);
      g.kc = a.tap_k;
      g.a_offset = a.offset;
      b_row0 = t0 * a.tap_k;
    } else {
      const int k0 = kb * x.block_k;
      g.ks = 1;
      g.kc = std::min(x.block_k, k_total - k0);
      g.a_offset = k0;
      b_row0 = k0;
    }
    g.clamp = x.clamp && kb == x.k_blocks - 1;
    for (int p = p0; p < p1; ++p) {
      g.b = b.panel(p) + static_cast<int64_t>(b_row0) * kNr;
      g.bias = kb == 0 ? b.bias_panel(p) : nullptr;
      g.nr = std::min(kNr, n - p * kNr);
      const auto& kernels = kKernels[g.nr > kNr / 2 ? 1 : 0];
      for (int mm = m0; mm < m1; mm += kMr) {
        const int mr = std::min(kMr, m1 - mm);
        if (indirect) {
          g.a = a.table + static_cast<int64_t>(mm) * a.taps + t0;
          g.a_stride = a.taps;
        } else {
          for (int r = 0; r < mr; ++r) rows[r] = a.a + static_cast<int64_t>(mm + r) * a.lda;
          g.a = rows;
          g.a_stride = 1;
        }
        g.c = x.c + static_cast<int64_t>(mm) * x.ldc + static_cast<int64_t>(p) * kNr;
        kernels[static_cast<size_t>(mr - 1)](g);
      }
    }
  }
}

inline void Gemm(const GemmInputF32& a, int m, const PackedMatrixF32& b, float* c, int64_t ldc,
                 float out_min, float out_max, ThreadPool* pool) {
  constexpr float kInf = std::numeric_limits<float>::infinity();
  Problem x;
  x.a = &a;
  x.m = m;
  x.b = &b;
  x.c = c;
  x.ldc = ldc;
  x.clamp = !(out_min == -kInf && out_max == kInf);
  x.min = out_min;
  x.max = out_max;
  if (a.table) {
    x.block_taps = std::max(1, kKc / std::max(1, a.tap_k));
    x.k_blocks = std::max(1, (a.taps + x.block_taps - 1) / x.block_taps);
    x.block_k = 0;
  } else {
    // Equal blocks, so that the last one is not a sliver.
    const int k = b.k();
    x.k_blocks = std::max(1, (k + kKc - 1) / kKc);
    x.block_k = (k + x.k_blocks - 1) / x.k_blocks;
    x.block_taps = 1;
  }
  // Tiles: kMc rows x kNcPanels panels. With several threads, smaller tiles until each thread
  // gets a few (load balance), and no thread gets less than kMinTaskMacs of work (waking a
  // thread costs more than that).
  const int panels = b.panel_count();
  const int threads = pool ? pool->num_threads() : 1;
  int mc = kMc;
  int ncp = kNcPanels;
  auto tile_count = [&] {
    return static_cast<int64_t>((m + mc - 1) / mc) * ((panels + ncp - 1) / ncp);
  };
  while (threads > 1 && tile_count() < 4 * threads && (mc > kMr || ncp > 1)) {
    if (mc > kMr && (mc >= ncp * kNr || ncp == 1)) {
      mc = std::max(kMr, mc / 2 / kMr * kMr);
    } else {
      ncp = std::max(1, ncp / 2);
    }
  }
  const int m_tiles = (m + mc - 1) / mc;
  const int n_tiles = (panels + ncp - 1) / ncp;
  const int64_t tiles = static_cast<int64_t>(m_tiles) * n_tiles;
  auto run = [&](int64_t begin, int64_t end) {
    for (int64_t t = begin; t < end; ++t) {
      const int mt = static_cast<int>(t / n_tiles);
      const int nt = static_cast<int>(t % n_tiles);
      const int m0 = mt * mc;
      const int p0 = nt * ncp;
      RunTile(x, m0, std::min(m, m0 + mc), p0, std::min(panels, p0 + ncp));
    }
  };
  const int64_t tile_macs = static_cast<int64_t>(mc) * ncp * kNr * std::max(1, b.k());
  if (threads > 1 && tiles > 1) {
    pool->ParallelFor(tiles, std::max<int64_t>(1, kMinTaskMacs / tile_macs), run);
  } else {
    run(0, tiles);
  }
}

}  // namespace gemm_f32
}  // namespace LS_ISA_NAMESPACE
}  // namespace litescope::runtime::optimized
