#pragma once

#include <string>

#include "runtime/status.h"

namespace litescope::apps {

// Checks, before any work starts, that a file can later be written at `path`: it is an existing
// regular file we may write, or it does not exist and its folder exists and is writable. Creates
// nothing (a failed run leaves no empty or half-written file behind). `flag` names the option in
// the message: "--report_json=/nope/x.json: folder /nope does not exist".
Status CheckOutputPath(const std::string& flag, const std::string& path);

}  // namespace litescope::apps
