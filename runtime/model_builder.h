#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <flatbuffers/flatbuffers.h>

#include "runtime/data_type.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/tensor.h"

namespace litescope::runtime {

// The generated schema types, also reachable as runtime::schema (tests and tools that build
// models name them that way).
namespace schema = ::litescope::schema;

// Builds the `builtin_options` union member of an operator. Called with the builder's
// FlatBufferBuilder each time Finish() serializes the model (so possibly more than once); it
// must be deterministic. Example:
//   [](flatbuffers::FlatBufferBuilder& b) {
//     return std::make_pair(schema::BuiltinOptions::Conv2DOptions,
//                           schema::CreateConv2DOptions(b, ...).Union());
//   }
using OptionsFn = std::function<std::pair<schema::BuiltinOptions, flatbuffers::Offset<void>>(
    flatbuffers::FlatBufferBuilder&)>;
// The same for the `builtin_options_2` union (StableHLO-era ops).
using Options2Fn = std::function<std::pair<schema::BuiltinOptions2, flatbuffers::Offset<void>>(
    flatbuffers::FlatBufferBuilder&)>;

// BlockwiseQuantization details: indices of tensors in the same subgraph, written as given.
struct BlockwiseQuantSpec {
  int32_t scales = -1;
  int32_t zero_points = -1;  // -1: no zero points
  int32_t block_size = 0;
};

// One tensor, written field by field as given.
struct TensorSpec {
  std::string name;
  DataType type = DataType::kFloat32;
  std::vector<int32_t> shape;            // always written (empty = scalar)
  std::vector<int32_t> shape_signature;  // written only when non-empty
  // A quantization table is written when scale or zero_point is non-empty or
  // quantized_dimension != 0.
  QuantParams quant;
  // When set, the quantization table (always written then) carries these details.
  std::optional<BlockwiseQuantSpec> blockwise;
  uint32_t buffer = 0;  // 0 = the empty sentinel buffer (no data)
  bool is_variable = false;
  bool has_rank = false;
};

// One operator, written field by field as given. `opcode_index` is not checked against the
// operator codes added so far.
struct OperatorSpec {
  uint32_t opcode_index = 0;
  std::vector<int32_t> inputs;  // -1 marks an omitted optional input
  std::vector<int32_t> outputs;
  std::vector<int32_t> intermediates;   // written only when non-empty
  OptionsFn options;                    // optional
  Options2Fn options_2;                 // optional
  std::vector<uint8_t> custom_options;  // written only when non-empty
  uint64_t large_custom_options_offset = 0;
  uint64_t large_custom_options_size = 0;
};

// Where AddBuffer puts a buffer's bytes.
enum class BufferPlacement {
  kAuto,      // external when external_buffer_min_bytes() > 0 and the buffer is at least that big
  kInline,    // Buffer.data inside the flatbuffer
  kExternal,  // after the flatbuffer, located by Buffer.offset/size (the >2 GB model layout)
};

// Writes TFLite (.tflite, schema version 3) model bytes. Meant for tests, built-in sample models
// and deliberately malformed models: it performs NO validation and writes exactly what it is
// told, including out-of-range indices, negative dimensions and buffers shorter than their
// tensors. The output is deterministic: the same calls produce the same bytes.
//
// Indices returned by the Add* methods are the indices the entities get in the model (buffer
// index, tensor index within its subgraph, operator code index, ...). Buffer 0 (the empty
// sentinel) and subgraph 0 (named "main") exist from construction.
//
// Passing a subgraph index that this builder did not create is a programmer error: it is
// reported by LS_DCHECK in debug builds and ignored (the call returns -1) otherwise.
//
// Not thread-safe. Finish() does not change the builder; it may be called repeatedly.
class ModelBuilder {
 public:
  ModelBuilder();

  // --- Buffers -----------------------------------------------------------------------------

  // Copies `bytes` bytes from `data` into a new buffer; returns its index. A zero-byte buffer
  // is written as an empty Buffer table.
  int AddBuffer(const void* data, size_t bytes, BufferPlacement placement = BufferPlacement::kAuto);
  int AddBuffer(const std::vector<uint8_t>& bytes,
                BufferPlacement placement = BufferPlacement::kAuto) {
    return AddBuffer(bytes.data(), bytes.size(), placement);
  }
  // Writes a Buffer table with exactly these fields: `inline_data` as Buffer.data (omitted when
  // empty) and `offset`/`size` verbatim (omitted when 0). Nothing is appended to the file. Used
  // to craft buffers that point outside the file or mix inline and external data.
  int AddRawBuffer(uint64_t offset, uint64_t size, std::vector<uint8_t> inline_data = {});
  // Buffers added with kAuto placement after this call go after the flatbuffer when they hold
  // at least this many bytes. 0 (the default) keeps every kAuto buffer inline.
  void set_external_buffer_min_bytes(size_t bytes) { external_min_bytes_ = bytes; }
  size_t external_buffer_min_bytes() const { return external_min_bytes_; }
  int num_buffers() const { return static_cast<int>(buffers_.size()); }

  // --- Tensors -----------------------------------------------------------------------------

