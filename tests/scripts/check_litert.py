#!/usr/bin/env python3
"""Models written by runtime::ModelEditor, run by the real TensorFlow Lite.

check_litert.py --runner TFLITE_RUN --writer LITERT_MODEL_WRITER --litert-dir tests/litert
                --work DIR [--node NODE] [--npm NPM]

1. copies tests/litert (package.json, package-lock.json, run_litert.mjs) to DIR and runs
   `npm ci` there (LiteRT.js, @litertjs/core, pinned); when that fails it prints
   "SKIPPED: npm unreachable (...)" and exits 0;
2. for each case, writes the model with litert_model_writer (a round trip without edits, or
   every float32 constant stored as float16 behind a DEQUANTIZE), asks LiteRT for the input
   details, writes random inputs, runs the model in LiteRT.js (WebAssembly, XNNPACK on the CPU)
   and in tflite_run (litescope's reference kernels), and compares every output within the
   case's tolerance; for round trips LiteRT's outputs on the original and the written file must
   be bitwise identical.
"""
import argparse
import json
import os
import random
import shutil
import struct
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# (model in ../shared/models, writer mode, tolerance). Float tolerances are absolute on
# outputs in [0, 1] (softmax); quantized ones are in quantization steps.
# LiteRT's XNNPACK and our reference kernels round quantized arithmetic differently, which
# mobilenet's 27 uint8 layers accumulate to a few steps. Not usable here: person_detect (LiteRT
# rejects the original: quantized_dimension 3 on 1-D tensors) and hello_world (LiteRT.js
# refuses inputs for its dynamic batch dimension); int8 I/O models such as vww_96_int8 (LiteRT.js
# tensors have no INT8 element type: "Element type INT8 is not supported").
CASES = [
    ("mobilenet_v1_0.25_224_float", "roundtrip", 1e-4),
    ("mobilenet_v1_0.25_224_quant", "roundtrip", 8),
    ("tf2_mobilenet_v2_1.0_224_ptq", "roundtrip", 8),  # int8 inside, uint8 I/O
    ("mobilenet_v1_0.25_224_float", "fp16", 1e-4),
]

FORMATS = {"float32": "f", "int32": "i", "int8": "b", "uint8": "B", "int16": "h", "bool": "B",
           "int64": "q"}


def shared_dir():
    env = os.environ.get("LITESCOPE_SHARED_DIR")
    if env:
        return env
    return os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared"))


def run(cmd, timeout=600, cwd=None):
    print("+ " + " ".join(cmd), flush=True)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=cwd)


def litert_json(stdout):
    for line in stdout.splitlines():
        if line.startswith("LITERT_JSON "):
            return json.loads(line[len("LITERT_JSON "):])
    return None


def random_input(path, spec, rng):
    fmt = FORMATS.get(spec["dtype"])
    if fmt is None:
        raise RuntimeError("input dtype %s not handled" % spec["dtype"])
    n = 1
    for d in spec["shape"]:
        n *= d
    if spec["dtype"] == "float32":
        values = [rng.uniform(-1.0, 1.0) for _ in range(n)]
    elif spec["dtype"] == "uint8":
        values = [rng.randrange(0, 256) for _ in range(n)]
    elif spec["dtype"] == "int8":
        values = [rng.randrange(-128, 128) for _ in range(n)]
    else:
        values = [rng.randrange(0, 2) for _ in range(n)]
    with open(path, "wb") as f:
        f.write(struct.pack("<%d%s" % (n, fmt), *values))


def read_values(path, dtype):
    fmt = FORMATS[dtype]
    with open(path, "rb") as f:
        data = f.read()
    n = len(data) // struct.calcsize(fmt)
    return list(struct.unpack("<%d%s" % (n, fmt), data))


