#!/usr/bin/env python3
"""tflite_analyze --compat / --cost and its CI gates: exit codes and JSON.

Exit codes under test: 0 ok, 2 usage (bad backend), 3 a gate tripped
(--fail-on-fallback[=BACKEND], --require-ops-supported). Models: the built-in samples always;
with the shared models (LITESCOPE_SHARED_DIR or SHARED_DIR) also every model with custom ops
(MANIFEST.json), the Flex model, and the gate of every model checked against its JSON report.
With BENCHMARK_MODEL, the XNNPACK placement tflite_analyze predicts is compared with the one
benchmark_model --use_xnnpack=true records in --report_json (execution.placement), and that
report's `analysis` object is checked.

Usage: check_analyze_compat.py TFLITE_ANALYZE SHARED_DIR [BENCHMARK_MODEL]
"""
import json
import os
import subprocess
import sys


def run(tool, *args):
    p = subprocess.run([tool, *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def backends_of(report):
    return {b["backend"]: b for b in report["compatibility"]["backends"]}


def check_benchmark_report(tool, bench, models, expect, failures):
    """Predicted XNNPACK placement == the placement a benchmark_model run records."""
    paths = ["builtin:mobilenet_like"]
    for name in ("vww_96_int8", "mobilenet_v1_0.25_224_quant", "kws_ref_model_float32",
                 "multi_subgraphs_while", "face_detection_short_range"):
        path = os.path.join(models, name + ".tflite")
        if os.path.exists(path):
            paths.append(path)
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"analyze_compat_{os.getpid()}.json")
    for path in paths:
        rc, out, err = run(tool, path, "--json", "--compat", "--backend", "xnnpack")
        if rc != 0:
            failures.append(f"{path}: tflite_analyze --compat exits {rc}: {err.strip()}")
            continue
        predicted = {}
        for sg in backends_of(json.loads(out))["xnnpack"]["subgraphs"]:
            for n in sg["nodes"]:
                predicted[(sg["index"], n["index"])] = (n["partition"], n["code"])
        rc, out, err = run(bench, f"--graph={path}", "--use_xnnpack=true", "--num_runs=1",
                           "--warmup_runs=0", "--min_secs=0", f"--report_json={tmp}")
        if rc != 0:
            failures.append(f"{path}: benchmark_model exits {rc}: {err.strip()[-300:]}")
            continue
        with open(tmp) as f:
            report = json.load(f)
        os.remove(tmp)
        # The benchmark report writes null for the partition of a CPU node.
        actual = {(n["subgraph_index"], n["node_index"]):
                  (-1 if n["partition"] is None else n["partition"], n["reason_code"])
                  for n in report["execution"]["placement"]["nodes"]}
        expect(f"{path}: predicted XNNPACK placement equals benchmark_model's "
               f"({sum(predicted[k] != actual.get(k) for k in predicted)} node(s) differ)",
               predicted == actual)
        analysis = report.get("analysis", {})
        expect(f"{path}: --report_json carries the analysis",
               "compatibility" in analysis and analysis.get("cost", {}).get("total_macs", -1) >= 0)


def main(argv):
    tool = argv[1]
    shared = os.environ.get("LITESCOPE_SHARED_DIR") or argv[2]
    failures = []

    def expect(what, cond):
        if not cond:
            failures.append(what)

    def one_error_line(err, needle):
        lines = err.splitlines()
        return len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0]

    # The GPU checker needs no device: --backend gpu works everywhere.
    rc, out, err = run(tool, "builtin:mobilenet_like", "--compat", "--backend", "gpu")
    expect(f"--backend gpu exits 0 (got {rc}: {err.strip()})", rc == 0)
    # Usage errors: exit 2 with one line.
    rc, out, err = run(tool, "builtin:mobilenet_like", "--compat", "--backend", "cpu,npu")
    expect(f"--backend npu exits 2 (got {rc}: {err.strip()})",
           rc == 2 and one_error_line(err, "unknown backend 'npu'"))
    rc, out, err = run(tool, "builtin:mobilenet_like", "--fail-on-fallback=tpu")
    expect(f"--fail-on-fallback=tpu exits 2 (got {rc}: {err.strip()})",
           rc == 2 and one_error_line(err, "--fail-on-fallback"))
    rc, out, err = run(tool, "--help")
    expect("--help lists the new flags", rc == 0 and all(
        f in out for f in ("--compat", "--backend", "--cost", "--fail-on-fallback",
                           "--require-ops-supported")))

    # The built-in MobileNet-like model: text and JSON, and gates that pass.
    rc, out, err = run(tool, "builtin:mobilenet_like", "--compat", "--cost")
    expect(f"--compat --cost text exits 0 (got {rc}: {err.strip()})", rc == 0)
    expect("text has the per-backend summary", "XNNPACK:" in out and "delegated in" in out)
    expect("text has the cost totals", "MACs" in out and "Arena (subgraph 0)" in out)
    rc, out, err = run(tool, "builtin:mobilenet_like", "--json", "--compat", "--cost")
    try:
        j = json.loads(out)
        expect("JSON keeps schema_version", j["schema_version"] == "litescope.analyze/1")
        b = backends_of(j)
        expect("JSON has cpu, xnnpack and gpu", set(b) == {"cpu", "xnnpack", "gpu"})
        expect("mobilenet_like is fully delegated",
               b["xnnpack"]["unsupported_nodes"] == 0 and b["xnnpack"]["partition_count"] == 1)
        expect("JSON cost has MACs", j["cost"]["total_macs"] > 0
               and len(j["cost"]["nodes"]) == j["operator_count"])
        expect("JSON still has the structure", len(j["subgraphs"][0]["operators"]) > 0)
    except (ValueError, KeyError, TypeError) as e:
        failures.append(f"--json --compat --cost: unreadable JSON: {e}")
    rc, out, err = run(tool, "builtin:mobilenet_like", "--fail-on-fallback")
    expect(f"--fail-on-fallback passes on a fully delegated model (got {rc}: {err.strip()})",
           rc == 0 and err == "")
    rc, out, err = run(tool, "builtin:add_mul", "--require-ops-supported", "--backend", "cpu")
    expect(f"--require-ops-supported passes on add_mul (got {rc}: {err.strip()})", rc == 0)
    rc, out, err = run(tool, "--backend", "cpu", "builtin:add_mul")
    expect(f"--backend before MODEL leaves MODEL positional (got {rc}: {err.strip()})",
           rc == 0 and "CPU: 2 of 2" in out)
    rc, out, err = run(tool, "builtin:add_mul", "--json", "--compat", "--backend", "cpu")
    try:
        expect("--backend cpu evaluates only cpu",
               [x["backend"] for x in json.loads(out)["compatibility"]["backends"]] == ["cpu"])
    except (ValueError, KeyError) as e:
        failures.append(f"--backend cpu JSON: {e}")

    models = os.path.join(shared, "models")
    if not os.path.isdir(models):
        print(f"SKIPPED: shared-model checks: {shared} (ground-truth models) is missing")
    else:
        with open(os.path.join(models, "MANIFEST.json")) as f:
            manifest = json.load(f)
        checked = 0
        for entry in manifest["models"]:
            path = os.path.join(models, entry["file"])
            rc, out, err = run(tool, path, "--json", "--compat", "--cost")
            if rc != 0:
                failures.append(f"{entry['file']}: --compat --cost exits {rc}: {err.strip()}")
                continue
            j = json.loads(out)
            b = backends_of(j)
            # Every custom op is reported by name with a verdict, and with a reason when it has
            # no kernel; Flex ops carry the flex_op code.
            cpu_nodes = [n for sg in b["cpu"]["subgraphs"] for n in sg["nodes"]]
            for name in entry.get("custom_ops", {}):
                nodes = [n for n in cpu_nodes if n["op"] == name]
                expect(f"{entry['file']}: custom op {name} is listed", nodes)
                for n in nodes:
                    if name.startswith("Flex"):
                        expect(f"{entry['file']}: {name} is a flex_op", n["code"] == "flex_op")
                    if not n["supported"]:
                        expect(f"{entry['file']}: {name} has a reason naming it",
                               name in n["reason"] and n["code"] in ("custom_op", "flex_op"))
            # The gates agree with the report. A bare --fail-on-fallback checks the analyzable
            # backend applied first: the GPU (priority 300) where registered, else XNNPACK.
            gate = "gpu" if "gpu" in b else "xnnpack"
            fallback = b[gate]["unsupported_nodes"] > 0
            missing = b["cpu"]["unsupported_nodes"] > 0
            rc, out, err = run(tool, path, "--fail-on-fallback")
            expect(f"{entry['file']}: --fail-on-fallback exits {3 if fallback else 0} (got {rc})",
                   rc == (3 if fallback else 0))
            if fallback:
                expect(f"{entry['file']}: the fallback gate prints one error line",
                       one_error_line(err, f"--fail-on-fallback={gate}"))
            rc, out, err = run(tool, path, "--require-ops-supported")
            expect(f"{entry['file']}: --require-ops-supported exits {3 if missing else 0} "
                   f"(got {rc})", rc == (3 if missing else 0))
            rc, out, err = run(tool, path, "--fail-on-fallback=cpu", "--backend", "cpu")
            expect(f"{entry['file']}: --fail-on-fallback=cpu exits {3 if missing else 0} "
                   f"(got {rc})", rc == (3 if missing else 0))
            checked += 1
        # Known cases, so that the agreement above cannot pass vacuously.
        flex = os.path.join(models, "whitespace_tokenizer_flex_delegate.tflite")
        if os.path.exists(flex):
            rc, out, err = run(tool, flex, "--require-ops-supported")
            expect(f"the Flex model trips --require-ops-supported (got {rc})",
                   rc == 3 and one_error_line(err, "FlexUnicodeDecodeWithOffsets"))
        custom = os.path.join(models, "selfie_segmentation.tflite")
        if os.path.exists(custom):
            rc, out, err = run(tool, custom, "--require-ops-supported")
            expect(f"the Convolution2DTransposeBias model trips --require-ops-supported "
                   f"(got {rc})", rc == 3 and one_error_line(err, "Convolution2DTransposeBias"))
        print(f"shared models checked: {checked}")

    if len(argv) > 3:
        check_benchmark_report(tool, argv[3], models, expect, failures)

    for f in failures:
        print(f"FAIL {f}")
    print(f"{'ok' if not failures else f'{len(failures)} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
