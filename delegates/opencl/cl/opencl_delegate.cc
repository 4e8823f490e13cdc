#include "delegates/opencl/cl/opencl_delegate.h"

#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "delegates/opencl/cl/opencl_partition.h"

namespace litescope::delegates {

Result<std::unique_ptr<OpenclDelegate>> OpenclDelegate::Create(const OpenclOptions& options) {
  if (!options.cache_dir.empty()) {
    // An unusable cache is the caller's mistake: say so now, not as a fallback per node.
    std::error_code ec;
    std::filesystem::create_directories(options.cache_dir, ec);
    if (ec || !std::filesystem::is_directory(options.cache_dir, ec))
      return InvalidArgumentError(fmt::format("--gpu_cache_dir={}: cannot create the directory{}",
                                              options.cache_dir, ec ? ": " + ec.message() : ""));
  }
  Result<std::shared_ptr<OpenclContext>> context =
      OpenclContext::Create(options.platform, options.device);
  if (!context.ok()) return context.status();
  std::unique_ptr<OpenclDelegate> d(new OpenclDelegate());
  d->context_ = *context;
  d->programs_ = std::make_unique<OpenclProgramCache>(d->context_, options.cache_dir);
  return d;
}

Result<std::unique_ptr<runtime::DelegateKernel>> OpenclDelegate::CreateKernel(
    runtime::Subgraph& subgraph, const std::vector<int>& nodes) {
  Result<std::unique_ptr<OpenclPartition>> k = OpenclPartition::Create(*this, subgraph, nodes);
  if (!k.ok()) return k.status();
  return std::unique_ptr<runtime::DelegateKernel>(std::move(k.value()));
}

Result<std::unique_ptr<runtime::Delegate>> MakeOpenclDelegate(const OpenclOptions& options) {
  Result<std::unique_ptr<OpenclDelegate>> d = OpenclDelegate::Create(options);
  if (!d.ok()) return d.status();
  return std::unique_ptr<runtime::Delegate>(std::move(d.value()));
}

Result<std::string> ListOpenclDevices() {
  Result<std::vector<OpenclDeviceInfo>> devices = EnumerateOpenclDevices();
  if (!devices.ok()) return devices.status();
  return FormatOpenclDevices(*devices);
}

}  // namespace litescope::delegates
