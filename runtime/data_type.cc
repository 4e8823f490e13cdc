#include "runtime/data_type.h"

#include <limits>

namespace litescope::runtime {

const char* DataTypeName(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return "FLOAT32";
    case DataType::kFloat16:
      return "FLOAT16";
    case DataType::kInt32:
      return "INT32";
    case DataType::kUInt8:
      return "UINT8";
    case DataType::kInt64:
      return "INT64";
    case DataType::kString:
      return "STRING";
    case DataType::kBool:
      return "BOOL";
    case DataType::kInt16:
      return "INT16";
    case DataType::kComplex64:
      return "COMPLEX64";
    case DataType::kInt8:
      return "INT8";
    case DataType::kFloat64:
      return "FLOAT64";
    case DataType::kComplex128:
      return "COMPLEX128";
    case DataType::kUInt64:
      return "UINT64";
    case DataType::kResource:
      return "RESOURCE";
    case DataType::kVariant:
      return "VARIANT";
    case DataType::kUInt32:
      return "UINT32";
    case DataType::kUInt16:
      return "UINT16";
    case DataType::kInt4:
      return "INT4";
    case DataType::kBFloat16:
      return "BFLOAT16";
    case DataType::kInt2:
      return "INT2";
    case DataType::kUInt4:
      return "UINT4";
    case DataType::kFloat8E4M3FN:
      return "FLOAT8_E4M3FN";
    case DataType::kFloat8E5M2:
      return "FLOAT8_E5M2";
  }
  return "UNKNOWN";
}

const char* DataTypeShortName(DataType type) {
  switch (type) {
    case DataType::kFloat32:
      return "float32";
    case DataType::kFloat16:
      return "float16";
    case DataType::kInt32:
      return "int32";
    case DataType::kUInt8:
      return "uint8";
    case DataType::kInt64:
      return "int64";
    case DataType::kString:
      return "string";
    case DataType::kBool:
      return "bool";
    case DataType::kInt16:
      return "int16";
    case DataType::kComplex64:
      return "complex64";
    case DataType::kInt8:
      return "int8";
    case DataType::kFloat64:
      return "float64";
    case DataType::kComplex128:
      return "complex128";
    case DataType::kUInt64:
      return "uint64";
    case DataType::kResource:
      return "resource";
    case DataType::kVariant:
      return "variant";
    case DataType::kUInt32:
      return "uint32";
    case DataType::kUInt16:
      return "uint16";
    case DataType::kInt4:
      return "int4";
    case DataType::kBFloat16:
      return "bfloat16";
    case DataType::kInt2:
      return "int2";
    case DataType::kUInt4:
      return "uint4";
    case DataType::kFloat8E4M3FN:
      return "float8_e4m3fn";
    case DataType::kFloat8E5M2:
      return "float8_e5m2";
  }
  return "unknown";
}

bool IsKnownDataType(int code) { return code >= 0 && code <= kMaxDataTypeCode; }

size_t DataTypeSize(DataType type) {
  switch (type) {
    case DataType::kFloat32:
    case DataType::kInt32:
    case DataType::kUInt32:
      return 4;
    case DataType::kFloat16:
    case DataType::kInt16:
    case DataType::kUInt16:
    case DataType::kBFloat16:
      return 2;
    case DataType::kUInt8:
    case DataType::kInt8:
    case DataType::kBool:
    case DataType::kFloat8E4M3FN:
    case DataType::kFloat8E5M2:
      return 1;
    case DataType::kInt64:
    case DataType::kFloat64:
    case DataType::kUInt64:
    case DataType::kComplex64:
      return 8;
    case DataType::kComplex128:
      return 16;
    case DataType::kString:
    case DataType::kResource:
    case DataType::kVariant:
    case DataType::kInt4:
    case DataType::kUInt4:
    case DataType::kInt2:
      return 0;
  }
  return 0;
}

bool DataTypeBytes(DataType type, int64_t elements, int64_t* bytes) {
  if (elements < 0) return false;
  if (type == DataType::kInt4 || type == DataType::kUInt4) {
    *bytes = elements / 2 + (elements % 2);
    return true;
  }
  if (type == DataType::kInt2) {
    *bytes = elements / 4 + (elements % 4 != 0);
    return true;
  }
  const int64_t size = static_cast<int64_t>(DataTypeSize(type));
  if (size == 0) return false;
  if (elements > std::numeric_limits<int64_t>::max() / size) return false;
  *bytes = elements * size;
  return true;
}

}  // namespace litescope::runtime
