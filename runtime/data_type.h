#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace litescope::runtime {

// Element types. The values equal the TFLite schema's TensorType codes, so a schema value casts
// directly.
enum class DataType : int8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt32 = 2,
  kUInt8 = 3,
  kInt64 = 4,
  kString = 5,
  kBool = 6,
  kInt16 = 7,
  kComplex64 = 8,
  kInt8 = 9,
  kFloat64 = 10,
  kComplex128 = 11,
  kUInt64 = 12,
  kResource = 13,
  kVariant = 14,
  kUInt32 = 15,
  kUInt16 = 16,
  kInt4 = 17,
  kBFloat16 = 18,
  kInt2 = 19,
  kUInt4 = 20,
  kFloat8E4M3FN = 21,
  kFloat8E5M2 = 22,
};

inline constexpr int kMaxDataTypeCode = 22;

// Schema spelling ("FLOAT32", "INT8", ...); "UNKNOWN(<n>)" style callers use IsKnownDataType.
const char* DataTypeName(DataType type);
// Lower-case spelling used by the conformance files ("float32", "int8", "bool", ...).
const char* DataTypeShortName(DataType type);
bool IsKnownDataType(int code);
// Bytes per element; 0 for types without a fixed element size (STRING, RESOURCE, VARIANT, INT4,
// INT2 and UINT4, which pack several elements per byte and are sized with DataTypeBytes).
size_t DataTypeSize(DataType type);
// Bytes needed to hold `elements` elements (handles INT4 packing). Returns false on overflow or
// for types without a fixed size.
bool DataTypeBytes(DataType type, int64_t elements, int64_t* bytes);

}  // namespace litescope::runtime
