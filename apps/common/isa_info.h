#pragma once

#include <string>

namespace litescope::apps {

// The CPU kernels' ISA levels as one JSON object (and a newline): the CPU's name, the
// architecture's levels, which of them the CPU supports, which this binary has kernel code
// for, the active level and its micro-kernels. Printed by `tflite_run --isa-info`; the ctest
// per-level tests read it to skip a level the CPU cannot run.
std::string IsaInfoJson();

}  // namespace litescope::apps
