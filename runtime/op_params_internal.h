#pragma once

#include "runtime/kernel_api.h"
#include "runtime/op_params.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/status.h"

// Shared by the op_params*.cc files: the enum decoders and the parsers of each family, which
// ParseOpParams (op_params.cc) dispatches to. Each parser is given a node with `fb` set.
namespace litescope::runtime::op_params_internal {

// InvalidModel error "<node>: <field> <value> is not <expected>".
Status BadEnum(const Node& node, const char* field, int value, const char* expected);

// The fused activation code as stored, unchecked (see op_params.h).
inline FusedActivation RawActivation(schema::ActivationFunctionType a) {
  return static_cast<FusedActivation>(static_cast<int>(a));
}

// op_params_elementwise.cc
Result<OpParams> ParseArithmetic(const Node& node);
Result<OpParams> ParseConcatenation(const Node& node);
Result<OpParams> ParseSoftmax(const Node& node);
Result<OpParams> ParseLeakyRelu(const Node& node);
Result<OpParams> ParseGelu(const Node& node);
Result<OpParams> ParseLocalResponseNorm(const Node& node);

// op_params_shape.cc
Result<OpParams> ParseReshape(const Node& node);
Result<OpParams> ParseSqueeze(const Node& node);
Result<OpParams> ParseStridedSlice(const Node& node);
Result<OpParams> ParseResizeImage(const Node& node);
Result<OpParams> ParseBlockSize(const Node& node);
Result<OpParams> ParseGather(const Node& node);
Result<OpParams> ParsePack(const Node& node);
Result<OpParams> ParseUnpack(const Node& node);
Result<OpParams> ParseReducer(const Node& node);
Result<OpParams> ParseSplit(const Node& node);
Result<OpParams> ParseMirrorPad(const Node& node);
Result<OpParams> ParseCumsum(const Node& node);

// op_params_control.cc
Result<OpParams> ParseWhile(const Node& node);
Result<OpParams> ParseIf(const Node& node);
Result<OpParams> ParseCallOnce(const Node& node);
Result<OpParams> ParseVarHandle(const Node& node);
Result<OpParams> ParseSvdf(const Node& node);
Result<OpParams> ParseSequenceLstm(const Node& node);

}  // namespace litescope::runtime::op_params_internal
