#pragma once

#include <cstdint>

// Indirection table for implicit-GEMM convolution (GemmInputF32::Indirect): instead of copying
// input patches into an im2col matrix, the GEMM reads each filter tap's channels straight from
// the input through a pointer.
namespace litescope::runtime::optimized {

// Geometry of one NHWC convolution.
struct ConvGeometry {
  int batches = 0;
  int in_h = 0;
  int in_w = 0;
  int in_c = 0;  // channels per input pixel (all groups)
  int out_h = 0;
  int out_w = 0;
  int k_h = 1;
  int k_w = 1;
  int stride_h = 1;
  int stride_w = 1;
  int dilation_h = 1;
  int dilation_w = 1;
  int pad_top = 0;
  int pad_left = 0;

  int64_t rows() const { return static_cast<int64_t>(batches) * out_h * out_w; }
  int taps() const { return k_h * k_w; }
};

// Fills table[(row * taps + tap)] for every output pixel row = (b * out_h + y) * out_w + x and
// tap = ky * k_w + kx with the address of input pixel (b, y*sh - pt + ky*dh, x*sw - pl + kx*dw)
// or, when that lies in the padding, with `zero`. `table` holds g.rows() * g.taps() entries.
void BuildConvIndirection(const ConvGeometry& g, const float* input, const float* zero,
                          const float** table);

}  // namespace litescope::runtime::optimized
