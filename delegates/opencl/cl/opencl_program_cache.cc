#include "delegates/opencl/cl/opencl_program_cache.h"

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>
#include <vector>

#include <fmt/format.h>
#include <unistd.h>

namespace litescope::delegates {
namespace {

uint64_t Fnv1a(uint64_t h, const std::string& s) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  // A separator, so that ("ab", "c") and ("a", "bc") differ.
  h ^= 0xff;
  h *= 1099511628211ull;
  return h;
}

std::string BuildLog(cl_program program, cl_device_id device) {
  size_t n = 0;
  if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &n) != CL_SUCCESS ||
      n == 0)
    return "";
  std::string log(n, '\0');
  if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, n, log.data(), nullptr) !=
      CL_SUCCESS)
    return "";
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  if (log.size() > 2000) log = log.substr(0, 2000) + "...";
  for (char& c : log)
    if (c == '\n') c = ' ';
  return log;
}

}  // namespace

OpenclProgramCache::OpenclProgramCache(std::shared_ptr<OpenclContext> context, std::string dir)
    : context_(std::move(context)), dir_(std::move(dir)) {}

OpenclProgramCache::~OpenclProgramCache() {
  for (auto& [key, program] : programs_) clReleaseProgram(program);
}

std::string OpenclProgramCache::Key(const std::string& source, const std::string& options) const {
  const OpenclDeviceInfo& d = context_->device();
  uint64_t h = 14695981039346656037ull;
  for (const std::string* s :
       {&source, &options, &d.platform_name, &d.name, &d.device_version, &d.driver_version})
    h = Fnv1a(h, *s);
  return fmt::format("{:016x}", h);
}

cl_program OpenclProgramCache::LoadBinary(const std::string& path, const std::string& options) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return nullptr;
  std::vector<unsigned char> bytes((std::istreambuf_iterator<char>(f)),
                                   std::istreambuf_iterator<char>());
  if (bytes.empty()) return nullptr;
  const size_t size = bytes.size();
  const unsigned char* data = bytes.data();
  cl_int status = CL_SUCCESS, err = CL_SUCCESS;
  cl_device_id device = context_->device().device;
  cl_program p =
      clCreateProgramWithBinary(context_->context(), 1, &device, &size, &data, &status, &err);
  if (!p || err != CL_SUCCESS || status != CL_SUCCESS) {
    if (p) clReleaseProgram(p);
    return nullptr;
  }
  if (clBuildProgram(p, 1, &device, options.c_str(), nullptr, nullptr) != CL_SUCCESS) {
    clReleaseProgram(p);
    return nullptr;
  }
  return p;
}

void OpenclProgramCache::StoreBinary(cl_program program, const std::string& path) {
  size_t size = 0;
  if (clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, sizeof(size), &size, nullptr) !=
          CL_SUCCESS ||
      size == 0)
    return;
  std::vector<unsigned char> bytes(size);
  unsigned char* data = bytes.data();
  if (clGetProgramInfo(program, CL_PROGRAM_BINARIES, sizeof(data), &data, nullptr) != CL_SUCCESS)
    return;
  // A cache that cannot be written only costs the next run its build time.
  const std::string tmp = fmt::format("{}.tmp{}", path, static_cast<long>(getpid()));
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return;
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(size));
    if (!f) {
      f.close();
      std::remove(tmp.c_str());
      return;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) std::remove(tmp.c_str());
}

Result<cl_program> OpenclProgramCache::Get(const std::string& source, const std::string& options,
                                           const std::string& what) {
  const std::string key = Key(source, options);
  auto it = programs_.find(key);
  if (it != programs_.end()) {
    ++reused_;
    return it->second;
  }
  std::string path;
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    if (ec)
      return IoError(
          fmt::format("--gpu_cache_dir={}: cannot create the directory: {}", dir_, ec.message()));
    path = (std::filesystem::path(dir_) / (key + ".clbin")).string();
    if (cl_program p = LoadBinary(path, options)) {
      ++loaded_;
      programs_[key] = p;
      return p;
    }
  }
  const char* src = source.c_str();
  const size_t len = source.size();
  cl_int err = CL_SUCCESS;
  cl_program p = clCreateProgramWithSource(context_->context(), 1, &src, &len, &err);
  if (!p || err != CL_SUCCESS) return ClError(what + ": clCreateProgramWithSource", err);
  cl_device_id device = context_->device().device;
  err = clBuildProgram(p, 1, &device, options.c_str(), nullptr, nullptr);
  if (err != CL_SUCCESS) {
    const std::string log = BuildLog(p, device);
    clReleaseProgram(p);
    return InternalError(fmt::format("OpenCL: {}: clBuildProgram failed: {}{}", what,
                                     ClErrorName(err), log.empty() ? "" : ": " + log));
  }
  ++built_;
  programs_[key] = p;
  if (!path.empty()) StoreBinary(p, path);
  return p;
}

}  // namespace litescope::delegates
