#include "delegates/opencl/cl/opencl_device.h"

#include <cstdlib>

#include <fmt/format.h>

namespace litescope::delegates {
namespace {

const char* ClErrorText(cl_int err) {
  switch (err) {
    case CL_SUCCESS:
      return "CL_SUCCESS";
    case CL_DEVICE_NOT_FOUND:
      return "CL_DEVICE_NOT_FOUND";
    case CL_DEVICE_NOT_AVAILABLE:
      return "CL_DEVICE_NOT_AVAILABLE";
    case CL_COMPILER_NOT_AVAILABLE:
      return "CL_COMPILER_NOT_AVAILABLE";
    case CL_MEM_OBJECT_ALLOCATION_FAILURE:
      return "CL_MEM_OBJECT_ALLOCATION_FAILURE";
    case CL_OUT_OF_RESOURCES:
      return "CL_OUT_OF_RESOURCES";
    case CL_OUT_OF_HOST_MEMORY:
      return "CL_OUT_OF_HOST_MEMORY";
    case CL_PROFILING_INFO_NOT_AVAILABLE:
      return "CL_PROFILING_INFO_NOT_AVAILABLE";
    case CL_BUILD_PROGRAM_FAILURE:
      return "CL_BUILD_PROGRAM_FAILURE";
    case CL_INVALID_VALUE:
      return "CL_INVALID_VALUE";
    case CL_INVALID_PLATFORM:
      return "CL_INVALID_PLATFORM";
    case CL_INVALID_DEVICE:
      return "CL_INVALID_DEVICE";
    case CL_INVALID_CONTEXT:
      return "CL_INVALID_CONTEXT";
    case CL_INVALID_COMMAND_QUEUE:
      return "CL_INVALID_COMMAND_QUEUE";
    case CL_INVALID_MEM_OBJECT:
      return "CL_INVALID_MEM_OBJECT";
    case CL_INVALID_BINARY:
      return "CL_INVALID_BINARY";
    case CL_INVALID_BUILD_OPTIONS:
      return "CL_INVALID_BUILD_OPTIONS";
    case CL_INVALID_PROGRAM:
      return "CL_INVALID_PROGRAM";
    case CL_INVALID_PROGRAM_EXECUTABLE:
      return "CL_INVALID_PROGRAM_EXECUTABLE";
    case CL_INVALID_KERNEL_NAME:
      return "CL_INVALID_KERNEL_NAME";
    case CL_INVALID_KERNEL:
      return "CL_INVALID_KERNEL";
    case CL_INVALID_ARG_INDEX:
      return "CL_INVALID_ARG_INDEX";
    case CL_INVALID_ARG_VALUE:
      return "CL_INVALID_ARG_VALUE";
    case CL_INVALID_ARG_SIZE:
      return "CL_INVALID_ARG_SIZE";
    case CL_INVALID_KERNEL_ARGS:
      return "CL_INVALID_KERNEL_ARGS";
    case CL_INVALID_WORK_DIMENSION:
      return "CL_INVALID_WORK_DIMENSION";
    case CL_INVALID_WORK_GROUP_SIZE:
      return "CL_INVALID_WORK_GROUP_SIZE";
    case CL_INVALID_GLOBAL_WORK_SIZE:
      return "CL_INVALID_GLOBAL_WORK_SIZE";
    case CL_INVALID_EVENT:
      return "CL_INVALID_EVENT";
    case CL_INVALID_BUFFER_SIZE:
      return "CL_INVALID_BUFFER_SIZE";
    case -1001:
      return "CL_PLATFORM_NOT_FOUND_KHR";
    default:
      return "CL error";
  }
}

std::string PlatformString(cl_platform_id p, cl_platform_info what) {
  size_t n = 0;
  if (clGetPlatformInfo(p, what, 0, nullptr, &n) != CL_SUCCESS || n == 0) return "";
  std::string s(n, '\0');
  if (clGetPlatformInfo(p, what, n, s.data(), nullptr) != CL_SUCCESS) return "";
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

std::string DeviceString(cl_device_id d, cl_device_info what) {
  size_t n = 0;
  if (clGetDeviceInfo(d, what, 0, nullptr, &n) != CL_SUCCESS || n == 0) return "";
  std::string s(n, '\0');
  if (clGetDeviceInfo(d, what, n, s.data(), nullptr) != CL_SUCCESS) return "";
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

template <typename T>
T DeviceValue(cl_device_id d, cl_device_info what) {
  T v{};
  if (clGetDeviceInfo(d, what, sizeof(T), &v, nullptr) != CL_SUCCESS) return T{};
  return v;
}

const char* TypeName(cl_device_type t) {
  if (t & CL_DEVICE_TYPE_GPU) return "GPU";
  if (t & CL_DEVICE_TYPE_CPU) return "CPU";
  if (t & CL_DEVICE_TYPE_ACCELERATOR) return "ACCELERATOR";
  return "OTHER";
}

// An index when `s` is all digits.
bool ParseIndex(const std::string& s, int* out) {
  if (s.empty() || s.size() > 6) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  *out = std::atoi(s.c_str());
  return true;
}

bool Contains(const std::string& hay, const std::string& needle) {
  auto lower = [](std::string s) {
    for (char& c : s)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return s;
  };
  return lower(hay).find(lower(needle)) != std::string::npos;
}

std::string Names(const std::vector<OpenclDeviceInfo>& devices) {
  std::string s;
  for (const OpenclDeviceInfo& d : devices)
    s += fmt::format("{}{}: '{}' on platform {} '{}'", s.empty() ? "" : "; ", d.device_index,
                     d.name, d.platform_index, d.platform_name);
  return s;
}

}  // namespace

std::string ClErrorName(cl_int err) { return fmt::format("{} ({})", ClErrorText(err), err); }

Status ClError(const std::string& what, cl_int err) {
  return InternalError(fmt::format("OpenCL: {} failed: {}", what, ClErrorName(err)));
}

Result<std::vector<OpenclDeviceInfo>> EnumerateOpenclDevices() {
  cl_uint num_platforms = 0;
  cl_int err = clGetPlatformIDs(0, nullptr, &num_platforms);
  if (err != CL_SUCCESS || num_platforms == 0)
    return UnsupportedOpError(
        fmt::format("OpenCL: no platform found ({}); install an OpenCL driver (an ICD such as "
                    "pocl-opencl-icd)",
                    err != CL_SUCCESS ? ClErrorName(err) : "0 platforms"));
  std::vector<cl_platform_id> platforms(num_platforms);
  err = clGetPlatformIDs(num_platforms, platforms.data(), nullptr);
  if (err != CL_SUCCESS) return ClError("clGetPlatformIDs", err);
  std::vector<OpenclDeviceInfo> out;
  for (cl_uint p = 0; p < num_platforms; ++p) {
    cl_uint num_devices = 0;
    if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, nullptr, &num_devices) != CL_SUCCESS ||
        num_devices == 0)
      continue;
    std::vector<cl_device_id> devices(num_devices);
    if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, num_devices, devices.data(), nullptr) !=
        CL_SUCCESS)
      continue;
    const std::string platform_name = PlatformString(platforms[p], CL_PLATFORM_NAME);
    for (cl_device_id d : devices) {
      if (!DeviceValue<cl_bool>(d, CL_DEVICE_AVAILABLE)) continue;
      OpenclDeviceInfo info;
      info.platform_index = static_cast<int>(p);
      info.device_index = static_cast<int>(out.size());
      info.platform = platforms[p];
      info.device = d;
      info.platform_name = platform_name;
      info.name = DeviceString(d, CL_DEVICE_NAME);
      info.vendor = DeviceString(d, CL_DEVICE_VENDOR);
      info.driver_version = DeviceString(d, CL_DRIVER_VERSION);
      info.device_version = DeviceString(d, CL_DEVICE_VERSION);
      info.type = TypeName(DeviceValue<cl_device_type>(d, CL_DEVICE_TYPE));
      info.compute_units = DeviceValue<cl_uint>(d, CL_DEVICE_MAX_COMPUTE_UNITS);
      info.global_memory_bytes = DeviceValue<cl_ulong>(d, CL_DEVICE_GLOBAL_MEM_SIZE);
      info.max_alloc_bytes = DeviceValue<cl_ulong>(d, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
      info.max_work_group_size = DeviceValue<size_t>(d, CL_DEVICE_MAX_WORK_GROUP_SIZE);
      info.fp16 = DeviceString(d, CL_DEVICE_EXTENSIONS).find("cl_khr_fp16") != std::string::npos;
      out.push_back(std::move(info));
    }
  }
  if (out.empty())
    return UnsupportedOpError(
        fmt::format("OpenCL: {} platform(s) but no available device", num_platforms));
  return out;
}

