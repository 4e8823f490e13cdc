#include "delegates/opencl/cl/opencl_partition.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <fp16.h>

#include "delegates/opencl/cl/opencl_delegate.h"
#include "runtime/interpreter.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/profiling_hooks.h"

namespace litescope::delegates {
namespace {

size_t FloatBytes(const runtime::Tensor& t) {
  return std::max<size_t>(static_cast<size_t>(t.elements()) * sizeof(float), sizeof(float));
}

bool Contains(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

OpenclPartition::OpenclPartition(OpenclDelegate& delegate, runtime::Subgraph& graph,
                                 std::vector<int> nodes)
    : delegate_(delegate), context_(delegate.context()), graph_(graph), nodes_(std::move(nodes)) {}

OpenclPartition::~OpenclPartition() {
  for (NodeRun& r : runs_)
    for (Launch& l : r.launches)
      if (l.kernel) clReleaseKernel(l.kernel);
  for (cl_mem m : buffers_)
    if (m) clReleaseMemObject(m);
  for (cl_mem m : zero_buffers_)
    if (m) clReleaseMemObject(m);
}

Result<std::unique_ptr<OpenclPartition>> OpenclPartition::Create(OpenclDelegate& delegate,
                                                                 runtime::Subgraph& graph,
                                                                 std::vector<int> nodes) {
  std::unique_ptr<OpenclPartition> p(new OpenclPartition(delegate, graph, std::move(nodes)));
  LS_RETURN_IF_ERROR(p->Build());
  return p;
}

Result<cl_mem> OpenclPartition::Buffer(int tensor) {
  cl_mem& m = buffers_[static_cast<size_t>(tensor)];
  if (m) return m;
  const runtime::Tensor& t = graph_.tensor(tensor);
  cl_int err = CL_SUCCESS;
  m = clCreateBuffer(context_->context(), CL_MEM_READ_WRITE, FloatBytes(t), nullptr, &err);
  if (!m || err != CL_SUCCESS)
    return ClError(fmt::format("clCreateBuffer for tensor {} ({} bytes)", tensor, FloatBytes(t)),
                   err);
  return m;
}

Status OpenclPartition::Upload(int tensor, int fp16_source) {
  Result<cl_mem> m = Buffer(tensor);
  if (!m.ok()) return m.status();
  const runtime::Tensor& t = graph_.tensor(tensor);
  const void* data = t.data;
  if (fp16_source >= 0) {
    const runtime::Tensor& s = graph_.tensor(fp16_source);
    std::vector<float>& f = folded_[static_cast<size_t>(tensor)];
    if (f.empty()) {
      f.resize(static_cast<size_t>(s.elements()));
      const uint16_t* h = s.data_as<uint16_t>();
      for (size_t i = 0; i < f.size(); ++i) f[i] = fp16_ieee_to_fp32_value(h[i]);
    }
    data = f.data();
  }
  const cl_int err = clEnqueueWriteBuffer(context_->queue(), *m, CL_TRUE, 0,
                                          static_cast<size_t>(t.elements()) * sizeof(float), data,
                                          0, nullptr, nullptr);
  if (err != CL_SUCCESS) return ClError(fmt::format("uploading constant tensor {}", tensor), err);
  return Status::Ok();
}

Status OpenclPartition::Build() {
  const size_t num_tensors = static_cast<size_t>(graph_.tensor_count());
  buffers_.assign(num_tensors, nullptr);
  folded_.assign(num_tensors, {});
  std::vector<bool> in_partition(graph_.nodes().size(), false);
  for (int n : nodes_) in_partition[static_cast<size_t>(n)] = true;

  // 1. Plans, and the tensors they touch.
  std::vector<OpenclNodePlan> plans(nodes_.size());
  std::vector<int> referenced;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const runtime::Node& node = graph_.nodes()[static_cast<size_t>(nodes_[i])];
    runtime::SupportResult r = OpenclPlanNode(graph_, node, &plans[i]);
    if (!r.supported()) return UnsupportedOpError("GPU: " + r.message);
    for (const OpenclLaunch& l : plans[i].launches)
      for (const OpenclArg& a : l.args)
        if (a.kind == OpenclArg::Kind::kTensor && !Contains(referenced, a.tensor))
          referenced.push_back(a.tensor);
    for (int t : {plans[i].copy_src, plans[i].copy_dst})
      if (t >= 0 && !Contains(referenced, t)) referenced.push_back(t);
    for (int t : node.outputs)
      if (t >= 0 && !Contains(produced_, t)) produced_.push_back(t);
  }

  // 2. Constants are uploaded now; produced tensors that something outside reads are outputs;
  //    the rest that the partition reads are inputs.
  std::vector<bool> read_outside(num_tensors, false);
  for (const runtime::Node& n : graph_.nodes())
    if (!in_partition[static_cast<size_t>(n.index)])
      for (int t : n.inputs)
        if (t >= 0) read_outside[static_cast<size_t>(t)] = true;
  for (int t : graph_.outputs())
    if (t >= 0) read_outside[static_cast<size_t>(t)] = true;
  for (int t : referenced) {
    int fp16 = -1;
    if (OpenclStaticTensor(graph_, t, &fp16)) {
      LS_RETURN_IF_ERROR(Upload(t, fp16));
    } else if (!Contains(produced_, t)) {
      inputs_.push_back(t);
      input_shapes_.push_back(graph_.tensor(t).shape);
      Result<cl_mem> m = Buffer(t);
      if (!m.ok()) return m.status();
    }
  }
  for (int t : produced_) {
    int fp16 = -1;
    if (!read_outside[static_cast<size_t>(t)]) continue;
    if (OpenclStaticTensor(graph_, t, &fp16)) {
      folded_outputs_.push_back(t);
      continue;
    }
    outputs_.push_back(t);
    Result<cl_mem> m = Buffer(t);
    if (!m.ok()) return m.status();
  }
  for (int t : produced_) {
    int fp16 = -1;
    if (!OpenclStaticTensor(graph_, t, &fp16) && Contains(referenced, t)) {
      Result<cl_mem> m = Buffer(t);
      if (!m.ok()) return m.status();
    }
  }

  // 3. Programs and kernels, with their arguments set once.
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const runtime::Node& node = graph_.nodes()[static_cast<size_t>(nodes_[i])];
    const OpenclNodePlan& plan = plans[i];
    NodeRun run;
    run.node = node.index;
    run.tag = node.op_name.c_str();
    run.kind = plan.kind;
    run.copy_src = plan.copy_src;
    run.copy_dst = plan.copy_dst;
    if (plan.kind == OpenclNodePlan::Kind::kProgram) {
      Result<cl_program> program =
          delegate_.programs().Get(plan.source, plan.options, runtime::NodeLabel(node));
      if (!program.ok()) return program.status();
      for (const OpenclLaunch& l : plan.launches) {
        cl_int err = CL_SUCCESS;
        Launch launch;
        launch.global = l.global;
        launch.kernel = clCreateKernel(*program, l.kernel.c_str(), &err);
        if (!launch.kernel || err != CL_SUCCESS)
          return ClError(fmt::format("{}: clCreateKernel({})", runtime::NodeLabel(node), l.kernel),
                         err);
        run.launches.push_back(launch);  // released by the destructor from here on
        for (size_t a = 0; a < l.args.size(); ++a) {
          const OpenclArg& arg = l.args[a];
          const cl_uint index = static_cast<cl_uint>(a);
          if (arg.kind == OpenclArg::Kind::kInt) {
            const cl_int v = arg.value;
            err = clSetKernelArg(launch.kernel, index, sizeof(v), &v);
          } else {
            cl_mem m = nullptr;
            if (arg.kind == OpenclArg::Kind::kZeros) {
              std::vector<float> zeros(static_cast<size_t>(std::max(arg.value, 1)), 0.0f);
              m = clCreateBuffer(context_->context(), CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR,
                                 zeros.size() * sizeof(float), zeros.data(), &err);
              if (!m || err != CL_SUCCESS) return ClError("clCreateBuffer (zero bias)", err);
              zero_buffers_.push_back(m);
            } else {
              m = buffers_[static_cast<size_t>(arg.tensor)];
              if (!m)
                return InternalError(fmt::format("GPU: {}: tensor {} has no device buffer",
                                                 runtime::NodeLabel(node), arg.tensor));
            }
            err = clSetKernelArg(launch.kernel, index, sizeof(cl_mem), &m);
          }
          if (err != CL_SUCCESS)
            return ClError(fmt::format("{}: clSetKernelArg {}", runtime::NodeLabel(node), a), err);
        }
      }
    }
    runs_.push_back(std::move(run));
  }
  return Status::Ok();
}

Status OpenclPartition::Prepare(runtime::KernelContext& ctx) {
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const runtime::Shape& now = ctx.tensor(inputs_[i]).shape;
    if (now != input_shapes_[i])
      return UnsupportedOpError(fmt::format(
          "GPU: partition input tensor {} changed shape from {} to {}; the GPU delegate runs "
          "the shapes it was applied with (apply it again after resizing)",
          inputs_[i], input_shapes_[i].ToString(), now.ToString()));
  }
  for (int t : produced_) {
    runtime::Tensor& x = ctx.tensor(t);
    if (Contains(folded_outputs_, t)) {
      // Read outside the partition: a constant for the CPU kernels too. The FLOAT16 source is
      // looked up first: once folded, the tensor itself reads as a FLOAT32 constant.
      int fp16 = -1;
      if (!OpenclStaticTensor(graph_, t, &fp16) || fp16 < 0) {
        if (x.is_constant()) continue;  // folded by an earlier Prepare
        return InternalError(fmt::format("GPU: folded tensor {} lost its FLOAT16 source", t));
      }
      LS_RETURN_IF_ERROR(ctx.FoldToConstant(x, x.shape));
      const runtime::Tensor& s = ctx.tensor(fp16);
      if (!x.data || x.bytes < static_cast<size_t>(s.elements()) * sizeof(float))
        return InternalError(fmt::format("GPU: folded tensor {} has no storage", t));
      float* out = x.data_as<float>();
      const uint16_t* h = s.data_as<uint16_t>();
      for (int64_t i = 0; i < s.elements(); ++i) out[i] = fp16_ieee_to_fp32_value(h[i]);
      continue;
    }
    LS_RETURN_IF_ERROR(ctx.ResizeTensor(x, x.shape));
  }
  return Status::Ok();
}

