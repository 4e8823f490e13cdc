#include "runtime/arena_planner.h"

#include <catch2/catch.hpp>

using litescope::runtime::ArenaPlanner;

TEST_CASE("ArenaPlanner reuses bytes of buffers that are no longer live", "[runtime][planner]") {
  ArenaPlanner p(/*alignment=*/64);
  int a = p.Add(64, 0, 1);
  int b = p.Add(64, 2, 3);
  REQUIRE(p.Plan().ok());
  CHECK(p.offset(a) == 0);
  CHECK(p.offset(b) == 0);
  CHECK(p.total_bytes() == 64);
}

TEST_CASE("ArenaPlanner separates buffers whose lifetimes overlap", "[runtime][planner]") {
  ArenaPlanner p(64);
  int a = p.Add(100, 0, 2);
  int b = p.Add(50, 1, 3);
  REQUIRE(p.Plan().ok());
  CHECK(p.offset(a) == 0);
  CHECK(p.offset(b) == 128);  // after a, aligned up
  CHECK(p.total_bytes() == 192);
}

TEST_CASE("ArenaPlanner places the largest buffer first and fills gaps", "[runtime][planner]") {
  // A chain a -> b -> c -> d where each buffer is live for two steps: the classic MobileNet
  // ping-pong. Sizes 256, 128, 256, 64 need 256 + 256 bytes at most.
  ArenaPlanner p(64);
  int a = p.Add(256, 0, 1);
  int b = p.Add(128, 1, 2);
  int c = p.Add(256, 2, 3);
  int d = p.Add(64, 3, 4);
  REQUIRE(p.Plan().ok());
  CHECK(p.offset(a) == 0);
  CHECK(p.offset(c) == 0);    // a is dead by step 2
  CHECK(p.offset(b) == 256);  // overlaps both a and c
  CHECK(p.offset(d) == 256);  // b is dead by step 3
  CHECK(p.total_bytes() == 384);
}

TEST_CASE("ArenaPlanner aligns every offset", "[runtime][planner]") {
  ArenaPlanner p(16);
  p.Add(3, 0, 5);
  p.Add(5, 0, 5);
  p.Add(7, 0, 5);
  REQUIRE(p.Plan().ok());
  for (int i = 0; i < 3; ++i) CHECK(p.offset(i) % 16 == 0);
  CHECK(p.total_bytes() == 48);
}

TEST_CASE("ArenaPlanner with no buffers needs no bytes", "[runtime][planner]") {
  ArenaPlanner p;
  REQUIRE(p.Plan().ok());
  CHECK(p.total_bytes() == 0);
}
