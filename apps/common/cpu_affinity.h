#pragma once

#include <string>
#include <vector>

#include "runtime/status.h"

namespace litescope::apps {

// Parses a CPU list ("0", "0,2-3") into CPU numbers, ascending and unique. Fails on bad syntax
// and on CPUs this process may not run on (outside its current affinity mask), naming the ones
// it may use.
Result<std::vector<int>> ParseCpuList(const std::string& list);

// Restricts this thread, and every thread it creates afterwards (thread pools included), to
// `cpus`. Call before the interpreter and delegates start their threads.
Status PinToCpus(const std::vector<int>& cpus);

}  // namespace litescope::apps
