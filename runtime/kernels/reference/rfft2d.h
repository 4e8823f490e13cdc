#pragma once

#include <cmath>
#include <complex>
#include <cstdint>
#include <vector>

// RFFT2D: 2-D discrete Fourier transform of real input over the two innermost axes,
//   X[k1, k2] = sum_{n1, n2} x[n1, n2] * exp(-2*pi*i * (k1*n1/H + k2*n2/W)),
// keeping k2 in [0, W/2] (the rest follows by conjugate symmetry). The input slice is cropped
// or zero-padded to the FFT size H x W first. Computed in double precision: radix-2 FFTs for
// power-of-two sizes, a direct DFT otherwise.
namespace litescope::runtime::reference {

inline bool IsPowerOfTwo(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

// In-place complex DFT of data[0], data[stride], ... data[(n-1)*stride]. `scratch` is resized
// as needed.
inline void ComplexDft(std::complex<double>* data, int64_t n, int64_t stride,
                       std::vector<std::complex<double>>* scratch) {
  constexpr double kPi = 3.14159265358979323846;
  scratch->resize(static_cast<size_t>(n));
  std::complex<double>* a = scratch->data();
  for (int64_t i = 0; i < n; ++i) a[i] = data[i * stride];
  if (IsPowerOfTwo(n)) {
    // Bit-reversal permutation, then log2(n) butterfly passes.
    for (int64_t i = 1, j = 0; i < n; ++i) {
      int64_t bit = n >> 1;
      for (; j & bit; bit >>= 1) j ^= bit;
      j ^= bit;
      if (i < j) std::swap(a[i], a[j]);
    }
    for (int64_t len = 2; len <= n; len <<= 1) {
      const double ang = -2.0 * kPi / static_cast<double>(len);
      for (int64_t k = 0; k < len / 2; ++k) {
        const std::complex<double> w(std::cos(ang * static_cast<double>(k)),
                                     std::sin(ang * static_cast<double>(k)));
        for (int64_t i = 0; i < n; i += len) {
          const std::complex<double> u = a[i + k];
          const std::complex<double> v = a[i + k + len / 2] * w;
          a[i + k] = u + v;
          a[i + k + len / 2] = u - v;
        }
      }
    }
    for (int64_t i = 0; i < n; ++i) data[i * stride] = a[i];
    return;
  }
  for (int64_t k = 0; k < n; ++k) {
    std::complex<double> sum = 0.0;
    for (int64_t t = 0; t < n; ++t) {
      // Reduce k*t mod n first so the angle stays accurate for large n.
      const double ang = -2.0 * kPi * static_cast<double>((k * t) % n) / static_cast<double>(n);
      sum += a[t] * std::complex<double>(std::cos(ang), std::sin(ang));
    }
    data[k * stride] = sum;
  }
}

// input [batch..., in_h, in_w] viewed as `batches` slices; output [batches, fft_h, fft_w/2+1]
// as interleaved (real, imaginary) float pairs.
inline void Rfft2dFloat(const float* input, int64_t batches, int64_t in_h, int64_t in_w,
                        int64_t fft_h, int64_t fft_w, float* output) {
  const int64_t out_w = fft_w / 2 + 1;
  std::vector<std::complex<double>> grid(static_cast<size_t>(fft_h * fft_w));
  std::vector<std::complex<double>> scratch;
  for (int64_t b = 0; b < batches; ++b) {
    const float* x = input + b * in_h * in_w;
    for (int64_t r = 0; r < fft_h; ++r)
      for (int64_t c = 0; c < fft_w; ++c)
        grid[static_cast<size_t>(r * fft_w + c)] =
            (r < in_h && c < in_w) ? static_cast<double>(x[r * in_w + c]) : 0.0;
    for (int64_t r = 0; r < fft_h; ++r) ComplexDft(grid.data() + r * fft_w, fft_w, 1, &scratch);
    for (int64_t c = 0; c < out_w; ++c) ComplexDft(grid.data() + c, fft_h, fft_w, &scratch);
    float* y = output + b * fft_h * out_w * 2;
    for (int64_t r = 0; r < fft_h; ++r) {
      for (int64_t c = 0; c < out_w; ++c) {
        const std::complex<double> v = grid[static_cast<size_t>(r * fft_w + c)];
        y[(r * out_w + c) * 2] = static_cast<float>(v.real());
        y[(r * out_w + c) * 2 + 1] = static_cast<float>(v.imag());
      }
    }
  }
}

}  // namespace litescope::runtime::reference
