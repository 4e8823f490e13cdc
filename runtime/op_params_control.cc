#include "runtime/op_params_internal.h"

// Parsers of the control-flow, resource-variable and recurrent ops' options.
namespace litescope::runtime::op_params_internal {

Result<OpParams> ParseWhile(const Node& node) {
  WhileParams p;
  const schema::WhileOptions* o = node.fb->builtin_options_as_WhileOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.cond_subgraph = o->cond_subgraph_index();
  p.body_subgraph = o->body_subgraph_index();
  return OpParams(p);
}

Result<OpParams> ParseIf(const Node& node) {
  IfParams p;
  const schema::IfOptions* o = node.fb->builtin_options_as_IfOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.then_subgraph = o->then_subgraph_index();
  p.else_subgraph = o->else_subgraph_index();
  return OpParams(p);
}

Result<OpParams> ParseCallOnce(const Node& node) {
  CallOnceParams p;
  const schema::CallOnceOptions* o = node.fb->builtin_options_as_CallOnceOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.init_subgraph = o->init_subgraph_index();
  return OpParams(p);
}

Result<OpParams> ParseVarHandle(const Node& node) {
  VarHandleParams p;
  const schema::VarHandleOptions* o = node.fb->builtin_options_as_VarHandleOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  if (o->container()) p.container = o->container()->str();
  if (o->shared_name()) p.shared_name = o->shared_name()->str();
  return OpParams(p);
}

Result<OpParams> ParseSvdf(const Node& node) {
  SvdfParams p;
  const schema::SVDFOptions* o = node.fb->builtin_options_as_SVDFOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.rank = o->rank();
  p.activation = RawActivation(o->fused_activation_function());
  return OpParams(p);
}

Result<OpParams> ParseSequenceLstm(const Node& node) {
  SequenceLstmParams p;
  const schema::UnidirectionalSequenceLSTMOptions* o =
      node.fb->builtin_options_as_UnidirectionalSequenceLSTMOptions();
  if (!o) {
    p.defaulted = true;
    return OpParams(p);
  }
  p.activation = RawActivation(o->fused_activation_function());
  p.cell_clip = o->cell_clip();
  p.proj_clip = o->proj_clip();
  p.time_major = o->time_major();
  p.diagonal_recurrent_tensors = o->diagonal_recurrent_tensors();
  return OpParams(p);
}

}  // namespace litescope::runtime::op_params_internal
