#include "runtime/cpu_isa.h"

#include <cpuinfo.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>

#if defined(__x86_64__)
#include <cpuid.h>
#if defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#endif
#endif

namespace litescope::runtime {
namespace {

struct LevelName {
  IsaLevel level;
  const char* name;
};
constexpr LevelName kNames[] = {
    {IsaLevel::kBaseline, "baseline"},     {IsaLevel::kAvx2, "avx2"}, {IsaLevel::kAvx512, "avx512"},
    {IsaLevel::kAvx512Vnni, "avx512vnni"}, {IsaLevel::kAmx, "amx"},   {IsaLevel::kNeon, "neon"},
    {IsaLevel::kDotprod, "dotprod"},
};

bool InitCpuinfo() {
  static const bool ok = cpuinfo_initialize();
  return ok;
}

#if defined(__x86_64__)
bool HasAvx2Level() {
  return cpuinfo_has_x86_avx2() && cpuinfo_has_x86_fma3() && cpuinfo_has_x86_f16c() &&
         cpuinfo_has_x86_bmi() && cpuinfo_has_x86_bmi2() && cpuinfo_has_x86_lzcnt() &&
         cpuinfo_has_x86_movbe();
}
bool HasAvx512Level() {
  return HasAvx2Level() && cpuinfo_has_x86_avx512f() && cpuinfo_has_x86_avx512cd() &&
         cpuinfo_has_x86_avx512bw() && cpuinfo_has_x86_avx512dq() && cpuinfo_has_x86_avx512vl();
}

// AMX: CPUID.(7,0):EDX bits 24 (AMX-TILE) and 25 (AMX-INT8), the OS saving the tile state
// (XCR0 bits 17 and 18), and on Linux the per-process permission to use tile data, which must
// be requested (arch_prctl ARCH_REQ_XCOMP_PERM for XFEATURE_XTILEDATA) before the first tile
// instruction. The Debian cpuinfo snapshot predates AMX, so this reads CPUID itself.
bool CpuidLeaf7Edx(int bit) {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return false;
  return (edx & (1u << bit)) != 0;
}
bool CpuidHasAmxInt8() { return CpuidLeaf7Edx(24) && CpuidLeaf7Edx(25); }
bool OsSavesTileState() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || (ecx & (1u << 27)) == 0) return false;  // OSXSAVE
  unsigned lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (lo & (3u << 17)) == (3u << 17);
}
bool RequestTileDataPermission() {
#if defined(__linux__) && defined(SYS_arch_prctl)
  constexpr int kArchReqXcompPerm = 0x1023;
  constexpr int kXfeatureXtiledata = 18;
  return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
#else
  return false;
#endif
}
bool HasAmxLevel() {
  static const bool ok = CpuidHasAmxInt8() && OsSavesTileState() && RequestTileDataPermission();
  return ok;
}
#endif

IsaLevel DetectHighest() {
  if (!InitCpuinfo()) return IsaLevel::kBaseline;
#if defined(__x86_64__)
  if (!HasAvx2Level()) return IsaLevel::kBaseline;
  if (!HasAvx512Level()) return IsaLevel::kAvx2;
  if (!cpuinfo_has_x86_avx512vnni()) return IsaLevel::kAvx512;
  if (!HasAmxLevel()) return IsaLevel::kAvx512Vnni;
  return IsaLevel::kAmx;
#elif defined(__aarch64__)
  return cpuinfo_has_arm_neon_dot() ? IsaLevel::kDotprod : IsaLevel::kNeon;
#else
  return IsaLevel::kBaseline;
#endif
}

// Active level, or -1 before the first use.
std::atomic<int> g_active{-1};
std::once_flag g_env_once;

void ApplyEnvironmentOnce() {
  std::call_once(g_env_once, [] {
    int level = static_cast<int>(HighestSupportedIsa());
    const char* env = std::getenv("LITESCOPE_ISA");
    if (env && *env) {
      std::string error;
      // SetIsaCap stores the level itself; only its failure needs handling here.
      const auto r = SetIsaCap(env, &error);
      if (!r) {
        std::fprintf(stderr, "warning: LITESCOPE_ISA ignored: %s\n", error.c_str());
      } else {
        level = static_cast<int>(r->active);
        if (!r->note.empty()) std::fprintf(stderr, "note: %s\n", r->note.c_str());
      }
    }
    int expected = -1;
    g_active.compare_exchange_strong(expected, level);
  });
}

}  // namespace

const char* IsaLevelName(IsaLevel level) {
  for (const LevelName& n : kNames)
    if (n.level == level) return n.name;
  return "unknown";
}

std::optional<IsaLevel> ParseIsaLevel(std::string_view name) {
  for (const LevelName& n : kNames)
    if (name == n.name) return n.level;
  return std::nullopt;
}

