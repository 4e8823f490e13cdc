#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

// Elementwise binary arithmetic as TFLite defines it: ADD, SUB, MUL, DIV, POW,
// SQUARED_DIFFERENCE, MAXIMUM, MINIMUM, FLOOR_DIV, FLOOR_MOD. Each op is a functor usable with
// reference::BinarySpan / BroadcastBinary (broadcast.h).
//
// Integer behaviour is defined for every input, without undefined behaviour:
// - ADD, SUB, MUL, NEG-like overflow wraps (two's complement), as TFLite's kernels do on the
//   platforms it runs on.
// - Division by zero is rejected by the kernels before these functors run; the functors still
//   return 0 for a zero divisor so that a direct caller cannot trigger a trap.
// - INT_MIN / -1 wraps to INT_MIN; INT_MIN mod -1 is 0.
namespace litescope::runtime::reference {

// Unsigned type in which an integer T computes with wrap-around; at least `unsigned` so that
// narrow types do not promote to (overflowing) int.
template <typename T>
using WrapType =
    std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;

template <typename T>
inline T WrapAdd(T a, T b) {
  return static_cast<T>(static_cast<WrapType<T>>(a) + static_cast<WrapType<T>>(b));
}
template <typename T>
inline T WrapSub(T a, T b) {
  return static_cast<T>(static_cast<WrapType<T>>(a) - static_cast<WrapType<T>>(b));
}
template <typename T>
inline T WrapMul(T a, T b) {
  return static_cast<T>(static_cast<WrapType<T>>(a) * static_cast<WrapType<T>>(b));
}
template <typename T>
inline T WrapNeg(T a) {
  return static_cast<T>(WrapType<T>{0} - static_cast<WrapType<T>>(a));
}

struct AddOp {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>)
      return WrapAdd(a, b);
    else
      return a + b;
  }
};

struct SubOp {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>)
      return WrapSub(a, b);
    else
      return a - b;
  }
};

struct MulOp {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>)
      return WrapMul(a, b);
    else
      return a * b;
  }
};

// Float division follows IEEE (x/0 = ±inf, 0/0 = NaN); integer division truncates toward zero.
struct DivOp {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      if (b == 0) return 0;
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return WrapNeg(a);
      }
      return static_cast<T>(a / b);
    } else {
      return a / b;
    }
  }
};

// Floats: std::pow. Integers (exponent >= 0, checked by the kernel): the value of std::pow on
// the converted operands, as TFLite computes it; results outside T's range give T's lowest
// value (what the x86 double->int conversion TFLite relies on yields).
struct PowOp {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      const double r = std::pow(static_cast<double>(a), static_cast<double>(b));
      // T's range is [lowest, 2^digits); both bounds are exact doubles.
      const double upper = std::ldexp(1.0, std::numeric_limits<T>::digits);
      if (!(r >= static_cast<double>(std::numeric_limits<T>::lowest()) && r < upper))
        return std::numeric_limits<T>::lowest();
      return static_cast<T>(r);
    } else {
      return std::pow(a, b);
    }
  }
};

struct SquaredDifferenceOp {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      const T d = WrapSub(a, b);
      return WrapMul(d, d);
    } else {
      const T d = a - b;
      return d * d;
    }
  }
};

// TFLite's comparisons, so NaN handling matches: MAXIMUM(NaN, x) = x, MAXIMUM(x, NaN) = NaN.
struct MaximumOp {
  template <typename T>
  T operator()(T a, T b) const {
    return a > b ? a : b;
  }
};

struct MinimumOp {
  template <typename T>
  T operator()(T a, T b) const {
    return a < b ? a : b;
  }
};

// floor(a / b). Floats divide in double and round down, as TFLite does. Integers use exact
// integer arithmetic, which equals TFLite's double-based result for 32-bit and narrower types.
struct FloorDivOp {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      if (b == 0) return 0;
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return WrapNeg(a);
        T q = static_cast<T>(a / b);
        if (static_cast<T>(a % b) != 0 && ((a < 0) != (b < 0))) q = static_cast<T>(q - 1);
        return q;
      } else {
        return static_cast<T>(a / b);
      }
    } else {
      return static_cast<T>(std::floor(static_cast<double>(a) / static_cast<double>(b)));
    }
  }
};

// a - floor(a / b) * b: the remainder takes the divisor's sign. Floats use fmod (x mod 0 = NaN).
struct FloorModOp {
  template <typename T>
  T operator()(T a, T b) const {
    if constexpr (std::is_integral_v<T>) {
      if (b == 0) return 0;
      if constexpr (std::is_signed_v<T>) {
        if (b == -1) return 0;
        const T r = static_cast<T>(a % b);
        return (r != 0 && ((r < 0) != (b < 0))) ? static_cast<T>(r + b) : r;
      } else {
        return static_cast<T>(a % b);
      }
    } else {
      const T r = std::fmod(a, b);
      return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
    }
  }
};

// op(a, b) clamped to [lo, hi] (a fused activation). NaN passes through, as in TFLite.
template <typename Op, typename T>
struct ClampedOp {
  Op op;
  T lo;
  T hi;
  T operator()(T a, T b) const {
    const T v = op(a, b);
    return v < lo ? lo : (v > hi ? hi : v);
  }
};

}  // namespace litescope::runtime::reference
