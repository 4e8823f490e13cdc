#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/delegate.h"
#include "runtime/kernel_api.h"
#include "runtime/status.h"

namespace litescope::runtime {

// Builtin operator code of custom ops in the schema.
inline constexpr int32_t kCustomOpCode = 32;

// What one registered kernel serves, for tools that report op coverage.
struct KernelSupport {
  std::string name;  // schema name ("CONV_2D") or custom code
  int32_t op = 0;    // builtin code; kCustomOpCode for custom ops
  int min_version = 1;
  int max_version = 1;
  std::vector<DataType> types;  // element types of input 0 it serves, as declared
  bool types_declared = false;  // false: the kernel lists none (its Prepare alone decides)
};

// Parses a KernelRegistration::types list ("float32,int8"; names as DataTypeShortName spells
// them). "any" gives every known type; an empty string gives an empty list (nothing declared);
// an unknown name fails with kInvalidArgument.
Result<std::vector<DataType>> ParseKernelTypes(const std::string& types);

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

  // Whether a kernel serves op `op` (custom ops by `custom_name`) at `version` with input 0 of
  // element type `input_type`, as the registrations declare it. Codes: kNoKernel (builtin
  // without a kernel), kCustomOp (custom name not registered), kOpVersion (version outside the
  // kernel's range), kInputType (the kernel declares its types and this is not one of them).
  // A kernel that declares no types passes the type check. Prepare may still refuse a node over
  // shapes, attributes or the types of its other tensors. The message names op, version, type.
  SupportResult Check(int32_t op, const std::string& custom_name, int version,
                      DataType input_type) const;
  // Check(...).supported() for a builtin op.
  bool Supports(int32_t op, int version, DataType input_type) const;
  // One entry per registered kernel, sorted by name (builtins and custom ops alike).
  std::vector<KernelSupport> ListSupport() const;

 private:
  std::vector<KernelRegistration> kernels_;
  std::vector<std::shared_ptr<std::string>> custom_names_;
};

// Schema name of a builtin operator code ("CONV_2D"); "UNKNOWN" when out of range.
const char* BuiltinOpName(int32_t op);

}  // namespace litescope::runtime
