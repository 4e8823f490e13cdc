#include "apps/common/isa_info.h"

#include <nlohmann/json.hpp>

#include "runtime/cpu_isa.h"
#include "runtime/kernels/optimized/gemm_f32.h"
#include "runtime/kernels/optimized/gemm_int8.h"
#include "runtime/kernels/optimized/isa_kernels.h"

namespace litescope::apps {

std::string IsaInfoJson() {
  using nlohmann::json;
  json levels = json::array();
  for (runtime::IsaLevel l : runtime::ArchitectureIsaLevels())
    levels.push_back(
        {{"name", runtime::IsaLevelName(l)}, {"cpu_supports", runtime::CpuSupportsIsa(l)}});
  json compiled = json::array();
  for (runtime::IsaLevel l : runtime::optimized::CompiledIsaLevels())
    compiled.push_back(runtime::IsaLevelName(l));
  const json j = {{"cpu_name", runtime::CpuName()},
                  {"cpu_features", runtime::CpuIsaFeatures()},
                  {"levels", levels},
                  {"compiled", compiled},
                  {"highest_supported", runtime::IsaLevelName(runtime::HighestSupportedIsa())},
                  {"active", runtime::IsaLevelName(runtime::ActiveIsa())},
                  {"kernels",
                   {{"gemm_f32", runtime::optimized::GemmF32KernelName()},
                    {"gemm_i8", runtime::optimized::GemmI8KernelName()}}}};
  return j.dump(2) + "\n";
}

}  // namespace litescope::apps
