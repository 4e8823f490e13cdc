#pragma once

#include <cstdint>

// SELECT / SELECT_V2: out = condition ? x : y, elementwise over a broadcast layout
// (broadcast.h). Values are copied, never interpreted, so one instantiation per element size
// serves every type. The condition is a bool tensor read as bytes (non-zero = true).
namespace litescope::runtime::reference {

// One span: out[i] = c[i * sc] ? x[i * sx] : y[i * sy] for i in [0, n); each stride 0 or 1.
template <typename T>
inline void SelectSpan(const uint8_t* c, int64_t sc, const T* x, int64_t sx, const T* y, int64_t sy,
                       T* out, int64_t n) {
  if (sc == 1 && sx == 1 && sy == 1) {
    for (int64_t i = 0; i < n; ++i) out[i] = c[i] != 0 ? x[i] : y[i];
  } else if (sc == 0) {
    // A whole span takes one side.
    const T* src = *c != 0 ? x : y;
    const int64_t s = *c != 0 ? sx : sy;
    if (s == 1) {
      for (int64_t i = 0; i < n; ++i) out[i] = src[i];
    } else {
      const T v = *src;
      for (int64_t i = 0; i < n; ++i) out[i] = v;
    }
  } else {
    for (int64_t i = 0; i < n; ++i) out[i] = c[i] != 0 ? x[i * sx] : y[i * sy];
  }
}

}  // namespace litescope::runtime::reference
