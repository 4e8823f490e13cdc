#!/usr/bin/env python3
"""Runs ../shared/conformance/check.py for one slice of the ground truth, as a ctest test.

    conformance.py --runner build/apps/tflite_run/tflite_run --suite dev|golden
                   [--dtype LIST] [--filter REGEX] [--backend B]

Prints "SKIPPED: ..." and exits 0 when the shared folder is missing; otherwise exits with
check.py's status, so ctest shows check.py's "N passed, M failed" line.
"""
import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def shared_dir():
    env = os.environ.get("LITESCOPE_SHARED_DIR")
    if env:
        return env
    return os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    ap.add_argument("--suite", required=True, choices=["dev", "golden"])
    ap.add_argument("--dtype")
    ap.add_argument("--filter")
    ap.add_argument("--backend")
    ap.add_argument("--threads")
    args = ap.parse_args()
    shared = shared_dir()
    check = os.path.join(shared, "conformance", "check.py")
    suite = os.path.join(shared, "conformance", "dev") if args.suite == "dev" else \
        os.path.join(shared, "golden")
    if not os.path.isfile(check) or not os.path.isfile(os.path.join(suite, "suite.json")):
        print(f"SKIPPED: conformance {args.suite}: {shared} (ground truth) is missing")
        return 0
    cmd = [sys.executable, check, "--runner", args.runner, "--suite", suite]
    for flag in ("dtype", "filter", "backend", "threads"):
        value = getattr(args, flag)
        if value:
            cmd += [f"--{flag}", value]
    print(" ".join(cmd), flush=True)
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
