#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

#include "runtime/shape.h"

// N-d broadcasting shared by the elementwise kernels (binary arithmetic, comparisons, logical
// ops, SELECT_V2, PRELU). Pure functions over shapes; no tensors, no threads.
//
// How a broadcast is walked:
//   1. BroadcastShape() right-aligns the input shapes (NumPy rules: equal dims, or one of them 1)
//      and gives the output shape.
//   2. BroadcastLayout::Init() pads every input to the output rank, drops output dims of size 1,
//      and merges neighbouring dims in which every input is either broadcast in both or in
//      neither. What remains is a short list of dims in which each input has a stride (0 where
//      it is broadcast). The same-shape case collapses to one dim with stride 1 everywhere, and a
//      scalar operand to one dim with stride 0.
//   3. ForEachSpan() cuts any range of flat output indices into spans that lie inside one row
//      of the innermost dim and calls fn(out_offset, in_offsets, length) for each. In a span,
//      input k advances by inner_stride(k), which is 0 or 1, so kernels write one tight,
//      vectorizable loop per stride pattern. Ranges may start anywhere, which lets a kernel
//      split the output between threads.
//   4. BroadcastBinaryRange() adds one shortcut for binary ops: when rows are short and one
//      operand repeats a row that the other walks contiguously (a per-channel bias on NHWC data),
//      the row is tiled into a small buffer and many rows run as one long span.
namespace litescope::runtime::reference {

// Highest rank the helpers handle (TFLite broadcasts up to 6 dims for most ops, 8 for SELECT_V2).
inline constexpr int kMaxBroadcastRank = 8;

// Output shape of broadcasting `a` and `b`; false when a pair of dims is neither equal nor 1.
// A dim of size 0 broadcast against 1 gives 0.
inline bool BroadcastShape(const Shape& a, const Shape& b, Shape* out) {
  const int rank = std::max(a.rank(), b.rank());
  Shape result(std::vector<int32_t>(static_cast<size_t>(rank), 1));
  for (int i = 0; i < rank; ++i) {
    const int ia = a.rank() - rank + i;
    const int ib = b.rank() - rank + i;
    const int32_t da = ia >= 0 ? a.dim(ia) : 1;
    const int32_t db = ib >= 0 ? b.dim(ib) : 1;
    if (da == db || db == 1) {
      result.dim(i) = da;
    } else if (da == 1) {
      result.dim(i) = db;
    } else {
      return false;
    }
  }
  *out = std::move(result);
  return true;
}

// Strides of N inputs broadcast to one output, with dims merged as far as possible (see above).
template <int N>
struct BroadcastLayout {
  int rank = 1;                                // >= 1 after Init
  int64_t dims[kMaxBroadcastRank] = {1};       // merged output dims, outermost first
  int64_t strides[N][kMaxBroadcastRank] = {};  // element strides per input; 0 = broadcast
  int64_t elements = 1;                        // output elements

  int64_t inner_stride(int k) const { return strides[k][rank - 1]; }

