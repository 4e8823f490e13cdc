#include "runtime/kernels/optimized/conv_indirection.h"

namespace litescope::runtime::optimized {

void BuildConvIndirection(const ConvGeometry& g, const float* input, const float* zero,
                          const float** table) {
  const int taps = g.taps();
  for (int b = 0; b < g.batches; ++b) {
    const float* image = input + static_cast<int64_t>(b) * g.in_h * g.in_w * g.in_c;
    for (int oy = 0; oy < g.out_h; ++oy) {
      for (int ox = 0; ox < g.out_w; ++ox) {
        const int64_t row = (static_cast<int64_t>(b) * g.out_h + oy) * g.out_w + ox;
        const float** entry = table + row * taps;
        for (int ky = 0; ky < g.k_h; ++ky) {
          const int iy = oy * g.stride_h - g.pad_top + ky * g.dilation_h;
          for (int kx = 0; kx < g.k_w; ++kx) {
            const int ix = ox * g.stride_w - g.pad_left + kx * g.dilation_w;
            const bool inside = iy >= 0 && iy < g.in_h && ix >= 0 && ix < g.in_w;
            *entry++ = inside ? image + (static_cast<int64_t>(iy) * g.in_w + ix) * g.in_c : zero;
          }
        }
      }
    }
  }
}

}  // namespace litescope::runtime::optimized
