#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <xnnpack.h>

#include "runtime/delegate.h"
#include "runtime/kernel_api.h"
#include "runtime/shape.h"
#include "runtime/status.h"
#include "runtime/subgraph.h"
#include "runtime/tensor.h"

namespace litescope::delegates {

// fp32 copies of the outputs of DEQUANTIZE nodes whose input is a constant (FLOAT16, or INT8 /
// UINT8 with affine parameters): XNNPACK takes them as static weights. One delegate owns one
// cache; a kernel holds the buffers it uses (shared_ptr), so an entry lives exactly as long as a
// kernel needs it and is converted once however many partitions use it. Not thread-safe.
class XnnpackFoldedConstants {
 public:
  // The fp32 values of the output of `dequantize` (a DEQUANTIZE node of `graph` whose input is
  // constant); converted on first use.
  Result<std::shared_ptr<const std::vector<float>>> Get(runtime::Subgraph& graph,
                                                        const runtime::Node& dequantize);

 private:
  std::map<std::pair<const runtime::Subgraph*, int>, std::weak_ptr<const std::vector<float>>>
      cache_;
};

// The numeric kind a node computes in, from its first input's element type.
enum class XnnpackKind { kFloat32, kQS8, kQU8 };

// What a node's lowering sees: the litescope subgraph and, in define mode, the XNNPACK subgraph
// being built. One function per op (xnnpack_ops.cc) takes this context and either only checks
// (checking() is true: no XNNPACK subgraph) or checks and defines the node, so the support
// verdict and the lowering cannot drift apart.
//
// Define mode keeps per-tensor state in a Partition description that the caller owns: the shape
// each tensor gets (computed node by node from the partition's input shapes) and which tensors
// are external (partition inputs/outputs, passed by pointer at run time). Every other value is
// internal to XNNPACK (intermediates) or static (constants, folded DEQUANTIZE outputs).
class XnnpackLowering {
 public:
  struct Partition {
    std::vector<runtime::Shape> shapes;  // per tensor; valid for tensors seen so far
    std::vector<bool> shape_known;       // per tensor
    std::vector<int32_t> external_id;    // per tensor: XNNPACK external id, or -1
    std::vector<std::shared_ptr<const void>> keep_alive;  // static data XNNPACK points to
    XnnpackFoldedConstants* folded = nullptr;
    // Trial definition (the support check): folded constants are not converted, since XNNPACK
    // reads static data only when a runtime is created.
    bool trial = false;
  };

  // Check-only: reads declared shapes; defines nothing. `fp16`: the runtime will be created
  // with XNN_FLAG_FORCE_FP16_INFERENCE, so only nodes this snapshot runs in fp16 qualify.
  explicit XnnpackLowering(runtime::Subgraph& graph, bool fp16 = false);
  // Define mode: defines values and nodes in `xnn`. `partition` must outlive this object.
  XnnpackLowering(runtime::Subgraph& graph, xnn_subgraph_t xnn, Partition& partition,
                  bool fp16 = false);

  bool checking() const { return xnn_ == nullptr; }
  bool fp16() const { return fp16_; }
  xnn_subgraph_t xnn() const { return xnn_; }
  runtime::Subgraph& graph() { return graph_; }
  // The node being visited (set by VisitNode) and its label for messages.
  void set_node(const runtime::Node& node);
  const runtime::Node& node() const { return *node_; }

  // --- Reading the graph ------------------------------------------------------------------
  runtime::Tensor& tensor(int t) { return graph_.tensor(t); }
  // The shape a tensor has in this lowering: computed (define mode) or declared (check mode).
  const runtime::Shape& shape(int t);
  // A constant, or the output of a DEQUANTIZE of a constant (folded to fp32 at build time).
  bool IsStatic(int t);
  // The DEQUANTIZE node whose constant input folds into tensor t, or nullptr.
  const runtime::Node* FoldedDequantize(int t);
  // The node that writes tensor t, or nullptr (subgraph inputs, constants, variables).
  const runtime::Node* Producer(int t);
  // The CPU node whose output shape may be decided only at run time (READ_VARIABLE, control
  // flow, or a shape op with a non-constant shape argument) that tensor t depends on, or nullptr.
  // The runtime cannot feed such a tensor to a delegate partition.
  const runtime::Node* DynamicSource(int t);
  // Element type as the node computes on it (FLOAT32 for folded DEQUANTIZE outputs).
  runtime::DataType type(int t);
  // fp32 values of a static FLOAT32 tensor (constant or folded DEQUANTIZE output); define mode.
  Result<std::vector<float>> StaticFloats(int t);

  // --- Verdicts ----------------------------------------------------------------------------
  // "XNNPACK: node 4 (MEAN): <what>"
  runtime::SupportResult Reject(runtime::SupportCode code, const std::string& what) const;
  std::string Label() const;

  // --- Defining (define mode only) -----------------------------------------------------------
  // Value id of an input tensor: already defined, static (constant/folded) or external input.
  Result<uint32_t> Input(int t);
  // Records the output's shape and defines its value (external output or internal).
  Result<uint32_t> Output(int t, const runtime::Shape& shape);
  // An internal value for a node that lowers to several XNNPACK nodes; same type/quantization
  // as tensor `like`.
  Result<uint32_t> Internal(int like, const runtime::Shape& shape);
  // A static value with data owned by this lowering (copied into keep_alive).
  Result<uint32_t> StaticFloat(std::vector<float> data, const runtime::Shape& shape);
  // Constant tensor t's data (and quantization) viewed with another shape of the same size.
  Result<uint32_t> StaticAs(int t, const runtime::Shape& shape);
  // A static value with these bytes and the type and quantization of tensor `like`.
  Result<uint32_t> StaticBytes(int like, std::vector<uint8_t> bytes, const runtime::Shape& shape);
  Result<uint32_t> StaticInt32(std::vector<int32_t> data, const runtime::Shape& shape,
                               xnn_datatype type, float scale, const std::vector<float>* scales);
  // Turns a failed xnn_define_* into a rejection naming the call.
  runtime::SupportResult Check(xnn_status status, const char* call) const;

 private:
  Result<uint32_t> Define(int t, const runtime::Shape& shape, const void* data, uint32_t flags,
                          uint32_t external_id);

  runtime::Subgraph& graph_;
  xnn_subgraph_t xnn_ = nullptr;
  Partition* partition_ = nullptr;
  bool fp16_ = false;
  const runtime::Node* node_ = nullptr;
  std::vector<uint32_t> ids_;  // per tensor: value id in xnn_, or XNN_INVALID_VALUE_ID
  std::vector<int> producer_;  // per tensor: writing node or -1; built on first use
  std::vector<int> dynamic_;   // per tensor: runtime::DynamicShapeSources (built on first use)
};

// Name of an xnn_status for messages ("invalid_parameter").
const char* XnnStatusName(xnn_status status);

}  // namespace litescope::delegates
