#!/usr/bin/env python3
"""The test-only backend "testop" (tests/backends/test_backends.h) in the three tools.

The test builds of tflite_run, benchmark_model and tflite_analyze differ from the tools only by
the registration compiled with LITESCOPE_TEST_BACKENDS (tests/CMakeLists.txt). Checks:
  - each lists testop where it lists backends (tflite_run --help, benchmark_model --help with
    --use_testop and --testop_ops, tflite_analyze --help), and the plain tools do not;
  - tflite_run --backend testop / xnnpack,testop computes the reference outputs;
  - tflite_analyze --compat --backend testop analyzes it; an unknown backend exits 2 naming it;
  - benchmark_model --use_xnnpack --use_testop --testop_ops=ADD,TANH on fallback_middle (ADD TANH
    MUL TANH SUB EXP): XNNPACK, applied first, takes ADD MUL SUB; testop then sees only the rest
    and takes both TANH; EXP stays on the CPU refused by both. The placement printed with
    --verbose ("Placement, node by node:") equals execution.placement of --report_json.
Usage: check_test_backend.py --run T --bench B --analyze A --plain-run T0 --plain-bench B0
                             --plain-analyze A0 --model_writer W --workdir DIR
"""
import argparse
import json
import os
import subprocess
import sys


def run(*args):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


def placement_lines(report):
    """The lines of delegates::FormatPlacementNodes, rebuilt from the JSON placement."""
    lines = []
    for n in report["execution"]["placement"]["nodes"]:
        sg = "" if n["subgraph_index"] == 0 else f"subgraph {n['subgraph_index']} "
        line = f"{sg}node {n['node_index']} ({n['type']}): {n['backend']}"
        if n["partition"] is not None:
            line += f" partition {n['partition']}"
        for r in n["refusals"]:
            line += f"; refused by {r['backend']} ({r['reason_code']}): {r['reason']}"
        lines.append(line)
    return lines


def printed_placement(out):
    lines = out.splitlines()
    if "Placement, node by node:" not in lines:
        return None
    block = []
    for line in lines[lines.index("Placement, node by node:") + 1:]:
        if not line.startswith("  "):
            break
        block.append(line[2:])
    return block


