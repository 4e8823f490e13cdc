#include "runtime/kernels/reference/densify.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "runtime/shape.h"

namespace {
using litescope::runtime::Shape;
namespace reference = litescope::runtime::reference;

reference::SparseLevel Dense(int32_t n) {
  reference::SparseLevel l;
  l.dense_size = n;
  return l;
}

reference::SparseLevel Csr(std::vector<int64_t> segments, std::vector<int64_t> indices) {
  reference::SparseLevel l;
  l.sparse = true;
  l.segments = std::move(segments);
  l.indices = std::move(indices);
  return l;
}

std::vector<float> Run(const Shape& shape, const reference::SparsityInfo& s,
                       const std::vector<float>& values, std::string* error = nullptr) {
  std::vector<float> out(static_cast<size_t>(shape.FlatSize()), -1.f);
  std::string e;
  const bool ok = reference::Densify(shape, s, values.data(), static_cast<int64_t>(values.size()),
                                     sizeof(float), out.data(), &e);
  if (error) *error = e;
  if (!ok) return {};
  return out;
}
}  // namespace

TEST_CASE("Densify expands a CSR matrix", "[runtime][kernels][densify]") {
  // [[0, 1, 0, 2], [0, 0, 0, 0], [3, 0, 0, 0]] stored row-major, rows dense, columns CSR.
  reference::SparsityInfo s;
  s.traversal_order = {0, 1};
  s.levels = {Dense(3), Csr({0, 2, 2, 3}, {1, 3, 0})};
  CHECK(Run(Shape{3, 4}, s, {1.f, 2.f, 3.f}) ==
        std::vector<float>{0, 1, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0});
}

TEST_CASE("Densify honours the traversal order", "[runtime][kernels][densify]") {
  // Column-major traversal of the same matrix: columns dense, rows CSR.
  reference::SparsityInfo s;
  s.traversal_order = {1, 0};
  s.levels = {Dense(4), Csr({0, 1, 2, 2, 3}, {2, 0, 0})};
  CHECK(Run(Shape{3, 4}, s, {3.f, 1.f, 2.f}) ==
        std::vector<float>{0, 1, 0, 2, 0, 0, 0, 0, 3, 0, 0, 0});
}

TEST_CASE("Densify expands 1x2 blocks", "[runtime][kernels][densify]") {
  // 2x4 matrix in 1x2 blocks along dimension 1: block columns {0, 1}; only block (0, 1) and
  // block (1, 0) are stored.
  //   [[0, 0, 5, 6],
  //    [7, 8, 0, 0]]
  reference::SparsityInfo s;
  s.traversal_order = {0, 1, 2};
  s.block_map = {1};
  s.levels = {Dense(2), Csr({0, 1, 2}, {1, 0}), Dense(2)};
  CHECK(Run(Shape{2, 4}, s, {5.f, 6.f, 7.f, 8.f}) == std::vector<float>{0, 0, 5, 6, 7, 8, 0, 0});
}

TEST_CASE("Densify rejects corrupt descriptions", "[runtime][kernels][densify]") {
  std::string error;
  reference::SparsityInfo s;
  s.traversal_order = {0, 1};
  SECTION("an index beyond the dense shape") {
    s.levels = {Dense(2), Csr({0, 1, 1}, {4})};
    CHECK(Run(Shape{2, 4}, s, {1.f}, &error).empty());
    CHECK(error.find("outside the dense shape") != std::string::npos);
  }
  SECTION("too few segments") {
    s.levels = {Dense(3), Csr({0, 1}, {0})};
    CHECK(Run(Shape{3, 4}, s, {1.f}, &error).empty());
  }
  SECTION("a segment past the indices") {
    s.levels = {Dense(1), Csr({0, 5}, {0})};
    CHECK(Run(Shape{1, 4}, s, {1.f}, &error).empty());
  }
  SECTION("more positions than stored values") {
    s.levels = {Dense(1), Csr({0, 2}, {0, 1})};
    CHECK(Run(Shape{1, 4}, s, {1.f}, &error).empty());
    CHECK(error.find("stored values") != std::string::npos);
  }
  SECTION("a traversal order that is not a permutation") {
    s.traversal_order = {0, 0};
    s.levels = {Dense(1), Dense(4)};
    CHECK(Run(Shape{1, 4}, s, {1.f, 2.f, 3.f, 4.f}, &error).empty());
  }
}
