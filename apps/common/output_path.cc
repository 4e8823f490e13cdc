#include "apps/common/output_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace litescope::apps {

Status CheckOutputPath(const std::string& flag, const std::string& path) {
  auto fail = [&](const std::string& why) {
    return InvalidArgumentError(fmt::format("--{}={}: {}", flag, path, why));
  };
  if (path.empty()) return fail("empty path");
  if (path.back() == '/') return fail("names a folder, not a file");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) return fail("is a folder, not a file");
    if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode))
      return fail("is not a regular file");
    if (::access(path.c_str(), W_OK) != 0)
      return fail(fmt::format("cannot be written ({})", std::strerror(errno)));
    return Status::Ok();
  }
  if (errno != ENOENT) return fail(std::strerror(errno));
  const size_t slash = path.find_last_of('/');
  const std::string folder = slash == std::string::npos ? "."
                             : slash == 0               ? "/"
                                                        : path.substr(0, slash);
  if (::stat(folder.c_str(), &st) != 0)
    return fail(fmt::format("folder {} does not exist", folder));
  if (!S_ISDIR(st.st_mode)) return fail(fmt::format("{} is not a folder", folder));
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    return fail(fmt::format("folder {} is not writable ({})", folder, std::strerror(errno)));
  return Status::Ok();
}

}  // namespace litescope::apps