def main():
    ap = argparse.ArgumentParser()
    for name in ("run", "bench", "analyze", "plain-run", "plain-bench", "plain-analyze",
                 "model_writer", "workdir"):
        ap.add_argument("--" + name, required=True)
    a = ap.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    failures = []

    def expect(what, cond):
        if not cond:
            failures.append(what)

    # 1. Every tool lists the test backend; the plain tools do not.
    rc, out, _ = run(a.run, "--help")
    expect("tflite_run --help lists testop", rc == 0 and "testop" in out)
    rc, out, _ = run(getattr(a, "plain_run"), "--help")
    expect("plain tflite_run --help does not list testop", rc == 0 and "testop" not in out)
    rc, out, _ = run(a.bench, "--help")
    expect("benchmark_model --help has --use_testop and --testop_ops",
           rc == 0 and "--use_testop" in out and "--testop_ops" in out and "--use_xnnpack" in out)
    rc, out, _ = run(getattr(a, "plain_bench"), "--help")
    expect("plain benchmark_model --help has no --use_testop",
           rc == 0 and "--use_testop" not in out and "--use_xnnpack" in out)
    rc, out, _ = run(a.analyze, "--help")
    expect("tflite_analyze --help lists testop", rc == 0 and "testop" in out)
    rc, out, _ = run(getattr(a, "plain_analyze"), "--help")
    expect("plain tflite_analyze --help does not list testop", rc == 0 and "testop" not in out)

    # 2. tflite_run: the test backend computes the reference outputs.
    outputs = {}
    for backend in ("reference", "testop", "xnnpack,testop"):
        d = os.path.join(a.workdir, "run_" + backend.replace(",", "_"))
        os.makedirs(d, exist_ok=True)
        rc, out, err = run(a.run, "--model", "builtin:add_mul", "--fill", "random",
                           "--backend", backend, "--output-dir", d)
        expect(f"tflite_run --backend {backend} exits 0 (got {rc}: {err.strip()[-300:]})", rc == 0)
        if backend == "testop":
            expect("tflite_run --backend testop prints its placement",
                   "delegate (TESTOP)" in err)
        path = os.path.join(d, "output_0.bin")
        outputs[backend] = open(path, "rb").read() if os.path.exists(path) else None
    expect("testop and xnnpack,testop compute what the reference kernels compute",
           outputs["reference"] is not None and
           outputs["testop"] == outputs["reference"])
    rc, _, err = run(a.run, "--model", "builtin:add_mul", "--fill", "zeros", "--backend", "npu")
    expect(f"tflite_run --backend npu exits 2 listing testop (got {rc}: {err.strip()})",
           rc == 2 and "testop" in err)

    # 3. tflite_analyze: the device-free checker of the test backend.
    rc, out, err = run(a.analyze, "builtin:add_mul", "--json", "--compat", "--backend", "testop")
    if rc != 0:
        failures.append(f"tflite_analyze --backend testop exits {rc}: {err.strip()}")
    else:
        b = json.loads(out)["compatibility"]["backends"]
        expect("tflite_analyze reports testop", [x["backend"] for x in b] == ["testop"])
    rc, _, err = run(a.analyze, "builtin:add_mul", "--compat", "--backend", "npu")
    expect(f"tflite_analyze --backend npu exits 2 listing testop (got {rc}: {err.strip()})",
           rc == 2 and "testop" in err)

    # 4. benchmark_model: XNNPACK first, testop for what is left, the CPU for the rest.
    rc, _, err = run(a.model_writer, a.workdir)
    expect(f"model writer exits 0 ({err.strip()})", rc == 0)
    model = os.path.join(a.workdir, "fallback_middle.tflite")
    report_path = os.path.join(a.workdir, "two_delegates.json")
    rc, out, err = run(a.bench, f"--graph={model}", "--use_xnnpack=true", "--use_testop=true",
                       "--testop_ops=ADD,TANH", "--verbose=true", "--num_runs=1",
                       "--warmup_runs=0", "--min_secs=0", "--warmup_min_secs=0",
                       f"--report_json={report_path}")
    if rc != 0:
        failures.append(f"benchmark_model with two delegates exits {rc}: {err.strip()[-500:]}")
    else:
        report = json.load(open(report_path))
        placement = report["execution"]["placement"]
        expect("delegates applied XNNPACK then TESTOP",
               placement["delegates"] == ["XNNPACK", "TESTOP"])
        expect("execution.backend is XNNPACK+TESTOP",
               report["execution"]["backend"] == "XNNPACK+TESTOP")
        where = [n["backend"] for n in placement["nodes"]]
        expect(f"nodes placed ADD:XNNPACK TANH:TESTOP MUL:XNNPACK TANH:TESTOP SUB:XNNPACK "
               f"EXP:cpu (got {where})",
               where == ["XNNPACK", "TESTOP", "XNNPACK", "TESTOP", "XNNPACK", "cpu"])
        refusals = [[r["backend"] for r in n["refusals"]] for n in placement["nodes"]]
        expect(f"refusals: TANH by XNNPACK, EXP by both (got {refusals})",
               refusals == [[], ["XNNPACK"], [], ["XNNPACK"], [], ["XNNPACK", "TESTOP"]])
        expect("EXP's reason is XNNPACK's (the first refusal)",
               placement["nodes"][5]["reason"].startswith("XNNPACK: node 5 (EXP)"))
        expect("TFLite's line for several delegates",
               "Going to apply 2 delegates one after another." in out)
        for line in ("Replacing 3 out of 6 node(s) with delegate (XNNPACK), yielding 3 "
                     "partitions for the whole graph.",
                     "Replacing 2 out of 6 node(s) with delegate (TESTOP), yielding 2 "
                     "partitions for the whole graph.",
                     "Explicitly applied XNNPACK delegate, and the model graph will be partially "
                     "executed by the delegate w/ 3 delegate kernels.",
                     "Explicitly applied TESTOP delegate, and the model graph will be partially "
                     "executed by the delegate w/ 2 delegate kernels."):
            expect(f"prints {line!r}", line in out)
        printed = printed_placement(out)
        expect(f"printed placement equals the JSON report's\nprinted: {printed}\n"
               f"json:    {placement_lines(report)}",
               printed == placement_lines(report))
        analysis = report.get("analysis", {}).get("compatibility", {}).get("backends", [])
        expect("the report's analysis covers testop",
               "testop" in [b["backend"] for b in analysis])

    # 5. The output check (#19): a deliberately wrong backend (testop_perturb) is caught.
    common = ["--graph=builtin:add_mul", "--use_testop=true", "--testop_ops=ADD,MUL",
              "--num_runs=2", "--warmup_runs=0", "--min_secs=0", "--warmup_min_secs=0"]
    report_path = os.path.join(a.workdir, "wrong_outputs.json")
    rc, out, err = run(a.bench, *common, "--testop_perturb=0.5", f"--report_json={report_path}")
    expect(f"a wrong backend still benchmarks (exit {rc}: {err.strip()[-300:]})", rc == 0)
    expect(f"it warns that the outputs differ ({err.strip()[-300:]})",
           "WARNING: outputs differ from reference: output " in err and "got " in err)
    if rc == 0:
        check = json.load(open(report_path))["output_check"]
        expect(f"the report says the check failed ({check})",
               check["enabled"] and check["against"] == "reference" and check["pass"] is False
               and check["outputs"][0]["bad_elements"] > 0)
    rc, out, err = run(a.bench, *common, "--testop_perturb=0.5", "--require_correct_outputs=true")
    expect(f"--require_correct_outputs turns it into exit 1 (got {rc})",
           rc == 1 and "error: --require_correct_outputs" in err)
    rc, out, err = run(a.bench, *common, "--require_correct_outputs=true")
    expect(f"a correct backend passes the check (exit {rc}: {err.strip()[-300:]})",
           rc == 0 and "Outputs checked against reference: 1 output(s) within tolerance" in out)

    for f in failures:
        print("FAIL:", f)
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
