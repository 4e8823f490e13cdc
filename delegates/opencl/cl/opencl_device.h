#pragma once

#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/status.h"

namespace litescope::delegates {

// "CL_OUT_OF_RESOURCES (-5)"
std::string ClErrorName(cl_int err);
// "OpenCL: <what> failed: CL_...": a kInternal error for a failed OpenCL call.
Status ClError(const std::string& what, cl_int err);

// One OpenCL device as the ICD loader reports it. The ids stay valid for the process.
struct OpenclDeviceInfo {
  int platform_index = 0;  // position in clGetPlatformIDs' list
  int device_index = 0;    // position in the list of all devices (every platform, in order)
  cl_platform_id platform = nullptr;
  cl_device_id device = nullptr;
  std::string platform_name;
  std::string name;
  std::string vendor;
  std::string driver_version;  // CL_DRIVER_VERSION
  std::string device_version;  // CL_DEVICE_VERSION ("OpenCL 3.0 PoCL ...")
  std::string type;            // "GPU", "CPU", "ACCELERATOR", "OTHER"
  uint32_t compute_units = 0;
  uint64_t global_memory_bytes = 0;
  uint64_t max_alloc_bytes = 0;
  size_t max_work_group_size = 0;
  bool fp16 = false;  // cl_khr_fp16
};

// Every device of every platform (CL_DEVICE_TYPE_ALL: a CPU implementation such as PoCL
// counts). Fails with kUnsupportedOp when the ICD loader finds no platform or no device.
Result<std::vector<OpenclDeviceInfo>> EnumerateOpenclDevices();

// Picks a device. `platform`: "" (any), a platform index, or a substring of the platform name.
// `device`: "" (the first GPU, else the first device), an index into `devices` (device_index),
// or a substring of the device name. Fails (kInvalidArgument) naming the devices when nothing
// matches.
Result<OpenclDeviceInfo> SelectOpenclDevice(const std::vector<OpenclDeviceInfo>& devices,
                                            const std::string& platform, const std::string& device);

// The table benchmark_model --list_gpu_devices prints: one block per device.
std::string FormatOpenclDevices(const std::vector<OpenclDeviceInfo>& devices);

}  // namespace litescope::delegates
