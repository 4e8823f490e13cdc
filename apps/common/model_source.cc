#include "apps/common/model_source.h"

#include "runtime/sample_models.h"

namespace litescope::apps {

Result<std::shared_ptr<const runtime::Model>> LoadModel(const std::string& path) {
  const std::string prefix = kBuiltinPrefix;
  if (path.compare(0, prefix.size(), prefix) != 0) return runtime::Model::FromFile(path);
  Result<std::vector<uint8_t>> bytes = runtime::BuildSampleModel(path.substr(prefix.size()));
  if (!bytes.ok()) return bytes.status().WithContext(path);
  return runtime::Model::FromBufferCopy(bytes->data(), bytes->size(), path);
}

}  // namespace litescope::apps
