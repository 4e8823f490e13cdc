#!/usr/bin/env python3
"""Installing litescope, as a user would.

check_install.py install --build DIR --source DIR --cmake CMAKE --tmp TMP [--generator G]
                         [--cxx CXX] [--build-type T] [--launcher CCACHE]
    `cmake --install DIR --prefix TMP/prefix`; checks the installed tools, libraries, headers
    (with the generated schema header) and CMake package; configures and builds
    tests/install_consumer against the prefix only (CMAKE_PREFIX_PATH) and runs it on the
    reference kernels and through XNNPACK: the output must be [1,100] float32, finite, and
    the same bytes as the installed tflite_run's on the same input.

check_install.py deb --build DIR --cpack CPACK --tmp TMP
    `cpack -G DEB` in DIR; checks with dpkg-deb that the package is "litescope" at the
    project's version, holds the three tools under usr/bin (and no headers or libraries), that
    Depends names the Debian package of every shared library the tools load, and that the
    unpacked tflite_run runs.
"""
import argparse
import glob
import os
import re
import shutil
import struct
import subprocess
import sys

TOOLS = ["benchmark_model", "tflite_analyze", "tflite_run"]
LIBS = ["ls_runtime", "ls_delegates", "ls_profiler", "ls_analyzers", "ls_reports"]
FAILURES = []


def expect(what, cond):
    if not cond:
        FAILURES.append(what)
    return cond


def run(cmd, **kw):
    print("+ " + " ".join(cmd), flush=True)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=kw.pop("timeout", 600), **kw)
    if p.returncode != 0:
        sys.stdout.write(p.stdout[-4000:])
        sys.stderr.write(p.stderr[-4000:])
    return p


def must(cmd, **kw):
    p = run(cmd, **kw)
    if p.returncode != 0:
        print(f"FAIL: {cmd[0]} exited {p.returncode}")
        sys.exit(1)
    return p


def read_floats(path):
    with open(path, "rb") as f:
        data = f.read()
    return struct.unpack(f"<{len(data) // 4}f", data)


def check_install(a):
    prefix = os.path.join(a.tmp, "prefix")
    must([a.cmake, "--install", a.build, "--prefix", prefix])

    for t in TOOLS:
        expect(f"bin/{t} installed and executable",
               os.access(os.path.join(prefix, "bin", t), os.X_OK))
    for lib in LIBS:
        expect(f"lib{lib}.a installed", glob.glob(os.path.join(prefix, "lib*", f"lib{lib}.a"))
               or glob.glob(os.path.join(prefix, "lib*", "*", f"lib{lib}.a")))
    for h in ["runtime/model.h", "runtime/interpreter.h", "runtime/schema/tflite_schema_generated.h",
              "delegates/xnnpack/xnnpack_delegate.h", "profiler/stats.h",
              "analyzers/model_summary.h", "reports/git_revision.h"]:
        expect(f"include/{h} installed", os.path.isfile(os.path.join(prefix, "include", h)))
    configs = glob.glob(os.path.join(prefix, "lib*", "**", "litescopeConfig.cmake"), recursive=True)
    if expect("litescopeConfig.cmake installed", configs):
        pkg = os.path.dirname(configs[0])
        for f in ["litescopeConfigVersion.cmake", "litescopeTargets.cmake", "ls_find_cpu_libs.cmake"]:
            expect(f"{f} installed next to litescopeConfig.cmake",
                   os.path.isfile(os.path.join(pkg, f)))
        # Each backend that links a library of its own installs its find file.
        backend_finds = glob.glob(os.path.join(a.source, "delegates", "*", "find.cmake"))
        for find in backend_finds:
            name = os.path.basename(os.path.dirname(find))
            expect(f"backends/{name}.cmake installed",
                   os.path.isfile(os.path.join(pkg, "backends", f"{name}.cmake")))
    if FAILURES:
        return

    # A consumer that sees only the installed prefix.
    consumer_build = os.path.join(a.tmp, "consumer")
    cfg = [a.cmake, "-S", os.path.join(a.source, "tests", "install_consumer"), "-B",
           consumer_build, f"-DCMAKE_PREFIX_PATH={prefix}", f"-DCMAKE_BUILD_TYPE={a.build_type}"]
    if a.generator:
        cfg += ["-G", a.generator]
    if a.cxx:
        cfg += [f"-DCMAKE_CXX_COMPILER={a.cxx}"]
    if a.launcher:
        cfg += [f"-DCMAKE_CXX_COMPILER_LAUNCHER={a.launcher}"]
    must(cfg)
    with open(os.path.join(consumer_build, "CMakeCache.txt")) as f:
        m = re.search(r"^litescope_DIR:PATH=(.*)$", f.read(), re.M)
    expect(f"the consumer found litescope in the prefix (litescope_DIR={m and m.group(1)})",
           m and os.path.realpath(m.group(1)).startswith(os.path.realpath(prefix)))
    must([a.cmake, "--build", consumer_build, "-j2"])
    consumer = os.path.join(consumer_build, "litescope_consumer")

    # mobilenet_like's input: 1x96x96x3 float32 in [-1, 1], a fixed pattern.
    n = 96 * 96 * 3
    input_path = os.path.join(a.tmp, "input.bin")
    import math
    with open(input_path, "wb") as f:
        f.write(struct.pack(f"<{n}f", *(math.sin(0.37 * i) for i in range(n))))

    tflite_run = os.path.join(prefix, "bin", "tflite_run")
    expect("installed tflite_run --help exits 0", run([tflite_run, "--help"]).returncode == 0)
    for tool, args in [("tflite_analyze", ["builtin:mobilenet_like"]),
                       ("benchmark_model", ["--graph=builtin:mobilenet_like", "--num_runs=1",
                                            "--warmup_runs=0", "--min_secs=0",
                                            "--warmup_min_secs=0"])]:
        expect(f"installed {tool} {' '.join(args)} exits 0",
               run([os.path.join(prefix, "bin", tool), *args]).returncode == 0)

    for backend in ["reference", "xnnpack"]:
        out_consumer = os.path.join(a.tmp, f"consumer_{backend}.bin")
        p = run([consumer, input_path, out_consumer, backend], timeout=120)
        print(p.stdout, end="")
        if not expect(f"consumer ({backend}) exits 0 (got {p.returncode}: {p.stderr.strip()})",
                      p.returncode == 0):
            continue
        expect(f"consumer ({backend}) output is probabilities FLOAT32 [1,100]",
               "output: probabilities FLOAT32 [1,100]" in p.stdout)
        expect(f"consumer ({backend}) output is finite", "finite: yes" in p.stdout)
        out_dir = os.path.join(a.tmp, f"tflite_run_{backend}")
        p = run([tflite_run, "--model", "builtin:mobilenet_like", "--input", input_path,
                 "--output-dir", out_dir, "--backend", backend], timeout=120)
        if not expect(f"installed tflite_run ({backend}) exits 0 (got {p.returncode})",
                      p.returncode == 0):
            continue
        mine = read_floats(out_consumer)
        theirs = read_floats(os.path.join(out_dir, "output_0.bin"))
        expect(f"{backend}: consumer and tflite_run give 100 values ({len(mine)}, {len(theirs)})",
               len(mine) == len(theirs) == 100)
        diff = max((abs(x - y) for x, y in zip(mine, theirs)), default=float("inf"))
        print(f"{backend}: max |consumer - tflite_run| = {diff}, sum = {sum(mine):.6f}")
        expect(f"{backend}: consumer output equals tflite_run's (max diff {diff})", diff <= 1e-6)
        expect(f"{backend}: probabilities sum to 1 ({sum(mine)})", abs(sum(mine) - 1) < 1e-3)


