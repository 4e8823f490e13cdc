// WHILE, IF and CALL_ONCE: run other subgraphs of the model. Values cross subgraph boundaries by
// copy; a callee whose input shape changes is re-allocated before it runs.
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "runtime/interpreter.h"
#include "runtime/kernels/builtin_kernels.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/schema/tflite_schema_generated.h"
#include "runtime/subgraph.h"

namespace litescope::runtime {
namespace {

// A tensor value held between iterations.
struct Value {
  DataType type = DataType::kFloat32;
  Shape shape;
  std::vector<uint8_t> bytes;
};

Value Capture(const Tensor& t) {
  Value v{t.type, t.shape, {}};
  if (t.data && t.bytes)
    v.bytes.assign(static_cast<const uint8_t*>(t.data),
                   static_cast<const uint8_t*>(t.data) + t.bytes);
  return v;
}

// Puts "node 3 (WHILE): subgraph 2: " in front of a callee's error, so that it says where it
// came from (only the node when the message already starts with the subgraph).
Status InCallee(Status s, const Node& node, const Subgraph& sg) {
  if (s.ok()) return s;
  const std::string prefix = fmt::format("subgraph {}", sg.index());
  if (s.message().rfind(prefix + " ", 0) == 0) return s.WithContext(NodeLabel(node));
  return s.WithContext(fmt::format("{}: {}", NodeLabel(node), prefix));
}

Status CheckCallee(const Node& node, Subgraph* sg, const char* role, size_t inputs,
                   size_t outputs) {
  if (!sg)
    return InvalidModelError(fmt::format("{}: {} subgraph does not exist", NodeLabel(node), role));
  if (sg->inputs().size() != inputs || sg->outputs().size() != outputs)
    return InvalidModelError(fmt::format(
        "{}: {} subgraph {} has {} inputs and {} outputs; expected {} and {}", NodeLabel(node),
        role, sg->index(), sg->inputs().size(), sg->outputs().size(), inputs, outputs));
  return Status::Ok();
}

// Gives the callee's inputs the values' shapes (re-allocating when they changed) and copies the
// bytes in.
Status Feed(const Node& node, Subgraph& sg, const std::vector<const Value*>& values) {
  bool reshaped = !sg.allocated();
  for (size_t i = 0; i < values.size(); ++i) {
    Tensor& in = sg.tensor(sg.inputs()[i]);
    if (in.type != values[i]->type)
      return InvalidModelError(fmt::format("{}: subgraph {} input {} is {}, given {}",
                                           NodeLabel(node), sg.index(), i, DataTypeName(in.type),
                                           DataTypeName(values[i]->type)));
    if (in.shape != values[i]->shape) {
      LS_RETURN_IF_ERROR(sg.ResizeInput(static_cast<int>(i), values[i]->shape));
      reshaped = true;
    }
  }
  if (reshaped) LS_RETURN_IF_ERROR(InCallee(sg.AllocateTensors(), node, sg));
  for (size_t i = 0; i < values.size(); ++i) {
    Tensor& in = sg.tensor(sg.inputs()[i]);
    if (in.bytes != values[i]->bytes.size())
      return InternalError(
          fmt::format("{}: size mismatch feeding subgraph {}", NodeLabel(node), sg.index()));
    if (in.bytes) std::memcpy(in.data, values[i]->bytes.data(), in.bytes);
  }
  return Status::Ok();
}

Status CallSubgraph(KernelContext& ctx, const Node& node, Subgraph& sg) {
  Interpreter& interp = ctx.interpreter();
  if (interp.call_depth() >= interp.options().max_subgraph_depth)
    return InvalidModelError(fmt::format("{}: control flow nests deeper than {} calls",
                                         NodeLabel(node), interp.options().max_subgraph_depth));
  ++interp.call_depth();
  Status s = sg.Invoke();
  --interp.call_depth();
  return InCallee(std::move(s), node, sg);
}

// Sets node output i to a value: resizes it (dynamic outputs) and copies the bytes.
Status Emit(KernelContext& ctx, const Node& node, size_t i, const Value& v) {
  Tensor* out = ctx.output(node, static_cast<int>(i));
  if (!out) return InvalidModelError(fmt::format("{}: output {} is missing", NodeLabel(node), i));
  if (out->shape != v.shape || !out->data) LS_RETURN_IF_ERROR(ctx.ResizeTensor(*out, v.shape));
  if (out->bytes != v.bytes.size())
    return InternalError(fmt::format("{}: output {} size mismatch", NodeLabel(node), i));
  if (out->bytes) std::memcpy(out->data, v.bytes.data(), out->bytes);
  return Status::Ok();
}

// Prepares a callee for inputs shaped like the node's inputs [first, end).
Status PrepareCallee(KernelContext& ctx, Node& node, Subgraph& sg, size_t first) {
  for (size_t i = first; i < node.inputs.size(); ++i) {
    Tensor* in = ctx.input(node, static_cast<int>(i));
    if (!in) return InvalidModelError(fmt::format("{}: input {} is missing", NodeLabel(node), i));
    LS_RETURN_IF_ERROR(sg.ResizeInput(static_cast<int>(i - first), in->shape));
  }
  return InCallee(sg.AllocateTensors(), node, sg);
}

// --- WHILE -------------------------------------------------------------------------------

Status WhilePrepare(KernelContext& ctx, Node& node) {
  Result<const WhileParams*> params = NodeParams<WhileParams>(node);
  if (!params.ok()) return params.status();
  const WhileParams& opts = **params;
  if (opts.defaulted)
    return InvalidModelError(fmt::format("{}: WhileOptions are missing", NodeLabel(node)));
  if (node.inputs.size() != node.outputs.size())
    return InvalidModelError(fmt::format("{}: {} inputs but {} outputs", NodeLabel(node),
                                         node.inputs.size(), node.outputs.size()));
  Subgraph* cond = ctx.subgraph(opts.cond_subgraph);
  Subgraph* body = ctx.subgraph(opts.body_subgraph);
  const size_t n = node.inputs.size();
  LS_RETURN_IF_ERROR(CheckCallee(node, cond, "cond", n, 1));
  LS_RETURN_IF_ERROR(CheckCallee(node, body, "body", n, n));
  LS_RETURN_IF_ERROR(PrepareCallee(ctx, node, *cond, 0));
  LS_RETURN_IF_ERROR(PrepareCallee(ctx, node, *body, 0));
  const Tensor& c = cond->tensor(cond->outputs()[0]);
  if (c.type != DataType::kBool)
    return InvalidModelError(fmt::format("{}: cond subgraph output is {}, expected BOOL",
                                         NodeLabel(node), DataTypeName(c.type)));
  bool static_shapes = true;
  for (size_t i = 0; i < n; ++i) {
    Tensor* in = ctx.input(node, static_cast<int>(i));
    Tensor* out = ctx.output(node, static_cast<int>(i));
    if (!in || !out) return InvalidModelError(fmt::format("{}: missing tensor", NodeLabel(node)));
    if (in->type != out->type)
      return InvalidModelError(fmt::format("{}: input {} is {} but output {} is {}",
                                           NodeLabel(node), i, DataTypeName(in->type), i,
                                           DataTypeName(out->type)));
    if (body->tensor(body->outputs()[i]).shape != in->shape) static_shapes = false;
  }
  for (size_t i = 0; i < n; ++i) {
    Tensor* out = ctx.output(node, static_cast<int>(i));
    if (static_shapes) {
      LS_RETURN_IF_ERROR(ctx.ResizeTensor(*out, ctx.input(node, static_cast<int>(i))->shape));
    } else {
      ctx.SetDynamic(*out);
    }
  }
  return Status::Ok();
}

Status WhileEval(KernelContext& ctx, Node& node) {
  Result<const WhileParams*> params = NodeParams<WhileParams>(node);
  if (!params.ok()) return params.status();
  const WhileParams& opts = **params;
  Subgraph* cond = ctx.subgraph(opts.cond_subgraph);
  Subgraph* body = ctx.subgraph(opts.body_subgraph);
  const size_t n = node.inputs.size();
  std::vector<Value> state(n);
  for (size_t i = 0; i < n; ++i) state[i] = Capture(*ctx.input(node, static_cast<int>(i)));
  std::vector<const Value*> refs(n);
  for (size_t i = 0; i < n; ++i) refs[i] = &state[i];
  const int64_t limit = ctx.interpreter().options().max_while_iterations;
  for (int64_t iteration = 0;; ++iteration) {
    LS_RETURN_IF_ERROR(Feed(node, *cond, refs));
    LS_RETURN_IF_ERROR(CallSubgraph(ctx, node, *cond));
    const Tensor& c = cond->tensor(cond->outputs()[0]);
    if (!c.data || c.bytes < 1)
      return InvalidModelError(fmt::format("{}: cond subgraph produced no value", NodeLabel(node)));
    if (*static_cast<const uint8_t*>(c.data) == 0) break;  // any non-zero byte is true
    if (limit > 0 && iteration >= limit)
      return InvalidModelError(fmt::format(
          "{}: loop still running after {} iterations (limit set by max_while_iterations)",
          NodeLabel(node), limit));
    LS_RETURN_IF_ERROR(Feed(node, *body, refs));
    LS_RETURN_IF_ERROR(CallSubgraph(ctx, node, *body));
    for (size_t i = 0; i < n; ++i) {
      const Tensor& o = body->tensor(body->outputs()[i]);
      if (o.type != state[i].type)
        return InvalidModelError(
            fmt::format("{}: body output {} changed type", NodeLabel(node), i));
      state[i] = Capture(o);
    }
  }
  for (size_t i = 0; i < n; ++i) LS_RETURN_IF_ERROR(Emit(ctx, node, i, state[i]));
  return Status::Ok();
}

// --- IF ----------------------------------------------------------------------------------

Status IfPrepare(KernelContext& ctx, Node& node) {
  Result<const IfParams*> params = NodeParams<IfParams>(node);
  if (!params.ok()) return params.status();
  const IfParams& opts = **params;
  if (opts.defaulted)
    return InvalidModelError(fmt::format("{}: IfOptions are missing", NodeLabel(node)));
  if (node.inputs.empty())
    return InvalidModelError(fmt::format("{}: the condition input is missing", NodeLabel(node)));
  Tensor* cond = ctx.input(node, 0);
  if (!cond || cond->type != DataType::kBool || cond->elements() != 1)
    return InvalidModelError(fmt::format("{}: condition must be one BOOL", NodeLabel(node)));
  const size_t n_in = node.inputs.size() - 1, n_out = node.outputs.size();
  Subgraph* branches[2] = {ctx.subgraph(opts.then_subgraph), ctx.subgraph(opts.else_subgraph)};
  LS_RETURN_IF_ERROR(CheckCallee(node, branches[0], "then", n_in, n_out));
  LS_RETURN_IF_ERROR(CheckCallee(node, branches[1], "else", n_in, n_out));
  for (Subgraph* b : branches) LS_RETURN_IF_ERROR(PrepareCallee(ctx, node, *b, 1));
  for (size_t i = 0; i < n_out; ++i) {
    Tensor* out = ctx.output(node, static_cast<int>(i));
    if (!out) return InvalidModelError(fmt::format("{}: output {} missing", NodeLabel(node), i));
    const Tensor& a = branches[0]->tensor(branches[0]->outputs()[i]);
    const Tensor& b = branches[1]->tensor(branches[1]->outputs()[i]);
    if (a.type != out->type || b.type != out->type)
      return InvalidModelError(
          fmt::format("{}: branch output {} type differs from the node's", NodeLabel(node), i));
    if (a.shape == b.shape) {
      LS_RETURN_IF_ERROR(ctx.ResizeTensor(*out, a.shape));
    } else {
      ctx.SetDynamic(*out);
    }
  }
  return Status::Ok();
}

Status IfEval(KernelContext& ctx, Node& node) {
  Result<const IfParams*> params = NodeParams<IfParams>(node);
  if (!params.ok()) return params.status();
  const IfParams& opts = **params;
  const bool take_then = *ctx.input(node, 0)->data_as<uint8_t>() != 0;
  Subgraph* branch = ctx.subgraph(take_then ? opts.then_subgraph : opts.else_subgraph);
  std::vector<Value> args;
  for (size_t i = 1; i < node.inputs.size(); ++i)
    args.push_back(Capture(*ctx.input(node, static_cast<int>(i))));
  std::vector<const Value*> refs;
  for (const Value& v : args) refs.push_back(&v);
  LS_RETURN_IF_ERROR(Feed(node, *branch, refs));
  LS_RETURN_IF_ERROR(CallSubgraph(ctx, node, *branch));
  for (size_t i = 0; i < node.outputs.size(); ++i)
    LS_RETURN_IF_ERROR(Emit(ctx, node, i, Capture(branch->tensor(branch->outputs()[i]))));
  return Status::Ok();
}

// --- CALL_ONCE ---------------------------------------------------------------------------

Status CallOncePrepare(KernelContext& ctx, Node& node) {
  Result<const CallOnceParams*> params = NodeParams<CallOnceParams>(node);
  if (!params.ok()) return params.status();
  if ((*params)->defaulted)
    return InvalidModelError(fmt::format("{}: CallOnceOptions are missing", NodeLabel(node)));
  Subgraph* init = ctx.subgraph((*params)->init_subgraph);
  LS_RETURN_IF_ERROR(CheckCallee(node, init, "init", 0, 0));
  if (!node.inputs.empty() || !node.outputs.empty())
    return InvalidModelError(fmt::format("{}: takes no inputs or outputs", NodeLabel(node)));
  return InCallee(init->AllocateTensors(), node, *init);
}

Status CallOnceEval(KernelContext& ctx, Node& node) {
  bool& done = ctx.interpreter().call_once_done(ctx.subgraph_index(), node.index);
  if (done) return Status::Ok();
  Result<const CallOnceParams*> params = NodeParams<CallOnceParams>(node);
  if (!params.ok()) return params.status();
  const CallOnceParams& opts = **params;
  LS_RETURN_IF_ERROR(CallSubgraph(ctx, node, *ctx.subgraph(opts.init_subgraph)));
  done = true;
  return Status::Ok();
}

}  // namespace

KernelRegistration MakeWhileKernel() {
  return {
      "WHILE", static_cast<int32_t>(schema::BuiltinOperator::WHILE), 1, 1, WhilePrepare, WhileEval,
      "any"};
}

KernelRegistration MakeIfKernel() {
  return {"IF", static_cast<int32_t>(schema::BuiltinOperator::IF), 1, 1, IfPrepare, IfEval, "any"};
}

KernelRegistration MakeCallOnceKernel() {
  return {"CALL_ONCE",
          static_cast<int32_t>(schema::BuiltinOperator::CALL_ONCE),
          1,
          1,
          CallOncePrepare,
          CallOnceEval,
          ""};
}

}  // namespace litescope::runtime
