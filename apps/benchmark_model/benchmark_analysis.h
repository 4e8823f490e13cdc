#pragma once

#include <memory>

#include <nlohmann/json.hpp>

#include "apps/benchmark_model/benchmark_flags.h"
#include "runtime/model.h"

namespace litescope::apps {

// The `analysis` object of --report_json: tflite_analyze's `compatibility` (cpu and every
// analyzable registered backend, checked with the run's backend flags) and `cost` objects
// (docs/analyze_json.md), so that one report joins the prediction with the measured timing.
// Builds its own interpreters (compatibility without AllocateTensors, so `allocation` is null):
// call it after the measurements. When the analysis fails the
// object is {"error": "<message>"}.
nlohmann::json AnalyzeForReport(const std::shared_ptr<const runtime::Model>& model,
                                const BenchmarkFlags& flags);

}  // namespace litescope::apps
