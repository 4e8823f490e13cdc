#pragma once

#include "runtime/model.h"
#include "runtime/status.h"

namespace litescope::runtime {

// Checks a model's bytes before anything reads them:
//   1. size and file identifier ("TFL3"),
//   2. the flatbuffer verifier (every offset and vector inside the buffer),
//   3. semantic checks: schema version, every tensor / buffer / opcode / subgraph index in range,
//      shapes non-negative without overflow, constant buffers large enough for their shape,
//      external buffers (offset/size) inside the file, quantization arrays consistent,
//      signature and metadata references valid.
// On success fills model.fb_ and model.op_codes_, and appends warnings for anomalies that a
// lenient runtime can live with. Errors are one line without the file name (the caller adds it).
class ModelValidator {
 public:
  static Status Validate(Model& model, const LoadOptions& options);
};

}  // namespace litescope::runtime
