#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/interpreter.h"
#include "runtime/model.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/status.h"

// A one-operator model run through the real interpreter and builtin kernels, for kernel tests
// that need Prepare/Eval behaviour (errors, dynamic outputs, threading):
//
//   SingleOpModel m(schema::BuiltinOperator::FLOOR_DIV);
//   int a = m.AddInput(DataType::kInt32, {3});
//   m.AddConstInput<int32_t>(DataType::kInt32, {3}, {2, 0, 1});
//   int out = m.AddOutput(DataType::kInt32, {3});
//   REQUIRE(m.Build().ok());
//   m.SetInput<int32_t>(a, {1, 2, 3});
//   Status s = m.Invoke();
//
// Input and output handles are positions among the model's inputs/outputs. Not thread-safe.
namespace litescope::testing {

class SingleOpModel {
 public:
  explicit SingleOpModel(runtime::schema::BuiltinOperator op, int version = 1)
      : op_(op), version_(version) {}

  // A graph input of the operator; returns its handle for SetInput.
  int AddInput(runtime::DataType type, std::vector<int32_t> shape,
               const runtime::QuantParams& quant = {}) {
    const int t =
        builder_.AddTensor(0, "in" + std::to_string(op_inputs_.size()), type, shape, quant);
    op_inputs_.push_back(t);
    graph_inputs_.push_back(t);
    return static_cast<int>(graph_inputs_.size()) - 1;
  }
  // A constant input of the operator.
  template <typename T>
  void AddConstInput(runtime::DataType type, std::vector<int32_t> shape, std::vector<T> values,
                     const runtime::QuantParams& quant = {}) {
    op_inputs_.push_back(builder_.AddConstTensor<T>(0, "const" + std::to_string(op_inputs_.size()),
                                                    type, shape, values, quant));
  }
  // An output of the operator; returns its handle for Output.
  int AddOutput(runtime::DataType type, std::vector<int32_t> shape,
                const runtime::QuantParams& quant = {}) {
    const int t =
        builder_.AddTensor(0, "out" + std::to_string(outputs_.size()), type, shape, quant);
    outputs_.push_back(t);
    return static_cast<int>(outputs_.size()) - 1;
  }
  void SetOptions(runtime::OptionsFn options) { options_ = std::move(options); }

  // Builds the model, creates the interpreter and runs AllocateTensors (every Prepare).
  Status Build(int num_threads = 1) {
    builder_.AddOperator(0, op_, op_inputs_, outputs_, options_, version_);
    builder_.SetInputs(0, graph_inputs_);
    builder_.SetOutputs(0, outputs_);
    bytes_ = builder_.Finish();
    auto model = runtime::Model::FromBufferCopy(bytes_.data(), bytes_.size(), "single_op");
    if (!model.ok()) return model.status();
    runtime::InterpreterOptions options;
    options.num_threads = num_threads;
    auto interp =
        runtime::Interpreter::Create(*model, runtime::OpRegistry::WithBuiltins(), options);
    if (!interp.ok()) return interp.status();
    interp_ = std::move(interp.value());
    return interp_->AllocateTensors();
  }

  template <typename T>
  void SetInput(int handle, const std::vector<T>& values) {
    runtime::Tensor* t = interp_->input(handle);
    std::memcpy(t->data, values.data(), values.size() * sizeof(T));
  }

  Status Invoke() { return interp_->Invoke(); }

  template <typename T>
  std::vector<T> Output(int handle) {
    const runtime::Tensor* t = interp_->output(handle);
    std::vector<T> v(static_cast<size_t>(t->elements()));
    if (!v.empty()) std::memcpy(v.data(), t->data, v.size() * sizeof(T));
    return v;
  }
  std::vector<int32_t> OutputShape(int handle) { return interp_->output(handle)->shape.dims(); }

 private:
  runtime::schema::BuiltinOperator op_;
  int version_;
  runtime::ModelBuilder builder_;
  std::vector<int32_t> op_inputs_;
  std::vector<int32_t> graph_inputs_;
  std::vector<int32_t> outputs_;
  runtime::OptionsFn options_;
  std::vector<uint8_t> bytes_;
  std::unique_ptr<runtime::Interpreter> interp_;
};

}  // namespace litescope::testing
