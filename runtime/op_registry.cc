#include "runtime/op_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "runtime/kernels/builtin_kernels.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {

OpRegistry OpRegistry::WithBuiltins() {
  OpRegistry r;
  // Every builtin kernel, alphabetical. A kernel is linked in only through this list.
  const KernelRegistration builtins[] = {
      MakeAbsKernel(),
      MakeAddKernel(),
      MakeArgMaxKernel(),
      MakeArgMinKernel(),
      MakeAssignVariableKernel(),
      MakeAveragePool2DKernel(),
      MakeBatchMatMulKernel(),
      MakeBroadcastToKernel(),
      MakeCallOnceKernel(),
      MakeCastKernel(),
      MakeCeilKernel(),
      MakeComplexAbsKernel(),
      MakeConcatenationKernel(),
      MakeConv2DKernel(),
      MakeCosKernel(),
      MakeCumsumKernel(),
      MakeDensifyKernel(),
      MakeDepthToSpaceKernel(),
      MakeDepthwiseConv2DKernel(),
      MakeDequantizeKernel(),
      MakeDivKernel(),
      MakeEluKernel(),
      MakeEmbeddingLookupKernel(),
      MakeEqualKernel(),
      MakeExpKernel(),
      MakeExpandDimsKernel(),
      MakeFillKernel(),
      MakeFloorDivKernel(),
      MakeFloorKernel(),
      MakeFloorModKernel(),
      MakeFullyConnectedKernel(),
      MakeGatherKernel(),
      MakeGatherNdKernel(),
      MakeGeluKernel(),
      MakeGreaterEqualKernel(),
      MakeGreaterKernel(),
      MakeHardSwishKernel(),
      MakeIfKernel(),
      MakeL2NormalizationKernel(),
      MakeL2Pool2DKernel(),
      MakeLeakyReluKernel(),
      MakeLessEqualKernel(),
      MakeLessKernel(),
      MakeLocalResponseNormalizationKernel(),
      MakeLogKernel(),
      MakeLogSoftmaxKernel(),
      MakeLogicalAndKernel(),
      MakeLogicalNotKernel(),
      MakeLogicalOrKernel(),
      MakeLogisticKernel(),
      MakeMaxPool2DKernel(),
      MakeMaximumKernel(),
      MakeMeanKernel(),
      MakeMinimumKernel(),
      MakeMirrorPadKernel(),
      MakeMulKernel(),
      MakeNegKernel(),
      MakeNotEqualKernel(),
      MakePackKernel(),
      MakePadKernel(),
      MakePadV2Kernel(),
      MakePowKernel(),
      MakePreluKernel(),
      MakeQuantizeKernel(),
      MakeReadVariableKernel(),
      MakeReduceMaxKernel(),
      MakeReduceMinKernel(),
      MakeReduceProdKernel(),
      MakeRelu0To1Kernel(),
      MakeRelu6Kernel(),
      MakeReluKernel(),
      MakeReluN1To1Kernel(),
      MakeReshapeKernel(),
      MakeResizeBilinearKernel(),
      MakeResizeNearestNeighborKernel(),
      MakeRfft2dKernel(),
      MakeRoundKernel(),
      MakeRsqrtKernel(),
      MakeSelectKernel(),
      MakeSelectV2Kernel(),
      MakeShapeKernel(),
      MakeSignKernel(),
      MakeSinKernel(),
      MakeSliceKernel(),
      MakeSoftmaxKernel(),
      MakeSpaceToDepthKernel(),
      MakeSplitKernel(),
      MakeSplitVKernel(),
      MakeSqrtKernel(),
      MakeSquareKernel(),
      MakeSquaredDifferenceKernel(),
      MakeSqueezeKernel(),
      MakeStridedSliceKernel(),
      MakeSubKernel(),
      MakeSvdfKernel(),
      MakeSumKernel(),
      MakeTanhKernel(),
      MakeTileKernel(),
      MakeTopKV2Kernel(),
      MakeTransposeConvKernel(),
      MakeTransposeKernel(),
      MakeUnidirectionalSequenceLstmKernel(),
      MakeUnpackKernel(),
      MakeVarHandleKernel(),
      MakeWhileKernel(),
      MakeZerosLikeKernel(),
  };
  for (const KernelRegistration& k : builtins)
    if (k.prepare) r.Add(k);
  // Custom ops TFLite ships as builtins.
  r.AddCustom("TFLite_Detection_PostProcess", MakeDetectionPostProcessKernel());
  return r;
}

