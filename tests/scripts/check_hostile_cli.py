#!/usr/bin/env python3
"""Runs tflite_run on crafted hostile models and checks its resource-limit flags.

Usage: check_hostile_cli.py SEED_WRITER TFLITE_RUN TMP_DIR
SEED_WRITER (fuzz_seed_writer) writes the hostile models and their cases.tsv (file name,
extra tflite_run flags, expected error fragment) to TMP_DIR/hostile. Each case must exit 1 with
exactly one stderr line that starts with "error:" and holds the fragment, within 120 s and with
no sanitizer report. The limit flags are checked too: big_tensor (4 MiB tensors) runs under the
default limits but fails under --max_arena_mb 2, and negative values are usage errors (exit 2).
"""
import os
import shutil
import subprocess
import sys

CRASH_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:",
                 "AddressSanitizer:DEADLYSIGNAL", "terminate called", "Segmentation fault",
                 "internal check failed")


def run(argv):
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, timeout=120)
    except subprocess.TimeoutExpired:
        return None, "", "timed out after 120 s"
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode(
        "utf-8", "replace")


def check(label, argv, code, fragment, failures):
    rc, _, stderr = run(argv)
    lines = stderr.splitlines()
    problem = None
    if rc is None:
        problem = stderr
    elif any(m in stderr for m in CRASH_MARKERS) or rc < 0:
        problem = f"crashed (exit {rc}): {' | '.join(lines[:6])}"
    elif rc != code:
        problem = f"exit {rc}, expected {code}: {' | '.join(lines[:6])}"
    elif code == 1 and (len(lines) != 1 or not lines[0].startswith("error:")):
        problem = f"needs one stderr line starting with 'error:', got: {' | '.join(lines[:6])}"
    elif fragment and fragment not in stderr:
        problem = f"error lacks '{fragment}': {' | '.join(lines[:6])}"
    if problem:
        failures.append(f"{label}: {problem}")
    else:
        print(f"ok: {label}: {lines[0] if lines else ''}")


def main():
    if len(sys.argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    writer, tool, tmp = sys.argv[1:]
    hostile = os.path.join(tmp, "hostile")
    seeds = os.path.join(tmp, "seeds")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(hostile)
    os.makedirs(seeds)
    subprocess.run([writer, "--count", "0", "--hostile-dir", hostile, seeds], check=True)
    failures = []
    with open(os.path.join(hostile, "cases.tsv"), encoding="utf-8") as f:
        for line in f:
            name, flags, expected = line.rstrip("\n").split("\t")
            argv = [tool, "--model", os.path.join(hostile, name), "--fill", "zeros"]
            argv += flags.split() if flags else []
            check(name, argv, 1, expected, failures)
    check("big_tensor.tflite within the default limits",
          [tool, "--model", os.path.join(hostile, "big_tensor.tflite"), "--fill", "zeros"], 0,
          None, failures)
    check("--max_arena_mb -1", [tool, "--model", "builtin:add_mul", "--max_arena_mb", "-1"], 2,
          "--max_arena_mb", failures)
    check("--max_while_iterations -5",
          [tool, "--model", "builtin:add_mul", "--max_while_iterations", "-5"], 2,
          "--max_while_iterations", failures)
    for f in failures:
        print(f"FAILED: {f}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
