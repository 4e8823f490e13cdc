#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/op_params.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

namespace litescope::schema {
struct Operator;
struct Tensor;
}  // namespace litescope::schema

namespace litescope::runtime {

class Interpreter;
class KernelContext;
class ThreadPool;
class Subgraph;
struct KernelRegistration;

// Per-node state a kernel computes in Prepare (derived parameters, packed weights, lookup
// tables). The node owns it; Prepare may replace it when shapes change.
struct OpData {
  virtual ~OpData() = default;
};

// One operator instance in a subgraph.
struct Node {
  int index = -1;       // position in the subgraph's operator list
  int32_t op = 0;       // builtin operator code (schema BuiltinOperator)
  std::string op_name;  // "CONV_2D", or the custom code for custom ops
  int version = 1;
  std::vector<int> inputs;  // tensor indices; -1 marks an absent optional input
  std::vector<int> outputs;
  std::vector<int> intermediates;
  const schema::Operator* fb = nullptr;  // options live here; valid while the Model lives
  // Builtin options decoded once (op_params.h); std::monostate for ops without a parser, whose
  // readers still use `fb`. Subgraph::Build fills it from `fb`; a hand-built node sets it.
  OpParams params;
  // Why parsing `fb` failed, reported by the kernel's Prepare (through NodeParams) and by the
  // delegates' support checks; ok otherwise.
  Status params_error;
  std::unique_ptr<OpData> data;  // set by Prepare
  const KernelRegistration* kernel = nullptr;

  template <typename T>
  T* data_as() {
    return static_cast<T*>(data.get());
  }
};

// What a kernel sees of the interpreter. Implemented by Subgraph.
class KernelContext {
 public:
  virtual ~KernelContext() = default;

  virtual int tensor_count() const = 0;
  virtual Tensor& tensor(int index) = 0;

  // The node's i-th input/output; nullptr when the slot is absent (-1) or i is out of range.
  Tensor* input(const Node& node, int i);
  Tensor* output(const Node& node, int i);

  // Sets the shape of a non-constant tensor. During Prepare an arena tensor only records the
  // shape (the planner sizes it after every node is prepared); a dynamic tensor, or any call
  // during Eval, gets storage immediately.
  virtual Status ResizeTensor(Tensor& tensor, const Shape& shape) = 0;
  // Marks a tensor whose shape depends on data: it leaves the arena and its storage is made by
  // ResizeTensor during Eval.
  virtual void SetDynamic(Tensor& tensor) = 0;
  // True while Eval runs (as opposed to Prepare).
  virtual bool in_eval() const = 0;
  // Turns a node output whose inputs are all constant into a constant: gives it persistent
  // storage of `shape` now, during Prepare, for the kernel to fill. Consumers then see a constant
  // (is_constant(), data available in their Prepare, e.g. to pack weights) and the kernel's Eval
  // should do nothing for it. Used for DEQUANTIZE of float16 weights and DENSIFY.
  virtual Status FoldToConstant(Tensor& tensor, const Shape& shape) = 0;
  // The model's description of tensor `index` (sparsity, raw quantization); nullptr when there
  // is none (e.g. a test runner without a model).
  virtual const schema::Tensor* model_tensor(int index) const = 0;

  virtual int num_threads() const = 0;
  // Never null; runs work on the interpreter's threads (the caller's thread included).
  virtual ThreadPool& thread_pool() = 0;

  // Another subgraph of the same interpreter (control-flow ops); nullptr when out of range.
  virtual Subgraph* subgraph(int index) = 0;
  virtual int subgraph_count() const = 0;
  // Index of the subgraph running this node.
  virtual int subgraph_index() const = 0;
  // The interpreter that owns this subgraph (control flow and resource variables use it).
  virtual Interpreter& interpreter() = 0;
};

using PrepareFn = Status (*)(KernelContext& ctx, Node& node);
using EvalFn = Status (*)(KernelContext& ctx, Node& node);

// A kernel: plain functions plus the op versions it serves. Prepare validates every type and
// shape, sizes the outputs and stores OpData; Eval relies on what Prepare established but still
// checks indices that come from tensor data.
struct KernelRegistration {
  const char* name = "";  // schema name ("CONV_2D") or custom code
  int32_t op = 0;         // builtin code; CUSTOM (32) for custom ops
  int min_version = 1;
  int max_version = 1;
  PrepareFn prepare = nullptr;
  EvalFn eval = nullptr;
  const char* types = "";  // element types served, e.g. "float32,int8,uint8"
};

}  // namespace litescope::runtime
