#pragma once

#include <memory>
#include <string>

#include "delegates/opencl/cl/opencl_device.h"
#include "runtime/status.h"

namespace litescope::delegates {

// One OpenCL context and in-order command queue on one device, with event profiling enabled
// (CL_QUEUE_PROFILING_ENABLE: per-node device times cost nothing unless events are asked for).
// Shared by the delegate and its partitions (shared_ptr); the last owner releases it. Not
// thread-safe: one queue, used from the thread that runs the interpreter.
class OpenclContext {
 public:
  // Enumerates the devices, selects one (SelectOpenclDevice) and creates the context and queue.
  static Result<std::shared_ptr<OpenclContext>> Create(const std::string& platform,
                                                       const std::string& device);
  ~OpenclContext();
  OpenclContext(const OpenclContext&) = delete;
  OpenclContext& operator=(const OpenclContext&) = delete;

  const OpenclDeviceInfo& device() const { return device_; }
  cl_context context() const { return context_; }
  cl_command_queue queue() const { return queue_; }
  // Host CLOCK_MONOTONIC ns minus device ns, sampled at creation (CL 1.2 has no
  // clGetDeviceAndHostTimer): maps event timestamps onto the profiling clock.
  int64_t device_to_host_offset_ns() const { return device_to_host_offset_ns_; }

 private:
  OpenclContext() = default;
  Status MeasureClockOffset();

  OpenclDeviceInfo device_;
  cl_context context_ = nullptr;
  cl_command_queue queue_ = nullptr;
  int64_t device_to_host_offset_ns_ = 0;
};

}  // namespace litescope::delegates
