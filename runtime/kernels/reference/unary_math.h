#pragma once

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "runtime/kernels/reference/binary_arithmetic.h"

// Elementwise unary math as TFLite computes it: EXP, LOG, SQRT, RSQRT, SQUARE, ABS, NEG, SIN,
// COS, FLOOR, CEIL, ROUND, SIGN. Each op is a functor; Unary() applies one over a flat range.
// Integer ABS and NEG wrap on the lowest value (ABS(INT_MIN) = INT_MIN) instead of overflowing.
namespace litescope::runtime::reference {

template <typename T, typename Out, typename Op>
inline void Unary(const T* in, Out* out, int64_t n, const Op& op) {
  for (int64_t i = 0; i < n; ++i) out[i] = op(in[i]);
}

struct ExpOp {
  float operator()(float x) const { return std::exp(x); }
};
struct LogOp {
  float operator()(float x) const { return std::log(x); }
};
struct SqrtOp {
  float operator()(float x) const { return std::sqrt(x); }
};
struct RsqrtOp {
  float operator()(float x) const { return 1.f / std::sqrt(x); }
};
struct SquareOp {
  float operator()(float x) const { return x * x; }
};
struct SinOp {
  float operator()(float x) const { return std::sin(x); }
};
struct CosOp {
  float operator()(float x) const { return std::cos(x); }
};
struct FloorOp {
  float operator()(float x) const { return std::floor(x); }
};
struct CeilOp {
  float operator()(float x) const { return std::ceil(x); }
};

// Round half to even ("banker's rounding"), independent of the FPU rounding mode:
// ROUND(0.5) = 0, ROUND(1.5) = 2, ROUND(2.5) = 2, ROUND(-2.5) = -2.
struct RoundOp {
  float operator()(float x) const {
    const float f = std::floor(x);
    const float diff = x - f;
    if (diff < 0.5f) return f;
    if (diff > 0.5f) return f + 1.f;
    // Exactly halfway (only possible when |x| < 2^23, so f is a small integer): pick the even.
    return std::fmod(f, 2.f) == 0.f ? f : f + 1.f;
  }
};

struct AbsOp {
  template <typename T>
  T operator()(T x) const {
    if constexpr (std::is_integral_v<T>)
      return x < 0 ? WrapNeg(x) : x;
    else
      return std::fabs(x);
  }
};

struct NegOp {
  template <typename T>
  T operator()(T x) const {
    if constexpr (std::is_integral_v<T>)
      return WrapNeg(x);
    else
      return -x;
  }
};

// -1, 0 or 1 (0 for NaN).
struct SignOp {
  template <typename T>
  T operator()(T x) const {
    return static_cast<T>(static_cast<int>(T(0) < x) - static_cast<int>(x < T(0)));
  }
};

}  // namespace litescope::runtime::reference
