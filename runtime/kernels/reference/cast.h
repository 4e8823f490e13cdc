#pragma once

#include <fp16.h>

#include <cmath>
#include <complex>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

// CAST between element types, with TFLite's conversion rules and no undefined behaviour:
// - float -> integer saturates: values below the type's range give its lowest value, above it
//   its highest, NaN gives the highest (TFLite's SaturatingCastFloatingToInteger rule);
// - integer -> integer keeps the low bits (two's complement wrap);
// - anything -> bool is "!= 0" (NaN is true); bool -> anything is 0 or 1;
// - float16 and bfloat16 convert through float32 (bfloat16 rounds to nearest even);
// - complex64 -> real types uses the real part; real -> complex64 has imaginary part 0.
// Bool inputs are read as bytes (any non-zero byte is true).
namespace litescope::runtime::reference {

// Storage wrappers for the 16-bit float types and for bool bytes.
struct Half {
  uint16_t bits;
};
struct BFloat16 {
  uint16_t bits;
};
struct BoolByte {
  uint8_t byte;
};

inline float BFloat16ToFloat(uint16_t bits) {
  const uint32_t u = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &u, sizeof(f));
  return f;
}

inline uint16_t FloatToBFloat16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof(u));
  if (std::isnan(f)) return static_cast<uint16_t>((u >> 16) | 0x0040u);  // quiet NaN
  const uint32_t rounding = 0x7fffu + ((u >> 16) & 1u);
  return static_cast<uint16_t>((u + rounding) >> 16);
}

// The value a stored element stands for: float for the 16-bit floats, the real part of a
// complex, bool for bool bytes, the element itself otherwise.
inline float Widen(Half h) { return fp16_ieee_to_fp32_value(h.bits); }
inline float Widen(BFloat16 b) { return BFloat16ToFloat(b.bits); }
inline float Widen(std::complex<float> c) { return c.real(); }
inline bool Widen(BoolByte b) { return b.byte != 0; }
template <typename T>
inline T Widen(T v) {
  return v;
}

// Float -> integer with saturation; NaN -> max.
template <typename To, typename From>
inline To SaturatingFloatToInt(From v) {
  static_assert(std::is_floating_point_v<From> && std::is_integral_v<To>);
  if (std::isnan(v)) return std::numeric_limits<To>::max();
  const From lo = static_cast<From>(std::numeric_limits<To>::lowest());
  From hi = static_cast<From>(std::numeric_limits<To>::max());
  // When max() is not representable, From(max()) rounds up to 2^k: step just below it.
  if (static_cast<long double>(hi) > static_cast<long double>(std::numeric_limits<To>::max()))
    hi = std::nextafter(hi, From{0});
  if (v < lo) return std::numeric_limits<To>::lowest();
  if (v > hi) return std::numeric_limits<To>::max();
  return static_cast<To>(v);
}

// Converts one widened value to the storage type To.
template <typename To, typename W>
inline To Narrow(W w) {
  if constexpr (std::is_same_v<To, Half>) {
    return Half{fp16_ieee_from_fp32_value(static_cast<float>(w))};
  } else if constexpr (std::is_same_v<To, BFloat16>) {
    return BFloat16{FloatToBFloat16(static_cast<float>(w))};
  } else if constexpr (std::is_same_v<To, std::complex<float>>) {
    return std::complex<float>(static_cast<float>(w), 0.f);
  } else if constexpr (std::is_same_v<To, bool>) {
    return w != W{0};
  } else if constexpr (std::is_integral_v<To> && std::is_floating_point_v<W>) {
    return SaturatingFloatToInt<To>(w);
  } else {
    return static_cast<To>(w);
  }
}

template <typename To, typename From>
inline To CastValue(From v) {
  return Narrow<To>(Widen(v));
}

template <typename From, typename To>
inline void Cast(const From* in, To* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = CastValue<To>(in[i]);
}

// Packed sub-byte integers (INT4, UINT4: two per byte; INT2: four per byte), element 0 in the
// lowest bits of byte 0.
inline int PackedValue(const uint8_t* in, int64_t i, int bits, bool is_signed) {
  const int per_byte = 8 / bits;
  const int shift = static_cast<int>(i % per_byte) * bits;
  const int mask = (1 << bits) - 1;
  const int raw = (in[i / per_byte] >> shift) & mask;
  return is_signed && raw >= (1 << (bits - 1)) ? raw - (1 << bits) : raw;
}

inline void UnpackToFloat(const uint8_t* in, float* out, int64_t n, int bits, bool is_signed) {
  for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(PackedValue(in, i, bits, is_signed));
}

// Clamps each float to [lo, hi] (NaN gives hi), truncates toward zero and packs. `out` must hold
// ceil(n * bits / 8) bytes.
inline void PackFromFloat(const float* in, uint8_t* out, int64_t n, int bits, int lo, int hi) {
  const int per_byte = 8 / bits;
  const int mask = (1 << bits) - 1;
  const int64_t bytes = (n + per_byte - 1) / per_byte;
  for (int64_t b = 0; b < bytes; ++b) out[b] = 0;
  for (int64_t i = 0; i < n; ++i) {
    const float x = in[i];
    const float c = !(x < static_cast<float>(hi))
                        ? static_cast<float>(hi)
                        : (x < static_cast<float>(lo) ? static_cast<float>(lo) : x);
    const int v = static_cast<int>(c);
    const int shift = static_cast<int>(i % per_byte) * bits;
    out[i / per_byte] = static_cast<uint8_t>(out[i / per_byte] | ((v & mask) << shift));
  }
}

}  // namespace litescope::runtime::reference
