#pragma once

#include "runtime/kernel_api.h"

// One factory per builtin kernel, each defined in runtime/kernels/<op>.cc. Keep alphabetical.
namespace litescope::runtime {

KernelRegistration MakeAssignVariableKernel();
KernelRegistration MakeCallOnceKernel();
KernelRegistration MakeIfKernel();
KernelRegistration MakeReadVariableKernel();
KernelRegistration MakeVarHandleKernel();
KernelRegistration MakeWhileKernel();

}  // namespace litescope::runtime
