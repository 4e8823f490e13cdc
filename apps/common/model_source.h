#pragma once

#include <memory>
#include <string>

#include "runtime/model.h"
#include "runtime/status.h"

namespace litescope::apps {

// Prefix that names a model built into litescope instead of a file ("builtin:mobilenet_like").
inline constexpr const char* kBuiltinPrefix = "builtin:";
// The model the tools run when none is given.
inline constexpr const char* kDefaultModel = "builtin:mobilenet_like";

// Loads a model file, or builds a built-in model when `path` starts with "builtin:".
Result<std::shared_ptr<const runtime::Model>> LoadModel(const std::string& path);

}  // namespace litescope::apps
