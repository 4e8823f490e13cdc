# Included by delegates/CMakeLists.txt: the XNNPACK backend links Debian's XNNPACK (found by
# cmake/ls_find_xnnpack.cmake).
list(APPEND ls_backend_deps xnnpack::xnnpack)
