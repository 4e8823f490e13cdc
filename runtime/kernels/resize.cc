// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR: NHWC input and an int32 [2] size tensor
// (new height, new width). A non-constant size tensor makes the output dynamic.
#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>

#include "runtime/data_type.h"
#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/kernels/reference/resize.h"
#include "runtime/kernels/reference/resize_quantized.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/thread_pool.h"

namespace litescope::runtime {
namespace {

struct ResizeOpData : OpData {
  reference::ResizeParams params;
  bool dynamic = false;
};

// Output shape from the size tensor's data; error when a size is not positive.
Status ResizeOutputShape(const Node& node, const Tensor& in, const Tensor& size, Shape* shape) {
  const int32_t* s = size.data_as<int32_t>();
  if (s[0] <= 0 || s[1] <= 0)
    return InvalidArgumentError(
        fmt::format("{}: size tensor {} is [{}, {}]; expected positive sizes", NodeLabel(node),
                    node.inputs[1], s[0], s[1]));
  *shape = Shape{in.shape.dim(0), s[0], s[1], in.shape.dim(3)};
  return Status::Ok();
}

bool IsBilinear(const Node& node) {
  return node.op == static_cast<int32_t>(schema::BuiltinOperator::RESIZE_BILINEAR);
}

Status ResizePrepare(KernelContext& ctx, Node& node) {
  LS_RETURN_IF_ERROR(ExpectArity(node, 2, 2, 1));
  Result<Tensor*> in_r = RequireInput(ctx, node, 0);
  if (!in_r.ok()) return in_r.status();
  Result<Tensor*> size_r = RequireInput(ctx, node, 1);
  if (!size_r.ok()) return size_r.status();
  Result<Tensor*> out_r = RequireOutput(ctx, node, 0);
  if (!out_r.ok()) return out_r.status();
  const Tensor& in = **in_r;
  const Tensor& size = **size_r;
  Tensor& out = **out_r;

  const bool bilinear = IsBilinear(node);
  const bool type_ok = in.type == DataType::kFloat32 || in.type == DataType::kInt8 ||
                       in.type == DataType::kUInt8 || in.type == DataType::kInt16;
  if (!type_ok)
    return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32, INT8, UINT8 or INT16");
  if (out.type != in.type)
    return TypeError(node, "output", 0, node.outputs[0], out, DataTypeName(in.type));
  if (in.shape.rank() != 4)
    return InvalidModelError(fmt::format("{}: input (tensor {}) has shape {}; expected rank 4",
                                         NodeLabel(node), node.inputs[0], in.shape.ToString()));
  if (size.type != DataType::kInt32)
    return TypeError(node, "input", 1, node.inputs[1], size, "INT32");
  if (size.shape.rank() != 1 || size.shape.dim(0) != 2)
    return InvalidModelError(fmt::format("{}: size tensor {} has shape {}; expected [2]",
                                         NodeLabel(node), node.inputs[1], size.shape.ToString()));

  auto data = std::make_unique<ResizeOpData>();
  Result<const ResizeImageParams*> params = NodeParams<ResizeImageParams>(node);
  if (!params.ok()) return params.status();
  data->params.align_corners = (*params)->align_corners;
  data->params.half_pixel_centers = (*params)->half_pixel_centers;
  if (bilinear && data->params.align_corners && data->params.half_pixel_centers)
    return InvalidModelError(
        fmt::format("{}: align_corners and half_pixel_centers are both set", NodeLabel(node)));
  if (size.is_constant()) {
    Shape shape;
    LS_RETURN_IF_ERROR(ResizeOutputShape(node, in, size, &shape));
    node.data = std::move(data);
    return ctx.ResizeTensor(out, shape);
  }
  data->dynamic = true;
  node.data = std::move(data);
  ctx.SetDynamic(out);
  return Status::Ok();
}

Status ResizeEval(KernelContext& ctx, Node& node) {
  const ResizeOpData* data = node.data_as<ResizeOpData>();
  const Tensor& in = *ctx.input(node, 0);
  Tensor& out = *ctx.output(node, 0);
  if (data->dynamic) {
    Shape shape;
    LS_RETURN_IF_ERROR(ResizeOutputShape(node, in, *ctx.input(node, 1), &shape));
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(out, shape));
  }
  if (out.elements() == 0) return Status::Ok();
  if (in.elements() == 0)
    return InvalidArgumentError(fmt::format("{}: input (tensor {}) of shape {} is empty",
                                            NodeLabel(node), node.inputs[0], in.shape.ToString()));
  if (IsBilinear(node)) {
    // The integer form keeps coordinates in 1/1024 units inside int32.
    constexpr int32_t kMaxIntegerSize = 1 << 20;
    if ((in.type == DataType::kInt8 || in.type == DataType::kInt16) &&
        (in.shape.dim(1) >= kMaxIntegerSize || in.shape.dim(2) >= kMaxIntegerSize ||
         out.shape.dim(1) >= kMaxIntegerSize || out.shape.dim(2) >= kMaxIntegerSize))
      return UnsupportedOpError(fmt::format("{}: {} resize from {} to {} is beyond 2^20 pixels",
                                            NodeLabel(node), DataTypeName(in.type),
                                            in.shape.ToString(), out.shape.ToString()));
    switch (in.type) {
      case DataType::kInt8:
        reference::ResizeBilinearInteger(data->params, in.shape, in.data_as<int8_t>(), out.shape,
                                         out.data_as<int8_t>());
        return Status::Ok();
      case DataType::kInt16:
        reference::ResizeBilinearInteger(data->params, in.shape, in.data_as<int16_t>(), out.shape,
                                         out.data_as<int16_t>());
        return Status::Ok();
      case DataType::kFloat32:
      case DataType::kUInt8: {
        reference::BilinearAxis ys, xs;
        try {
          ys = reference::MakeBilinearAxis(in.shape.dim(1), out.shape.dim(1), data->params);
          xs = reference::MakeBilinearAxis(in.shape.dim(2), out.shape.dim(2), data->params);
        } catch (const std::bad_alloc&) {
          return OutOfMemoryError(
              fmt::format("{}: no memory for interpolation tables", NodeLabel(node)));
        }
        const int64_t rows = static_cast<int64_t>(out.shape.dim(0)) * out.shape.dim(1);
        const int64_t per_row = static_cast<int64_t>(out.shape.dim(2)) * out.shape.dim(3);
        const int64_t min_rows =
            std::max<int64_t>(1, (int64_t{1} << 16) / std::max<int64_t>(1, per_row));
        ctx.thread_pool().ParallelFor(rows, min_rows, [&](int64_t begin, int64_t end) {
          if (in.type == DataType::kUInt8)
            reference::ResizeBilinearUint8Rows(in.shape, in.data_as<uint8_t>(), out.shape,
                                               out.data_as<uint8_t>(), ys, xs, begin, end);
          else
            reference::ResizeBilinearFloatRows(in.shape, in.data_as<float>(), out.shape,
                                               out.data_as<float>(), ys, xs, begin, end);
        });
        return Status::Ok();
      }
      default:
        return TypeError(node, "input", 0, node.inputs[0], in, "FLOAT32, INT8, UINT8 or INT16");
    }
  }
  reference::ResizeNearestNeighbor(data->params, in.shape, in.data, out.shape, out.data,
                                   DataTypeSize(in.type));
  return Status::Ok();
}

KernelRegistration MakeResizeKernel(const char* name, schema::BuiltinOperator op,
                                    const char* types) {
  KernelRegistration r;
  r.name = name;
  r.op = static_cast<int32_t>(op);
  r.min_version = 1;
  r.max_version = 4;
  r.prepare = ResizePrepare;
  r.eval = ResizeEval;
  r.types = types;
  return r;
}

}  // namespace

KernelRegistration MakeResizeBilinearKernel() {
  return MakeResizeKernel("RESIZE_BILINEAR", schema::BuiltinOperator::RESIZE_BILINEAR,
                          "float32,int8,uint8,int16");
}

KernelRegistration MakeResizeNearestNeighborKernel() {
  return MakeResizeKernel("RESIZE_NEAREST_NEIGHBOR",
                          schema::BuiltinOperator::RESIZE_NEAREST_NEIGHBOR,
                          "float32,int8,uint8,int16");
}

}  // namespace litescope::runtime
