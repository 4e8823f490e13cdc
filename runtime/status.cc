#include "runtime/status.h"

namespace litescope {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidModel:
      return "invalid model";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kUnsupportedOp:
      return "unsupported op";
    case StatusCode::kUnsupportedType:
      return "unsupported type";
    case StatusCode::kOutOfMemory:
      return "out of memory";
    case StatusCode::kIoError:
      return "i/o error";
    case StatusCode::kInternal:
      return "internal error";
  }
  return "unknown";
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  return Status(code_, context + ": " + message_);
}

Status InvalidModelError(std::string m) { return {StatusCode::kInvalidModel, std::move(m)}; }
Status InvalidArgumentError(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
Status UnsupportedOpError(std::string m) { return {StatusCode::kUnsupportedOp, std::move(m)}; }
Status UnsupportedTypeError(std::string m) { return {StatusCode::kUnsupportedType, std::move(m)}; }
Status OutOfMemoryError(std::string m) { return {StatusCode::kOutOfMemory, std::move(m)}; }
Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
Status InternalError(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

}  // namespace litescope
