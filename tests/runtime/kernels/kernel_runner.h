#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/interpreter.h"
#include "runtime/kernel_api.h"
#include "runtime/model.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/thread_pool.h"

// Runs one kernel's Prepare and Eval on hand-built tensors and a hand-built Node, with no model
// describing the node (TFLM's KernelRunner): the node's parameters are set directly.
//
//   KernelRunner r;
//   int in = r.AddTensor(DataType::kFloat32, {1, 2, 2, 1}, std::vector<float>{...});
//   Node node = r.MakeNode(BuiltinOperator::CONV_2D, {in, filter}, {out});
//   node.params = Conv2DParams{...};
//   REQUIRE(r.Prepare(node).ok());
//
// Tensors with values are constants unless `constant` is false; tensors without values are
// sized by ResizeTensor. interpreter() is that of an empty model (its options are the
// defaults); subgraphs are not available. Not thread-safe.
namespace litescope::testing {

class KernelRunner : public runtime::KernelContext {
 public:
  KernelRunner() : pool_(1) {
    bytes_ = runtime::ModelBuilder().Finish();
    auto model = runtime::Model::FromBufferCopy(bytes_.data(), bytes_.size(), "empty");
    if (model.ok()) {
      auto interp = runtime::Interpreter::Create(*model, runtime::OpRegistry::WithBuiltins());
      if (interp.ok()) interp_ = std::move(interp.value());
    }
  }

  template <typename T>
  int AddTensor(runtime::DataType type, std::vector<int32_t> shape, std::vector<T> values,
                bool constant = true) {
    const int index = AddTensor(type, std::move(shape));
    std::vector<uint8_t>& storage = storage_[static_cast<size_t>(index)];
    storage.resize(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(storage.data(), values.data(), storage.size());
    runtime::Tensor& t = tensors_[static_cast<size_t>(index)];
    t.data = storage.data();
    t.bytes = storage.size();
    t.allocation = constant ? runtime::Allocation::kConstant : runtime::Allocation::kArena;
    return index;
  }
  int AddTensor(runtime::DataType type, std::vector<int32_t> shape) {
    runtime::Tensor t;
    t.name = "t" + std::to_string(tensors_.size());
    t.type = type;
    t.shape = runtime::Shape(std::move(shape));
    t.shape_signature = t.shape;
    tensors_.push_back(std::move(t));
    storage_.emplace_back();
    return static_cast<int>(tensors_.size()) - 1;
  }

  // A node of builtin `op` served by the builtin kernel of that op (nullptr when none).
  runtime::Node MakeNode(runtime::schema::BuiltinOperator op, const char* name,
                         std::vector<int> inputs, std::vector<int> outputs) {
    runtime::Node n;
    n.index = 0;
    n.op = static_cast<int32_t>(op);
    n.op_name = name;
    n.inputs = std::move(inputs);
    n.outputs = std::move(outputs);
    n.kernel = registry_.Lookup(n.op, std::string());
    return n;
  }

  Status Prepare(runtime::Node& node) {
    in_eval_ = false;
    return node.kernel->prepare(*this, node);
  }
  Status Eval(runtime::Node& node) {
    in_eval_ = true;
    Status s = node.kernel->eval(*this, node);
    in_eval_ = false;
    return s;
  }

  template <typename T>
  std::vector<T> Values(int index) const {
    const runtime::Tensor& t = tensors_[static_cast<size_t>(index)];
    std::vector<T> v(static_cast<size_t>(t.elements()));
    if (!v.empty()) std::memcpy(v.data(), t.data, v.size() * sizeof(T));
    return v;
  }

  // KernelContext.
  int tensor_count() const override { return static_cast<int>(tensors_.size()); }
  runtime::Tensor& tensor(int index) override { return tensors_[static_cast<size_t>(index)]; }
  Status ResizeTensor(runtime::Tensor& tensor, const runtime::Shape& shape) override {
    tensor.shape = shape;
    int64_t bytes = 0;
    if (!runtime::DataTypeBytes(tensor.type, shape.FlatSize(), &bytes))
      return InvalidArgumentError("tensor too large");
    std::vector<uint8_t>& storage = storage_[static_cast<size_t>(&tensor - tensors_.data())];
    storage.assign(static_cast<size_t>(bytes), 0);
    tensor.data = storage.data();
    tensor.bytes = static_cast<size_t>(bytes);
    if (tensor.allocation == runtime::Allocation::kNone)
      tensor.allocation = runtime::Allocation::kArena;
    return Status::Ok();
  }
  void SetDynamic(runtime::Tensor&) override {}
  bool in_eval() const override { return in_eval_; }
  Status FoldToConstant(runtime::Tensor& tensor, const runtime::Shape& shape) override {
    LS_RETURN_IF_ERROR(ResizeTensor(tensor, shape));
    tensor.allocation = runtime::Allocation::kFolded;
    return Status::Ok();
  }
  const runtime::schema::Tensor* model_tensor(int) const override { return nullptr; }
  int num_threads() const override { return 1; }
  runtime::ThreadPool& thread_pool() override { return pool_; }
  runtime::Subgraph* subgraph(int) override { return nullptr; }
  int subgraph_count() const override { return 0; }
  int subgraph_index() const override { return 0; }
  runtime::Interpreter& interpreter() override { return *interp_; }

  bool ok() const { return interp_ != nullptr; }

 private:
  runtime::OpRegistry registry_ = runtime::OpRegistry::WithBuiltins();
  std::vector<runtime::Tensor> tensors_;
  std::vector<std::vector<uint8_t>> storage_;
  runtime::ThreadPool pool_;
  std::vector<uint8_t> bytes_;
  std::unique_ptr<runtime::Interpreter> interp_;
  bool in_eval_ = false;
};

}  // namespace litescope::testing
