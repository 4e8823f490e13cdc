#include "profiler/event_buffer.h"

#include <catch2/catch.hpp>

#include "runtime/profiling_hooks.h"

namespace lp = litescope::profiler;
namespace lr = litescope::runtime;

TEST_CASE("EventBuffer records begin/end pairs with the monotonic clock", "[profiler][events]") {
  lp::EventBuffer buf(8);
  buf.SetPhase(lp::Phase::kRegular, 3);
  const uint32_t outer = buf.Begin(lr::EventKind::kInvoke, "WHILE", 0, 2);
  const uint32_t inner = buf.Begin(lr::EventKind::kInvoke, "ADD", 1, 0);
  buf.End(inner);
  buf.End(outer);
  REQUIRE(buf.size() == 2);
  const lp::ProfileEvent& a = buf[0];
  const lp::ProfileEvent& b = buf[1];
  CHECK(std::string(a.tag) == "WHILE");
  CHECK(a.subgraph == 0);
  CHECK(a.node == 2);
  CHECK(a.run == 3);
  CHECK(a.phase == lp::Phase::kRegular);
  CHECK(b.subgraph == 1);
  // Nested events nest in time.
  CHECK(a.begin_ns <= b.begin_ns);
  CHECK(b.end_ns <= a.end_ns);
  CHECK(a.duration_ns() >= b.duration_ns());
}

TEST_CASE("EventBuffer drops events beyond its capacity without allocating", "[profiler][events]") {
  lp::EventBuffer buf(2);
  CHECK(buf.capacity() == 2);
  uint32_t h[3];
  for (uint32_t& x : h) x = buf.Begin(lr::EventKind::kInvoke, "OP", 0, 0);
  CHECK(h[2] == lp::EventBuffer::kDroppedHandle);
  for (uint32_t x : h) buf.End(x);  // ending a dropped event is harmless
  CHECK(buf.size() == 2);
  CHECK(buf.dropped() == 1);
  CHECK(buf.capacity() == 2);
  SECTION("Clear keeps the storage and the drop count") {
    buf.Clear();
    CHECK(buf.size() == 0);
    CHECK(buf.capacity() == 2);
    CHECK(buf.dropped() == 1);
  }
  SECTION("Reserve grows between runs") {
    buf.Reserve(16);
    CHECK(buf.capacity() == 16);
    CHECK(buf.size() == 2);
  }
}

TEST_CASE("EventBuffer tags events with the phase set before them", "[profiler][events]") {
  lp::EventBuffer buf(8);
  buf.SetPhase(lp::Phase::kInit, 0);
  buf.End(buf.Begin(lr::EventKind::kPrepare, "CONV_2D", 0, 0));
  buf.SetPhase(lp::Phase::kWarmup, 0);
  buf.End(buf.Begin(lr::EventKind::kInvoke, "CONV_2D", 0, 0));
  buf.SetPhase(lp::Phase::kRegular, 1);
  { lr::ScopedEvent ev(&buf, lr::EventKind::kDelegateOp, "XNN_OP", 0, 0); }
  REQUIRE(buf.size() == 3);
  CHECK(buf[0].phase == lp::Phase::kInit);
  CHECK(buf[0].kind == lr::EventKind::kPrepare);
  CHECK(buf[1].phase == lp::Phase::kWarmup);
  CHECK(buf[2].phase == lp::Phase::kRegular);
  CHECK(buf[2].run == 1);
  CHECK(buf[2].kind == lr::EventKind::kDelegateOp);
  CHECK(buf[2].end_ns >= buf[2].begin_ns);
  CHECK(std::string(lp::PhaseName(lp::Phase::kWarmup)) == "warmup");
}

TEST_CASE("EventBuffer stores recorded events with their own start, duration and clock",
          "[profiler][events]") {
  lp::EventBuffer buf(2);
  buf.SetPhase(lp::Phase::kRegular, 1);
  lr::RecordedEvent gpu;
  gpu.kind = lr::EventKind::kDeviceOp;
  gpu.tag = "CONV_2D";
  gpu.node = 4;
  gpu.start_ns = 1'000;
  gpu.duration_ns = 250;
  gpu.clock = lr::EventClock::kDevice;
  buf.Record(gpu);
  lr::RecordedEvent copy;
  copy.kind = lr::EventKind::kCopy;
  copy.tag = "host->device";
  copy.start_ns = 900;
  copy.duration_ns = 0;  // still counts as ended
  buf.Record(copy);
  buf.Record(copy);  // no room: dropped
  REQUIRE(buf.size() == 2);
  CHECK(buf.dropped() == 1);
  CHECK(buf[0].begin_ns == 1'000);
  CHECK(buf[0].end_ns == 1'250);
  CHECK(buf[0].duration_ns() == 250);
  CHECK(buf[0].clock == lr::EventClock::kDevice);
  CHECK(buf[0].run == 1);
  CHECK(buf[0].phase == lp::Phase::kRegular);
  CHECK(buf[1].kind == lr::EventKind::kCopy);
  CHECK(buf[1].clock == lr::EventClock::kHost);
  CHECK(buf[1].end_ns != 0);
  CHECK(buf[1].duration_ns() == 0);
}

TEST_CASE("Hooks that only time host code ignore recorded events", "[profiler][events]") {
  struct HostOnly : lr::ProfilingHooks {
    uint32_t Begin(lr::EventKind, const char*, int, int) override { return 0; }
    void End(uint32_t) override {}
  } hooks;
  lr::RecordedEvent e;
  hooks.Record(e);  // the default does nothing
  CHECK(lr::ProfilingClockNowNs() > 0);
}
