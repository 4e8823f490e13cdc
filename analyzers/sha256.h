#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace litescope::analyzers {

// SHA-256 (FIPS 180-4) of a byte range, for identifying model files in reports. Streaming use:
// construct, Update() any number of times, then Finish() once. Not thread-safe per instance.
class Sha256 {
 public:
  Sha256();
  void Update(const void* data, size_t size);
  // Returns the 32-byte digest. The object must not be updated afterwards.
  std::array<uint8_t, 32> Finish();

 private:
  void Compress(const uint8_t* block);

  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> block_{};
  size_t block_used_ = 0;
  uint64_t total_bytes_ = 0;
};

// Lower-case hex digest of `size` bytes at `data` (64 characters).
std::string Sha256Hex(const void* data, size_t size);

}  // namespace litescope::analyzers
