#include "runtime/shape.h"

namespace litescope::runtime {

int64_t Shape::FlatSize() const { return FlatSize(0, rank()); }

int64_t Shape::FlatSize(int begin, int end) const {
  int64_t n = 1;
  for (int i = begin; i < end; ++i) n *= dims_[static_cast<size_t>(i)];
  return n;
}

bool Shape::CheckedFlatSize(int64_t* out, int64_t limit) const {
  // The non-zero dimensions must multiply within the limit too: kernels compute inner sizes
  // and strides from them even when another dimension is 0.
  int64_t n = 1, nonzero = 1;
  for (int32_t d : dims_) {
    if (d < 0) return false;
    if (d == 0) {
      n = 0;
      continue;
    }
    if (nonzero > limit / d) return false;
    nonzero *= d;
    n *= d;
  }
  *out = n;
  return true;
}

std::string Shape::ToString() const {
  std::string s = "[";
  for (size_t i = 0; i < dims_.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(dims_[i]);
  }
  return s + "]";
}

}  // namespace litescope::runtime
