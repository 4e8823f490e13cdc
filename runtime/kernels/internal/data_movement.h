#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <fmt/format.h>

#include "runtime/data_type.h"
#include "runtime/kernel_api.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/shape.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

// Checks and helpers shared by the data-movement kernels (RESHAPE, CONCATENATION, PAD, SLICE,
// GATHER, SPLIT, TILE, ...). These kernels copy elements without looking at their values, so
// one code path serves every fixed-size element type. Header-only; not part of the public API.
namespace litescope::runtime::data_movement {

// Element types served by copying bytes, as printed in "expected ..." messages.
inline constexpr char kCopyableTypes[] =
    "FLOAT32, FLOAT16, BFLOAT16, FLOAT64, INT8, UINT8, INT16, UINT16, INT32, UINT32, INT64, "
    "UINT64, BOOL, COMPLEX64 or COMPLEX128";

// The same list in KernelRegistration::types spelling.
inline constexpr char kCopyableTypeList[] =
    "float32,float16,bfloat16,float64,int8,uint8,int16,uint16,int32,uint32,int64,uint64,bool,"
    "complex64,complex128";

inline bool IsCopyableType(DataType t) {
  switch (t) {
    case DataType::kFloat32:
    case DataType::kFloat16:
    case DataType::kBFloat16:
    case DataType::kFloat64:
    case DataType::kInt8:
    case DataType::kUInt8:
    case DataType::kInt16:
    case DataType::kUInt16:
    case DataType::kInt32:
    case DataType::kUInt32:
    case DataType::kInt64:
    case DataType::kUInt64:
    case DataType::kBool:
    case DataType::kComplex64:
    case DataType::kComplex128:
      return true;
    default:
      return false;
  }
}

// Tensor index of input/output `slot` (for messages); -1 when absent.
inline int InputIndex(const Node& node, int slot) {
  return slot >= 0 && static_cast<size_t>(slot) < node.inputs.size()
             ? node.inputs[static_cast<size_t>(slot)]
             : -1;
}
inline int OutputIndex(const Node& node, int slot) {
  return slot >= 0 && static_cast<size_t>(slot) < node.outputs.size()
             ? node.outputs[static_cast<size_t>(slot)]
             : -1;
}

// Input `slot` must hold a type served by byte copies.
inline Status ExpectCopyableInput(const Node& node, int slot, const Tensor& t) {
  if (IsCopyableType(t.type)) return Status::Ok();
  return TypeError(node, "input", slot, InputIndex(node, slot), t, kCopyableTypes);
}

// Output `out_slot` must have the type of input `in_slot` (the kernel never changes it).
inline Status ExpectOutputTypeOf(const Node& node, int out_slot, const Tensor& out, int in_slot,
                                 const Tensor& in) {
  if (out.type == in.type) return Status::Ok();
  return TypeError(node, "output", out_slot, OutputIndex(node, out_slot), out,
                   fmt::format("{} like input {}", DataTypeName(in.type), in_slot).c_str());
}

// Input `slot` must have type `want`.
inline Status ExpectInputType(const Node& node, int slot, const Tensor& t, DataType want) {
  if (t.type == want) return Status::Ok();
  return TypeError(node, "input", slot, InputIndex(node, slot), t, DataTypeName(want));
}

// Index-like inputs (shapes, axes, paddings, indices): INT32 or INT64.
inline Status ExpectIndexInput(const Node& node, int slot, const Tensor& t,
                               bool allow_int16 = false) {
  if (t.type == DataType::kInt32 || t.type == DataType::kInt64) return Status::Ok();
  if (allow_int16 && t.type == DataType::kInt16) return Status::Ok();
  return TypeError(node, "input", slot, InputIndex(node, slot), t,
                   allow_int16 ? "INT16, INT32 or INT64" : "INT32 or INT64");
}

inline float PerTensorScale(const Tensor& t) {
  return t.quant.scale.empty() ? 0.f : t.quant.scale[0];
}
inline int64_t PerTensorZeroPoint(const Tensor& t) {
  return t.quant.zero_point.empty() ? 0 : t.quant.zero_point[0];
}

inline bool IsQuantizableIntType(DataType t) {
  return t == DataType::kInt8 || t == DataType::kUInt8 || t == DataType::kInt16;
}

// For INT8/UINT8/INT16 tensors: `b` must have the scale and zero point of `a`, because the
// kernel copies quantized values without requantizing them (TFLite enforces the same).
inline Status ExpectSameQuantization(const Node& node, const char* a_role, int a_slot,
                                     const Tensor& a, const char* b_role, int b_slot,
                                     const Tensor& b) {
  if (!IsQuantizableIntType(a.type)) return Status::Ok();
  if (PerTensorScale(a) == PerTensorScale(b) && PerTensorZeroPoint(a) == PerTensorZeroPoint(b))
    return Status::Ok();
  return InvalidModelError(fmt::format(
      "{}: {} {} (scale {}, zero point {}) and {} {} (scale {}, zero point {}) must have equal "
      "quantization; this op copies quantized values without rescaling",
      NodeLabel(node), a_role, a_slot, PerTensorScale(a), PerTensorZeroPoint(a), b_role, b_slot,
      PerTensorScale(b), PerTensorZeroPoint(b)));
}

// Non-empty inputs must have storage by the time Eval reads them.
inline Status ExpectData(const Node& node, const char* role, int slot, const Tensor& t) {
  if (t.data != nullptr || t.shape.FlatSize() == 0) return Status::Ok();
  return InternalError(
      fmt::format("{}: {} {} (tensor '{}') has no data", NodeLabel(node), role, slot, t.name));
}

// Reads every element of an INT16/INT32/INT64 tensor as int64. The tensor must have data.
inline std::vector<int64_t> ReadIndexValues(const Tensor& t) {
  const int64_t n = t.shape.FlatSize();
  std::vector<int64_t> v(static_cast<size_t>(n > 0 ? n : 0));
  if (t.data == nullptr) return v;
  for (size_t i = 0; i < v.size(); ++i) {
    switch (t.type) {
      case DataType::kInt16:
        v[i] = t.data_as<int16_t>()[i];
        break;
      case DataType::kInt32:
        v[i] = t.data_as<int32_t>()[i];
        break;
      case DataType::kInt64:
        v[i] = t.data_as<int64_t>()[i];
        break;
      default:
        v[i] = 0;
        break;
    }
  }
  return v;
}

// Reads a one-element INT32/INT64 tensor (scalar or shape [1]) holding an axis, and maps a
// negative axis into [0, rank). `rank` is the rank the axis refers to.
inline Status ReadAxis(const Node& node, int slot, const Tensor& t, int rank, int* axis) {
  if (t.shape.FlatSize() != 1)
    return InvalidModelError(fmt::format("{}: axis input {} must hold one value; it has shape {}",
                                         NodeLabel(node), slot, t.shape.ToString()));
  const int64_t a = ReadIndexValues(t)[0];
  if (a < -rank || a >= rank)
    return InvalidArgumentError(
        fmt::format("{}: axis {} is out of range for rank {}", NodeLabel(node), a, rank));
  *axis = static_cast<int>(a < 0 ? a + rank : a);
  return Status::Ok();
}

// Maps an axis from the options into [0, rank).
inline Status NormalizeAxis(const Node& node, int64_t a, int rank, int* axis) {
  if (a < -rank || a >= rank)
    return InvalidModelError(
        fmt::format("{}: axis {} is out of range for rank {}", NodeLabel(node), a, rank));
  *axis = static_cast<int>(a < 0 ? a + rank : a);
  return Status::Ok();
}

// A dimension computed from model data must fit a Shape (non-negative int32).
inline bool FitsDim(int64_t d) { return d >= 0 && d <= std::numeric_limits<int32_t>::max(); }

// memcpy that accepts empty copies with null pointers (which plain memcpy does not).
inline void CopyBytes(void* dst, const void* src, size_t n) {
  if (n > 0) std::memcpy(dst, src, n);
}

// A 16-byte element (COMPLEX128) for byte copies.
struct Bytes16 {
  uint64_t lo;
  uint64_t hi;
};

// Calls fn(T{}) where T is a trivially copyable type of `size` bytes (uint8_t ... uint64_t,
// Bytes16); false for other sizes. The byte-copy kernels instantiate their templates once per
// element size this way.
template <typename Fn>
bool VisitElementSize(size_t size, Fn&& fn) {
  switch (size) {
    case 1:
      fn(uint8_t{});
      return true;
    case 2:
      fn(uint16_t{});
      return true;
    case 4:
      fn(uint32_t{});
      return true;
    case 8:
      fn(uint64_t{});
      return true;
    case 16:
      fn(Bytes16{});
      return true;
    default:
      return false;
  }
}

inline Status UnsupportedElementSize(const Node& node, const Tensor& t) {
  return UnsupportedTypeError(
      fmt::format("{}: element type {} is not supported", NodeLabel(node), DataTypeName(t.type)));
}

}  // namespace litescope::runtime::data_movement