def check_case(args, work, name, mode, tol, rng):
    label = "%s/%s" % (name, mode)
    src = os.path.join(shared_dir(), "models", name + ".tflite")
    case_dir = os.path.join(work, "cases", "%s.%s" % (name, mode))
    os.makedirs(case_dir, exist_ok=True)
    model = os.path.join(case_dir, "model.tflite")
    p = run([args.writer, mode, src, model])
    if p.returncode != 0:
        return "%s: litert_model_writer failed: %s" % (label, p.stderr.strip())
    node = [args.node, os.path.join(work, "run_litert.mjs")]
    p = run(node + ["describe", model], cwd=work)
    info = litert_json(p.stdout)
    if p.returncode != 0 or info is None:
        return "%s: LiteRT cannot load the written model: %s" % (label, p.stderr.strip()[-2000:])
    inputs = []
    for i, spec in enumerate(info["inputs"]):
        path = os.path.join(case_dir, "input_%d.bin" % i)
        random_input(path, spec, rng)
        inputs.append(path)
    ours = os.path.join(case_dir, "litescope")
    theirs = os.path.join(case_dir, "litert")
    cmd = [args.runner, "--model", model, "--output-dir", ours]
    for path in inputs:
        cmd += ["--input", path]
    p = run(cmd)
    if p.returncode != 0:
        return "%s: tflite_run failed: %s" % (label, p.stderr.strip())
    p = run(node + ["run", model, theirs] + inputs, cwd=work)
    if p.returncode != 0 or litert_json(p.stdout) is None:
        return "%s: LiteRT failed to run the model: %s" % (label, p.stderr.strip()[-2000:])
    if mode == "roundtrip":
        # Real TFLite must not see a difference between the original and the written file.
        original = os.path.join(case_dir, "litert_original")
        p = run(node + ["run", src, original] + inputs, cwd=work)
        if p.returncode != 0:
            return "%s: LiteRT failed to run the original: %s" % (label, p.stderr.strip()[-2000:])
        for k in range(len(info["outputs"])):
            with open(os.path.join(theirs, "litert_%d.bin" % k), "rb") as f:
                written_bytes = f.read()
            with open(os.path.join(original, "litert_%d.bin" % k), "rb") as f:
                original_bytes = f.read()
            if written_bytes != original_bytes:
                return "%s: LiteRT output %d differs between the original and the written model" % (
                    label, k)
        print("%s: LiteRT outputs of the original and the written model are identical" % label,
              flush=True)
    with open(os.path.join(ours, "outputs.json")) as f:
        our_outputs = json.load(f)["outputs"]
    their_outputs = info["outputs"]
    if len(our_outputs) != len(their_outputs):
        return "%s: %d outputs in litescope, %d in LiteRT" % (label, len(our_outputs),
                                                              len(their_outputs))
    by_name = {o["name"]: k for k, o in enumerate(their_outputs)}
    for j, o in enumerate(our_outputs):
        k = by_name.get(o["name"], j)  # LiteRT orders outputs by signature; match by name
        a = read_values(os.path.join(ours, o["file"]), o["dtype"])
        b = read_values(os.path.join(theirs, "litert_%d.bin" % k), their_outputs[k]["dtype"])
        if len(a) != len(b):
            return "%s: output %s has %d values in litescope, %d in LiteRT" % (
                label, o["name"], len(a), len(b))
        worst = max((abs(x - y) for x, y in zip(a, b)), default=0)
        print("%s: output %s (%s, %d values): max |litescope - LiteRT| = %g (tolerance %g)" % (
            label, o["name"], o["dtype"], len(a), worst, tol), flush=True)
        if worst > tol:
            return "%s: output %s differs from LiteRT by %g > %g" % (label, o["name"], worst, tol)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runner", required=True)
    ap.add_argument("--writer", required=True)
    ap.add_argument("--litert-dir", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--node", default="")
    ap.add_argument("--npm", default="")
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(shared_dir(), "models")):
        print("SKIPPED: litert_model_editor: ../shared is missing")
        return 0
    args.node = args.node or shutil.which("node") or ""
    args.npm = args.npm or shutil.which("npm") or ""
    if not args.node or not args.npm or args.node.endswith("NOTFOUND"):
        print("SKIPPED: npm unreachable (node or npm is not installed)")
        return 0

    work = os.path.abspath(args.work)
    args.runner = os.path.abspath(args.runner)
    args.writer = os.path.abspath(args.writer)
    os.makedirs(work, exist_ok=True)
    for f in ("package.json", "package-lock.json", "run_litert.mjs"):
        shutil.copyfile(os.path.join(args.litert_dir, f), os.path.join(work, f))
    core = os.path.join(work, "node_modules", "@litertjs", "core", "package.json")
    installed = False
    if os.path.exists(core):
        with open(core) as f:
            installed = json.load(f).get("version") == "2.5.3"
    if not installed:
        try:
            p = run([args.npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], timeout=300,
                    cwd=work)
            failed = p.returncode != 0
            why = (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]
        except subprocess.TimeoutExpired:
            failed, why = True, "npm ci timed out"
        if failed:
            print("SKIPPED: npm unreachable (%s)" % why)
            return 0

    rng = random.Random(1234)
    failures = []
    for name, mode, tol in CASES:
        err = check_case(args, work, name, mode, tol, rng)
        if err:
            print("FAIL: " + err, flush=True)
            failures.append(err)
    if failures:
        print("%d of %d LiteRT cases failed" % (len(failures), len(CASES)))
        return 1
    print("all %d LiteRT cases agree with litescope" % len(CASES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
