#!/usr/bin/env python3
"""Feeds corrupted variants of the shared models to a litescope tool and checks that it fails
cleanly.

Usage: corruption_suite.py [--shared DIR] [--tmp DIR] [--jobs N] [--timeout S] [TOOL [ARG...]]
The tool runs as `TOOL ARG... MODEL` (or with MODEL in place of an ARG spelled "{model}"), once
per variant; TOOL defaults to tflite_analyze (from PATH, else build/apps/tflite_analyze/).
Variants of every model in SHARED/models (read in place, written one at a time to TMP and
deleted after use):
  - truncations at 0, 1, 3, 7, 8, 16, len/2, len-1 and 10 spread offsets: must be rejected;
  - a wrong file identifier: must be rejected;
  - 10 byte flips and 5 zeroed ranges (fixed seeds): may load or be rejected;
plus an empty file, a 3-byte file, a directory and a missing path: must be rejected.
Every run must finish within the timeout and must not crash (signal, "ERROR: AddressSanitizer",
"runtime error:" and the like). A rejection is a positive exit code with exactly one stderr line,
starting with "error:". Prints every failure, then "N passed, M failed"; exits 1 on failures.
SHARED defaults to $LITESCOPE_SHARED_DIR, then ../shared beside this checkout; when missing the
suite still runs the four model-independent cases.
"""
import argparse
import concurrent.futures
import os
import random
import shutil
import subprocess
import sys
import tempfile

CRASH_MARKERS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "ERROR: ThreadSanitizer",
                 "ERROR: MemorySanitizer", "runtime error:", "AddressSanitizer:DEADLYSIGNAL",
                 "terminate called", "Segmentation fault", "internal check failed")


def default_shared():
    if os.environ.get("LITESCOPE_SHARED_DIR"):
        return os.environ["LITESCOPE_SHARED_DIR"]
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared"))


def default_tool():
    """tflite_analyze from PATH, else from the checkout's build/ folder."""
    here = os.path.dirname(os.path.abspath(__file__))
    return shutil.which("tflite_analyze") or os.path.normpath(
        os.path.join(here, "..", "..", "build", "apps", "tflite_analyze", "tflite_analyze"))


class Case:
    """One input for the tool: bytes to write (or a special path) and what must happen."""

    def __init__(self, label, must_reject, data=None, path=None):
        self.label, self.must_reject, self.data, self.path = label, must_reject, data, path


def model_cases(name, data):
    n = len(data)
    offsets = {0, 1, 3, 7, 8, 16, n // 2, n - 1}
    offsets.update(n * k // 11 for k in range(1, 11))
    for off in sorted(o for o in offsets if 0 <= o < n):
        yield Case(f"{name}: truncated to {off} bytes", True, data=lambda off=off: data[:off])

    def wrong_identifier():
        b = bytearray(data)
        b[4:8] = b"TFL0"
        return bytes(b)
    yield Case(f"{name}: file identifier TFL0", True, data=wrong_identifier)

    head, tail = min(n, 4096), max(0, n - 4096)
    for seed in range(10):
        rng = random.Random(f"flip:{name}:{seed}")
        # Flips land in the first 4 KiB (tables), the last 4 KiB, or anywhere.
        region = seed % 3
        off = rng.randrange(head) if region == 0 else (
            rng.randrange(tail, n) if region == 1 else rng.randrange(n))
        mask = rng.randrange(1, 256)

        def flipped(off=off, mask=mask):
            b = bytearray(data)
            b[off] ^= mask
            return bytes(b)
        yield Case(f"{name}: byte {off} ^= 0x{mask:02x}", False, data=flipped)

    for seed in range(5):
        rng = random.Random(f"zero:{name}:{seed}")
        length = rng.choice((4, 16, 64, 256))
        start = rng.randrange(head if seed < 3 else n)
        end = min(n, start + length)

        def zeroed(start=start, end=end):
            b = bytearray(data)
            b[start:end] = bytes(end - start)
            return bytes(b)
        yield Case(f"{name}: bytes [{start}, {end}) zeroed", False, data=zeroed)


def special_cases(tmp):
    directory = os.path.join(tmp, "a_directory.tflite")
    os.makedirs(directory, exist_ok=True)
    yield Case("empty file", True, data=lambda: b"")
    yield Case("3-byte file", True, data=lambda: b"TFL")
    yield Case("directory", True, path=directory)
    yield Case("missing path", True, path=os.path.join(tmp, "does_not_exist.tflite"))


def run_case(case, index, command, tmp, timeout):
    """Returns None when the case passes, else a description of the failure."""
    path = case.path
    if case.data is not None:
        path = os.path.join(tmp, f"variant_{index}.tflite")
        with open(path, "wb") as f:
            f.write(case.data())
    argv = [a.replace("{model}", path) for a in command]
    if not any("{model}" in a for a in command):
        argv.append(path)
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"{case.label}: timed out after {timeout} s"
    finally:
        if case.data is not None:
            os.remove(path)
    stderr = proc.stderr.decode("utf-8", "replace")
    lines = stderr.splitlines()
    excerpt = " | ".join(lines[:6])
    if proc.returncode < 0:
        return f"{case.label}: killed by signal {-proc.returncode}: {excerpt}"
    if any(m in stderr for m in CRASH_MARKERS):
        return f"{case.label}: crashed (exit {proc.returncode}): {excerpt}"
    if proc.returncode == 0:
        return f"{case.label}: accepted, but it is invalid" if case.must_reject else None
    if len(lines) != 1 or not lines[0].startswith("error:"):
        return (f"{case.label}: exit {proc.returncode} needs exactly one stderr line starting "
                f"with 'error:', got {len(lines)}: {excerpt}")
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=default_shared())
    parser.add_argument("--tmp", default=None, help="scratch folder (default: a new temp dir)")
    parser.add_argument("--jobs", type=int, default=max(2, os.cpu_count() or 2))
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per run")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if not args.command:
        args.command = [default_tool()]

    tmp = args.tmp or tempfile.mkdtemp(prefix="litescope_corruption_")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    cases = list(special_cases(tmp))
    models_dir = os.path.join(args.shared, "models")
    if os.path.isdir(models_dir):
        for name in sorted(os.listdir(models_dir)):
            if name.endswith(".tflite"):
                with open(os.path.join(models_dir, name), "rb") as f:
                    cases.extend(model_cases(name, f.read()))
    else:
        print(f"note: {models_dir} is missing; only the model-independent cases run")

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_case, c, i, args.command, tmp, args.timeout)
                   for i, c in enumerate(cases)]
        failures = [f.result() for f in futures]
    failures = [f for f in failures if f]
    shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print(f"FAIL {f}")
    print(f"{len(cases) - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
