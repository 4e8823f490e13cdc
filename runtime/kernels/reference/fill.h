#pragma once

#include <cstdint>

// FILL and ZEROS_LIKE: every output element set to one value.
namespace litescope::runtime::reference {

template <typename T>
inline void Fill(T value, T* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = value;
}

}  // namespace litescope::runtime::reference
