#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analyzers/cost.h"

namespace litescope::reports {

// The `cost` object of `tflite_analyze --json` (docs/analyze_json.md). Formats only.
nlohmann::json CostToJson(const analyzers::CostReport& report);

// Readable cost report: totals, the arena and the tensors live at its peak, per-op-type totals,
// the largest tensors and one line per node. Ends with a newline.
std::string CostToText(const analyzers::CostReport& report);

}  // namespace litescope::reports
