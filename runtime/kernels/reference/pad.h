#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "runtime/shape.h"

// PAD, PADV2 and MIRROR_PAD. `before[d]` and `after[d]` are the (non-negative) numbers of
// elements added in front of and behind dimension d; output_shape.dim(d) equals
// input_shape.dim(d) + before[d] + after[d].
namespace litescope::runtime::reference {

namespace pad_internal {

template <typename T>
void Fill(T* out, int64_t n, T value) {
  std::fill(out, out + n, value);
}

// Writes the padded block of dimension d; `in` and `out` point at the block's first element.
template <typename T>
void PadDim(int d, const Shape& in_shape, const Shape& out_shape,
            const std::vector<int64_t>& before, const std::vector<int64_t>& after,
            const std::vector<int64_t>& in_strides, const std::vector<int64_t>& out_strides,
            const T* in, T pad_value, T* out) {
  const int64_t out_stride = out_strides[static_cast<size_t>(d)];
  const int64_t in_stride = in_strides[static_cast<size_t>(d)];
  const int64_t n = in_shape.dim(d);
  Fill(out, before[static_cast<size_t>(d)] * out_stride, pad_value);
  out += before[static_cast<size_t>(d)] * out_stride;
  if (d == in_shape.rank() - 1) {
    if (n > 0) std::memcpy(out, in, static_cast<size_t>(n) * sizeof(T));
  } else {
    for (int64_t i = 0; i < n; ++i)
      PadDim(d + 1, in_shape, out_shape, before, after, in_strides, out_strides, in + i * in_stride,
             pad_value, out + i * out_stride);
  }
  out += n * out_stride;
  Fill(out, after[static_cast<size_t>(d)] * out_stride, pad_value);
}

// Row-major strides: strides[d] = product of dims after d.
inline std::vector<int64_t> Strides(const Shape& s) {
  std::vector<int64_t> st(static_cast<size_t>(s.rank()), 1);
  for (int d = s.rank() - 2; d >= 0; --d)
    st[static_cast<size_t>(d)] = st[static_cast<size_t>(d) + 1] * s.dim(d + 1);
  return st;
}

}  // namespace pad_internal

// Surrounds the input with `pad_value`.
template <typename T>
void Pad(const Shape& input_shape, const std::vector<int64_t>& before,
         const std::vector<int64_t>& after, const T* input, T pad_value, const Shape& output_shape,
         T* output) {
  if (input_shape.rank() == 0) {
    output[0] = input[0];
    return;
  }
  pad_internal::PadDim(0, input_shape, output_shape, before, after,
                       pad_internal::Strides(input_shape), pad_internal::Strides(output_shape),
                       input, pad_value, output);
}

enum class MirrorPadMode { kReflect, kSymmetric };

// The input position that output position `p` of one dimension mirrors. REFLECT mirrors around
// the border element (excluding it), SYMMETRIC around the border (including it). Requires
// before, after <= n - 1 (REFLECT) or <= n (SYMMETRIC), so the result lies in [0, n).
inline int64_t MirrorSource(int64_t p, int64_t before, int64_t n, MirrorPadMode mode) {
  const int64_t skip = mode == MirrorPadMode::kReflect ? 1 : 0;
  if (p < before) return before - p - 1 + skip;  // distance k = before - p
  p -= before;
  if (p < n) return p;
  return n - 1 - (p - n) - skip;  // distance k = p - n + 1
}

namespace pad_internal {

template <typename T>
void MirrorDim(int d, const Shape& in_shape, const Shape& out_shape,
               const std::vector<std::vector<int64_t>>& sources,
               const std::vector<int64_t>& in_strides, const T* in, T*& out) {
  const int64_t n_out = out_shape.dim(d);
  const std::vector<int64_t>& src = sources[static_cast<size_t>(d)];
  const int64_t in_stride = in_strides[static_cast<size_t>(d)];
  if (d == in_shape.rank() - 1) {
    for (int64_t o = 0; o < n_out; ++o) *out++ = in[src[static_cast<size_t>(o)]];
    return;
  }
  for (int64_t o = 0; o < n_out; ++o)
    MirrorDim(d + 1, in_shape, out_shape, sources, in_strides,
              in + src[static_cast<size_t>(o)] * in_stride, out);
}

}  // namespace pad_internal

// Pads each dimension with a mirror image of the input next to the border.
template <typename T>
void MirrorPad(const Shape& input_shape, const std::vector<int64_t>& before, MirrorPadMode mode,
               const T* input, const Shape& output_shape, T* output) {
  if (input_shape.rank() == 0) {
    output[0] = input[0];
    return;
  }
  std::vector<std::vector<int64_t>> sources(static_cast<size_t>(input_shape.rank()));
  for (int d = 0; d < input_shape.rank(); ++d) {
    auto& src = sources[static_cast<size_t>(d)];
    src.resize(static_cast<size_t>(output_shape.dim(d)));
    for (int64_t p = 0; p < output_shape.dim(d); ++p)
      src[static_cast<size_t>(p)] =
          MirrorSource(p, before[static_cast<size_t>(d)], input_shape.dim(d), mode);
  }
  T* out = output;
  pad_internal::MirrorDim(0, input_shape, output_shape, sources, pad_internal::Strides(input_shape),
                          input, out);
}

}  // namespace litescope::runtime::reference
