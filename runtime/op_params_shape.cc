#include <fmt/format.h>

#include "runtime/kernels/kernel_util.h"
#include "runtime/op_params_internal.h"

// Parsers of the shape and data-movement ops' options.
namespace litescope::runtime::op_params_internal {

using schema::BuiltinOperator;

Result<OpParams> ParseReshape(const Node& node) {
  ReshapeParams p;
  const schema::ReshapeOptions* o = node.fb->builtin_options_as_ReshapeOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  if (const auto* v = o->new_shape()) {
    p.has_new_shape = true;
    p.new_shape.assign(v->begin(), v->end());
  }
  return OpParams(p);
}

Result<OpParams> ParseSqueeze(const Node& node) {
  SqueezeParams p;
  const schema::SqueezeOptions* o = node.fb->builtin_options_as_SqueezeOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  if (const auto* v = o->squeeze_dims()) p.squeeze_dims.assign(v->begin(), v->end());
  return OpParams(p);
}

Result<OpParams> ParseStridedSlice(const Node& node) {
  StridedSliceMaskParams p;
  const schema::StridedSliceOptions* o = node.fb->builtin_options_as_StridedSliceOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.begin_mask = o->begin_mask();
  p.end_mask = o->end_mask();
  p.ellipsis_mask = o->ellipsis_mask();
  p.new_axis_mask = o->new_axis_mask();
  p.shrink_axis_mask = o->shrink_axis_mask();
  p.offset = o->offset();
  return OpParams(p);
}

Result<OpParams> ParseResizeImage(const Node& node) {
  ResizeImageParams p;
  p.defaulted = true;
  if (static_cast<BuiltinOperator>(node.op) == BuiltinOperator::RESIZE_BILINEAR) {
    if (const schema::ResizeBilinearOptions* o =
            node.fb->builtin_options_as_ResizeBilinearOptions()) {
      p.align_corners = o->align_corners();
      p.half_pixel_centers = o->half_pixel_centers();
      p.defaulted = false;
    }
  } else if (const schema::ResizeNearestNeighborOptions* o =
                 node.fb->builtin_options_as_ResizeNearestNeighborOptions()) {
    p.align_corners = o->align_corners();
    p.half_pixel_centers = o->half_pixel_centers();
    p.defaulted = false;
  }
  return OpParams(p);
}

Result<OpParams> ParseBlockSize(const Node& node) {
  BlockSizeParams p;
  p.defaulted = true;
  if (static_cast<BuiltinOperator>(node.op) == BuiltinOperator::SPACE_TO_DEPTH) {
    if (const schema::SpaceToDepthOptions* o = node.fb->builtin_options_as_SpaceToDepthOptions()) {
      p.block_size = o->block_size();
      p.defaulted = false;
    }
  } else if (const schema::DepthToSpaceOptions* o =
                 node.fb->builtin_options_as_DepthToSpaceOptions()) {
    p.block_size = o->block_size();
    p.defaulted = false;
  }
  return OpParams(p);
}

Result<OpParams> ParseGather(const Node& node) {
  GatherParams p;
  const schema::GatherOptions* o = node.fb->builtin_options_as_GatherOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.axis = o->axis();
  p.batch_dims = o->batch_dims();
  return OpParams(p);
}

Result<OpParams> ParsePack(const Node& node) {
  PackParams p;
  const schema::PackOptions* o = node.fb->builtin_options_as_PackOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.values_count = o->values_count();
  p.axis = o->axis();
  return OpParams(p);
}

Result<OpParams> ParseUnpack(const Node& node) {
  UnpackParams p;
  const schema::UnpackOptions* o = node.fb->builtin_options_as_UnpackOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.num = o->num();
  p.axis = o->axis();
  return OpParams(p);
}

Result<OpParams> ParseReducer(const Node& node) {
  ReducerParams p;
  const schema::ReducerOptions* o = node.fb->builtin_options_as_ReducerOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.keep_dims = o->keep_dims();
  return OpParams(p);
}

Result<OpParams> ParseSplit(const Node& node) {
  SplitParams p;
  p.defaulted = true;
  if (static_cast<BuiltinOperator>(node.op) == BuiltinOperator::SPLIT) {
    if (const schema::SplitOptions* o = node.fb->builtin_options_as_SplitOptions()) {
      p.num_splits = o->num_splits();
      p.defaulted = false;
    }
  } else if (const schema::SplitVOptions* o = node.fb->builtin_options_as_SplitVOptions()) {
    p.num_splits = o->num_splits();
    p.defaulted = false;
  }
  return OpParams(p);
}

Result<OpParams> ParseMirrorPad(const Node& node) {
  MirrorPadParams p;
  const schema::MirrorPadOptions* o = node.fb->builtin_options_as_MirrorPadOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  const int mode = static_cast<int>(o->mode());
  if (mode < static_cast<int>(schema::MirrorPadMode::MIN) ||
      mode > static_cast<int>(schema::MirrorPadMode::MAX))
    return InvalidModelError(fmt::format("{}: unknown mode {}", NodeLabel(node), mode));
  p.mode = static_cast<MirrorPadMode>(mode);
  return OpParams(p);
}

Result<OpParams> ParseCumsum(const Node& node) {
  CumsumParams p;
  const schema::CumsumOptions* o = node.fb->builtin_options_as_CumsumOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.exclusive = o->exclusive();
  p.reverse = o->reverse();
  return OpParams(p);
}

}  // namespace litescope::runtime::op_params_internal
