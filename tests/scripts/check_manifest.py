#!/usr/bin/env python3
"""Compares `tflite_analyze --json` with ../shared/models/MANIFEST.json for every shared model.

Usage: check_manifest.py TFLITE_ANALYZE [SHARED_DIR]
SHARED_DIR defaults to $LITESCOPE_SHARED_DIR, then ../shared beside this checkout. When the
folder is missing the script prints "SKIPPED: ..." and exits 0. Every difference is printed as
"<model>: <field>: expected <manifest value>, got <ours>"; the exit code is 1 when any exists.
"""
import concurrent.futures
import json
import os
import subprocess
import sys

SCALE_DIGITS = 6  # the manifest rounds scales to 6 decimals


def find_shared(argv):
    if len(argv) > 2:
        return argv[2]
    if os.environ.get("LITESCOPE_SHARED_DIR"):
        return os.environ["LITESCOPE_SHARED_DIR"]
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "..", "shared"))


def tensor_entry(sg, index):
    """A subgraph tensor in the manifest's input/output form."""
    t = sg["tensors"][index]
    e = {"name": t["name"], "shape": t["shape"], "dtype": t["dtype"]}
    if t["shape_signature"] is not None and t["shape_signature"] != t["shape"]:
        e["shape_signature"] = t["shape_signature"]
    q = t["quantization"]
    if q["scale_count"] > 0:
        e["quantization"] = {"scale": round(q["scales"][0], SCALE_DIGITS),
                             "zero_point": q["zero_points"][0] if q["zero_points"] else 0}
    return e


def manifest_view(ours):
    """Our JSON reduced to the manifest's fields."""
    sg0 = ours["subgraphs"][0]
    q = ours["quantization"]
    view = {
        "size_bytes": ours["model"]["file_size_bytes"],
        "sha256": ours["model"]["sha256"],
        "schema_version": ours["model"]["schema_version"],
        "min_runtime_version": ours["model"]["min_runtime_version"],
        "subgraph_count": ours["subgraph_count"],
        "operator_count": ours["operator_count"],
        "builtin_ops": ours["builtin_ops"],
        "custom_ops": ours["custom_ops"],
        "inputs": [tensor_entry(sg0, i) for i in sg0["inputs"]],
        "outputs": [tensor_entry(sg0, i) for i in sg0["outputs"]],
        "metadata_entries": sorted({m["name"] for m in ours["metadata"]}),
        "quantization_heuristic": q["kind"],
        "quantization_details": {k: q[k] for k in (
            "activation_tensor_dtypes", "constant_tensor_dtypes", "dequantize_from_const",
            "hybrid_weight_ops", "sparse_tensors", "variable_tensors")},
        "signatures": [{
            "key": s["key"], "subgraph_index": s["subgraph_index"],
            "inputs": [t["name"] for t in s["inputs"]],
            "outputs": [t["name"] for t in s["outputs"]]} for s in ours["signatures"]],
    }
    subgraphs = []
    for sg in ours["subgraphs"]:
        ops = {}
        for op in sg["operators"]:
            ops[op["op"]] = ops.get(op["op"], 0) + 1
        subgraphs.append({"index": sg["index"], "name": sg["name"],
                          "operator_count": sg["operator_count"], "ops": ops})
    view["subgraphs"] = subgraphs
    return view


def same_io(expected, got):
    """Inputs/outputs: scales compare after rounding, everything else exactly."""
    if len(expected) != len(got):
        return False
    for e, g in zip(expected, got):
        eq, gq = e.get("quantization"), g.get("quantization")
        if {k: v for k, v in e.items() if k != "quantization"} != \
           {k: v for k, v in g.items() if k != "quantization"}:
            return False
        if (eq is None) != (gq is None):
            return False
        if eq and (abs(eq["scale"] - gq["scale"]) > 1e-9 or eq["zero_point"] != gq["zero_point"]):
            return False
    return True


def compare(entry, ours):
    view = manifest_view(ours)
    diffs = []

    def check(field, expected, got, equal=None):
        if not (equal(expected, got) if equal else expected == got):
            diffs.append(f"{entry['file']}: {field}: expected {json.dumps(expected)}, "
                         f"got {json.dumps(got)}")

    for field in ("size_bytes", "sha256", "schema_version", "min_runtime_version",
                  "subgraph_count", "operator_count", "builtin_ops", "custom_ops",
                  "quantization_heuristic", "signatures"):
        check(field, entry[field], view[field])
    check("metadata_entries", sorted(set(entry["metadata_entries"])), view["metadata_entries"])
    for field in ("inputs", "outputs"):
        check(field, entry[field], view[field], same_io)
    for key, expected in entry["quantization_details"].items():
        check(f"quantization_details.{key}", expected, view["quantization_details"].get(key))
    for sub in entry.get("subgraphs", []):
        got = next((s for s in view["subgraphs"] if s["index"] == sub["index"]), None)
        check(f"subgraphs[{sub['index']}]", sub, got)
    return diffs


def analyze(tool, path):
    proc = subprocess.run([tool, "--json", path], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        return None, f"exit {proc.returncode}: {proc.stderr.strip()}"
    try:
        return json.loads(proc.stdout), None
    except json.JSONDecodeError as e:
        return None, f"invalid JSON: {e}"


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    tool, shared = argv[1], find_shared(argv)
    manifest_path = os.path.join(shared, "models", "MANIFEST.json")
    if not os.path.isfile(manifest_path):
        print(f"SKIPPED: manifest_agreement: {manifest_path} is missing")
        return 0
    with open(manifest_path) as f:
        manifest = json.load(f)
    entries = manifest["models"]
    paths = [os.path.join(shared, "models", e["file"]) for e in entries]
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda p: analyze(tool, p), paths))
    failures = []
    for entry, (ours, error) in zip(entries, results):
        if error:
            failures.append(f"{entry['file']}: tflite_analyze failed: {error}")
            continue
        failures.extend(compare(entry, ours))
    bad_models = {f.split(":", 1)[0] for f in failures}
    for f in failures:
        print(f)
    print(f"{len(entries) - len(bad_models)} of {len(entries)} models agree with MANIFEST.json "
          f"({len(failures)} differences)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
