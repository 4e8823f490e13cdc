#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/model.h"
#include "runtime/schema/tflite_edit_schema_generated.h"
#include "runtime/status.h"
#include "runtime/tensor.h"

namespace litescope::runtime {

// flatc's object API of the TFLite schema (ModelT, SubGraphT, TensorT, OperatorT, BufferT, ...):
// plain structs with std::vector / std::unique_ptr members and a deep operator==. It lives in
// its own namespace, generated from a copy of runtime/schema/tflite_schema.fbs, so that only the
// files that include this header pay for its compile time (see runtime/CMakeLists.txt).
namespace edit = ::litescope::edit_schema;

// How Serialize() lays out the bytes.
struct SerializeOptions {
  // Buffers holding at least this many bytes are written after the flatbuffer and located by
  // Buffer.offset/size (the layout TFLite uses for models over 2 GiB); each starts at a 64-byte
  // aligned file offset. 0 (the default) writes every buffer inline (Buffer.data, 16-byte
  // aligned), which is what the TFLite converter does for models under 2 GiB.
  size_t external_buffer_min_bytes = 0;
  // Limits for the re-load that checks the result.
  LoadOptions load_options;
};

// An editable TFLite model: the whole flatbuffer unpacked into edit::ModelT, plus helpers for
// the edits a quantization tool needs, and Serialize(), which writes .tflite bytes and proves them
// valid by loading them back through Model's verifier and validator.
//
// Loading always verifies and validates the input first (Model::FromBuffer), so the object tree
// starts out valid. Buffers stored after the flatbuffer (offset/size) and large custom options
// are read into the tree (BufferT::data, OperatorT::custom_options); Serialize() decides their
// placement anew. Callers may edit model() directly; the helpers keep every cross reference
// (tensor, buffer and operator code indices, signatures, metadata) consistent for the edits they
// perform. Indices are those of the schema: tensor indices are per subgraph.
//
// Not thread-safe. Movable, not copyable.
class ModelEditor {
 public:
  // Verifies and validates `data` (size bytes), then unpacks it. The caller's buffer may go away
  // afterwards. Errors name `name`.
  static Result<ModelEditor> FromBuffer(const void* data, size_t size,
                                        const std::string& name = "<buffer>");
  static Result<ModelEditor> FromFile(const std::string& path);
  // Unpacks an already loaded model (copies everything; `model` may go away afterwards).
  static Result<ModelEditor> FromModel(const Model& model);
  // Takes a tree built or unpacked elsewhere; Serialize() checks it.
  explicit ModelEditor(std::unique_ptr<edit::ModelT> model);

  ModelEditor(ModelEditor&&) = default;
  ModelEditor& operator=(ModelEditor&&) = default;

  edit::ModelT& model() { return *model_; }
  const edit::ModelT& model() const { return *model_; }

  // --- Output ------------------------------------------------------------------------------

  // Writes the model as .tflite bytes (file identifier "TFL3"). Steps:
  //   1. structural check of the tree: no null entries, every tensor / buffer / operator code /
  //      subgraph index in range, every operator input produced earlier, constant, variable or
  //      a subgraph input, a union value for every union type;
  //   2. pack with FlatBuffers (constant buffers 16-byte aligned; external ones per `options`);
  //   3. load the bytes with Model::FromBuffer (verifier + validator).
  // Any failure returns an error and no bytes: a half-valid model is never handed out.
  Result<std::vector<uint8_t>> Serialize(const SerializeOptions& options = {}) const;
  // Serialize() and write to `path` (via a temporary file renamed into place).
  Status WriteFile(const std::string& path, const SerializeOptions& options = {}) const;

  // --- Lookup ------------------------------------------------------------------------------

  int subgraph_count() const { return static_cast<int>(model_->subgraphs.size()); }
  // The tensor, or nullptr when an index is out of range.
  edit::TensorT* tensor(int subgraph, int tensor);
  // Index of the first tensor named `name` in `subgraph`, or -1.
  int FindTensor(int subgraph, const std::string& name) const;
  // Index of the operator writing `tensor` (output or intermediate), or -1.
  int Producer(int subgraph, int tensor) const;
  // Indices of the operators reading `tensor`, in execution order (each listed once).
  std::vector<int> Consumers(int subgraph, int tensor) const;
  // Effective builtin code of an operator (max of builtin_code and deprecated_builtin_code), or
  // -1 when the operator or its code index is out of range.
  int32_t OperatorBuiltinCode(int subgraph, int op) const;
  // Constant bytes of `tensor` (empty when it has no buffer or an index is out of range).
  const std::vector<uint8_t>& TensorData(int subgraph, int tensor) const;
  // A FLOAT32 (or FLOAT16, widened) constant's values. kInvalidArgument for other tensors.
  Result<std::vector<float>> ReadFloatData(int subgraph, int tensor) const;

