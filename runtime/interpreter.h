#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "runtime/model.h"
#include "runtime/op_registry.h"
#include "runtime/profiling_hooks.h"
#include "runtime/status.h"
#include "runtime/subgraph.h"
#include "runtime/tensor.h"
#include "runtime/thread_pool.h"

namespace litescope::runtime {

struct InterpreterOptions {
  int num_threads = 1;
  // AllocateTensors fails when one subgraph's arena would exceed this (0 = no limit).
  int64_t max_arena_bytes = int64_t{4} << 30;
  // A WHILE loop that runs more iterations than this stops with an error (0 = no limit).
  int64_t max_while_iterations = 100'000'000;
  // Deepest nesting of control-flow subgraph calls.
  int max_subgraph_depth = 64;
};

// A named entry point of the model (SignatureDef).
struct SignatureInfo {
  std::string key;
  int subgraph = 0;
  std::vector<std::pair<std::string, int>> inputs;  // name -> tensor index in the subgraph
  std::vector<std::pair<std::string, int>> outputs;
};

// Runs a Model on the CPU kernels of an OpRegistry.
//
//   auto interp = Interpreter::Create(model, OpRegistry::WithBuiltins(), options);
//   interp->ResizeInput(0, {1, 128, 128, 3});   // optional
//   interp->AllocateTensors();
//   std::memcpy(interp->input(0)->data, ...); interp->Invoke(); interp->output(0) ...
//
// The Model must outlive the interpreter (it is shared). Not thread-safe.
class Interpreter {
 public:
  static Result<std::unique_ptr<Interpreter>> Create(std::shared_ptr<const Model> model,
                                                     const OpRegistry& registry,
                                                     const InterpreterOptions& options = {});
  ~Interpreter();

  // Primary subgraph (0), which tflite_run and benchmark_model drive.
  Subgraph& primary() { return *subgraphs_[0]; }
  int subgraph_count() const { return static_cast<int>(subgraphs_.size()); }
  Subgraph* subgraph(int i);

  Status ResizeInput(int i, const Shape& shape) { return primary().ResizeInput(i, shape); }
  // Applies a delegate to every subgraph (before AllocateTensors). Not owned: it must outlive
  // the interpreter.
  Status ApplyDelegate(Delegate& delegate, const DelegateOptions& options = {});
  Status AllocateTensors() { return primary().AllocateTensors(); }
  Status Invoke();

  int input_count() const { return static_cast<int>(subgraphs_[0]->inputs().size()); }
  int output_count() const { return static_cast<int>(subgraphs_[0]->outputs().size()); }
  Tensor* input(int i);
  Tensor* output(int i);
  // Index among the primary subgraph's inputs/outputs, or -1.
  int FindInput(const std::string& name) const;
  int FindOutput(const std::string& name) const;

  const std::vector<SignatureInfo>& signatures() const { return signatures_; }
  // The signature with this key, or nullptr.
  const SignatureInfo* FindSignature(const std::string& key) const;

  const InterpreterOptions& options() const { return options_; }
  ThreadPool& thread_pool() { return *pool_; }
  const Model& model() const { return *model_; }
  const std::shared_ptr<const Model>& shared_model() const { return model_; }

  // Installs (or with nullptr removes) instrumentation; not owned.
  void SetProfilingHooks(ProfilingHooks* hooks) { hooks_ = hooks; }
  ProfilingHooks* profiling_hooks() const { return hooks_; }

  // Sum over subgraphs that have been allocated.
  size_t arena_bytes() const;
  size_t persistent_bytes() const;

  // Resource variables (VAR_HANDLE / READ_VARIABLE / ASSIGN_VARIABLE): id by name, created on
  // first use; the tensor holds the value.
  int ResourceId(const std::string& container, const std::string& shared_name);
  Tensor* resource(int id);
  // Replaces a resource's value with a copy of `value`'s shape, type and bytes.
  Status AssignResource(int id, const Tensor& value);

  // Control-flow depth accounting (WHILE/IF/CALL_ONCE).
  int& call_depth() { return call_depth_; }
  // Per-node "already ran" flags for CALL_ONCE, keyed by (subgraph, node).
  bool& call_once_done(int subgraph, int node) { return call_once_[{subgraph, node}]; }

 private:
  Interpreter() = default;
  struct Resource {
    Tensor tensor;
    std::vector<uint8_t> storage;
  };

  std::shared_ptr<const Model> model_;
  OpRegistry registry_;
  InterpreterOptions options_;
  std::unique_ptr<ThreadPool> pool_;
  std::vector<std::unique_ptr<Subgraph>> subgraphs_;
  std::vector<SignatureInfo> signatures_;
  ProfilingHooks* hooks_ = nullptr;
  std::map<std::pair<std::string, std::string>, int> resource_ids_;
  std::vector<std::unique_ptr<Resource>> resources_;
  std::map<std::pair<int, int>, bool> call_once_;
  int call_depth_ = 0;
};

}  // namespace litescope::runtime