Result<OpenclDeviceInfo> SelectOpenclDevice(const std::vector<OpenclDeviceInfo>& devices,
                                            const std::string& platform,
                                            const std::string& device) {
  std::vector<OpenclDeviceInfo> on_platform;
  int index = -1;
  const bool platform_is_index = ParseIndex(platform, &index);
  for (const OpenclDeviceInfo& d : devices)
    if (platform.empty() ||
        (platform_is_index ? d.platform_index == index : Contains(d.platform_name, platform)))
      on_platform.push_back(d);
  if (on_platform.empty())
    return InvalidArgumentError(
        fmt::format("--gpu_platform={}: no such OpenCL platform ({})", platform, Names(devices)));
  if (device.empty()) {
    for (const OpenclDeviceInfo& d : on_platform)
      if (d.type == "GPU") return d;
    return on_platform.front();
  }
  if (ParseIndex(device, &index)) {
    for (const OpenclDeviceInfo& d : on_platform)
      if (d.device_index == index) return d;
  } else {
    for (const OpenclDeviceInfo& d : on_platform)
      if (Contains(d.name, device)) return d;
  }
  return InvalidArgumentError(fmt::format("--gpu_device={}: no such OpenCL device{} ({})", device,
                                          platform.empty() ? "" : " on that platform",
                                          Names(on_platform)));
}

std::string FormatOpenclDevices(const std::vector<OpenclDeviceInfo>& devices) {
  std::string s;
  for (const OpenclDeviceInfo& d : devices) {
    s += fmt::format("OpenCL device {}: {}\n", d.device_index, d.name);
    s += fmt::format("  platform        : {} '{}'\n", d.platform_index, d.platform_name);
    s += fmt::format("  type            : {}\n", d.type);
    s += fmt::format("  vendor          : {}\n", d.vendor);
    s += fmt::format("  version         : {}\n", d.device_version);
    s += fmt::format("  driver          : {}\n", d.driver_version);
    s += fmt::format("  compute units   : {}\n", d.compute_units);
    s += fmt::format("  global memory   : {} MiB\n", d.global_memory_bytes >> 20);
    s += fmt::format("  max allocation  : {} MiB\n", d.max_alloc_bytes >> 20);
    s += fmt::format("  max work group  : {}\n", d.max_work_group_size);
    s += fmt::format("  fp16            : {} (cl_khr_fp16)\n", d.fp16 ? "yes" : "no");
  }
  return s;
}

}  // namespace litescope::delegates
