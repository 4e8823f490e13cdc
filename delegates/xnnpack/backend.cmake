# Included by delegates/CMakeLists.txt: the XNNPACK backend links Debian's XNNPACK (found by
# find.cmake, which is also installed for consumers of the package). XNNPACK is required.
include(${CMAKE_CURRENT_LIST_DIR}/find.cmake)
foreach(package ${ls_xnnpack_missing})
  ls_fail_missing("${package} (XNNPACK or pthreadpool)" ${package})
endforeach()
list(APPEND ls_backend_deps xnnpack::xnnpack)
