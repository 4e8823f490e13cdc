#include "runtime/kernels/reference/broadcast.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "runtime/kernels/reference/binary_arithmetic.h"

namespace {

using litescope::runtime::Shape;
namespace ref = litescope::runtime::reference;

// out[i] = a[..] + b[..] computed the slow way: one multi-index per output element.
std::vector<int> NaiveBroadcastAdd(const Shape& as, const std::vector<int>& a, const Shape& bs,
                                   const std::vector<int>& b, const Shape& os) {
  const int r = os.rank();
  std::vector<int> out(static_cast<size_t>(os.FlatSize()));
  for (int64_t flat = 0; flat < os.FlatSize(); ++flat) {
    std::vector<int64_t> idx(static_cast<size_t>(r));
    int64_t rem = flat;
    for (int d = r - 1; d >= 0; --d) {
      idx[static_cast<size_t>(d)] = rem % os.dim(d);
      rem /= os.dim(d);
    }
    auto offset = [&](const Shape& s) {
      int64_t off = 0;
      for (int d = 0; d < s.rank(); ++d) {
        const int64_t i = s.dim(d) == 1 ? 0 : idx[static_cast<size_t>(r - s.rank() + d)];
        off = off * s.dim(d) + i;
      }
      return off;
    };
    out[static_cast<size_t>(flat)] =
        a[static_cast<size_t>(offset(as))] + b[static_cast<size_t>(offset(bs))];
  }
  return out;
}

std::vector<int> Iota(int64_t n, int start) {
  std::vector<int> v(static_cast<size_t>(n));
  for (size_t i = 0; i < v.size(); ++i) v[i] = start + static_cast<int>(i);
  return v;
}

}  // namespace

TEST_CASE("BroadcastShape follows NumPy rules", "[runtime][kernels][broadcast]") {
  Shape out;
  REQUIRE(ref::BroadcastShape(Shape{2, 1, 3}, Shape{4, 1}, &out));
  CHECK(out == Shape{2, 4, 3});
  REQUIRE(ref::BroadcastShape(Shape{}, Shape{5, 2}, &out));
  CHECK(out == Shape{5, 2});
  REQUIRE(ref::BroadcastShape(Shape{0, 3}, Shape{1, 3}, &out));
  CHECK(out == Shape{0, 3});
  CHECK_FALSE(ref::BroadcastShape(Shape{2, 3}, Shape{4, 3}, &out));
  CHECK_FALSE(ref::BroadcastShape(Shape{3}, Shape{2}, &out));
}

TEST_CASE("BroadcastLayout merges dims with equal broadcast patterns",
          "[runtime][kernels][broadcast]") {
  SECTION("same shape collapses to one contiguous dim") {
    ref::BroadcastLayout<2> l;
    const Shape s{2, 3, 4};
    const Shape* in[2] = {&s, &s};
    REQUIRE(l.Init(in, s));
    CHECK(l.rank == 1);
    CHECK(l.dims[0] == 24);
    CHECK(l.inner_stride(0) == 1);
    CHECK(l.inner_stride(1) == 1);
  }
  SECTION("a scalar gets stride 0") {
    ref::BroadcastLayout<2> l;
    const Shape a{2, 3, 4};
    const Shape b{};
    const Shape* in[2] = {&a, &b};
    REQUIRE(l.Init(in, a));
    CHECK(l.rank == 1);
    CHECK(l.inner_stride(0) == 1);
    CHECK(l.inner_stride(1) == 0);
  }
  SECTION("[2, 1, 3] with [4, 1] keeps three dims") {
    ref::BroadcastLayout<2> l;
    const Shape a{2, 1, 3};
    const Shape b{4, 1};
    const Shape o{2, 4, 3};
    const Shape* in[2] = {&a, &b};
    REQUIRE(l.Init(in, o));
    CHECK(l.rank == 3);
    CHECK(l.elements == 24);
    CHECK(l.strides[0][0] == 3);
    CHECK(l.strides[0][1] == 0);
    CHECK(l.strides[0][2] == 1);
    CHECK(l.strides[1][0] == 0);
    CHECK(l.strides[1][1] == 1);
    CHECK(l.strides[1][2] == 0);
  }
  SECTION("an input that does not broadcast is rejected") {
    ref::BroadcastLayout<2> l;
    const Shape a{2, 3};
    const Shape b{4, 3};
    const Shape* in[2] = {&a, &b};
    CHECK_FALSE(l.Init(in, a));
  }
}

TEST_CASE("BroadcastBinary matches a naive broadcast", "[runtime][kernels][broadcast]") {
  struct Case {
    Shape a, b;
  };
  const Case cases[] = {
      {Shape{2, 1, 3}, Shape{4, 1}},
      {Shape{1, 4, 5, 3}, Shape{5, 3}},
      {Shape{2, 4, 1, 3}, Shape{1, 1, 5, 3}},
      {Shape{3}, Shape{}},
      {Shape{}, Shape{2, 2}},
      {Shape{2, 1, 3, 1, 2, 1}, Shape{1, 2, 1, 4, 1, 3}},
      {Shape{1, 1, 1}, Shape{1}},
      {Shape{200, 7}, Shape{7}},           // tiled path, longer than one tile
      {Shape{7}, Shape{200, 7}},           // tiled path, repeated row first
      {Shape{3, 100, 5}, Shape{3, 1, 5}},  // tiled path, repeated row changes with dim 0
  };
  for (const Case& c : cases) {
    Shape os;
    REQUIRE(ref::BroadcastShape(c.a, c.b, &os));
    const std::vector<int> a = Iota(c.a.FlatSize(), 1);
    const std::vector<int> b = Iota(c.b.FlatSize(), 1000);
    std::vector<int> out(static_cast<size_t>(os.FlatSize()), -1);
    REQUIRE(ref::BroadcastBinary(c.a, a.data(), c.b, b.data(), os, out.data(), ref::AddOp{}));
    CHECK(out == NaiveBroadcastAdd(c.a, a, c.b, b, os));

    // Any split of the output range gives the same result (what threads do).
    ref::BroadcastLayout<2> l;
    const Shape* in[2] = {&c.a, &c.b};
    REQUIRE(l.Init(in, os));
    std::vector<int> split(out.size(), -1);
    const int64_t n = l.elements;
    for (int64_t begin = 0; begin < n; begin += 5)
      ref::BroadcastBinaryRange(l, a.data(), b.data(), split.data(), begin,
                                std::min<int64_t>(begin + 5, n), ref::AddOp{});
    CHECK(split == out);
  }
}
