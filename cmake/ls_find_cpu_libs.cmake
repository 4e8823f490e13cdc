# Finds fp16.h and cpuinfo, which the runtime uses (fp16 weights; the run-time kernel dispatch of
# runtime/cpu_isa.cc) and which ship no usable CMake config in Debian (cpuinfo's
# cpuinfo-config.cmake points at /usr/lib/lib/...). Defines the imported targets fp16::fp16 and
# cpuinfo::cpuinfo (once) and sets LS_CPU_LIBS_MISSING to the Debian packages still to install
# (empty when all were found). Used by cmake/dependencies.cmake and, installed next to
# litescopeConfig.cmake, by consumers of the installed package.
set(LS_CPU_LIBS_MISSING "")
find_path(FP16_INCLUDE_DIR fp16.h)
find_path(CPUINFO_INCLUDE_DIR cpuinfo.h)
find_library(CPUINFO_LIBRARY cpuinfo)
if(NOT FP16_INCLUDE_DIR)
  list(APPEND LS_CPU_LIBS_MISSING libfp16-dev)
endif()
if(NOT CPUINFO_INCLUDE_DIR OR NOT CPUINFO_LIBRARY)
  list(APPEND LS_CPU_LIBS_MISSING libcpuinfo-dev)
endif()
if(NOT LS_CPU_LIBS_MISSING)
  if(NOT TARGET fp16::fp16)
    add_library(fp16::fp16 INTERFACE IMPORTED)
    set_target_properties(fp16::fp16 PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${FP16_INCLUDE_DIR}")
  endif()
  if(NOT TARGET cpuinfo::cpuinfo)
    add_library(cpuinfo::cpuinfo UNKNOWN IMPORTED)
    set_target_properties(cpuinfo::cpuinfo PROPERTIES
      IMPORTED_LOCATION "${CPUINFO_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${CPUINFO_INCLUDE_DIR}")
  endif()
endif()
