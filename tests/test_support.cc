#include "tests/test_support.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace litescope::testing {

std::string SharedDir() {
  if (const char* env = std::getenv("LITESCOPE_SHARED_DIR"))
    return std::filesystem::is_directory(std::filesystem::path(env) / "models") ? env : "";
  std::filesystem::path p = std::filesystem::path(LITESCOPE_SOURCE_DIR).parent_path() / "shared";
  if (std::filesystem::is_directory(p / "models")) return p.string();
  return "";
}

bool SkipWithoutShared(const char* test_name) {
  if (!SharedDir().empty()) return false;
  std::printf("SKIPPED: %s: ../shared (ground-truth models) is missing\n", test_name);
  return true;
}

std::string TempDir(const std::string& name) {
  std::filesystem::path p = std::filesystem::path(LITESCOPE_BINARY_DIR) / "test_tmp" / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p.string();
}

}  // namespace litescope::testing
