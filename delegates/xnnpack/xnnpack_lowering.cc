#include "delegates/xnnpack/xnnpack_lowering.h"

#include <fmt/format.h>
#include <fp16.h>

#include "runtime/kernels/kernel_util.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/shape_dependence.h"

namespace litescope::delegates {

using runtime::DataType;
using runtime::Node;
using runtime::Shape;
using runtime::SupportCode;
using runtime::SupportResult;
using runtime::Tensor;

const char* XnnStatusName(xnn_status status) {
  switch (status) {
    case xnn_status_success:
      return "success";
    case xnn_status_uninitialized:
      return "uninitialized";
    case xnn_status_invalid_parameter:
      return "invalid_parameter";
    case xnn_status_invalid_state:
      return "invalid_state";
    case xnn_status_unsupported_parameter:
      return "unsupported_parameter";
    case xnn_status_unsupported_hardware:
      return "unsupported_hardware";
    case xnn_status_out_of_memory:
      return "out_of_memory";
  }
  return "unknown";
}

namespace {

// Converts a constant FLOAT16, INT8 or UINT8 tensor to fp32 values.
Result<std::vector<float>> Unpack(const Tensor& in, const std::string& label) {
  const int64_t n = in.elements();
  if (in.data == nullptr || n < 0)
    return InvalidModelError(fmt::format("{}: constant input has no data", label));
  std::vector<float> out(static_cast<size_t>(n));
  if (in.type == DataType::kFloat16) {
    if (in.bytes < static_cast<size_t>(n) * 2)
      return InvalidModelError(fmt::format("{}: FLOAT16 buffer is too short", label));
    const uint16_t* h = in.data_as<uint16_t>();
    for (int64_t i = 0; i < n; ++i) out[static_cast<size_t>(i)] = fp16_ieee_to_fp32_value(h[i]);
    return out;
  }
  const runtime::QuantParams& q = in.quant;
  if (q.empty() || q.zero_point.size() != q.scale.size() || in.bytes < static_cast<size_t>(n))
    return InvalidModelError(fmt::format("{}: constant input has invalid quantization", label));
  // Per-channel: channel index = (i / inner) % channels along quantized_dimension.
  int64_t inner = 1, channels = 1;
  if (q.per_channel()) {
    const int axis = q.quantized_dimension;
    if (axis < 0 || axis >= in.shape.rank() ||
        static_cast<size_t>(in.shape.dim(axis)) != q.scale.size())
      return InvalidModelError(fmt::format("{}: per-channel scales do not match the shape", label));
    inner = in.shape.FlatSize(axis + 1, in.shape.rank());
    channels = static_cast<int64_t>(q.scale.size());
  }
  for (int64_t i = 0; i < n; ++i) {
    const size_t c = static_cast<size_t>((i / inner) % channels);
    const int32_t v =
        in.type == DataType::kInt8 ? in.data_as<int8_t>()[i] : in.data_as<uint8_t>()[i];
    out[static_cast<size_t>(i)] = q.scale[c] * static_cast<float>(v - q.zero_point[c]);
  }
  return out;
}

bool IsFoldableDequantize(runtime::Subgraph& graph, const Node& node) {
  if (node.op != static_cast<int32_t>(schema::BuiltinOperator::DEQUANTIZE) ||
      node.inputs.size() != 1 || node.outputs.size() != 1 || node.inputs[0] < 0 ||
      node.outputs[0] < 0)
    return false;
  const Tensor& in = graph.tensor(node.inputs[0]);
  const Tensor& out = graph.tensor(node.outputs[0]);
  if (!in.is_constant() || out.type != DataType::kFloat32) return false;
  if (in.type == DataType::kFloat16) return true;
  return (in.type == DataType::kInt8 || in.type == DataType::kUInt8) && !in.quant.empty();
}

}  // namespace

Result<std::shared_ptr<const std::vector<float>>> XnnpackFoldedConstants::Get(
    runtime::Subgraph& graph, const Node& dequantize) {
  const auto key =
      std::make_pair(static_cast<const runtime::Subgraph*>(&graph), dequantize.outputs[0]);
  auto it = cache_.find(key);
  if (it != cache_.end())
    if (std::shared_ptr<const std::vector<float>> hit = it->second.lock()) return hit;
  Result<std::vector<float>> values =
      Unpack(graph.tensor(dequantize.inputs[0]), runtime::NodeLabel(dequantize));
  if (!values.ok()) return values.status();
  auto buffer = std::make_shared<const std::vector<float>>(std::move(values.value()));
  cache_[key] = buffer;
  return buffer;
}

XnnpackLowering::XnnpackLowering(runtime::Subgraph& graph, bool fp16)
    : graph_(graph), fp16_(fp16) {}

XnnpackLowering::XnnpackLowering(runtime::Subgraph& graph, xnn_subgraph_t xnn, Partition& partition,
                                 bool fp16)
    : graph_(graph),
      xnn_(xnn),
      partition_(&partition),
      fp16_(fp16),
      ids_(static_cast<size_t>(graph.tensor_count()), XNN_INVALID_VALUE_ID) {}

void XnnpackLowering::set_node(const Node& node) { node_ = &node; }

std::string XnnpackLowering::Label() const {
  return node_ ? runtime::NodeLabel(*node_) : std::string("node ?");
}

SupportResult XnnpackLowering::Reject(SupportCode code, const std::string& what) const {
  return SupportResult::No(code, fmt::format("XNNPACK: {}: {}", Label(), what));
}

SupportResult XnnpackLowering::Check(xnn_status status, const char* call) const {
  if (status == xnn_status_success) return SupportResult::Yes();
  return Reject(SupportCode::kDelegateError,
                fmt::format("{} failed: {}", call, XnnStatusName(status)));
}

const Shape& XnnpackLowering::shape(int t) {
  if (partition_ && partition_->shape_known[static_cast<size_t>(t)])
    return partition_->shapes[static_cast<size_t>(t)];
  if (const Node* dq = FoldedDequantize(t)) return graph_.tensor(dq->inputs[0]).shape;
  return graph_.tensor(t).shape;
}

const Node* XnnpackLowering::Producer(int t) {
  if (producer_.empty()) {
    producer_.assign(static_cast<size_t>(graph_.tensor_count()), -1);
    for (const Node& n : graph_.nodes())
      for (int o : n.outputs)
        if (o >= 0 && o < graph_.tensor_count()) producer_[static_cast<size_t>(o)] = n.index;
  }
  if (t < 0 || t >= graph_.tensor_count() || producer_[static_cast<size_t>(t)] < 0) return nullptr;
  return &graph_.nodes()[static_cast<size_t>(producer_[static_cast<size_t>(t)])];
}

const Node* XnnpackLowering::FoldedDequantize(int t) {
  if (t < 0 || graph_.tensor(t).is_constant()) return nullptr;
  const Node* n = Producer(t);
  return n && IsFoldableDequantize(graph_, *n) ? n : nullptr;
}

const Node* XnnpackLowering::DynamicSource(int t) {
  if (t < 0 || t >= graph_.tensor_count() || graph_.tensor(t).is_constant()) return nullptr;
  if (dynamic_.empty()) dynamic_ = runtime::DynamicShapeSources(graph_);
  const int node = dynamic_[static_cast<size_t>(t)];
  return node >= 0 ? &graph_.nodes()[static_cast<size_t>(node)] : nullptr;
}

bool XnnpackLowering::IsStatic(int t) {
  if (t < 0) return false;
  return graph_.tensor(t).is_constant() || FoldedDequantize(t) != nullptr;
}

DataType XnnpackLowering::type(int t) {
  if (FoldedDequantize(t)) return DataType::kFloat32;
  return graph_.tensor(t).type;
}

Result<std::vector<float>> XnnpackLowering::StaticFloats(int t) {
  if (const Node* dq = FoldedDequantize(t)) {
    Result<std::shared_ptr<const std::vector<float>>> v = partition_->folded->Get(graph_, *dq);
    if (!v.ok()) return v.status();
    return **v;
  }
  const Tensor& x = graph_.tensor(t);
  const int64_t n = x.elements();
  if (x.type != DataType::kFloat32 || !x.data || x.bytes < static_cast<size_t>(n) * 4)
    return InvalidModelError(fmt::format("XNNPACK: {}: tensor {} has no FLOAT32 data", Label(), t));
  return std::vector<float>(x.data_as<float>(), x.data_as<float>() + n);
}

Result<uint32_t> XnnpackLowering::Define(int t, const Shape& shape, const void* data,
                                         uint32_t flags, uint32_t external_id) {
  const Tensor& tensor = graph_.tensor(t);
  std::vector<size_t> dims(shape.dims().begin(), shape.dims().end());
  uint32_t id = XNN_INVALID_VALUE_ID;
  xnn_status s = xnn_status_success;
  const DataType dt = type(t);
  const runtime::QuantParams& q = tensor.quant;
  if (dt == DataType::kFloat32) {
    s = xnn_define_tensor_value(xnn_, xnn_datatype_fp32, dims.size(), dims.data(), data,
                                external_id, flags, &id);
  } else if ((dt == DataType::kInt8 || dt == DataType::kInt32) && q.per_channel()) {
    // Converters copy the filter's quantized_dimension onto 1-D biases; XNNPACK wants 0 there.
    const size_t channel_dim = dims.size() == 1 ? 0 : static_cast<size_t>(q.quantized_dimension);
    s = xnn_define_channelwise_quantized_tensor_value(
        xnn_, dt == DataType::kInt8 ? xnn_datatype_qcint8 : xnn_datatype_qcint32, q.scale.data(),
        dims.size(), channel_dim, dims.data(), data, external_id, flags, &id);
  } else if ((dt == DataType::kInt8 || dt == DataType::kUInt8 || dt == DataType::kInt32) &&
             !q.empty()) {
    const xnn_datatype x = dt == DataType::kInt8    ? xnn_datatype_qint8
                           : dt == DataType::kUInt8 ? xnn_datatype_quint8
                                                    : xnn_datatype_qint32;
    s = xnn_define_quantized_tensor_value(xnn_, x, static_cast<int32_t>(q.zero_point[0]),
                                          q.scale[0], dims.size(), dims.data(), data, external_id,
                                          flags, &id);
  } else {
    return UnsupportedTypeError(
        fmt::format("XNNPACK: {}: tensor {} of type {} has no XNNPACK "
                    "datatype",
                    Label(), t, DataTypeName(dt)));
  }
  if (s != xnn_status_success)
    return InternalError(
        fmt::format("XNNPACK: {}: defining tensor {} failed: {}", Label(), t, XnnStatusName(s)));
  return id;
}

Result<uint32_t> XnnpackLowering::Input(int t) {
  if (t < 0 || t >= graph_.tensor_count())
    return InvalidModelError(fmt::format("XNNPACK: {}: missing input tensor", Label()));
  if (ids_[static_cast<size_t>(t)] != XNN_INVALID_VALUE_ID) return ids_[static_cast<size_t>(t)];
  Result<uint32_t> id = InternalError("unreachable");
  if (const Node* dq = FoldedDequantize(t)) {
    if (partition_->trial) {
      id = Define(t, shape(t), graph_.tensor(dq->inputs[0]).data, 0, XNN_INVALID_VALUE_ID);
    } else {
      Result<std::shared_ptr<const std::vector<float>>> values =
          partition_->folded->Get(graph_, *dq);
      if (!values.ok()) return values.status();
      partition_->keep_alive.push_back(*values);
      id = Define(t, shape(t), (*values)->data(), 0, XNN_INVALID_VALUE_ID);
    }
  } else if (graph_.tensor(t).is_constant()) {
    id = Define(t, shape(t), graph_.tensor(t).data, 0, XNN_INVALID_VALUE_ID);
  } else {
    const int32_t ext = partition_->external_id[static_cast<size_t>(t)];
    if (ext < 0)
      return InternalError(
          fmt::format("XNNPACK: {}: input tensor {} is neither produced in the "
                      "partition nor passed in",
                      Label(), t));
    if (!partition_->shape_known[static_cast<size_t>(t)]) {
      partition_->shapes[static_cast<size_t>(t)] = graph_.tensor(t).shape;
      partition_->shape_known[static_cast<size_t>(t)] = true;
    }
    id = Define(t, partition_->shapes[static_cast<size_t>(t)], nullptr,
                XNN_VALUE_FLAG_EXTERNAL_INPUT, static_cast<uint32_t>(ext));
  }
  if (id.ok()) ids_[static_cast<size_t>(t)] = *id;
  return id;
}

Result<uint32_t> XnnpackLowering::Output(int t, const Shape& shape) {
  partition_->shapes[static_cast<size_t>(t)] = shape;
  partition_->shape_known[static_cast<size_t>(t)] = true;
  const int32_t ext = partition_->external_id[static_cast<size_t>(t)];
  Result<uint32_t> id = ext >= 0 ? Define(t, shape, nullptr, XNN_VALUE_FLAG_EXTERNAL_OUTPUT,
                                          static_cast<uint32_t>(ext))
                                 : Define(t, shape, nullptr, 0, XNN_INVALID_VALUE_ID);
  if (id.ok()) ids_[static_cast<size_t>(t)] = *id;
  return id;
}

Result<uint32_t> XnnpackLowering::Internal(int like, const Shape& shape) {
  return Define(like, shape, nullptr, 0, XNN_INVALID_VALUE_ID);
}

Result<uint32_t> XnnpackLowering::StaticFloat(std::vector<float> data, const Shape& shape) {
  auto buffer = std::make_shared<const std::vector<float>>(std::move(data));
  partition_->keep_alive.push_back(buffer);
  std::vector<size_t> dims(shape.dims().begin(), shape.dims().end());
  uint32_t id = XNN_INVALID_VALUE_ID;
  const xnn_status s = xnn_define_tensor_value(xnn_, xnn_datatype_fp32, dims.size(), dims.data(),
                                               buffer->data(), XNN_INVALID_VALUE_ID, 0, &id);
  if (s != xnn_status_success)
    return InternalError(
        fmt::format("XNNPACK: {}: defining a static value failed: {}", Label(), XnnStatusName(s)));
  return id;
}

Result<uint32_t> XnnpackLowering::StaticAs(int t, const Shape& shape) {
  const Tensor& x = graph_.tensor(t);
  if (!x.is_constant() || shape.FlatSize() != x.shape.FlatSize())
    return InternalError(
        fmt::format("XNNPACK: {}: tensor {} cannot be viewed as {}", Label(), t, shape.ToString()));
  return Define(t, shape, x.data, 0, XNN_INVALID_VALUE_ID);
}

Result<uint32_t> XnnpackLowering::StaticBytes(int like, std::vector<uint8_t> bytes,
                                              const Shape& shape) {
  auto buffer = std::make_shared<const std::vector<uint8_t>>(std::move(bytes));
  partition_->keep_alive.push_back(buffer);
  return Define(like, shape, buffer->data(), 0, XNN_INVALID_VALUE_ID);
}

Result<uint32_t> XnnpackLowering::StaticInt32(std::vector<int32_t> data, const Shape& shape,
                                              xnn_datatype type, float scale,
                                              const std::vector<float>* scales) {
  auto buffer = std::make_shared<const std::vector<int32_t>>(std::move(data));
  partition_->keep_alive.push_back(buffer);
  std::vector<size_t> dims(shape.dims().begin(), shape.dims().end());
  uint32_t id = XNN_INVALID_VALUE_ID;
  const xnn_status s =
      type == xnn_datatype_qcint32
          ? xnn_define_channelwise_quantized_tensor_value(xnn_, type, scales->data(), dims.size(),
                                                          0, dims.data(), buffer->data(),
                                                          XNN_INVALID_VALUE_ID, 0, &id)
          : xnn_define_quantized_tensor_value(xnn_, type, 0, scale, dims.size(), dims.data(),
                                              buffer->data(), XNN_INVALID_VALUE_ID, 0, &id);
  if (s != xnn_status_success)
    return InternalError(
        fmt::format("XNNPACK: {}: defining a static bias failed: {}", Label(), XnnStatusName(s)));
  return id;
}

}  // namespace litescope::delegates
