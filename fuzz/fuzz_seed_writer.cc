// Writes the generated part of the fuzz seed corpus: every built-in sample model, the crafted
// hostile models (hostile_models.h) and COUNT synthesized models (model_synth.h), as
// builtin_<name>.tflite, hostile_<name>.tflite and synth_<n>.tflite in OUT_DIR.
//   fuzz_seed_writer [--count COUNT] [--hostile-dir DIR] OUT_DIR   (COUNT defaults to 300)
// --hostile-dir also writes the hostile models under their own names to DIR, with cases.tsv
// (name, tflite_run flags, expected error fragment; tab-separated) for the command-line test.
// scripts/fuzz_corpus.sh adds the models of ../shared.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz/hostile_models.h"
#include "fuzz/model_synth.h"
#include "runtime/sample_models.h"

namespace {

bool Write(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  if (!out) std::fprintf(stderr, "error: cannot write %s\n", path.c_str());
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  long count = 300;
  std::string hostile_dir, dir;
  bool usage_error = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--count" && i + 1 < argc)
      count = std::atol(argv[++i]);
    else if (arg == "--hostile-dir" && i + 1 < argc)
      hostile_dir = argv[++i];
    else if (dir.empty() && !arg.empty() && arg[0] != '-')
      dir = arg;
    else
      usage_error = true;
  }
  if (dir.empty() || usage_error) {
    std::fprintf(stderr, "usage: fuzz_seed_writer [--count N] [--hostile-dir DIR] OUT_DIR\n");
    return 2;
  }
  for (const litescope::runtime::SampleModelInfo& info : litescope::runtime::SampleModels()) {
    auto bytes = info.build();
    if (!bytes.ok()) {
      std::fprintf(stderr, "error: builtin:%s: %s\n", info.name.c_str(),
                   bytes.status().message().c_str());
      return 1;
    }
    if (!Write(dir + "/builtin_" + info.name + ".tflite", *bytes)) return 1;
  }
  std::string cases;
  for (const litescope::fuzz::HostileModel& m : litescope::fuzz::HostileModels()) {
    if (!Write(dir + "/hostile_" + m.name, m.bytes)) return 1;
    if (hostile_dir.empty()) continue;
    if (!Write(hostile_dir + "/" + m.name, m.bytes)) return 1;
    std::string flags;
    for (const std::string& f : m.flags) flags += (flags.empty() ? "" : " ") + f;
    cases += m.name + "\t" + flags + "\t" + m.expected + "\n";
  }
  if (!hostile_dir.empty() &&
      !Write(hostile_dir + "/cases.tsv", std::vector<uint8_t>(cases.begin(), cases.end())))
    return 1;
  for (long i = 1; i <= count; ++i) {
    if (!Write(dir + "/synth_" + std::to_string(i) + ".tflite",
               litescope::fuzz::SynthesizeModel(static_cast<uint64_t>(i))))
      return 1;
  }
  return 0;
}
