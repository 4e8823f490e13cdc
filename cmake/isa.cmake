# Run-time CPU dispatch: the build targets the architecture's baseline, and the sources listed
# with ls_add_isa_sources are compiled once more per ISA level (runtime/cpu_isa.h), each copy
# with LS_ISA_LEVEL and LS_ISA_NAMESPACE set. The code of a level is enabled inside the file by
# isa_target_begin.inc (a target pragma), not by -m flags, so nothing outside its region is
# compiled for that level. The target gets LS_COMPILED_ISA_<LEVEL> for each compiled level.
#
# LITESCOPE_ISA_LEVELS (cache) lists the levels to compile; the default is every level the
# compiler can target on this architecture.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(_ls_isa_all baseline avx2 avx512 avx512vnni)
else()
  set(_ls_isa_all baseline)
endif()
set(LITESCOPE_ISA_LEVELS "${_ls_isa_all}" CACHE STRING
    "ISA levels the dispatched kernels are compiled for (baseline is always included)")
if(NOT "baseline" IN_LIST LITESCOPE_ISA_LEVELS)
  list(PREPEND LITESCOPE_ISA_LEVELS baseline)
endif()
message(STATUS "litescope: dispatched kernels compiled for ISA levels: ${LITESCOPE_ISA_LEVELS}")

# ls_add_isa_sources(<target> SOURCES <files...> DEPS <link targets the sources need>)
function(ls_add_isa_sources target)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  set(index_baseline 0)
  set(index_avx2 1)
  set(index_avx512 2)
  set(index_avx512vnni 3)
  foreach(level ${LITESCOPE_ISA_LEVELS})
    if(NOT DEFINED index_${level})
      message(FATAL_ERROR "litescope: unknown ISA level '${level}' in LITESCOPE_ISA_LEVELS")
    endif()
    set(obj ${target}_isa_${level})
    add_library(${obj} OBJECT ${ARG_SOURCES})
    target_link_libraries(${obj} PRIVATE ${ARG_DEPS})
    target_compile_definitions(${obj} PRIVATE LS_ISA_LEVEL=${index_${level}}
                                              LS_ISA_NAMESPACE=isa_${level})
    target_include_directories(${obj} PRIVATE $<TARGET_PROPERTY:${target},INCLUDE_DIRECTORIES>)
    target_compile_definitions(${obj} PRIVATE $<TARGET_PROPERTY:${target},COMPILE_DEFINITIONS>)
    add_dependencies(${obj} ls_schema)
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:${obj}>)
    string(TOUPPER ${level} upper)
    if(NOT level STREQUAL "baseline")
      target_compile_definitions(${target} PRIVATE LS_COMPILED_ISA_${upper}=1)
    endif()
  endforeach()
endfunction()
