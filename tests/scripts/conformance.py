#!/usr/bin/env python3
"""Runs ../shared/conformance/check.py for one slice of the ground truth, as a ctest test.

    conformance.py --runner build/apps/tflite_run/tflite_run --suite dev|golden
                   [--dtype LIST] [--filter REGEX] [--backend B] [--isa LEVEL]
                   [--skip-unless COMMAND]

Prints "SKIPPED: ..." and exits 0 when the shared folder is missing, or when --isa names a
level this CPU cannot run (asked of `tflite_run --isa-info`); otherwise exits with check.py's
status, so ctest shows check.py's "N passed, M failed" line. --isa runs every case with
LITESCOPE_ISA=LEVEL and first checks that the runner really selects that level.
"""
import argparse
import json
import os
import shlex
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
    ap.add_argument("--isa")
    ap.add_argument("--skip-unless", help="a command; SKIPPED when it fails (no device)")
    args = ap.parse_args()
    if args.skip_unless:
        probe = subprocess.run(shlex.split(args.skip_unless), capture_output=True, text=True)
        if probe.returncode != 0:
            print("SKIPPED: %s failed: %s" % (args.skip_unless, probe.stderr.strip()))
            return 0
    env = dict(os.environ)
    if args.isa:
        env["LITESCOPE_ISA"] = args.isa
        info = json.loads(subprocess.run([args.runner, "--isa-info"], env=env, check=True,
                                         capture_output=True, text=True).stdout)
        supported = {l["name"]: l["cpu_supports"] for l in info["levels"]}
        if args.isa not in supported:
            print(f"error: unknown ISA level {args.isa} (this build: {sorted(supported)})")
            return 1
        if not supported[args.isa]:
            print(f"SKIPPED: conformance {args.suite} at ISA level {args.isa}: not supported by "
                  f"this CPU ({info['cpu_name']}; highest: {info['highest_supported']})")
            return 0
        if info["active"] != args.isa:
            print(f"error: LITESCOPE_ISA={args.isa} selected {info['active']}")
            return 1
        print(f"ISA level {args.isa}: kernels {info['kernels']}", flush=True)
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
    return subprocess.call(cmd, env=env)


if __name__ == "__main__":
    sys.exit(main())
