# The default (portable) build keeps AVX and AVX-512 instructions inside the dispatched ISA
# kernels only: objdump of tflite_run (tests/scripts/check_isa_dispatch.py).
find_program(LS_OBJDUMP objdump)
if(LS_OBJDUMP AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(ls_native_flag)
  if(LITESCOPE_NATIVE)
    set(ls_native_flag --native)
  endif()
  add_test(NAME isa_dispatch_objdump
           COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/../scripts/check_isa_dispatch.py
                   $<TARGET_FILE:tflite_run> ${ls_native_flag})
  set_tests_properties(isa_dispatch_objdump PROPERTIES LABELS "isa;tool"
                       SKIP_REGULAR_EXPRESSION "SKIPPED:")
endif()