  // Adds a tensor to `subgraph`; returns its index in that subgraph.
  int AddTensor(int subgraph, const TensorSpec& spec);
  // Shorthand for a tensor without data.
  int AddTensor(int subgraph, const std::string& name, DataType type,
                const std::vector<int32_t>& shape, const QuantParams& quant = {});
  // Adds a buffer holding `values` (host byte order, which for the platforms we target is the
  // little-endian order TFLite files use) and a tensor that uses it.
  template <typename T>
  int AddConstTensor(int subgraph, const std::string& name, DataType type,
                     const std::vector<int32_t>& shape, const std::vector<T>& values,
                     const QuantParams& quant = {},
                     BufferPlacement placement = BufferPlacement::kAuto) {
    TensorSpec spec;
    spec.name = name;
    spec.type = type;
    spec.shape = shape;
    spec.quant = quant;
    spec.buffer =
        static_cast<uint32_t>(AddBuffer(values.data(), values.size() * sizeof(T), placement));
    return AddTensor(subgraph, spec);
  }
  // Adds a FLOAT16 constant tensor whose values are `values` rounded to IEEE half precision.
  int AddFloat16ConstTensor(int subgraph, const std::string& name,
                            const std::vector<int32_t>& shape, const std::vector<float>& values,
                            BufferPlacement placement = BufferPlacement::kAuto);
  int num_tensors(int subgraph) const;

  // --- Operator codes and operators --------------------------------------------------------

  // Returns the index of the operator code (op, version, custom_code), adding it when new.
  // Writes deprecated_builtin_code = min(op, 127) and builtin_code = op, as the TFLite converter
  // does. `op` may be any integer cast to BuiltinOperator (e.g. a code newer than the schema).
  int AddOperatorCode(schema::BuiltinOperator op, int version = 1,
                      const std::string& custom_code = "");
  // Always appends an operator code with exactly these fields (no dedupe, no derivation).
  int AddRawOperatorCode(int8_t deprecated_builtin_code, int32_t builtin_code, int32_t version,
                         const std::string& custom_code = "");
  int num_operator_codes() const { return static_cast<int>(op_codes_.size()); }

  // Adds the operator code (op, version) and an operator using it to `subgraph`; returns the
  // operator's index in that subgraph.
  int AddOperator(int subgraph, schema::BuiltinOperator op, std::vector<int32_t> inputs,
                  std::vector<int32_t> outputs, OptionsFn options = {}, int version = 1);
  // Adds the operator code (CUSTOM, version, custom_code) and an operator with these raw
  // custom options.
  int AddCustomOperator(int subgraph, const std::string& custom_code, std::vector<int32_t> inputs,
                        std::vector<int32_t> outputs, std::vector<uint8_t> custom_options = {},
                        int version = 1);
  // Adds an operator exactly as specified.
  int AddOperator(int subgraph, OperatorSpec spec);

  // --- Subgraphs, signatures, metadata -----------------------------------------------------

  // Adds an empty subgraph; returns its index.
  int AddSubgraph(const std::string& name);
  int num_subgraphs() const { return static_cast<int>(subgraphs_.size()); }
  void SetInputs(int subgraph, std::vector<int32_t> tensors);
  void SetOutputs(int subgraph, std::vector<int32_t> tensors);

  // Adds a SignatureDef. The maps pair a signature name with a tensor index of `subgraph`.
  using TensorMapList = std::vector<std::pair<std::string, int>>;
  void AddSignature(const std::string& key, int subgraph, const TensorMapList& inputs,
                    const TensorMapList& outputs);
  // Adds a buffer with `bytes` and a Metadata entry `name` pointing at it; returns the buffer.
  int AddMetadata(const std::string& name, const std::vector<uint8_t>& bytes);
  // Adds a Metadata entry pointing at an existing (or nonexistent) buffer index.
  void AddMetadataEntry(const std::string& name, uint32_t buffer);

  void SetDescription(const std::string& description) { description_ = description; }
  // Schema version written to Model.version (default 3).
  void SetVersion(uint32_t version) { version_ = version; }
  // The 4-byte file identifier (default "TFL3"). Any other length writes no identifier.
  void SetFileIdentifier(const std::string& identifier) { file_identifier_ = identifier; }

  // --- Output ------------------------------------------------------------------------------

  // Serializes the model. External buffers follow the flatbuffer, each at a 16-byte aligned
  // file offset, and are referenced by absolute Buffer.offset / Buffer.size. The flatbuffer part
  // (everything but external buffers) must stay below 2 GiB, FlatBuffers' addressing limit;
  // place large data with BufferPlacement::kExternal.
  std::vector<uint8_t> Finish() const;

 private:
  struct BufferEntry {
    std::vector<uint8_t> data;
    bool external = false;  // data goes after the flatbuffer
    bool raw = false;       // offset/size written verbatim
    uint64_t raw_offset = 0;
    uint64_t raw_size = 0;
  };
  struct OpCodeEntry {
    int8_t deprecated_builtin_code = 0;
    int32_t builtin_code = 0;
    int32_t version = 1;
    std::string custom_code;
  };
  struct SubgraphEntry {
    std::string name;
    std::vector<TensorSpec> tensors;
    std::vector<OperatorSpec> operators;
    std::vector<int32_t> inputs;
    std::vector<int32_t> outputs;
  };
  struct SignatureEntry {
    std::string key;
    uint32_t subgraph = 0;
    TensorMapList inputs;
    TensorMapList outputs;
  };
  struct MetadataEntry {
    std::string name;
    uint32_t buffer = 0;
  };

  bool ValidSubgraph(int subgraph) const;
  // Builds the flatbuffer with the given absolute offsets for external buffers (indexed like
  // buffers_; ignored for others).
  void Serialize(flatbuffers::FlatBufferBuilder& fbb,
                 const std::vector<uint64_t>& external_offsets) const;

  std::vector<BufferEntry> buffers_;
  std::vector<OpCodeEntry> op_codes_;
  std::vector<SubgraphEntry> subgraphs_;
  std::vector<SignatureEntry> signatures_;
  std::vector<MetadataEntry> metadata_;
  std::string description_;
  uint32_t version_ = 3;
  std::string file_identifier_ = "TFL3";
  size_t external_min_bytes_ = 0;
};

}  // namespace litescope::runtime
