#pragma once

#include <cstddef>
#include <string>

#include "runtime/data_type.h"

// The element types of input 0 a kernel serves, stated once in a table next to its
// registration. Each entry has a `type` member (and whatever the kernel dispatches to); the
// table drives the dispatch, the registration's `types` list and the "unsupported type"
// message:
//
//   constexpr Variant kVariants[] = {{DataType::kFloat32, PrepareFloat, EvalFloat}, ...};
//   if (const Variant* v = FindServedType(kVariants, in.type)) return v->prepare(...);
//   return TypeError(node, "input", 0, node.inputs[0], in, ServedTypeNames(kVariants).c_str());
//   ...
//   static const std::string types = ServedTypesDeclaration(kVariants);
//   r.types = types.c_str();
namespace litescope::runtime {

template <typename Entry, size_t N>
const Entry* FindServedType(const Entry (&table)[N], DataType type) {
  for (const Entry& e : table)
    if (e.type == type) return &e;
  return nullptr;
}

// "FLOAT32", "FLOAT32 or INT8", "FLOAT32, INT8 or UINT8".
template <typename Entry, size_t N>
std::string ServedTypeNames(const Entry (&table)[N]) {
  std::string s;
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) s += i + 1 == N ? " or " : ", ";
    s += DataTypeName(table[i].type);
  }
  return s;
}

// KernelRegistration::types: "float32,int8".
template <typename Entry, size_t N>
std::string ServedTypesDeclaration(const Entry (&table)[N]) {
  std::string s;
  for (size_t i = 0; i < N; ++i) {
    if (i > 0) s += ',';
    s += DataTypeShortName(table[i].type);
  }
  return s;
}

}  // namespace litescope::runtime
