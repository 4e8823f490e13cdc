#pragma once

#include <map>
#include <memory>
#include <string>

#include "delegates/opencl/cl/opencl_context.h"
#include "runtime/status.h"

namespace litescope::delegates {

// Builds OpenCL programs, once per (source, options) within a delegate, and with a cache
// directory also across processes: the device binary (clGetProgramInfo CL_PROGRAM_BINARIES) is
// stored as <dir>/<key>.clbin, where the key is a 64-bit FNV-1a hash of the source, the build
// options, the platform, device name, device version and driver version, so a driver update
// or another device never loads a stale binary. A binary that fails to load or build is
// rebuilt from source and rewritten. Files are written to a temporary name and renamed, so
// concurrent processes never read half a file. Not thread-safe.
class OpenclProgramCache {
 public:
  // `dir` empty: no files. The directory is created when missing.
  OpenclProgramCache(std::shared_ptr<OpenclContext> context, std::string dir);
  ~OpenclProgramCache();
  OpenclProgramCache(const OpenclProgramCache&) = delete;
  OpenclProgramCache& operator=(const OpenclProgramCache&) = delete;

  // A built program; owned by the cache (valid while it lives). `what` names the node in
  // errors; a build error carries the compiler's log.
  Result<cl_program> Get(const std::string& source, const std::string& options,
                         const std::string& what);

  // Counters, for tests and the init-time log: programs built from source, loaded from
  // binaries, and served from memory.
  int built() const { return built_; }
  int loaded() const { return loaded_; }
  int reused() const { return reused_; }

 private:
  std::string Key(const std::string& source, const std::string& options) const;
  cl_program LoadBinary(const std::string& path, const std::string& options);
  void StoreBinary(cl_program program, const std::string& path);

  std::shared_ptr<OpenclContext> context_;
  std::string dir_;
  std::map<std::string, cl_program> programs_;  // key -> program
  int built_ = 0;
  int loaded_ = 0;
  int reused_ = 0;
};

}  // namespace litescope::delegates
