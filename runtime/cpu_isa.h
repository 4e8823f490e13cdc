#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Instruction-set levels of the CPU kernels and the run-time choice between them.
//
// litescope is built for the architecture's baseline (x86-64 or armv8-a); the optimized kernels
// are compiled once more per level they have code for (runtime/kernels/optimized/*.isa.cc) and
// the level in use is picked once from what the CPU reports, capped by the LITESCOPE_ISA
// environment variable or a tool's --isa flag. A kernel without code for the chosen level runs
// the highest level below it that it has.
namespace litescope::runtime {

// In increasing order within each architecture; a level implies the ones below it.
enum class IsaLevel : int {
  kBaseline = 0,  // x86-64 (SSE2) or armv8-a (NEON)
  kAvx2,          // x86-64-v3: AVX2, FMA, F16C, BMI1/2, LZCNT, MOVBE
  kAvx512,        // x86-64-v4: AVX-512 F, CD, BW, DQ, VL
  kAvx512Vnni,    // + AVX-512 VNNI
  kAmx,           // + AMX-TILE, AMX-INT8, with the OS permission for tile data
  kNeon,          // armv8-a with Advanced SIMD (the aarch64 baseline, named)
  kDotprod,       // + the dot-product extension (SDOT/UDOT)
};

const char* IsaLevelName(IsaLevel level);
// "baseline", "avx2", "avx512", "avx512vnni", "amx", "neon", "dotprod".
std::optional<IsaLevel> ParseIsaLevel(std::string_view name);
// The levels of the architecture this binary is built for, lowest first.
std::vector<IsaLevel> ArchitectureIsaLevels();
// "baseline, avx2, ..." for messages.
std::string ArchitectureIsaLevelList();
// Whether this CPU and OS can run code of `level` (false for another architecture's levels).
bool CpuSupportsIsa(IsaLevel level);
// The highest level this CPU supports.
IsaLevel HighestSupportedIsa();

// The level the kernels use now: the highest the CPU supports, capped by LITESCOPE_ISA (read
// on first use; an unknown value is reported on stderr once and ignored) or by SetIsaCap.
IsaLevel ActiveIsa();

// The outcome of asking for a level.
struct IsaRequest {
  IsaLevel active = IsaLevel::kBaseline;
  std::string note;  // set when the request was capped (the CPU lacks the level), else empty
};
// Caps the active level at `name` ("" or "auto": no cap, the highest supported level). Returns
// nullopt and sets *error for an unknown name or another architecture's level. A level above
// what the CPU supports is capped to the highest it has, with a note. Call before building
// interpreters: packed weights keep the kernels of the level they were packed for.
std::optional<IsaRequest> SetIsaCap(std::string_view name, std::string* error);
// Applies LITESCOPE_ISA and then `flag` (a tool's --isa value; empty: none) and prints the
// cap note, if any, on stderr. Returns false with *error for an unknown level.
bool ApplyIsaSelection(std::string_view flag, std::string* error);

// The CPU's brand string (cpuinfo's package name, else /proc/cpuinfo's model name).
std::string CpuName();
// The instruction-set features behind the levels that this CPU reports, e.g. "avx2", "fma",
// "avx512f", "avx512vnni", "amx_int8", "asimddp".
std::vector<std::string> CpuIsaFeatures();

}  // namespace litescope::runtime
