#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace litescope::runtime {

// A tensor shape: dimension sizes, outermost first (TFLite's row-major NHWC convention).
// Negative sizes appear only in shape signatures (-1 = unknown).
class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<int32_t> dims) : dims_(dims) {}
  explicit Shape(std::vector<int32_t> dims) : dims_(std::move(dims)) {}

  int rank() const { return static_cast<int>(dims_.size()); }
  int32_t dim(int i) const { return dims_[static_cast<size_t>(i)]; }
  int32_t& dim(int i) { return dims_[static_cast<size_t>(i)]; }
  const std::vector<int32_t>& dims() const { return dims_; }
  std::vector<int32_t>& dims() { return dims_; }

  // Product of all dimensions (1 for a scalar). Valid only for non-negative dims whose product
  // fits in int64 (the loader guarantees both for model shapes).
  int64_t FlatSize() const;
  // Product of the dimensions in [begin, end).
  int64_t FlatSize(int begin, int end) const;
  // False when a dimension is negative or the product overflows int64 (or exceeds `limit`).
  bool CheckedFlatSize(int64_t* out, int64_t limit = INT64_MAX) const;

  bool operator==(const Shape& o) const { return dims_ == o.dims_; }
  bool operator!=(const Shape& o) const { return dims_ != o.dims_; }

  // "[1, 224, 224, 3]"
  std::string ToString() const;

 private:
  std::vector<int32_t> dims_;
};

}  // namespace litescope::runtime
