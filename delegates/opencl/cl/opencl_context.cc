#include "delegates/opencl/cl/opencl_context.h"

#include "runtime/profiling_hooks.h"

namespace litescope::delegates {

Result<std::shared_ptr<OpenclContext>> OpenclContext::Create(const std::string& platform,
                                                             const std::string& device) {
  Result<std::vector<OpenclDeviceInfo>> devices = EnumerateOpenclDevices();
  if (!devices.ok()) return devices.status();
  Result<OpenclDeviceInfo> chosen = SelectOpenclDevice(*devices, platform, device);
  if (!chosen.ok()) return chosen.status();
  std::shared_ptr<OpenclContext> c(new OpenclContext());
  c->device_ = *chosen;
  const cl_context_properties props[] = {
      CL_CONTEXT_PLATFORM, reinterpret_cast<cl_context_properties>(c->device_.platform), 0};
  cl_int err = CL_SUCCESS;
  c->context_ = clCreateContext(props, 1, &c->device_.device, nullptr, nullptr, &err);
  if (!c->context_ || err != CL_SUCCESS) return ClError("clCreateContext", err);
  c->queue_ = clCreateCommandQueue(c->context_, c->device_.device, CL_QUEUE_PROFILING_ENABLE, &err);
  if (!c->queue_ || err != CL_SUCCESS) return ClError("clCreateCommandQueue", err);
  LS_RETURN_IF_ERROR(c->MeasureClockOffset());
  return c;
}

OpenclContext::~OpenclContext() {
  if (queue_) clReleaseCommandQueue(queue_);
  if (context_) clReleaseContext(context_);
}

Status OpenclContext::MeasureClockOffset() {
  // A marker's CL_PROFILING_COMMAND_END, taken right after clFinish, against the host clock.
  cl_event ev = nullptr;
  cl_int err = clEnqueueMarkerWithWaitList(queue_, 0, nullptr, &ev);
  if (err != CL_SUCCESS) return ClError("clEnqueueMarkerWithWaitList", err);
  err = clFinish(queue_);
  const int64_t host_ns = runtime::ProfilingClockNowNs();
  cl_ulong end = 0;
  if (err == CL_SUCCESS)
    err = clGetEventProfilingInfo(ev, CL_PROFILING_COMMAND_END, sizeof(end), &end, nullptr);
  clReleaseEvent(ev);
  if (err != CL_SUCCESS) return ClError("clGetEventProfilingInfo (marker)", err);
  device_to_host_offset_ns_ = host_ns - static_cast<int64_t>(end);
  return Status::Ok();
}

}  // namespace litescope::delegates
