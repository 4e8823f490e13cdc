#include "runtime/op_registry.h"

#include <fmt/format.h>

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
