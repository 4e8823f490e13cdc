#pragma once

#include <string>
#include <vector>

#include "analyzers/compatibility.h"
#include "runtime/status.h"

namespace litescope::apps {

// The backends tflite_analyze evaluates: those of --backend (in the order given, duplicates
// dropped; every known backend when a gate is given without --backend), then the backend of
// --fail-on-fallback and "cpu" for --require-ops-supported when missing. Empty `out` (no --backend,
// no gate) means "all known backends". Fails with the message for a usage error on an unknown
// backend or a registered one that has no support checker (analyzers::CheckBackendName).
Status ResolveBackends(const std::vector<std::string>& requested,
                       const std::string& fail_on_fallback, bool require_ops_supported,
                       std::vector<std::string>* out);

// One line per tripped gate (empty: all passed):
//   "--fail-on-fallback=BACKEND: 3 of 31 node(s) fall back to the CPU (first: <reason>)"
//   "--require-ops-supported: 2 node(s) have no CPU kernel (first: <reason>)"
// `fail_on_fallback` empty means no fallback gate. A backend that is not available counts as a
// full fallback.
std::vector<std::string> CheckGates(const analyzers::CompatibilityReport& report,
                                    const std::string& fail_on_fallback,
                                    bool require_ops_supported);

}  // namespace litescope::apps
