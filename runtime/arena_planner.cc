#include "runtime/arena_planner.h"

#include <algorithm>
#include <numeric>

namespace litescope::runtime {
namespace {

size_t AlignUp(size_t v, size_t a) { return (v + a - 1) / a * a; }

}  // namespace

int ArenaPlanner::Add(size_t bytes, int first_use, int last_use) {
  buffers_.push_back({bytes, first_use, std::max(first_use, last_use)});
  return static_cast<int>(buffers_.size() - 1);
}

Status ArenaPlanner::Plan() {
  std::vector<size_t> order(buffers_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (buffers_[a].bytes != buffers_[b].bytes) return buffers_[a].bytes > buffers_[b].bytes;
    return buffers_[a].first_use < buffers_[b].first_use;
  });
  std::vector<size_t> placed;
  std::vector<size_t> live;
  total_bytes_ = 0;
  for (size_t id : order) {
    Buffer& b = buffers_[id];
    live.clear();
    for (size_t p : placed) {
      const Buffer& o = buffers_[p];
      if (o.first_use <= b.last_use && b.first_use <= o.last_use && o.bytes > 0) live.push_back(p);
    }
    std::sort(live.begin(), live.end(),
              [&](size_t x, size_t y) { return buffers_[x].offset < buffers_[y].offset; });
    size_t candidate = 0;
    for (size_t p : live) {
      const Buffer& o = buffers_[p];
      if (o.offset >= candidate && o.offset - candidate >= b.bytes) break;  // fits in the gap
      const size_t end = o.offset + o.bytes;
      if (end < o.offset) return OutOfMemoryError("arena size overflows");
      candidate = std::max(candidate, AlignUp(end, alignment_));
    }
    b.offset = candidate;
    if (b.offset + b.bytes < b.offset) return OutOfMemoryError("arena size overflows");
    total_bytes_ = std::max(total_bytes_, AlignUp(b.offset + b.bytes, alignment_));
    placed.push_back(id);
  }
  return Status::Ok();
}

}  // namespace litescope::runtime
