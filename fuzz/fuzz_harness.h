#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "runtime/delegate.h"
#include "runtime/interpreter.h"
#include "runtime/model.h"
#include "runtime/tensor.h"

// What the fuzz targets run on one input. Each function returns normally for every input,
// valid or not; a crash, hang or sanitizer report is the only failure. Limits are small so that
// no input can make a target allocate or loop for long.
namespace litescope::fuzz {

// Loader limits: no single tensor may declare more than 64 MiB.
runtime::LoadOptions FuzzLoadOptions();
// Interpreter limits: 64 MiB per subgraph arena (and per dynamic tensor), 1000 WHILE
// iterations, 16 nested control-flow calls, one thread.
runtime::InterpreterOptions FuzzInterpreterOptions();

// Target (a): loads and validates the bytes, then reads everything a validated model promises
// (every constant buffer, operator code and tensor), summarizes it as tflite_analyze does and
// builds an interpreter's subgraphs without allocating them.
void RunLoad(const uint8_t* data, size_t size);

// Targets (b) and (c): loads the bytes, applies `delegates` in order (not owned; each sees the
// nodes the earlier ones left), then AllocateTensors, fills the inputs with FillInput and
// invokes twice, reading every output.
// Inputs whose estimated work exceeds about 5e7 multiply-adds (a second under ASan) are
// allocated but not invoked: a big valid model is slow, not hung.
void RunInvoke(const uint8_t* data, size_t size,
               const std::vector<runtime::Delegate*>& delegates = {});

// Fills a tensor's bytes with a fixed pattern that depends only on its type, its size and
// `salt`: small values around zero (integers in [-3, 5], floats in [-2, 2], alternating bools),
// so that index inputs are mostly in range and divisors are sometimes zero.
void FillInput(runtime::Tensor& tensor, int salt);

}  // namespace litescope::fuzz
