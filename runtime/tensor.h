#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/shape.h"

namespace litescope::runtime {

// Affine quantization: real = scale * (q - zero_point). Per-tensor when scale has one entry,
// per-channel along `quantized_dimension` otherwise. Empty scale = not quantized.
struct QuantParams {
  std::vector<float> scale;
  std::vector<int64_t> zero_point;
  int32_t quantized_dimension = 0;

  bool empty() const { return scale.empty(); }
  bool per_channel() const { return scale.size() > 1; }
};

// Where a tensor's bytes live.
enum class Allocation : uint8_t {
  kNone,        // no storage (optional input absent, or not yet allocated)
  kConstant,    // points into the model file; never written
  kArena,       // planned offset in the subgraph's arena
  kDynamic,     // heap storage sized at run time (data-dependent shape)
  kPersistent,  // heap storage that survives invocations (variables, subgraph state)
  kFolded,      // computed once from constants during Prepare, read-only afterwards
};

const char* AllocationName(Allocation a);

// One tensor of a subgraph. Plain data: the subgraph owns it and the storage it points to
// (except kConstant, which points into the Model, which must outlive the interpreter).
struct Tensor {
  std::string name;
  DataType type = DataType::kFloat32;
  Shape shape;
  Shape shape_signature;  // as declared in the model; -1 = unknown dimension
  QuantParams quant;
  void* data = nullptr;  // nullptr until allocated
  size_t bytes = 0;      // storage size of `data`
  Allocation allocation = Allocation::kNone;
  bool is_variable = false;
  int buffer = 0;  // model buffer index (0 = no data)

  template <typename T>
  T* data_as() {
    return static_cast<T*>(data);
  }
  template <typename T>
  const T* data_as() const {
    return static_cast<const T*>(data);
  }
  int64_t elements() const { return shape.FlatSize(); }
  // Constant data: from the model file, or folded from constants during Prepare.
  bool is_constant() const {
    return allocation == Allocation::kConstant || allocation == Allocation::kFolded;
  }
};

}  // namespace litescope::runtime
