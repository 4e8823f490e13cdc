#include "runtime/op_registry.h"

#include <fmt/format.h>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {

OpRegistry OpRegistry::WithBuiltins() {
  OpRegistry r;
  // Every builtin kernel, alphabetical. A kernel is linked in only through this list.
  const KernelRegistration builtins[] = {
      MakeAssignVariableKernel(),
      MakeCallOnceKernel(),
      MakeIfKernel(),
      MakeReadVariableKernel(),
      MakeVarHandleKernel(),
      MakeWhileKernel(),
  };
  for (const KernelRegistration& k : builtins)
    if (k.prepare) r.Add(k);
  return r;
}

void OpRegistry::Add(const KernelRegistration& reg) {
  for (KernelRegistration& k : kernels_) {
    const bool same = k.op == reg.op &&
                      (reg.op != kCustomOpCode || std::string(k.name) == reg.name);
    if (same) {
      k = reg;
      return;
    }
  }
  kernels_.push_back(reg);
}

void OpRegistry::AddCustom(const std::string& name, KernelRegistration reg) {
  // The registration's name must outlive the registry; keep a copy we own.
  custom_names_.push_back(std::make_shared<std::string>(name));
  reg.name = custom_names_.back()->c_str();
  reg.op = kCustomOpCode;
  Add(reg);
}

const KernelRegistration* OpRegistry::Lookup(int32_t op, const std::string& custom_name) const {
  for (const KernelRegistration& k : kernels_) {
    if (k.op != op) continue;
    if (op == kCustomOpCode && custom_name != k.name) continue;
    return &k;
  }
  return nullptr;
}

Result<const KernelRegistration*> OpRegistry::Find(int32_t op, const std::string& custom_name,
                                                   int version) const {
  const KernelRegistration* k = Lookup(op, custom_name);
  const std::string name = op == kCustomOpCode ? custom_name : BuiltinOpName(op);
  if (!k) {
    if (op == kCustomOpCode)
      return UnsupportedOpError(fmt::format("custom op '{}' is not registered", custom_name));
    return UnsupportedOpError(fmt::format("op {} has no kernel in litescope", name));
  }
  if (version < k->min_version || version > k->max_version)
    return UnsupportedOpError(fmt::format("op {} version {} is not supported (kernel serves {}..{})",
                                          name, version, k->min_version, k->max_version));
  return k;
}

const char* BuiltinOpName(int32_t op) {
  if (op < 0 || op > static_cast<int32_t>(schema::BuiltinOperator::MAX)) return "UNKNOWN";
  const char* n = schema::EnumNameBuiltinOperator(static_cast<schema::BuiltinOperator>(op));
  return (n && *n) ? n : "UNKNOWN";
}

}  // namespace litescope::runtime