std::vector<IsaLevel> ArchitectureIsaLevels() {
#if defined(__x86_64__)
  return {IsaLevel::kBaseline, IsaLevel::kAvx2, IsaLevel::kAvx512, IsaLevel::kAvx512Vnni,
          IsaLevel::kAmx};
#elif defined(__aarch64__)
  return {IsaLevel::kNeon, IsaLevel::kDotprod};
#else
  return {IsaLevel::kBaseline};
#endif
}

std::string ArchitectureIsaLevelList() {
  std::string s;
  for (IsaLevel l : ArchitectureIsaLevels()) {
    if (!s.empty()) s += ", ";
    s += IsaLevelName(l);
  }
  return s;
}

bool CpuSupportsIsa(IsaLevel level) {
  const std::vector<IsaLevel> levels = ArchitectureIsaLevels();
  bool known = false;
  for (IsaLevel l : levels) known = known || l == level;
  if (!known) return level == IsaLevel::kBaseline;  // "baseline" names aarch64's neon too
  return static_cast<int>(level) <= static_cast<int>(HighestSupportedIsa());
}

IsaLevel HighestSupportedIsa() {
  static const IsaLevel highest = DetectHighest();
  return highest;
}

IsaLevel ActiveIsa() {
  int level = g_active.load(std::memory_order_acquire);
  if (level < 0) {
    ApplyEnvironmentOnce();
    level = g_active.load(std::memory_order_acquire);
  }
  return static_cast<IsaLevel>(level);
}

std::optional<IsaRequest> SetIsaCap(std::string_view name, std::string* error) {
  const IsaLevel highest = HighestSupportedIsa();
  IsaRequest r;
  if (name.empty() || name == "auto") {
    r.active = highest;
  } else {
    std::optional<IsaLevel> level = ParseIsaLevel(name);
#if defined(__aarch64__)
    if (level == IsaLevel::kBaseline) level = IsaLevel::kNeon;
#endif
    bool known = false;
    if (level)
      for (IsaLevel l : ArchitectureIsaLevels()) known = known || l == *level;
    if (!known) {
      *error = "unknown ISA level '" + std::string(name) +
               "' (levels on this architecture: " + ArchitectureIsaLevelList() + ", or auto)";
      return std::nullopt;
    }
    r.active = *level;
    if (static_cast<int>(*level) > static_cast<int>(highest)) {
      r.active = highest;
      r.note = "ISA level " + std::string(name) + " is not supported by this CPU (" + CpuName() +
               "); using " + IsaLevelName(highest);
    }
  }
  g_active.store(static_cast<int>(r.active), std::memory_order_release);
  return r;
}

bool ApplyIsaSelection(std::string_view flag, std::string* error) {
  ActiveIsa();  // LITESCOPE_ISA first, so that the flag overrides it
  if (flag.empty()) return true;
  const auto r = SetIsaCap(flag, error);
  if (!r) return false;
  if (!r->note.empty()) std::fprintf(stderr, "note: %s\n", r->note.c_str());
  return true;
}

std::string CpuName() {
  if (InitCpuinfo() && cpuinfo_get_packages_count() > 0) {
    const cpuinfo_package* p = cpuinfo_get_package(0);
    if (p && p->name[0] != '\0') return p->name;
  }
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const size_t colon = line.find(':');
      if (colon != std::string::npos && colon + 2 <= line.size()) return line.substr(colon + 2);
    }
  }
  return "unknown CPU";
}

std::vector<std::string> CpuIsaFeatures() {
  std::vector<std::string> f;
  if (!InitCpuinfo()) return f;
  auto add = [&f](bool has, const char* name) {
    if (has) f.emplace_back(name);
  };
#if defined(__x86_64__)
  add(cpuinfo_has_x86_sse4_2(), "sse4_2");
  add(cpuinfo_has_x86_avx(), "avx");
  add(cpuinfo_has_x86_avx2(), "avx2");
  add(cpuinfo_has_x86_fma3(), "fma");
  add(cpuinfo_has_x86_f16c(), "f16c");
  add(cpuinfo_has_x86_bmi2(), "bmi2");
  add(cpuinfo_has_x86_avx512f(), "avx512f");
  add(cpuinfo_has_x86_avx512cd(), "avx512cd");
  add(cpuinfo_has_x86_avx512bw(), "avx512bw");
  add(cpuinfo_has_x86_avx512dq(), "avx512dq");
  add(cpuinfo_has_x86_avx512vl(), "avx512vl");
  add(cpuinfo_has_x86_avx512vnni(), "avx512vnni");
  add(cpuinfo_has_x86_avx512bf16(), "avx512bf16");
  add(CpuidLeaf7Edx(23), "avx512fp16");
  add(CpuidHasAmxInt8(), "amx_int8");
  add(CpuidHasAmxInt8() && OsSavesTileState(), "amx_os_state");
#elif defined(__aarch64__)
  add(cpuinfo_has_arm_neon(), "asimd");
  add(cpuinfo_has_arm_neon_fp16_arith(), "asimdhp");
  add(cpuinfo_has_arm_neon_dot(), "asimddp");
  add(cpuinfo_has_arm_sve(), "sve");
#endif
  return f;
}

}  // namespace litescope::runtime
