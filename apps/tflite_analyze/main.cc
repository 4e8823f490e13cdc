// tflite_analyze MODEL [--json] [-o FILE]: prints the structure of a TFLite model.
// Exit codes: 0 ok, 1 the model (or the output file) failed, 2 usage error.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "analyzers/model_summary.h"
#include "apps/common/model_source.h"
#include "reports/analysis_report.h"

namespace {

struct Options {
  std::string model_path;
  bool json = false;
  std::string output_path;  // empty: stdout
};

// Writes `text` to the output file or stdout; returns false (and prints why) on failure.
bool WriteOutput(const Options& opt, const std::string& text) {
  if (opt.output_path.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return std::fflush(stdout) == 0;
  }
  std::FILE* f = std::fopen(opt.output_path.c_str(), "wb");
  if (!f) {
    fmt::print(stderr, "error: {}: cannot open for writing: {}\n", opt.output_path,
               std::strerror(errno));
    return false;
  }
  const bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  const bool closed = std::fclose(f) == 0;
  if (!written || !closed) {
    fmt::print(stderr, "error: {}: write failed\n", opt.output_path);
    return false;
  }
  return true;
}

int Run(int argc, char** argv) {
  CLI::App app{
      "Prints the structure of a TFLite model: subgraphs, operators with options, "
      "tensors, signatures, metadata, size split and quantization kind."};
  app.name("tflite_analyze");
  Options opt;
  app.add_option("MODEL", opt.model_path,
                 "Path of the .tflite file, or builtin:<name> for a sample model")
      ->required();
  app.add_flag("--json", opt.json, "Print JSON (schema litescope.analyze/1) instead of text");
  app.add_option("-o,--output", opt.output_path, "Write to FILE instead of stdout");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);  // prints help (rc 0) or the usage error
    return rc == 0 ? 0 : 2;
  }

  auto model = litescope::apps::LoadModel(opt.model_path);
  if (!model.ok()) {
    fmt::print(stderr, "error: {}\n", model.status().message());
    return 1;
  }
  const litescope::analyzers::ModelSummary summary = litescope::analyzers::SummarizeModel(**model);
  // Names in a model need not be valid UTF-8; JSON output replaces bad bytes with U+FFFD.
  const std::string text = opt.json ? litescope::reports::AnalysisToJson(summary).dump(
                                          2, ' ', false, nlohmann::json::error_handler_t::replace) +
                                          "\n"
                                    : litescope::reports::AnalysisToText(summary);
  return WriteOutput(opt, text) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    fmt::print(stderr, "error: {}\n", e.what());
  } catch (...) {
    fmt::print(stderr, "error: unexpected exception\n");
  }
  return 1;
}