def shared_lib_packages(binary):
    """Debian packages of the shared libraries `binary` loads directly (its NEEDED entries)."""
    needed = re.findall(r"NEEDED\s+(\S+)", must(["objdump", "-p", binary]).stdout)
    paths = dict(re.findall(r"^\s*(\S+) => (\S+)", must(["ldd", binary]).stdout, re.M))
    packages = set()
    for soname in needed:
        path = paths.get(soname)
        if not expect(f"ldd resolves {soname} of {os.path.basename(binary)}", path):
            continue
        for candidate in [path, os.path.realpath(path)]:
            p = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
            if p.returncode == 0:
                packages.add(p.stdout.split(":")[0].strip())
                break
        else:
            expect(f"dpkg -S knows {path} ({soname})", False)
    return packages


def check_deb(a):
    must([a.cpack, "-G", "DEB", "--config", os.path.join(a.build, "CPackConfig.cmake"),
          "-B", a.tmp])
    debs = glob.glob(os.path.join(a.tmp, "*.deb"))
    if not expect(f"cpack made exactly one .deb ({debs})", len(debs) == 1):
        return
    deb = debs[0]
    print(f"package: {deb} ({os.path.getsize(deb)} bytes)")
    info = must(["dpkg-deb", "-I", deb]).stdout
    print(info)
    field = lambda name: (re.search(rf"^ {name}: (.*)$", info, re.M) or [None, ""])[1]
    expect(f"Package is litescope ({field('Package')})", field("Package") == "litescope")
    with open(os.path.join(a.build, "CMakeCache.txt")) as f:
        version = re.search(r"^CMAKE_PROJECT_VERSION:STATIC=(.*)$", f.read(), re.M)
    expect(f"Version is the project's ({field('Version')})",
           version and field("Version") == version.group(1))
    expect("Maintainer is set", field("Maintainer"))
    depends = {d.strip().split(" ")[0] for d in field("Depends").split(",") if d.strip()}
    expect(f"Depends is not empty ({depends})", depends)

    contents = must(["dpkg-deb", "-c", deb]).stdout
    files = [line.split()[-1] for line in contents.splitlines() if line.strip()]
    for t in TOOLS:
        expect(f"usr/bin/{t} in the package", f"./usr/bin/{t}" in files)
    expect("no headers or static libraries in the tools package",
           not any(f.endswith((".h", ".a")) for f in files))

    for t in TOOLS:
        binary = os.path.join(a.build, "apps", t, t)
        for pkg in sorted(shared_lib_packages(binary)):
            expect(f"Depends names {pkg} (a library {t} loads)", pkg in depends)

    root = os.path.join(a.tmp, "unpacked")
    must(["dpkg-deb", "-x", deb, root])
    p = run([os.path.join(root, "usr", "bin", "tflite_run"), "--model", "builtin:mobilenet_like",
             "--fill", "zeros"], timeout=120)
    expect(f"the packaged tflite_run runs builtin:mobilenet_like (exit {p.returncode})",
           p.returncode == 0)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["install", "deb"])
    ap.add_argument("--build", required=True)
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--source")
    ap.add_argument("--cmake", default="cmake")
    ap.add_argument("--cpack", default="cpack")
    ap.add_argument("--generator")
    ap.add_argument("--cxx")
    ap.add_argument("--build-type", default="Release")
    ap.add_argument("--launcher")
    a = ap.parse_args()
    shutil.rmtree(a.tmp, ignore_errors=True)
    os.makedirs(a.tmp)
    (check_install if a.mode == "install" else check_deb)(a)
    for f in FAILURES:
        print(f"FAIL: {f}")
    if FAILURES:
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
