#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace litescope {

// Error categories: the caller's fault (invalid model or argument), valid but not served
// (unsupported op or type), and environment failures.
enum class StatusCode {
  kOk = 0,
  kInvalidModel,
  kInvalidArgument,
  kUnsupportedOp,
  kUnsupportedType,
  kOutOfMemory,
  kIoError,
  kInternal,
};

const char* StatusCodeName(StatusCode code);

// The result of an operation that can fail. Library code returns Status instead of throwing or
// aborting; only main() turns a Status into a printed line and an exit code. The message is one
// line and names the object at fault ("node 12 (CONV_2D): filter tensor 7 is INT16").
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // Returns a copy whose message is "<context>: <message>".
  Status WithContext(const std::string& context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

Status InvalidModelError(std::string message);
Status InvalidArgumentError(std::string message);
Status UnsupportedOpError(std::string message);
Status UnsupportedTypeError(std::string message);
Status OutOfMemoryError(std::string message);
Status IoError(std::string message);
Status InternalError(std::string message);

// A value or the Status that explains why there is none. C++17 has no std::expected.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {}  // NOLINT: must not be ok

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace litescope

// Returns from the enclosing function when `expr` yields a non-ok Status.
#define LS_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::litescope::Status ls_status_ = (expr); \
    if (!ls_status_.ok()) return ls_status_; \
  } while (0)

// Programmer-error check, compiled out of release builds. Never use it for model data.
#ifdef NDEBUG
#define LS_DCHECK(cond) \
  do {                  \
  } while (0)
#else
#include <cstdio>
#include <cstdlib>
#define LS_DCHECK(cond)                                                                      \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "%s:%d: internal check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)
#endif
