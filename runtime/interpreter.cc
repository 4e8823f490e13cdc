#include "runtime/interpreter.h"

#include <cstring>

#include <fmt/format.h>

#include "runtime/schema/tflite_schema_generated.h"

namespace litescope::runtime {

Result<std::unique_ptr<Interpreter>> Interpreter::Create(std::shared_ptr<const Model> model,
                                                         const OpRegistry& registry,
                                                         const InterpreterOptions& options) {
  if (!model || !model->fb()) return InvalidArgumentError("no model");
  std::unique_ptr<Interpreter> interp(new Interpreter());
  interp->model_ = std::move(model);
  interp->registry_ = registry;
  interp->options_ = options;
  if (options.num_threads < 1 || options.num_threads > 256)
    return InvalidArgumentError(
        fmt::format("num_threads {} is out of range [1, 256]", options.num_threads));
  interp->pool_ = std::make_unique<ThreadPool>(options.num_threads);
  const auto* subgraphs = interp->model_->fb()->subgraphs();
  for (uint32_t i = 0; i < subgraphs->size(); ++i) {
    interp->subgraphs_.push_back(std::make_unique<Subgraph>(interp.get(), static_cast<int>(i),
                                                            *interp->model_, interp->registry_));
    LS_RETURN_IF_ERROR(interp->subgraphs_.back()->Build());
  }
  if (const auto* sigs = interp->model_->fb()->signature_defs()) {
    for (const schema::SignatureDef* s : *sigs) {
      SignatureInfo info;
      info.key = s->signature_key() ? s->signature_key()->str() : std::string();
      info.subgraph = static_cast<int>(s->subgraph_index());
      if (s->inputs())
        for (const schema::TensorMap* m : *s->inputs())
          info.inputs.emplace_back(m->name() ? m->name()->str() : "",
                                   static_cast<int>(m->tensor_index()));
      if (s->outputs())
        for (const schema::TensorMap* m : *s->outputs())
          info.outputs.emplace_back(m->name() ? m->name()->str() : "",
                                    static_cast<int>(m->tensor_index()));
      interp->signatures_.push_back(std::move(info));
    }
  }
  return interp;
}

Interpreter::~Interpreter() = default;

Subgraph* Interpreter::subgraph(int i) {
  if (i < 0 || static_cast<size_t>(i) >= subgraphs_.size()) return nullptr;
  return subgraphs_[static_cast<size_t>(i)].get();
}

Status Interpreter::Invoke() { return primary().Invoke(); }

Status Interpreter::ApplyDelegate(Delegate& delegate, const DelegateOptions& options) {
  for (auto& s : subgraphs_) LS_RETURN_IF_ERROR(s->ApplyDelegate(delegate, options));
  return Status::Ok();
}

Tensor* Interpreter::input(int i) {
  const auto& in = primary().inputs();
  if (i < 0 || static_cast<size_t>(i) >= in.size()) return nullptr;
  return &primary().tensor(in[static_cast<size_t>(i)]);
}

Tensor* Interpreter::output(int i) {
  const auto& out = primary().outputs();
  if (i < 0 || static_cast<size_t>(i) >= out.size()) return nullptr;
  return &primary().tensor(out[static_cast<size_t>(i)]);
}

int Interpreter::FindInput(const std::string& name) const {
  const Subgraph& p = *subgraphs_[0];
  for (size_t i = 0; i < p.inputs().size(); ++i)
    if (p.tensors()[static_cast<size_t>(p.inputs()[i])].name == name) return static_cast<int>(i);
  return -1;
}

int Interpreter::FindOutput(const std::string& name) const {
  const Subgraph& p = *subgraphs_[0];
  for (size_t i = 0; i < p.outputs().size(); ++i)
    if (p.tensors()[static_cast<size_t>(p.outputs()[i])].name == name) return static_cast<int>(i);
  return -1;
}

const SignatureInfo* Interpreter::FindSignature(const std::string& key) const {
  for (const SignatureInfo& s : signatures_)
    if (s.key == key) return &s;
  return nullptr;
}

size_t Interpreter::arena_bytes() const {
  size_t total = 0;
  for (const auto& s : subgraphs_) total += s->arena_bytes();
  return total;
}

size_t Interpreter::persistent_bytes() const {
  size_t total = 0;
  for (const auto& s : subgraphs_) total += s->persistent_bytes();
  for (const auto& r : resources_) total += r->storage.size();
  return total;
}

int Interpreter::ResourceId(const std::string& container, const std::string& shared_name) {
  auto key = std::make_pair(container, shared_name);
  auto it = resource_ids_.find(key);
  if (it != resource_ids_.end()) return it->second;
  const int id = static_cast<int>(resources_.size());
  resources_.push_back(std::make_unique<Resource>());
  resources_.back()->tensor.name = shared_name;
  resource_ids_[key] = id;
  return id;
}

Tensor* Interpreter::resource(int id) {
  if (id < 0 || static_cast<size_t>(id) >= resources_.size()) return nullptr;
  return &resources_[static_cast<size_t>(id)]->tensor;
}

Status Interpreter::AssignResource(int id, const Tensor& value) {
  if (id < 0 || static_cast<size_t>(id) >= resources_.size())
    return InvalidModelError(fmt::format("resource id {} does not exist", id));
  Resource& r = *resources_[static_cast<size_t>(id)];
  if (value.bytes > 0 && !value.data) return InternalError("resource value has no data");
  r.storage.assign(static_cast<const uint8_t*>(value.data),
                   static_cast<const uint8_t*>(value.data) + value.bytes);
  r.tensor.type = value.type;
  r.tensor.shape = value.shape;
  r.tensor.quant = value.quant;
  r.tensor.data = r.storage.data();
  r.tensor.bytes = r.storage.size();
  r.tensor.allocation = Allocation::kPersistent;
  return Status::Ok();
}

}  // namespace litescope::runtime
