#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analyzers/compatibility.h"

namespace litescope::reports {

// The `compatibility` object of `tflite_analyze --json` (docs/analyze_json.md). Formats only.
nlohmann::json CompatibilityToJson(const analyzers::CompatibilityReport& report);

// Readable per-backend summary: verdict counts, partitions with their boundary tensors, one line
// per unsupported node with its reason code and sentence, then a per-node table with one column
// per backend. Ends with a newline.
std::string CompatibilityToText(const analyzers::CompatibilityReport& report);

}  // namespace litescope::reports