  // False when an input cannot broadcast to `out` or a rank exceeds kMaxBroadcastRank.
  bool Init(const Shape* const inputs[N], const Shape& out) {
    const int out_rank = out.rank();
    if (out_rank > kMaxBroadcastRank) return false;
    // Padded dims and broadcast flags per input.
    bool bcast[N][kMaxBroadcastRank] = {};
    for (int k = 0; k < N; ++k) {
      const Shape& in = *inputs[k];
      if (in.rank() > out_rank) return false;
      for (int d = 0; d < out_rank; ++d) {
        const int id = in.rank() - out_rank + d;
        const int32_t dim = id >= 0 ? in.dim(id) : 1;
        if (dim == out.dim(d)) continue;
        if (dim != 1) return false;
        bcast[k][d] = true;
      }
    }
    // Keep dims of size != 1 and merge runs with equal broadcast patterns.
    int64_t merged[kMaxBroadcastRank];
    bool merged_bcast[N][kMaxBroadcastRank];
    int m = 0;
    elements = 1;
    for (int d = 0; d < out_rank; ++d) {
      const int64_t dim = out.dim(d);
      elements *= dim;
      if (dim == 1) continue;
      bool same = m > 0;
      for (int k = 0; k < N && same; ++k) same = merged_bcast[k][m - 1] == bcast[k][d];
      if (same) {
        merged[m - 1] *= dim;
        continue;
      }
      merged[m] = dim;
      for (int k = 0; k < N; ++k) merged_bcast[k][m] = bcast[k][d];
      ++m;
    }
    if (m == 0) {
      merged[0] = 1;
      for (int k = 0; k < N; ++k) merged_bcast[k][0] = false;
      m = 1;
    }
    rank = m;
    for (int d = 0; d < m; ++d) dims[d] = merged[d];
    for (int k = 0; k < N; ++k) {
      int64_t stride = 1;
      for (int d = m - 1; d >= 0; --d) {
        if (merged_bcast[k][d]) {
          strides[k][d] = 0;
        } else {
          strides[k][d] = stride;
          stride *= dims[d];
        }
      }
    }
    return true;
  }
};

// Calls fn(int64_t out_offset, const int64_t* in_offsets, int64_t length) for consecutive spans
// covering flat output indices [begin, end). Within a span, input k's element i is at
// in_offsets[k] + i * layout.inner_stride(k).
template <int N, typename SpanFn>
void ForEachSpan(const BroadcastLayout<N>& layout, int64_t begin, int64_t end, SpanFn&& fn) {
  if (begin >= end) return;
  const int r = layout.rank;
  const int64_t inner = layout.dims[r - 1];
  if (inner <= 0) return;
  // Multi-index of `begin` over the outer dims, and the row's base offsets.
  int64_t idx[kMaxBroadcastRank] = {};
  int64_t row = begin / inner;
  int64_t col = begin % inner;
  for (int d = r - 2; d >= 0; --d) {
    idx[d] = row % layout.dims[d];
    row /= layout.dims[d];
  }
  int64_t base[N];
  for (int k = 0; k < N; ++k) {
    base[k] = 0;
    for (int d = 0; d < r - 1; ++d) base[k] += idx[d] * layout.strides[k][d];
  }
  int64_t pos = begin;
  int64_t offsets[N];
  while (true) {
    const int64_t len = std::min(inner - col, end - pos);
    for (int k = 0; k < N; ++k) offsets[k] = base[k] + col * layout.strides[k][r - 1];
    fn(pos, static_cast<const int64_t*>(offsets), len);
    pos += len;
    if (pos >= end) return;
    col = 0;
    for (int d = r - 2; d >= 0; --d) {
      ++idx[d];
      for (int k = 0; k < N; ++k) base[k] += layout.strides[k][d];
      if (idx[d] < layout.dims[d]) break;
      for (int k = 0; k < N; ++k) base[k] -= layout.strides[k][d] * layout.dims[d];
      idx[d] = 0;
    }
  }
}

// One span of a binary op: out[i] = op(a[i * sa], b[i * sb]) for i in [0, n), with sa and sb
// each 0 or 1. One loop per stride pattern keeps each loop simple enough to vectorize.
template <typename T, typename Out, typename Op>
inline void BinarySpan(const T* a, int64_t sa, const T* b, int64_t sb, Out* out, int64_t n,
                       const Op& op) {
  if (sa == 1 && sb == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = op(a[i], b[i]);
  } else if (sa == 1) {
    const T y = *b;
    for (int64_t i = 0; i < n; ++i) out[i] = op(a[i], y);
  } else if (sb == 1) {
    const T x = *a;
    for (int64_t i = 0; i < n; ++i) out[i] = op(x, b[i]);
  } else {
    const Out v = op(*a, *b);
    for (int64_t i = 0; i < n; ++i) out[i] = v;
  }
}

// Rows shorter than this take the tiled path of BroadcastBinaryRange.
inline constexpr int64_t kShortRow = 32;
// Elements in the tile buffer of that path.
inline constexpr int64_t kTileElements = 256;

// The tiled path: `x` is contiguous over the last two dims while `t` repeats one short row
// across the second-to-last dim (a per-channel bias on NHWC data, say). The repeated row is
// copied several times into a small buffer, so that many rows run as one long contiguous span
// instead of one short span each. kTileFirst: the repeated operand is op's first argument.
template <bool kTileFirst, typename T, typename Out, typename Op>
inline void TiledRowsRange(const BroadcastLayout<2>& layout, const T* x, const T* t, Out* out,
                           int64_t begin, int64_t end, const Op& op) {
  const int r = layout.rank;
  const int64_t inner = layout.dims[r - 1];
  const int kx = kTileFirst ? 1 : 0;
  const int kt = 1 - kx;
  BroadcastLayout<2> merged = layout;
  merged.rank = r - 1;
  merged.dims[r - 2] = layout.dims[r - 2] * inner;
  merged.strides[kx][r - 2] = 1;
  merged.strides[kt][r - 2] = 0;
  const int64_t row = merged.dims[r - 2];
  const int64_t tile_len = (kTileElements / inner) * inner;
  T tile[kTileElements];
  int64_t tile_base = -1;
  ForEachSpan(merged, begin, end, [&](int64_t o, const int64_t* in, int64_t n) {
    if (in[kt] != tile_base) {
      for (int64_t i = 0; i < tile_len; ++i) tile[i] = t[in[kt] + i % inner];
      tile_base = in[kt];
    }
    int64_t col = (o % row) % inner;
    const T* xp = x + in[kx];
    Out* dst = out + o;
    while (n > 0) {
      const int64_t len = std::min(n, tile_len - col);
      if (kTileFirst) {
        BinarySpan(tile + col, int64_t{1}, xp, int64_t{1}, dst, len, op);
      } else {
        BinarySpan(xp, int64_t{1}, tile + col, int64_t{1}, dst, len, op);
      }
      xp += len;
      dst += len;
      n -= len;
      col = 0;
    }
  });
}

// out[j] = op(a[..], b[..]) for output indices j in [begin, end) of a prepared layout.
template <typename T, typename Out, typename Op>
inline void BroadcastBinaryRange(const BroadcastLayout<2>& layout, const T* a, const T* b, Out* out,
                                 int64_t begin, int64_t end, const Op& op) {
  const int r = layout.rank;
  if (r >= 2 && layout.dims[r - 1] < kShortRow) {
    const int64_t inner = layout.dims[r - 1];
    auto repeats = [&](int k) {
      return layout.strides[k][r - 1] == 1 && layout.strides[k][r - 2] == 0;
    };
    auto contiguous = [&](int k) {
      return layout.strides[k][r - 1] == 1 && layout.strides[k][r - 2] == inner;
    };
    if (contiguous(0) && repeats(1)) {
      TiledRowsRange<false>(layout, a, b, out, begin, end, op);
      return;
    }
    if (repeats(0) && contiguous(1)) {
      TiledRowsRange<true>(layout, b, a, out, begin, end, op);
      return;
    }
  }
  const int64_t sa = layout.inner_stride(0);
  const int64_t sb = layout.inner_stride(1);
  ForEachSpan(layout, begin, end, [&](int64_t o, const int64_t* in, int64_t n) {
    BinarySpan(a + in[0], sa, b + in[1], sb, out + o, n, op);
  });
}

// Whole-tensor form: broadcasts a_shape and b_shape to out_shape (which the caller computed with
// BroadcastShape). Returns false when the shapes do not broadcast to out_shape.
template <typename T, typename Out, typename Op>
inline bool BroadcastBinary(const Shape& a_shape, const T* a, const Shape& b_shape, const T* b,
                            const Shape& out_shape, Out* out, const Op& op) {
  BroadcastLayout<2> layout;
  const Shape* shapes[2] = {&a_shape, &b_shape};
  if (!layout.Init(shapes, out_shape)) return false;
  BroadcastBinaryRange(layout, a, b, out, 0, layout.elements, op);
  return true;
}

}  // namespace litescope::runtime::reference
