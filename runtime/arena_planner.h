#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/status.h"

namespace litescope::runtime {

// Assigns offsets in one arena to buffers with known lifetimes, so buffers that are never live
// at the same time share bytes. Lifetimes are inclusive ranges of execution steps.
//
// The greedy-by-size algorithm:
//   1. Sort buffers by size, largest first (ties: earlier first use first, then insertion order).
//   2. For each buffer, collect the already placed buffers whose lifetimes overlap its own.
//   3. Walk those by offset and take the first gap (aligned) big enough; else place it after
//      the highest end among them.
//   4. The arena size is the highest end over all buffers.
// Deterministic: the same inputs give the same offsets.
class ArenaPlanner {
 public:
  explicit ArenaPlanner(size_t alignment = 64) : alignment_(alignment) {}

  // Returns the buffer's id. first_use <= last_use.
  int Add(size_t bytes, int first_use, int last_use);
  // Computes offsets. Fails only when the total overflows size_t.
  Status Plan();

  // Valid only after Plan() succeeds. The planner does not own any memory.
  size_t offset(int id) const { return buffers_[static_cast<size_t>(id)].offset; }
  size_t total_bytes() const { return total_bytes_; }
  size_t buffer_count() const { return buffers_.size(); }
  size_t alignment() const { return alignment_; }

 private:
  struct Buffer {
    size_t bytes;
    int first_use;
    int last_use;
    size_t offset = 0;
  };
  size_t alignment_;
  std::vector<Buffer> buffers_;
  size_t total_bytes_ = 0;
};

}  // namespace litescope::runtime
