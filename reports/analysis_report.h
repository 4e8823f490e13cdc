#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "analyzers/model_summary.h"

namespace litescope::reports {

// Version tag written as "schema_version" by AnalysisToJson; bump it when a field changes
// meaning or disappears (adding fields keeps it). Fields are described in docs/analyze_json.md.
inline constexpr const char* kAnalyzeSchemaVersion = "litescope.analyze/1";

// The whole summary as JSON with stable snake_case keys. Formats only.
nlohmann::json AnalysisToJson(const analyzers::ModelSummary& summary);

// A readable report in the spirit of TFLite's Analyzer: model, subgraphs with their ops
// ("Op#2 CONV_2D(T#137, T#44, T#93) -> [T#138]") and tensors, signatures, metadata, the size
// split with percentages, op counts and the parameter count. Ends with a newline.
std::string AnalysisToText(const analyzers::ModelSummary& summary);

}  // namespace litescope::reports
