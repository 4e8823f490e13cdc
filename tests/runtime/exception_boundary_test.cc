// Exceptions that escape a kernel become a Status at the kernel API, and the interpreter stays
// usable afterwards (issue #14 item 7).
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <new>
#include <stdexcept>
#include <vector>

#include "runtime/interpreter.h"
#include "runtime/kernels/kernel_util.h"
#include "runtime/model.h"
#include "runtime/model_builder.h"
#include "runtime/op_registry.h"
#include "runtime/thread_pool.h"

namespace ls = litescope::runtime;
using litescope::Status;
using litescope::StatusCode;

namespace {

// How the THROWER op misbehaves; set by each test before it runs.
enum class Throw { kNone, kPrepareRuntimeError, kEvalBadAlloc, kEvalInWorker, kEvalInt };
std::atomic<Throw> g_throw{Throw::kNone};

Status ThrowerPrepare(ls::KernelContext& ctx, ls::Node& node) {
  if (g_throw == Throw::kPrepareRuntimeError) throw std::runtime_error("prepare exploded");
  return ctx.ResizeTensor(*ctx.output(node, 0), ctx.input(node, 0)->shape);
}

Status ThrowerEval(ls::KernelContext& ctx, ls::Node& node) {
  const ls::Tensor* in = ctx.input(node, 0);
  ls::Tensor* out = ctx.output(node, 0);
  switch (g_throw.load()) {
    case Throw::kEvalBadAlloc:
      throw std::bad_alloc();
    case Throw::kEvalInt:
      throw 42;
    case Throw::kEvalInWorker:
      // Only the chunk that does not start at 0 throws: with two threads that is the worker's.
      ctx.thread_pool().ParallelFor(in->elements(), 1, [&](int64_t begin, int64_t) {
        if (begin != 0) throw std::runtime_error("worker exploded");
      });
      break;
    default:
      break;
  }
  for (int64_t i = 0; i < in->elements(); ++i) out->data_as<float>()[i] = in->data_as<float>()[i];
  return Status::Ok();
}

std::unique_ptr<ls::Interpreter> MakeThrower(int threads) {
  ls::ModelBuilder b;
  const int in = b.AddTensor(0, "in", ls::DataType::kFloat32, {1, 8});
  const int out = b.AddTensor(0, "out", ls::DataType::kFloat32, {1, 8});
  b.AddCustomOperator(0, "THROWER", {in}, {out});
  b.SetInputs(0, {in});
  b.SetOutputs(0, {out});
  const std::vector<uint8_t> bytes = b.Finish();
  auto model = ls::Model::FromBufferCopy(bytes.data(), bytes.size(), "thrower");
  REQUIRE(model.ok());
  ls::OpRegistry registry = ls::OpRegistry::WithBuiltins();
  ls::KernelRegistration reg;
  reg.prepare = ThrowerPrepare;
  reg.eval = ThrowerEval;
  reg.types = "float32";
  registry.AddCustom("THROWER", reg);
  ls::InterpreterOptions options;
  options.num_threads = threads;
  auto interp = ls::Interpreter::Create(*model, registry, options);
  REQUIRE(interp.ok());
  return std::move(interp.value());
}

}  // namespace

TEST_CASE("An exception in a kernel's Prepare becomes an error naming the node",
          "[runtime][interpreter]") {
  auto interp = MakeThrower(1);
  g_throw = Throw::kPrepareRuntimeError;
  const Status s = interp->AllocateTensors();
  g_throw = Throw::kNone;
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == StatusCode::kInternal);
  CHECK(s.message().find("node 0") != std::string::npos);
  CHECK(s.message().find("prepare exploded") != std::string::npos);
  REQUIRE(interp->AllocateTensors().ok());  // and the next try works
  CHECK(interp->Invoke().ok());
}

TEST_CASE("An allocation failure in Eval becomes an out-of-memory error, and Invoke works again",
          "[runtime][interpreter]") {
  auto interp = MakeThrower(1);
  REQUIRE(interp->AllocateTensors().ok());
  g_throw = Throw::kEvalBadAlloc;
  const Status s = interp->Invoke();
  g_throw = Throw::kNone;
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == StatusCode::kOutOfMemory);
  CHECK(s.message().find("out of memory in Eval") != std::string::npos);
  // Before the boundary, the escaped exception left the subgraph marked as running and every
  // later Invoke failed with "invoked recursively".
  const Status again = interp->Invoke();
  CHECK(again.ok());
  CHECK(again.message().find("recursively") == std::string::npos);
}

TEST_CASE("A non-standard exception in Eval becomes an internal error", "[runtime][interpreter]") {
  auto interp = MakeThrower(1);
  REQUIRE(interp->AllocateTensors().ok());
  g_throw = Throw::kEvalInt;
  const Status s = interp->Invoke();
  g_throw = Throw::kNone;
  REQUIRE_FALSE(s.ok());
  CHECK(s.code() == StatusCode::kInternal);
  CHECK(s.message().find("unknown exception") != std::string::npos);
  CHECK(interp->Invoke().ok());
}

TEST_CASE("An exception on a thread-pool worker reaches the caller as an error",
          "[runtime][interpreter]") {
  auto interp = MakeThrower(2);
  REQUIRE(interp->AllocateTensors().ok());
  g_throw = Throw::kEvalInWorker;
  const Status s = interp->Invoke();
  g_throw = Throw::kNone;
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find("worker exploded") != std::string::npos);
  CHECK(interp->Invoke().ok());  // the pool is still usable
}

TEST_CASE("ThreadPool rethrows a chunk's exception after every chunk finished",
          "[runtime][thread_pool]") {
  ls::ThreadPool pool(2);
  std::atomic<int> finished{0};
  CHECK_THROWS_WITH(pool.ParallelFor(2, 1,
                                     [&](int64_t begin, int64_t) {
                                       if (begin == 0) throw std::runtime_error("first chunk");
                                       finished++;
                                     }),
                    "first chunk");
  CHECK(finished == 1);  // the other chunk ran to its end before ParallelFor returned
  std::atomic<int64_t> sum{0};
  pool.ParallelFor(4, 1, [&](int64_t b, int64_t e) {  // and the pool is still usable
    for (int64_t i = b; i < e; ++i) sum += i;
  });
  CHECK(sum == 6);
}
