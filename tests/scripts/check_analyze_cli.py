#!/usr/bin/env python3
"""Command-line contract of tflite_analyze: exit codes, stderr lines, -o, builtin: models.

Usage: check_analyze_cli.py TFLITE_ANALYZE TMP_DIR
"""
import json
import os
import shutil
import subprocess
import sys


def run(tool, *args):
    p = subprocess.run([tool, *args], capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout, p.stderr


def main(argv):
    tool, tmp = argv[1], argv[2]
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    failures = []

    def expect(what, cond):
        if not cond:
            failures.append(what)

    rc, out, err = run(tool)
    expect("no arguments exits 2", rc == 2)
    rc, out, err = run(tool, "builtin:mobilenet_like", "--bogus")
    expect("an unknown flag exits 2", rc == 2)
    rc, out, err = run(tool, "--help")
    expect("--help exits 0 and prints usage", rc == 0 and "--json" in out)

    rc, out, err = run(tool, "builtin:mobilenet_like")
    expect(f"text analysis of builtin:mobilenet_like exits 0 (got {rc}: {err.strip()})", rc == 0)
    expect("text has an op line", "Op#0 CONV_2D(" in out)
    expect("text has the size split", "Total data buffer size" in out)

    path = os.path.join(tmp, "out.json")
    rc, out, err = run(tool, "builtin:mobilenet_like", "--json", "-o", path)
    expect("-o exits 0 and leaves stdout empty", rc == 0 and out == "")
    try:
        with open(path) as f:
            j = json.load(f)
        expect("JSON schema_version", j["schema_version"] == "litescope.analyze/1")
        expect("JSON names the model", j["model"]["path"] == "builtin:mobilenet_like")
    except (OSError, ValueError, KeyError) as e:
        failures.append(f"-o wrote no readable JSON: {e}")

    for args, what in (([os.path.join(tmp, "missing.tflite")], "a missing file"),
                       (["builtin:no_such_model"], "an unknown builtin model"),
                       (["builtin:mobilenet_like", "-o", os.path.join(tmp, "no", "dir.txt")],
                        "an unwritable output path")):
        rc, out, err = run(tool, *args)
        lines = err.splitlines()
        expect(f"{what} exits 1 with one 'error:' line (got {rc}: {lines})",
               rc == 1 and len(lines) == 1 and lines[0].startswith("error: "))

    shutil.rmtree(tmp, ignore_errors=True)
    for f in failures:
        print(f"FAIL {f}")
    print(f"{'ok' if not failures else f'{len(failures)} failed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
