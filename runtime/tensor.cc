#include "runtime/tensor.h"

namespace litescope::runtime {

const char* AllocationName(Allocation a) {
  switch (a) {
    case Allocation::kNone:
      return "none";
    case Allocation::kConstant:
      return "constant";
    case Allocation::kArena:
      return "arena";
    case Allocation::kDynamic:
      return "dynamic";
    case Allocation::kPersistent:
      return "persistent";
    case Allocation::kFolded:
      return "folded";
  }
  return "unknown";
}

}  // namespace litescope::runtime
