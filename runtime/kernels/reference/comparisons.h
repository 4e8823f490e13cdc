#pragma once

#include <cstdint>

// Elementwise comparisons (EQUAL, NOT_EQUAL, LESS, LESS_EQUAL, GREATER, GREATER_EQUAL) and the
// binary logical ops (LOGICAL_AND, LOGICAL_OR): functors returning bool, usable with
// reference::BinarySpan / BroadcastBinary (broadcast.h).
//
// Bool tensors are read as uint8_t with any non-zero byte meaning true, so a model whose bool
// buffer holds other bytes than 0 and 1 cannot cause undefined behaviour; outputs are 0 or 1.
namespace litescope::runtime::reference {

struct EqualOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a == b;
  }
};
struct NotEqualOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a != b;
  }
};
struct LessOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a < b;
  }
};
struct LessEqualOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a <= b;
  }
};
struct GreaterOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a > b;
  }
};
struct GreaterEqualOp {
  template <typename T>
  bool operator()(T a, T b) const {
    return a >= b;
  }
};

// Equality of bool tensors stored as bytes.
struct BoolEqualOp {
  bool operator()(uint8_t a, uint8_t b) const { return (a != 0) == (b != 0); }
};
struct BoolNotEqualOp {
  bool operator()(uint8_t a, uint8_t b) const { return (a != 0) != (b != 0); }
};

struct LogicalAndOp {
  bool operator()(uint8_t a, uint8_t b) const { return (a != 0) & (b != 0); }
};
struct LogicalOrOp {
  bool operator()(uint8_t a, uint8_t b) const { return (a != 0) | (b != 0); }
};

// out[i] = !in[i] over n bool bytes.
inline void LogicalNot(const uint8_t* in, bool* out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = in[i] == 0;
}

}  // namespace litescope::runtime::reference
