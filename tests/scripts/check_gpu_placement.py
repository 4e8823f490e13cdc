#!/usr/bin/env python3
"""The GPU placement tflite_analyze predicts equals the one benchmark_model runs, on every model.

For every model of SHARED_DIR/models/MANIFEST.json (and builtin:mobilenet_like):
`tflite_analyze --json --compat --backend gpu` gives each node's partition and reason code, and
`benchmark_model --use_gpu=true --report_json` records the placement of a real run. They must
agree node by node. A model that benchmark_model cannot run on the CPU either is reported and
skipped. Prints "SKIPPED: ..." and passes when there is no OpenCL device or no SHARED_DIR.

Usage: check_gpu_placement.py TFLITE_ANALYZE BENCHMARK_MODEL SHARED_DIR
"""
import json
import os
import subprocess
import sys


def run(*args, timeout=600):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


def main(argv):
    analyze, bench, shared = argv[1], argv[2], os.environ.get("LITESCOPE_SHARED_DIR", argv[3])
    rc, _, err = run(bench, "--list_gpu_devices")
    if rc != 0:
        print("SKIPPED: no OpenCL device: " + err.strip())
        return 0
    paths = ["builtin:mobilenet_like"]
    manifest = os.path.join(shared, "models", "MANIFEST.json")
    if os.path.exists(manifest):
        with open(manifest) as f:
            paths += [os.path.join(shared, "models", e["file"]) for e in json.load(f)["models"]]
    else:
        print(f"note: {manifest} is missing; only the built-in model is checked")
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"gpu_placement_{os.getpid()}.json")
    failures, checked, delegated = [], 0, 0
    for path in paths:
        name = os.path.basename(path)
        rc, out, err = run(analyze, path, "--json", "--compat", "--backend", "gpu")
        if rc != 0:
            failures.append(f"{name}: tflite_analyze --compat --backend gpu exits {rc}: "
                            f"{err.strip()[-300:]}")
            continue
        predicted = {}
        for b in json.loads(out)["compatibility"]["backends"]:
            if b["backend"] != "gpu":
                continue
            for sg in b["subgraphs"]:
                for n in sg["nodes"]:
                    predicted[(sg["index"], n["index"])] = (n["partition"], n["code"])
        rc, out, err = run(bench, f"--graph={path}", "--use_gpu=true", "--num_runs=1",
                           "--warmup_runs=0", "--min_secs=0", "--warmup_min_secs=0",
                           f"--report_json={tmp}")
        if rc != 0:
            rc_cpu, _, err_cpu = run(bench, f"--graph={path}", "--num_runs=1", "--warmup_runs=0",
                                     "--min_secs=0", "--warmup_min_secs=0")
            if rc_cpu != 0:
                print(f"note: {name}: does not run on the CPU either ({err_cpu.strip()[-200:]})")
                continue
            failures.append(f"{name}: benchmark_model --use_gpu=true exits {rc}: "
                            f"{err.strip()[-300:]}")
            continue
        with open(tmp) as f:
            report = json.load(f)
        os.remove(tmp)
        actual = {(n["subgraph_index"], n["node_index"]):
                  (-1 if n["partition"] is None else n["partition"], n["reason_code"])
                  for n in report["execution"]["placement"]["nodes"]}
        differ = [k for k in predicted if predicted[k] != actual.get(k)]
        if differ or set(predicted) != set(actual):
            k = differ[0] if differ else None
            failures.append(f"{name}: {len(differ)} node(s) differ, e.g. {k}: predicted "
                            f"{predicted.get(k)}, ran {actual.get(k)}")
        checked += 1
        delegated += sum(1 for v in actual.values() if v[0] >= 0)
        print(f"{name}: {sum(1 for v in actual.values() if v[0] >= 0)} of {len(actual)} "
              f"node(s) on the GPU; prediction {'matches' if not differ else 'DIFFERS'}")
    for f in failures:
        print(f"FAIL {f}")
    print(f"models checked: {checked}, nodes on the GPU: {delegated}; "
          f"{'ok' if not failures else f'{len(failures)} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