  // --- Building blocks ---------------------------------------------------------------------

  // Appends a buffer with `bytes`; returns its index.
  int AddBuffer(std::vector<uint8_t> bytes);
  // Index of the operator code (op, version, custom_code), added when absent. Writes
  // deprecated_builtin_code = min(op, 127) and builtin_code = op, as the TFLite converter does.
  int AddOperatorCode(edit::BuiltinOperator op, int version = 1,
                      const std::string& custom_code = "");
  // Appends `tensor` to `subgraph`; returns its index, or kInvalidArgument.
  Result<int> AddTensor(int subgraph, edit::TensorT tensor);
  // Inserts `op` so that it runs as operator `position` (0 = first; operator_count() appends).
  Status InsertOperator(int subgraph, int position, edit::OperatorT op);

  // --- Edits -------------------------------------------------------------------------------

  // Replaces a tensor's constant data: a new buffer holds `bytes` (the old buffer is left for
  // RemoveUnusedBuffers), the type becomes `type` and the quantization `quant` (empty: none).
  // The byte count must match the shape and type (INT4: two values per byte, rounded up).
  Status SetConstantData(int subgraph, int tensor, edit::TensorType type,
                         std::vector<uint8_t> bytes, const QuantParams& quant = {});
  // Sets (or with an empty `quant` removes) the affine quantization of a tensor. Per-channel
  // parameters need scale.size() == shape[quantized_dimension]; zero_point may be empty (all
  // zero), one entry per scale, or (per-tensor) one entry. Other QuantizationParameters fields
  // (min/max, details) are dropped.
  Status SetQuantization(int subgraph, int tensor, const QuantParams& quant);

  // Gives `tensor` a new producer: a new operator `op` (one input, one output) whose input is a
  // new tensor `input`, and which runs right before the first consumer of `tensor`. `tensor`
  // keeps its index (so its consumers, signatures and outputs are untouched) but loses its
  // constant data (buffer = 0). `tensor` must not already be produced by an operator. Returns the
  // index of the new input tensor. This is the DEQUANTIZE-after-a-low-precision-constant pattern.
  Result<int> InsertProducer(int subgraph, int tensor, edit::BuiltinOperator op,
                             edit::TensorT input);
  // Puts a new operator `op` between `tensor` and its consumers: op reads `tensor` and writes a
  // new tensor `output`, and every operator that read `tensor` reads the new tensor instead. The
  // new operator runs right after the producer of `tensor` (first, when there is none).
  // Subgraph outputs and signatures keep naming `tensor`. Returns the new tensor's index. This is
  // the QUANTIZE-after-a-float-input (or DEQUANTIZE-before-a-float-consumer) pattern.
  Result<int> InsertConsumer(int subgraph, int tensor, edit::BuiltinOperator op,
                             edit::TensorT output);

  // Stores a FLOAT32 constant as FLOAT16 (round to nearest even) behind a DEQUANTIZE operator,
  // as TFLite's float16 post-training quantization does: the new FLOAT16 tensor is named
  // "<name>_fp16". Returns its index.
  Result<int> ConvertConstantToFloat16(int subgraph, int tensor);

  // Drops buffers that no tensor or metadata entry refers to (buffer 0, the empty sentinel, always
  // stays) and renumbers the rest. Returns how many were removed.
  int RemoveUnusedBuffers();
  // Drops tensors of `subgraph` that nothing refers to (operators, subgraph inputs and outputs,
  // signatures, blockwise quantization details) and renumbers the rest. Returns how many were
  // removed, or kInvalidArgument for a bad subgraph index.
  Result<int> RemoveUnusedTensors(int subgraph);
  // Drops operator codes no operator uses and renumbers the rest. Returns how many were removed.
  int RemoveUnusedOperatorCodes();

 private:
  std::unique_ptr<edit::ModelT> model_;
};

}  // namespace litescope::runtime
