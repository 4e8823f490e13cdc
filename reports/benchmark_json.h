#pragma once

#include <nlohmann/json.hpp>

#include "reports/benchmark_result.h"

namespace litescope::reports {

// Version tag written as "schema_version" by BenchmarkToJson. Bump it when a field changes
// meaning or disappears; adding fields keeps it. The JSON Schema is
// reports/benchmark_report.schema.json; docs/benchmark_report.md describes every field.
inline constexpr const char* kBenchmarkSchemaVersion = "litescope.benchmark/1";

// The whole result (environment, model, every flag, every run's latency, statistics, per-node
// statistics, memory) as one JSON document. Formats only.
nlohmann::json BenchmarkToJson(const BenchmarkResult& result);

// Build facts compiled into ls_reports: compiler name and version, CMake build type.
const char* CompilerDescription();
const char* BuildType();

}  // namespace litescope::reports
