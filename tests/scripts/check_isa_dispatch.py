#!/usr/bin/env python3
"""Checks that a portable x86-64 binary keeps wider-ISA code behind the run-time dispatcher.

    check_isa_dispatch.py BINARY [--native]

Disassembles BINARY with objdump and lists the functions that contain AVX-512 instructions
(zmm registers, opmask registers k0-k7, or xmm/ymm16-31, which only EVEX can encode) or any
VEX/EVEX instruction at all (AVX and AVX2). Every such function must belong to a dispatched
ISA copy of the kernels: AVX-512 code to namespace isa_avx512* and AVX code to isa_avx* (see
runtime/kernels/optimized/isa_target_begin.inc). With --native (a -march=native build) the
check does not apply and prints SKIPPED.
"""
import argparse
import re
import subprocess
import sys

EVEX = re.compile(r"%zmm\d+|%k[0-7]\b|%[xy]mm(1[6-9]|2\d|3[01])\b")


def functions_with(binary):
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], check=True,
                         capture_output=True, text=True).stdout
    evex, vex = set(), set()
    fn = None
    for line in dis.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if m:
            fn = m.group(1)
            continue
        parts = line.split("\t")
        if fn is None or len(parts) < 2:
            continue
        ins = parts[1].strip()
        mnemonic = ins.split(" ")[0]
        if EVEX.search(ins):
            evex.add(fn)
        if "%ymm" in ins or "%zmm" in ins or (mnemonic.startswith("v") and
                                                  mnemonic not in ("verr", "verw")):
            vex.add(fn)
    return evex, vex


def demangle(names):
    out = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True,
                         text=True).stdout.splitlines()
    return dict(zip(names, out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--native", action="store_true")
    args = ap.parse_args()
    if args.native:
        print("SKIPPED: built with -march=native (LITESCOPE_NATIVE=ON): no dispatch to check")
        return 0
    evex, vex = functions_with(args.binary)
    names = demangle(sorted(evex | vex))
    bad = [f"AVX-512 outside isa_avx512*: {names[f]}" for f in sorted(evex)
           if "isa_avx512" not in names[f]]
    bad += [f"AVX outside isa_avx*: {names[f]}" for f in sorted(vex) if "isa_avx" not in names[f]]
    print(f"{args.binary}: {len(evex)} functions with AVX-512 code, {len(vex)} with AVX code, "
          f"all inside the dispatched ISA kernels" if not bad else "")
    for b in bad[:50]:
        print(b)
    if not evex:
        print("error: no AVX-512 code found at all: the avx512 kernels were not compiled in")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
