#pragma once

#include <string>

// Shared helpers for the tests.
namespace litescope::testing {

// Path of the shared ground-truth folder (../shared beside the checkout), or "" when absent.
// LITESCOPE_SHARED_DIR in the environment overrides it.
std::string SharedDir();

// Prints "SKIPPED: <test>: ../shared is missing" once per call site and returns true when the
// shared folder is missing; tests return early in that case (Catch2 v2 has no SKIP).
bool SkipWithoutShared(const char* test_name);

// A fresh empty directory under the build tree for a test's files.
std::string TempDir(const std::string& name);

}  // namespace litescope::testing
