#pragma once

#include <cmath>
#include <cstdint>

// COMPLEX_ABS: magnitude of complex numbers stored as interleaved (real, imaginary) pairs.
namespace litescope::runtime::reference {

// output[i] = |input[2i] + i*input[2i+1]|, via hypot so that no intermediate overflows.
template <typename T>
inline void ComplexAbs(const T* input, int64_t n, T* output) {
  for (int64_t i = 0; i < n; ++i) output[i] = std::hypot(input[2 * i], input[2 * i + 1]);
}

}  // namespace litescope::runtime::reference
