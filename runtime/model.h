#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/status.h"

namespace litescope::schema {
struct Model;
}  // namespace litescope::schema

namespace litescope::runtime {

// What an operator code of the model resolves to.
struct OpCodeInfo {
  int32_t builtin = 0;      // max(deprecated_builtin_code, builtin_code)
  std::string name;         // "CONV_2D", the custom code for CUSTOM, "UNKNOWN_<n>" otherwise
  std::string custom_code;  // non-empty for custom ops
  int version = 1;
  bool known = true;  // false: builtin code newer than our schema knows
  bool is_custom() const { return !custom_code.empty(); }
};

// Limits the loader applies to what a model may declare.
struct LoadOptions {
  // Largest byte size of a single tensor the model may declare.
  int64_t max_tensor_bytes = int64_t{1} << 40;
};

// A verified, validated TFLite model. Loading memory-maps the file (zero-copy); constant tensor
// data is read in place. Before any accessor is used, the flatbuffer verifier runs and then a
// semantic pass checks every index, size and shape (see model_validator.cc), so code that
// consumes a Model may trust indices and constant-buffer sizes.
//
// Immutable after loading; safe to share between threads and interpreters (shared_ptr).
class Model {
 public:
  ~Model();
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;

  // Maps and validates a file. Errors name the file: "model.tflite: truncated: ...".
  static Result<std::shared_ptr<const Model>> FromFile(const std::string& path,
                                                       const LoadOptions& options = {});
  // Validates a caller-owned buffer, which must stay alive and unchanged while the Model lives.
  static Result<std::shared_ptr<const Model>> FromBuffer(const void* data, size_t size,
                                                         const std::string& name = "<buffer>",
                                                         const LoadOptions& options = {});
  // Copies the bytes first; the caller's buffer may go away.
  static Result<std::shared_ptr<const Model>> FromBufferCopy(const void* data, size_t size,
                                                             const std::string& name = "<buffer>",
                                                             const LoadOptions& options = {});

  const schema::Model* fb() const { return fb_; }
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  // The path given to FromFile, or the name given to FromBuffer.
  const std::string& name() const { return name_; }

  // Bytes of a buffer, whether stored inline or after the flatbuffer (offset/size). Size 0 when
  // the buffer is empty or the index is out of range.
  struct Bytes {
    const uint8_t* data = nullptr;
    size_t size = 0;
  };
  Bytes BufferData(int buffer_index) const;

  const std::vector<OpCodeInfo>& op_codes() const { return op_codes_; }
  // Anomalies that do not stop loading (e.g. a quantized_dimension beyond a tensor's rank).
  const std::vector<std::string>& warnings() const { return warnings_; }
  // True when `ptr` lies inside the model's bytes (used to prove zero-copy constants).
  bool Contains(const void* ptr) const;
  // True when the bytes are a read-only mapping of the file (FromFile), false when they were
  // copied into memory or belong to the caller.
  bool memory_mapped() const { return mapping_ != nullptr; }

 private:
  Model() = default;
  static Result<std::shared_ptr<const Model>> Finish(std::unique_ptr<Model> model,
                                                     const LoadOptions& options);

  std::string name_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
  void* mapping_ = nullptr;  // mmap base when loaded from a file
  size_t mapping_size_ = 0;
  std::vector<uint8_t> owned_;  // FromBufferCopy storage
  const schema::Model* fb_ = nullptr;
  std::vector<OpCodeInfo> op_codes_;
  std::vector<std::string> warnings_;

  friend class ModelValidator;
};

}  // namespace litescope::runtime
