#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>

namespace litescope::runtime::optimized {

// A heap array of trivially copyable T whose first element sits on a 64-byte cache line, so
// that full-width vector loads never split a line. Owns its storage; move-only. Contents are
// uninitialized after Resize.
template <typename T>
class AlignedBuffer {
 public:
  static constexpr size_t kAlignment = 64;

  AlignedBuffer() = default;

  // Makes room for n elements (previous contents are lost). Returns false when memory runs out;
  // the buffer is then empty. Never throws.
  bool Resize(size_t n) {
    if (n == size_) return true;
    ptr_.reset();
    size_ = 0;
    if (n == 0) return true;
    if (n > SIZE_MAX / sizeof(T)) return false;
    void* p = ::operator new(n * sizeof(T), std::align_val_t(kAlignment), std::nothrow);
    if (!p) return false;
    ptr_.reset(static_cast<T*>(p));
    size_ = n;
    return true;
  }

  T* data() { return ptr_.get(); }
  const T* data() const { return ptr_.get(); }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  struct Free {
    void operator()(T* p) const { ::operator delete(p, std::align_val_t(kAlignment)); }
  };
  std::unique_ptr<T, Free> ptr_;
  size_t size_ = 0;
};

}  // namespace litescope::runtime::optimized
