# Every code path on every machine: the kernel unit tests and the conformance suites (dev and
# golden, reference kernels and XNNPACK) once per ISA level of the architecture, with
# LITESCOPE_ISA set. A level this CPU cannot run prints "SKIPPED: ISA level ... is not
# supported by this CPU" and shows as skipped, never as a silent pass at a lower level.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(ls_test_isa_levels baseline avx2 avx512 avx512vnni amx)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64)$")
  set(ls_test_isa_levels neon dotprod)
else()
  set(ls_test_isa_levels baseline)
endif()
foreach(level ${ls_test_isa_levels})
  add_test(NAME isa_${level}_kernel_unit_tests COMMAND litescope_tests "[kernels]")
  set_tests_properties(isa_${level}_kernel_unit_tests PROPERTIES
                       ENVIRONMENT "LITESCOPE_ISA=${level}" LABELS "isa;unit"
                       SKIP_REGULAR_EXPRESSION "SKIPPED:" TIMEOUT 1800)
  foreach(suite dev golden)
    foreach(backend reference xnnpack)
      set(name isa_${level}_conformance_${suite}_${backend})
      add_test(NAME ${name}
               COMMAND Python3::Interpreter ${CMAKE_CURRENT_LIST_DIR}/../scripts/conformance.py
                       --runner $<TARGET_FILE:tflite_run> --suite ${suite} --isa ${level}
                       --backend ${backend})
      set_tests_properties(${name} PROPERTIES LABELS "isa;conformance"
                           SKIP_REGULAR_EXPRESSION "SKIPPED:" TIMEOUT 1800)
    endforeach()
  endforeach()
endforeach()
