#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/kernel_api.h"
#include "runtime/status.h"

namespace litescope::runtime {

// Builtin operator code of custom ops in the schema.
inline constexpr int32_t kCustomOpCode = 32;

// Maps (operator code, custom name, version) to a kernel. Registration is explicit: the builtin
// list is one alphabetical list in op_registry.cc; applications add custom ops with AddCustom.
class OpRegistry {
 public:
  OpRegistry() = default;

  // A registry holding every builtin kernel litescope has.
  static OpRegistry WithBuiltins();

  // Adds or replaces the kernel for reg.op (builtin) or reg.name (when reg.op is CUSTOM).
  void Add(const KernelRegistration& reg);
  // Registers a custom op kernel under `name` (the model's custom_code).
  void AddCustom(const std::string& name, KernelRegistration reg);

  // The kernel for a node, or nullptr. Does not look at versions.
  const KernelRegistration* Lookup(int32_t op, const std::string& custom_name) const;
  // The kernel serving this op at this version, or UnsupportedOp naming what is missing
  // (no kernel at all, or a version above the kernel's max_version).
  Result<const KernelRegistration*> Find(int32_t op, const std::string& custom_name,
                                         int version) const;

  const std::vector<KernelRegistration>& kernels() const { return kernels_; }

 private:
  std::vector<KernelRegistration> kernels_;
  std::vector<std::shared_ptr<std::string>> custom_names_;
};

// Schema name of a builtin operator code ("CONV_2D"); "UNKNOWN" when out of range.
const char* BuiltinOpName(int32_t op);

}  // namespace litescope::runtime