Status OpenclPartition::Eval(runtime::KernelContext& ctx) {
  runtime::ProfilingHooks* hooks = ctx.interpreter().profiling_hooks();
  cl_command_queue q = context_->queue();
  // One event per command when profiling: (node or -1 for a copy, tag, event).
  struct Timed {
    int node;
    const char* tag;
    cl_event event;
  };
  std::vector<Timed> timed;
  auto ev = [&](int node, const char* tag) -> cl_event* {
    if (!hooks) return nullptr;
    timed.push_back({node, tag, nullptr});
    return &timed.back().event;
  };
  auto release = [&] {
    for (Timed& t : timed)
      if (t.event) clReleaseEvent(t.event);
  };
  cl_int err = CL_SUCCESS;
  const int first = nodes_.front();
  size_t commands = inputs_.size() + outputs_.size();
  for (const NodeRun& r : runs_) commands += r.launches.size() + 1;
  timed.reserve(commands);  // ev() hands out pointers into it: it must never reallocate
  for (int t : inputs_) {
    const runtime::Tensor& x = ctx.tensor(t);
    if (!x.data) {
      release();
      return InternalError(fmt::format("GPU: partition input tensor {} has no storage", t));
    }
    err = clEnqueueWriteBuffer(q, buffers_[static_cast<size_t>(t)], CL_FALSE, 0,
                               static_cast<size_t>(x.elements()) * sizeof(float), x.data, 0,
                               nullptr, ev(-1, "host->device"));
    if (err != CL_SUCCESS) {
      release();
      return ClError(fmt::format("writing input tensor {}", t), err);
    }
  }
  for (NodeRun& r : runs_) {
    if (r.kind == OpenclNodePlan::Kind::kCopy) {
      const size_t bytes =
          static_cast<size_t>(graph_.tensor(r.copy_src).elements()) * sizeof(float);
      err = clEnqueueCopyBuffer(q, buffers_[static_cast<size_t>(r.copy_src)],
                                buffers_[static_cast<size_t>(r.copy_dst)], 0, 0, bytes, 0, nullptr,
                                ev(r.node, r.tag));
    }
    for (Launch& l : r.launches) {
      if (err != CL_SUCCESS) break;
      err = clEnqueueNDRangeKernel(q, l.kernel, static_cast<cl_uint>(l.global.size()), nullptr,
                                   l.global.data(), nullptr, 0, nullptr, ev(r.node, r.tag));
    }
    if (err != CL_SUCCESS) {
      clFinish(q);
      release();
      return ClError(fmt::format("GPU: node {} ({}): enqueue", r.node, r.tag), err);
    }
  }
  for (int t : outputs_) {
    runtime::Tensor& x = ctx.tensor(t);
    if (!x.data) continue;  // nothing reads it after all
    err = clEnqueueReadBuffer(q, buffers_[static_cast<size_t>(t)], CL_FALSE, 0,
                              static_cast<size_t>(x.elements()) * sizeof(float), x.data, 0, nullptr,
                              ev(-1, "device->host"));
    if (err != CL_SUCCESS) {
      clFinish(q);
      release();
      return ClError(fmt::format("reading output tensor {}", t), err);
    }
  }
  err = clFinish(q);
  if (err != CL_SUCCESS) {
    release();
    return ClError("clFinish", err);
  }
  if (hooks) {
    // A node's device time spans its commands (CONCATENATION runs one per input).
    const int64_t offset = context_->device_to_host_offset_ns();
    const int sg = ctx.subgraph_index();
    for (size_t i = 0; i < timed.size();) {
      cl_ulong start = 0, end = 0;
      size_t j = i;
      bool ok = true;
      for (; j < timed.size() && (j == i || (timed[j].node >= 0 && timed[j].node == timed[i].node));
           ++j) {
        cl_ulong s = 0, e = 0;
        ok = ok &&
             clGetEventProfilingInfo(timed[j].event, CL_PROFILING_COMMAND_START, sizeof(s), &s,
                                     nullptr) == CL_SUCCESS &&
             clGetEventProfilingInfo(timed[j].event, CL_PROFILING_COMMAND_END, sizeof(e), &e,
                                     nullptr) == CL_SUCCESS;
        if (j == i || s < start) start = s;
        if (e > end) end = e;
      }
      if (ok && end >= start) {
        runtime::RecordedEvent e;
        e.kind = timed[i].node >= 0 ? runtime::EventKind::kDeviceOp : runtime::EventKind::kCopy;
        e.tag = timed[i].tag;
        e.subgraph = sg;
        e.node = timed[i].node >= 0 ? timed[i].node : first;
        e.start_ns = static_cast<int64_t>(start) + offset;
        e.duration_ns = static_cast<int64_t>(end - start);
        e.clock = runtime::EventClock::kDevice;
        hooks->Record(e);
      }
      i = j;
    }
  }
  release();
  return Status::Ok();
}

}  // namespace litescope::delegates
