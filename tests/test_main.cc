// Catch2's main, plus the per-ISA-level runs: with LITESCOPE_ISA set (tests/cmake/isa_levels.cmake
// sets it), the kernels run at that level, and a level this CPU cannot run is reported as
// skipped instead of silently running a lower one.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "runtime/cpu_isa.h"

int main(int argc, char** argv) {
  namespace rt = litescope::runtime;
  if (const char* env = std::getenv("LITESCOPE_ISA"); env && *env) {
    const std::optional<rt::IsaLevel> level = rt::ParseIsaLevel(env);
    if (level && !rt::CpuSupportsIsa(*level)) {
      std::printf("SKIPPED: ISA level %s is not supported by this CPU (%s; highest: %s)\n", env,
                  rt::CpuName().c_str(), rt::IsaLevelName(rt::HighestSupportedIsa()));
      return 0;
    }
    if (!level || rt::ActiveIsa() != *level) {
      std::fprintf(stderr, "error: LITESCOPE_ISA=%s did not select that level (active: %s)\n", env,
                   rt::IsaLevelName(rt::ActiveIsa()));
      return 1;
    }
    std::printf("ISA level: %s\n", env);
  }
  return Catch::Session().run(argc, argv);
}