void OpRegistry::Add(const KernelRegistration& reg) {
  for (KernelRegistration& k : kernels_) {
    const bool same =
        k.op == reg.op && (reg.op != kCustomOpCode || std::string(k.name) == reg.name);
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
    return UnsupportedOpError(
        fmt::format("op {} version {} is not supported (kernel serves {}..{})", name, version,
                    k->min_version, k->max_version));
  return k;
}

Result<std::vector<DataType>> ParseKernelTypes(const std::string& types) {
  std::vector<DataType> out;
  if (types == "any") {  // control flow and variables pass tensors of every type through
    for (int code = 0; code <= kMaxDataTypeCode; ++code)
      if (IsKnownDataType(code)) out.push_back(static_cast<DataType>(code));
    return out;
  }
  size_t begin = 0;
  while (begin < types.size()) {
    size_t end = types.find(',', begin);
    if (end == std::string::npos) end = types.size();
    const std::string name = types.substr(begin, end - begin);
    bool found = false;
    for (int code = 0; code <= kMaxDataTypeCode && !found; ++code) {
      if (!IsKnownDataType(code)) continue;
      const auto t = static_cast<DataType>(code);
      if (name == DataTypeShortName(t)) {
        out.push_back(t);
        found = true;
      }
    }
    if (!found)
      return InvalidArgumentError(
          fmt::format("kernel type list '{}': unknown type '{}'", types, name));
    begin = end + 1;
  }
  return out;
}

SupportResult OpRegistry::Check(int32_t op, const std::string& custom_name, int version,
                                DataType input_type) const {
  const bool custom = op == kCustomOpCode;
  const std::string name = custom ? custom_name : BuiltinOpName(op);
  const KernelRegistration* k = Lookup(op, custom_name);
  if (!k)
    return SupportResult::No(custom ? SupportCode::kCustomOp : SupportCode::kNoKernel,
                             custom ? fmt::format("custom op '{}' is not registered", custom_name)
                                    : fmt::format("op {} has no kernel in litescope", name));
  if (version < k->min_version || version > k->max_version)
    return SupportResult::No(SupportCode::kOpVersion,
                             fmt::format("op {} version {} is not supported (kernel serves {}..{})",
                                         name, version, k->min_version, k->max_version));
  Result<std::vector<DataType>> types = ParseKernelTypes(k->types ? k->types : "");
  if (!types.ok())
    return SupportResult::No(SupportCode::kInputType,
                             fmt::format("op {}: {}", name, types.status().message()));
  if (types->empty()) return SupportResult::Yes();
  for (DataType t : *types)
    if (t == input_type) return SupportResult::Yes();
  return SupportResult::No(SupportCode::kInputType,
                           fmt::format("op {} version {}: input type {} is not served (kernel "
                                       "serves {})",
                                       name, version, DataTypeName(input_type), k->types));
}

bool OpRegistry::Supports(int32_t op, int version, DataType input_type) const {
  return Check(op, std::string(), version, input_type).supported();
}

std::vector<KernelSupport> OpRegistry::ListSupport() const {
  std::vector<KernelSupport> out;
  out.reserve(kernels_.size());
  for (const KernelRegistration& k : kernels_) {
    KernelSupport s;
    s.name = k.name ? k.name : "";
    s.op = k.op;
    s.min_version = k.min_version;
    s.max_version = k.max_version;
    Result<std::vector<DataType>> types = ParseKernelTypes(k.types ? k.types : "");
    if (types.ok()) s.types = std::move(*types);  // a malformed list reads as undeclared
    s.types_declared = !s.types.empty();
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const KernelSupport& a, const KernelSupport& b) {
    return a.name != b.name ? a.name < b.name : a.op < b.op;
  });
  return out;
}

const char* BuiltinOpName(int32_t op) {
  if (op < 0 || op > static_cast<int32_t>(schema::BuiltinOperator::MAX)) return "UNKNOWN";
  const char* n = schema::EnumNameBuiltinOperator(static_cast<schema::BuiltinOperator>(op));
  return (n && *n) ? n : "UNKNOWN";
}

}  // namespace litescope::runtime
