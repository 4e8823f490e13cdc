#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/delegate.h"
#include "runtime/kernel_api.h"
#include "runtime/model.h"
#include "runtime/op_registry.h"
#include "runtime/profiling_hooks.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

namespace litescope::schema {
struct SubGraph;
struct Tensor;
}  // namespace litescope::schema

namespace litescope::runtime {

class Interpreter;

// One subgraph of a model: its tensors, nodes in execution order, and its arena.
//
// Lifecycle: Build() (tensors and nodes from the model) -> AllocateTensors() (every node's
// Prepare in order, then arena planning) -> Invoke() any number of times. ResizeInput() marks the
// subgraph for a new AllocateTensors(). Owned by the Interpreter; not thread-safe.
class Subgraph : public KernelContext {
 public:
  Subgraph(Interpreter* interpreter, int index, const Model& model, const OpRegistry& registry);
  ~Subgraph() override;

  Status Build();
  Status AllocateTensors();
  Status Invoke();
  // Changes the shape of the i-th subgraph input; takes effect at the next AllocateTensors().
  Status ResizeInput(int i, const Shape& shape);
  // Hands the nodes `delegate` supports to it, in partitions (see FormPartitions), and records
  // every node's placement. Call after Build() and before AllocateTensors(). Nodes whose
  // partition fails to build stay on the CPU with the delegate's error as the reason.
  // May be called again with another delegate: it sees only the nodes still on the CPU (so the
  // first applied has priority), and its refusals are appended to each node's placement.
  Status ApplyDelegate(Delegate& delegate, const DelegateOptions& options);
  // Per node: where it runs and why. Every node is "cpu" until a delegate is applied.
  const std::vector<NodePlacement>& placement() const { return placement_; }
  const std::vector<Partition>& partitions() const { return partitions_; }
  bool allocated() const { return allocated_; }

  int index() const { return index_; }
  const std::string& name() const { return name_; }
  const std::vector<int>& inputs() const { return inputs_; }
  const std::vector<int>& outputs() const { return outputs_; }
  std::vector<Node>& nodes() { return nodes_; }
  const std::vector<Node>& nodes() const { return nodes_; }
  const std::vector<Tensor>& tensors() const { return tensors_; }
  // The model's description of tensor i (sparsity, names); valid while the Model lives.
  const schema::Tensor* model_tensor(int i) const override;
  const Model& model() const { return model_; }

  // Bytes of the planned arena (non-constant, non-dynamic tensors).
  size_t arena_bytes() const { return arena_bytes_; }
  // Bytes held outside the arena: variables, dynamic tensors, realigned constants.
  size_t persistent_bytes() const;

  // KernelContext.
  int tensor_count() const override { return static_cast<int>(tensors_.size()); }
  Tensor& tensor(int index) override { return tensors_[static_cast<size_t>(index)]; }
  Status ResizeTensor(Tensor& tensor, const Shape& shape) override;
  void SetDynamic(Tensor& tensor) override;
  Status FoldToConstant(Tensor& tensor, const Shape& shape) override;
  bool in_eval() const override { return in_eval_; }
  int num_threads() const override;
  ThreadPool& thread_pool() override;
  Subgraph* subgraph(int index) override;
  int subgraph_count() const override;
  int subgraph_index() const override { return index_; }
  Interpreter& interpreter() override { return *interpreter_; }

 private:
  struct HeapBlock {
    void* ptr = nullptr;
    size_t bytes = 0;
  };
  Status BuildTensor(int i, const schema::Tensor& t);
  Status PrepareNode(Node& node);
  Status PlanArena();
  Status AllocateHeap(int tensor_index, size_t bytes, Allocation kind);
  ProfilingHooks* hooks() const;
  const OpRegistry& registry_;

  Interpreter* interpreter_;
  int index_;
  const Model& model_;
  const schema::SubGraph* fb_ = nullptr;
  std::string name_;
  std::vector<Tensor> tensors_;
  std::vector<Node> nodes_;
  std::vector<int> inputs_;
  std::vector<int> outputs_;
  std::vector<bool> dynamic_;    // per tensor: storage made at run time
  std::vector<bool> deferred_;   // per node: Prepare runs just before Eval
  std::vector<HeapBlock> heap_;  // per tensor: heap storage (dynamic/persistent)
  std::vector<NodePlacement> placement_;
  std::vector<Partition> partitions_;
  std::vector<std::unique_ptr<DelegateKernel>> delegate_kernels_;  // one per partition
  std::vector<int> node_partition_;   // per node: partition index or -1
  std::vector<bool> delegate_owned_;  // per tensor: lives only inside one partition
  void* arena_ = nullptr;
  size_t arena_bytes_ = 0;
  size_t arena_capacity_ = 0;
  bool allocated_ = false;
  bool in_eval_ = false;
  bool preparing_ = false;  // guards recursion through control-flow ops
  bool invoking_ = false;
};

}  // namespace litescope::runtime
