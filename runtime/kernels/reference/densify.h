#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "runtime/shape.h"

// DENSIFY: expands a sparse tensor stored in TFLite's TACO-style format into a dense row-major
// tensor. The format describes the tensor as a tree of "levels":
//   - levels [0, rank) iterate the original dimensions traversal_order[l] (divided into blocks
//     when the dimension appears in block_map), levels [rank, rank + blocks) iterate inside a
//     block; traversal_order gives, for each level, which dimension it walks (values >= rank
//     name block b = value - rank, which subdivides dimension block_map[b]);
//   - a DENSE level walks all `dense_size` positions; a SPARSE_CSR level walks only the
//     positions listed in indices[segments[p] .. segments[p+1]), where p is the position
//     reached in the parent level (for a dense parent, the parent's flattened position).
// The leaves, in traversal order, consume the stored values one by one.
//
// Every index read from the format is checked, so a corrupt description yields an error
// message rather than an out-of-range access.
namespace litescope::runtime::reference {

struct SparseLevel {
  bool sparse = false;            // SPARSE_CSR when true, DENSE otherwise
  int32_t dense_size = 0;         // DENSE: positions in this level
  std::vector<int64_t> segments;  // SPARSE_CSR
  std::vector<int64_t> indices;   // SPARSE_CSR
};

struct SparsityInfo {
  std::vector<int> traversal_order;  // one entry per level
  std::vector<int> block_map;        // original dimension of each block dimension
  std::vector<SparseLevel> levels;   // dim_metadata, one per level
};

namespace internal {

class Densifier {
 public:
  Densifier(const Shape& shape, const SparsityInfo& s, const uint8_t* values, int64_t value_count,
            size_t element_bytes, uint8_t* output)
      : shape_(shape),
        s_(s),
        values_(values),
        value_count_(value_count),
        element_bytes_(element_bytes),
        output_(output) {}

  bool Run(std::string* error) {
    const int rank = shape_.rank();
    const size_t levels = s_.levels.size();
    const size_t blocks = s_.block_map.size();
    if (s_.traversal_order.size() != levels || levels != static_cast<size_t>(rank) + blocks)
      return Fail(error,
                  "traversal_order has " + std::to_string(s_.traversal_order.size()) +
                      " entries and dim_metadata " + std::to_string(levels) +
                      "; expected rank + block dimensions = " + std::to_string(rank + blocks));
    std::vector<bool> seen(levels, false);
    for (int t : s_.traversal_order) {
      if (t < 0 || static_cast<size_t>(t) >= levels || seen[static_cast<size_t>(t)])
        return Fail(error, "traversal_order is not a permutation");
      seen[static_cast<size_t>(t)] = true;
    }
    block_size_.assign(static_cast<size_t>(rank), 1);
    std::vector<bool> blocked(static_cast<size_t>(rank), false);
    for (size_t b = 0; b < blocks; ++b) {
      const int d = s_.block_map[b];
      if (d < 0 || d >= rank || blocked[static_cast<size_t>(d)])
        return Fail(error, "block_map entry " + std::to_string(d) + " is invalid");
      blocked[static_cast<size_t>(d)] = true;
      // The level that walks block b gives the block's size; it must be dense.
      for (size_t l = 0; l < levels; ++l) {
        if (s_.traversal_order[l] != rank + static_cast<int>(b)) continue;
        const SparseLevel& lv = s_.levels[l];
        if (lv.sparse || lv.dense_size <= 0)
          return Fail(error, "block dimension " + std::to_string(b) + " is not a dense level");
        block_size_[static_cast<size_t>(d)] = lv.dense_size;
      }
    }
    block_of_.assign(blocks, 0);
    for (size_t b = 0; b < blocks; ++b) block_of_[b] = s_.block_map[b];
    for (const SparseLevel& lv : s_.levels)
      if (!lv.sparse && lv.dense_size < 0) return Fail(error, "negative dense_size");
    outer_.assign(static_cast<size_t>(rank), 0);
    inner_.assign(static_cast<size_t>(rank), 0);
    std::memset(output_, 0, static_cast<size_t>(shape_.FlatSize()) * element_bytes_);
    return Visit(0, 0, error);
  }

