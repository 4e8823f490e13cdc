#include "runtime/model.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

#include <fmt/format.h>

#include "runtime/internal/model_validator.h"
#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {

Model::~Model() {
  if (mapping_) munmap(mapping_, mapping_size_);
}

Result<std::shared_ptr<const Model>> Model::FromFile(const std::string& path,
                                                     const LoadOptions& options) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    return IoError(fmt::format("{}: cannot stat: {}", path, std::strerror(err)));
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    return IoError(fmt::format("{}: is a directory, not a model file", path));
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return IoError(fmt::format("{}: not a regular file", path));
  }
  std::unique_ptr<Model> model(new Model());
  model->name_ = path;
  const size_t size = static_cast<size_t>(st.st_size);
  if (size > 0) {
    void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED) {
      int err = errno;
      close(fd);
      return IoError(fmt::format("{}: cannot map: {}", path, std::strerror(err)));
    }
    model->mapping_ = p;
    model->mapping_size_ = size;
    model->data_ = static_cast<const uint8_t*>(p);
  }
  close(fd);
  model->size_ = size;
  return Finish(std::move(model), options);
}

Result<std::shared_ptr<const Model>> Model::FromBuffer(const void* data, size_t size,
                                                       const std::string& name,
                                                       const LoadOptions& options) {
  std::unique_ptr<Model> model(new Model());
  model->name_ = name;
  model->data_ = static_cast<const uint8_t*>(data);
  model->size_ = data ? size : 0;
  return Finish(std::move(model), options);
}

Result<std::shared_ptr<const Model>> Model::FromBufferCopy(const void* data, size_t size,
                                                           const std::string& name,
                                                           const LoadOptions& options) {
  std::unique_ptr<Model> model(new Model());
  model->name_ = name;
  if (data && size) {
    model->owned_.assign(static_cast<const uint8_t*>(data),
                         static_cast<const uint8_t*>(data) + size);
  }
  model->data_ = model->owned_.data();
  model->size_ = model->owned_.size();
  return Finish(std::move(model), options);
}

Result<std::shared_ptr<const Model>> Model::Finish(std::unique_ptr<Model> model,
                                                   const LoadOptions& options) {
  Status s = ModelValidator::Validate(*model, options);
  if (!s.ok()) return s.WithContext(model->name_);
  return std::shared_ptr<const Model>(std::move(model));
}

Model::Bytes Model::BufferData(int buffer_index) const {
  const auto* buffers = fb_ ? fb_->buffers() : nullptr;
  if (!buffers || buffer_index < 0 || static_cast<uint32_t>(buffer_index) >= buffers->size())
    return {};
  const schema::Buffer* b = buffers->Get(static_cast<uint32_t>(buffer_index));
  if (!b) return {};
  if (b->data() && b->data()->size() > 0) return {b->data()->data(), b->data()->size()};
  if (b->offset() > 1 && b->size() > 0) {
    // The validator proved offset + size <= size_.
    return {data_ + b->offset(), static_cast<size_t>(b->size())};
  }
  return {};
}

bool Model::Contains(const void* ptr) const {
  auto p = static_cast<const uint8_t*>(ptr);
  return data_ && p >= data_ && p < data_ + size_;
}

}  // namespace litescope::runtime
