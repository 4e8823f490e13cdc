#pragma once

namespace litescope::reports {

// The git revision the litescope libraries and tools were built from: the first 12 hex digits
// of HEAD, with "-dirty" appended when tracked files had uncommitted changes, or "unknown"
// (no git, or not built from a git checkout). Determined at build time, not at configure time;
// defined in the generated <build>/gen/reports/git_revision.cc (cmake/git_revision.cmake).
const char* GitRevision();

}  // namespace litescope::reports