 private:
  bool Fail(std::string* error, std::string message) {
    *error = std::move(message);
    return false;
  }

  // Sets the coordinate that level `l` walks to `i`.
  void SetCoordinate(size_t l, int64_t i) {
    const int rank = shape_.rank();
    const int t = s_.traversal_order[l];
    if (t < rank)
      outer_[static_cast<size_t>(t)] = i;
    else
      inner_[static_cast<size_t>(block_of_[static_cast<size_t>(t - rank)])] = i;
  }

  bool Leaf(std::string* error) {
    if (next_value_ >= value_count_)
      return Fail(error, "the format addresses more than the " + std::to_string(value_count_) +
                             " stored values");
    int64_t flat = 0;
    for (int d = 0; d < shape_.rank(); ++d) {
      const size_t k = static_cast<size_t>(d);
      const int64_t coord = outer_[k] * block_size_[k] + inner_[k];
      if (coord < 0 || coord >= shape_.dim(d))
        return Fail(error, "index " + std::to_string(coord) + " of dimension " + std::to_string(d) +
                               " is outside the dense shape " + shape_.ToString());
      flat = flat * shape_.dim(d) + coord;
    }
    std::memcpy(output_ + static_cast<size_t>(flat) * element_bytes_,
                values_ + static_cast<size_t>(next_value_) * element_bytes_, element_bytes_);
    ++next_value_;
    return true;
  }

  // `parent` is the position reached in the previous level.
  bool Visit(size_t level, int64_t parent, std::string* error) {
    if (level == s_.levels.size()) return Leaf(error);
    const SparseLevel& lv = s_.levels[level];
    if (!lv.sparse) {
      const int64_t n = lv.dense_size;
      if (n > 0 && parent > (INT64_MAX - n) / n) return Fail(error, "position overflows");
      for (int64_t i = 0; i < n; ++i) {
        SetCoordinate(level, i);
        if (!Visit(level + 1, parent * n + i, error)) return false;
      }
      return true;
    }
    if (parent < 0 || static_cast<size_t>(parent) + 1 >= lv.segments.size())
      return Fail(error, "level " + std::to_string(level) + " has " +
                             std::to_string(lv.segments.size()) + " segments; position " +
                             std::to_string(parent) + " needs more");
    const int64_t begin = lv.segments[static_cast<size_t>(parent)];
    const int64_t end = lv.segments[static_cast<size_t>(parent) + 1];
    if (begin < 0 || end < begin || static_cast<size_t>(end) > lv.indices.size())
      return Fail(error, "level " + std::to_string(level) + " segment [" + std::to_string(begin) +
                             ", " + std::to_string(end) + ") is outside its " +
                             std::to_string(lv.indices.size()) + " indices");
    for (int64_t k = begin; k < end; ++k) {
      SetCoordinate(level, lv.indices[static_cast<size_t>(k)]);
      if (!Visit(level + 1, k, error)) return false;
    }
    return true;
  }

  const Shape& shape_;
  const SparsityInfo& s_;
  const uint8_t* values_;
  int64_t value_count_;
  size_t element_bytes_;
  uint8_t* output_;
  std::vector<int64_t> block_size_;  // per original dimension (1 when not blocked)
  std::vector<int> block_of_;        // original dimension of each block
  std::vector<int64_t> outer_;       // per original dimension: block (or plain) coordinate
  std::vector<int64_t> inner_;       // per original dimension: coordinate inside the block
  int64_t next_value_ = 0;
};

}  // namespace internal

// Writes the dense tensor (dense_shape, row-major, element_bytes per element) to `output`,
// which must hold dense_shape.FlatSize() elements. Positions the format does not list are
// zero (all-zero bytes, which is 0 for every numeric type). `values` holds value_count stored
// elements. Returns false with a one-line reason in *error when the description is invalid.
inline bool Densify(const Shape& dense_shape, const SparsityInfo& sparsity, const void* values,
                    int64_t value_count, size_t element_bytes, void* output, std::string* error) {
  internal::Densifier d(dense_shape, sparsity, static_cast<const uint8_t*>(values), value_count,
                        element_bytes, static_cast<uint8_t*>(output));
  return d.Run(error);
}

}  // namespace litescope::runtime::reference
