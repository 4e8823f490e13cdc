#!/usr/bin/env python3
"""Tool-level tests of benchmark_model: every flag is accepted and has its effect, bad flags and
values exit 2 with one "error:" line, and the reports are what they claim to be.

Usage: benchmark_model_test.py --binary PATH --schema reports/benchmark_report.schema.json
                               --workdir DIR [--case NAME ...] [--list]
Each case is one function below (test_<name>); ctest runs one case per test
(tests/cmake/benchmark_model.cmake). Without --case every case runs.

Models: builtin:add_mul (two inputs "a" and "b" of shape [1,2,2,3], output (a + b) * b; fast)
and builtin:mobilenet_like (31 nodes) for the profiling checks. --model_writer
(benchmark_model_test_models) writes the file models some cases use: fallback_middle.tflite
(ADD TANH MUL TANH SUB EXP: XNNPACK takes ADD, MUL and SUB) and the hostile models of
fuzz/hostile_models.h with hostile_cases.tsv. The shared deeplabv3_257_float model (one XNNPACK
fallback near the end) is used when ../shared or $LITESCOPE_SHARED_DIR exists.
"""
import argparse
import csv
import io
import json
import os
import re
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import json_schema_subset  # noqa: E402

SMALL = "builtin:add_mul"
MOBILENET = "builtin:mobilenet_like"
# Short runs: a handful of timed runs, no time minimum.
FAST = ["--num_runs=3", "--min_secs=0", "--warmup_runs=1", "--warmup_min_secs=0"]

ARGS = None


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


class Result:
    def __init__(self, proc, elapsed):
        self.rc = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr
        self.elapsed = elapsed

    def describe(self):
        return "rc=%d\n--- stdout ---\n%s\n--- stderr ---\n%s" % (self.rc, self.out[-3000:],
                                                                   self.err[-3000:])


def run(*args, graph=SMALL, fast=True, timeout=120, env=None):
    argv = [ARGS.binary]
    if graph is not None:
        argv.append("--graph=" + graph)
    if fast:
        argv += FAST
    argv += list(args)
    start = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
    return Result(proc, time.monotonic() - start)


def ok(*args, **kwargs):
    r = run(*args, **kwargs)
    check(r.rc == 0, "expected success for %s\n%s" % (list(args), r.describe()))
    return r


def usage_error(*args, **kwargs):
    r = run(*args, **kwargs)
    lines = r.err.strip().splitlines()
    check(r.rc == 2, "expected exit 2 for %s\n%s" % (list(args), r.describe()))
    check(len(lines) == 1 and lines[0].startswith("error: "),
          "expected one 'error:' line on stderr for %s\n%s" % (list(args), r.describe()))
    return r


def failure(*args, **kwargs):
    r = run(*args, **kwargs)
    lines = r.err.strip().splitlines()
    check(r.rc == 1, "expected exit 1 for %s\n%s" % (list(args), r.describe()))
    check(len(lines) == 1 and lines[0].startswith("error: "),
          "expected one 'error:' line on stderr for %s\n%s" % (list(args), r.describe()))
    return r


def path(name):
    return os.path.join(ARGS.workdir, name)


def report(*args, **kwargs):
    """Runs with --report_json and returns (result, parsed report)."""
    f = path("report_%d.json" % os.getpid())
    r = ok("--report_json=" + f, *args, **kwargs)
    with open(f) as fh:
        return r, json.load(fh)


# TFLite's count= line, and the summary line, as log-parsing scripts match them.
COUNT_RE = re.compile(r"count=(\d+)(?: first=(\d+) curr=(\d+) min=(\d+) max=(\d+) "
                      r"avg=([\d.e+-]+) std=(\d+))?")
TIMINGS_RE = re.compile(r"Inference timings in us: Init: (\d+), First inference: (\d+), "
                        r"Warmup \(avg\): ([\d.e+-]+), Inference \(avg\): ([\d.e+-]+)")


def count_lines(out):
    """The counts of the warmup and regular latency lines."""
    return [int(m.group(1)) for m in COUNT_RE.finditer(out) if m.start() == 0 or
            out[m.start() - 1] == "\n"]


def models_dir():
    """Writes the file models (once per workdir) and returns their folder."""
    check(ARGS.model_writer, "this case needs --model_writer (benchmark_model_test_models)")
    d = path("models")
    if not os.path.exists(os.path.join(d, "hostile_cases.tsv")):
        os.makedirs(d, exist_ok=True)
        subprocess.run([ARGS.model_writer, d], check=True)
    return d


def model_file(name):
    return os.path.join(models_dir(), name)


def shared_dir():
    """../shared (beside the checkout) or $LITESCOPE_SHARED_DIR; None when missing."""
    env = os.environ.get("LITESCOPE_SHARED_DIR")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    d = env if env else os.path.join(os.path.dirname(root), "shared")
    return d if os.path.isdir(os.path.join(d, "models")) else None


# benchmark_model's placement lines (delegates/placement_summary.h).
REPLACING_RE = re.compile(r"^Replacing (\d+) out of (\d+) node\(s\) with delegate \((\w+)\), "
                          r"yielding (\d+) partitions for the whole graph\.$", re.M)
FALLBACK_GROUP_RE = re.compile(r"^  (\S+) x(\d+) \((\w+)\): (.*)$")
FALLBACK_NODE_RE = re.compile(r"^  (?:subgraph (\d+) )?node (\d+) \((\S+)\): (\w+): (.*)$")


def printed_placement(out):
    """The placement benchmark_model printed: (delegated, total, backend, partitions), the
    fallback groups [(op, count, code, reason)] and the --verbose per-node lines
    [(subgraph, node, op, code, reason)]."""
    m = REPLACING_RE.search(out)
    check(m, "no 'Replacing N out of M node(s)' line\n" + out[-3000:])
    head = (int(m.group(1)), int(m.group(2)), m.group(3), int(m.group(4)))
    groups, nodes = [], []
    for line in out[m.end():].splitlines()[1:]:
        if line.startswith("Explicitly applied") or line.startswith("Though "):
            break
        g = FALLBACK_GROUP_RE.match(line)
        n = FALLBACK_NODE_RE.match(line)
        if n:
            nodes.append((int(n.group(1) or 0), int(n.group(2)), n.group(3), n.group(4),
                          n.group(5)))
        elif g:
            groups.append((g.group(1), int(g.group(2)), g.group(3), g.group(4)))
    return head, groups, nodes


def recorded_placement(rep, backend):
    """The same three views computed from the JSON report's execution.placement."""
    pl = rep["execution"]["placement"]
    nodes = pl["nodes"]
    head = (sum(1 for n in nodes if n["backend"] == backend), len(nodes), backend,
            sum(1 for p in pl["partitions"] if p["backend"] == backend))
    groups, order = {}, []
    fallbacks = [n for n in nodes if n["backend"] == "cpu"]
    for n in fallbacks:
        key = (n["type"], n["reason_code"])
        if key not in groups:
            groups[key] = [n["type"], 0, n["reason_code"], n["reason"]]
            order.append(key)
        groups[key][1] += 1
    per_node = [(n["subgraph_index"], n["node_index"], n["type"], n["reason_code"], n["reason"])
                for n in fallbacks]
    return head, [tuple(groups[k]) for k in order], per_node


def read_floats(f):
    with open(f, "rb") as fh:
        data = fh.read()
    return list(struct.unpack("<%df" % (len(data) // 4), data))


# ---------------------------------------------------------------------------------------------
# One case per flag.

def test_graph():
    r = ok(graph=None, *["--graph", SMALL])  # "--name value" form
    check("Graph: [%s]" % SMALL in r.out, r.describe())
    check("Loaded model %s" % SMALL in r.out, r.describe())
    check(re.search(r"^The input model file size \(MB\): [\d.e+-]+$", r.out, re.M), r.describe())
    check(re.search(r"^Initialized session in [\d.e+-]+ms\.$", r.out, re.M), r.describe())
    usage_error(graph=None)  # missing
    r = failure(graph=path("does_not_exist.tflite"))
    check("does_not_exist.tflite" in r.err, r.describe())


def test_num_runs():
    r, rep = report("--num_runs=7")
    check(count_lines(r.out)[1] == 7, r.describe())
    check(len(rep["latency"]["regular"]["samples_us"]) == 7, "7 samples expected")
    check("Running benchmark for at least 7 iterations" in r.out, r.describe())
    usage_error("--num_runs=seven")
    usage_error("--num_runs=-1")


def test_min_secs():
    r = ok("--num_runs=1", "--min_secs=0.3")
    check("at least 1 iterations and at least 0.3 seconds" in r.out, r.describe())
    check(count_lines(r.out)[1] > 1, "min_secs must add runs beyond num_runs\n" + r.describe())
    check(r.elapsed >= 0.3, "ran %.3fs, expected >= 0.3s" % r.elapsed)
    usage_error("--min_secs=soon")


def test_max_secs():
    r = ok("--num_runs=100000000", "--max_secs=0.3", "--run_delay=0.001")
    check("terminate if exceeding 0.3 seconds" in r.out, r.describe())
    check(count_lines(r.out)[1] < 100000000, r.describe())
    check(r.elapsed < 30, "max_secs did not stop the loop (%.1fs)" % r.elapsed)
    usage_error("--max_secs=")


def test_run_delay():
    r = ok("--num_runs=5", "--run_delay=0.05", "--warmup_runs=0", "--warmup_min_secs=0")
    check(r.elapsed >= 0.25, "5 runs with 0.05s delay took %.3fs" % r.elapsed)
    check("Inter-run delay (seconds): [0.05]" in r.out, r.describe())
    usage_error("--run_delay=x")


def test_run_frequency():
    r = ok("--num_runs=6", "--run_frequency=20", "--warmup_runs=0", "--warmup_min_secs=0")
    check(r.elapsed >= 0.25, "6 runs at 20 Hz took %.3fs" % r.elapsed)
    # The frequency overrides run_delay.
    r = ok("--num_runs=3", "--run_frequency=1000", "--run_delay=5", "--warmup_runs=0",
           "--warmup_min_secs=0")
    check(r.elapsed < 5, "run_frequency must override run_delay (%.1fs)" % r.elapsed)
    usage_error("--run_frequency=fast")


def test_num_threads():
    r, rep = report("--num_threads=2")
    check(rep["execution"]["num_threads"] == 2, "num_threads not applied")
    check("Num threads: [2]" in r.out, r.describe())
    check("#threads used for CPU inference: [2]" in r.out, r.describe())
    _, rep = report()
    check(rep["execution"]["num_threads"] == 1, "-1 means one thread")
    usage_error("--num_threads=0")
    usage_error("--num_threads=two")


def test_warmup_runs():
    r, rep = report("--warmup_runs=4")
    check(count_lines(r.out)[0] == 4, r.describe())
    check(len(rep["latency"]["warmup"]["samples_us"]) == 4, "4 warmup samples expected")
    usage_error("--warmup_runs=-2")


def test_warmup_min_secs():
    r = ok("--warmup_runs=1", "--warmup_min_secs=0.3")
    check("at least 1 iterations and at least 0.3 seconds" in r.out, r.describe())
    check(count_lines(r.out)[0] > 1, r.describe())
    usage_error("--warmup_min_secs=abc")


def test_benchmark_name():
    g = path("bn_gbench.json")
    r, rep = report("--benchmark_name=my_bench", "--gbench_json=" + g)
    check(rep["benchmark_name"] == "my_bench" and rep["name"] == "my_bench", "name")
    check("Benchmark name: [my_bench]" in r.out, r.describe())
    with open(g) as fh:
        names = {b["name"] for b in json.load(fh)["benchmarks"]}
    check("my_bench" in names and "my_bench_mean" in names, str(names))


def test_output_prefix():
    g = path("op_gbench.json")
    r, rep = report("--output_prefix=nightly/", "--benchmark_name=x", "--gbench_json=" + g)
    check(rep["name"] == "nightly/x" and rep["output_prefix"] == "nightly/", rep["name"])
    with open(g) as fh:
        check(all(b["name"].startswith("nightly/x") for b in json.load(fh)["benchmarks"]), "names")
    check("Output prefix: [nightly/]" in r.out, r.describe())


def test_verbose():
    r = ok("--verbose=true")
    check("Log parameter values verbosely: [1]" in r.out, r.describe())
    check("Max runs duration (seconds): [150]" in r.out, "verbose must echo unset flags")
    r = ok("--verbose=0")
    check("Log parameter values verbosely: [0]" in r.out, r.describe())
    check("Max runs duration (seconds)" not in r.out, "unset flags are not echoed")
    r = ok("--verbose")  # a bare boolean flag means true
    check("Log parameter values verbosely: [1]" in r.out, r.describe())
    usage_error("--verbose=yes please")


def test_dry_run():
    r, rep = report("--dry_run=true")
    check(count_lines(r.out) == [0, 0], r.describe())
    check(rep["latency"]["regular"]["samples_us"] == [] and rep["execution"]["dry_run"], "dry")
    check("Initialized session in" in r.out, r.describe())
    usage_error("--dry_run=2")


def test_report_peak_memory_footprint():
    r, rep = report("--report_peak_memory_footprint=true")
    m = re.search(r"^Overall peak memory footprint \(MB\) via periodic monitoring: ([\d.e+-]+)$",
                  r.out, re.M)
    check(m and float(m.group(1)) > 0, r.describe())
    check(rep["memory"]["peak_rss_bytes"] > 0 and rep["memory"]["peak_samples"] >= 1, "peak")
    r, rep = report()
    check("Overall peak memory footprint" not in r.out, "peak only when requested")
    check(rep["memory"]["peak_rss_bytes"] is None, "peak is null when not sampled")
    # TFLite's memory lines are always there.
    check("Memory footprint delta from the start of the tool (MB): init=" in r.out, r.describe())
    check(re.search(r"^- VmRSS +: \d+ MB$", r.out, re.M), r.describe())
    usage_error("--report_peak_memory_footprint=on")


def test_memory_footprint_check_interval_ms():
    _, rep = report("--report_peak_memory_footprint=true", "--memory_footprint_check_interval_ms=5")
    check(rep["memory"]["peak_sample_interval_ms"] == 5, "interval")
    r, rep = report("--report_peak_memory_footprint=true", "--memory_footprint_check_interval_ms=0")
    check(rep["memory"]["peak_sample_interval_ms"] == 50, "TFLite resets bad intervals to 50")
    check("memory_footprint_check_interval_ms" in r.err, "a warning names the flag")
    usage_error("--memory_footprint_check_interval_ms=5ms")


def test_signature_to_run_for():
    r, rep = report("--signature_to_run_for=serving_default")
    check(rep["model"]["signature"] == "serving_default", "signature")
    check("Signature to run: [serving_default]" in r.out, r.describe())
    r = failure("--signature_to_run_for=nope")
    check("nope" in r.err and "serving_default" in r.err, r.describe())


def test_list_signatures():
    r = ok("--list_signatures=true")
    check("The Model contains 1 signature key(s)." in r.out, r.describe())
    check("-> Signature Key: serving_default" in r.out, r.describe())
    check("count=" not in r.out, "list_signatures must not run the model")
    usage_error("--list_signatures=maybe")


def test_input_layer():
    r = ok("--input_layer=a,b")
    check("Input layers: [a,b]" in r.out and "WARNING" not in r.err, r.describe())
    r = ok("--input_layer=x,b")
    check("Tensor # 0 is named a but flags call it x" in r.err, r.describe())
    failure("--input_layer=a")  # the model has two inputs


def test_input_layer_shape():
    out = path("shape_out.bin")
    ok("--input_layer=a,b", "--input_layer_shape=1,4,4,3:1,4,4,3", "--output_filepath=" + out)
    check(os.path.getsize(out) == 1 * 4 * 4 * 3 * 4, "output follows the new input shape")
    usage_error("--input_layer=a,b", "--input_layer_shape=1,4,x,3:1,4,4,3")
    usage_error("--input_layer=a,b", "--input_layer_shape=1,4,4,3")  # one shape for two names
    failure("--input_layer=a,b", "--input_layer_shape=4,3:4,3")  # wrong rank


def test_input_layer_value_range():
    out = path("range_out.bin")
    ok("--input_layer_value_range=a,1,1:b,2,2", "--output_filepath=" + out)
    check(all(v == 6.0 for v in read_floats(out)), "(1 + 2) * 2 = 6 everywhere")
    usage_error("--input_layer_value_range=a,5,1")
    usage_error("--input_layer_value_range=a,1")
    failure("--input_layer_value_range=zz,0,1")


def test_input_layer_value_files():
    fa, fb, out = path("a.bin"), path("b.bin"), path("files_out.bin")
    with open(fa, "wb") as fh:
        fh.write(struct.pack("<12f", *([1.0] * 12)))
    with open(fb, "wb") as fh:
        fh.write(struct.pack("<12f", *([3.0] * 12)))
    # Files override ranges.
    ok("--input_layer_value_files=a:%s,b:%s" % (fa, fb), "--input_layer_value_range=a,7,7",
       "--output_filepath=" + out)
    check(all(v == 12.0 for v in read_floats(out)), "(1 + 3) * 3 = 12 everywhere")
    with open(path("short.bin"), "wb") as fh:
        fh.write(b"\0" * 8)
    failure("--input_layer_value_files=a:" + path("short.bin"))
    usage_error("--input_layer_value_files=a")


def test_require_full_delegation():
    r = failure("--require_full_delegation=true")  # no delegate: everything on the CPU
    check("Disallowed CPU fallback detected." in r.err and "no delegate" in r.err, r.describe())
    ok("--require_full_delegation=false")
    r = ok("--require_full_delegation=true", "--use_xnnpack=true")  # XNNPACK takes ADD and MUL
    check("completely executed by the delegate" in r.out, r.describe())
    # A fallback fails clearly: the error names what stayed on the CPU, after the placement lines.
    r = failure("--require_full_delegation=true", "--use_xnnpack=true",
                graph=model_file("fallback_middle.tflite"))
    for needle in ("Disallowed CPU fallback detected.", "3 of 6 node(s) stay on the CPU",
                   "node 1 (TANH): unsupported_op", "node 5 (EXP): unsupported_op"):
        check(needle in r.err, "missing %r\n%s" % (needle, r.describe()))
    check(REPLACING_RE.search(r.out), r.describe())
    check("count=" not in r.out, "nothing runs after the check fails")
    ok("--require_full_delegation=false", "--use_xnnpack=true",
       graph=model_file("fallback_middle.tflite"))


def test_enable_op_profiling():
    r = ok("--enable_op_profiling=true")
    out = r.out
    for needle in ["Profiling Info for Benchmark Initialization:",
                   "Operator-wise Profiling Info for Regular Benchmark Runs:",
                   "============================== Run Order ==============================",
                   "============================== Top by Computation Time "
                   "==============================",
                   "============================== Summary by node type "
                   "==============================",
                   "\t             [node type]\t  [first]\t [avg ms]\t     [%]\t  [cdf%]\t"
                   "  [mem KB]\t[times called]\t[Name]",
                   "\t             [Node type]\t  [count]\t  [avg ms]\t    [avg %]\t    [cdf %]\t"
                   "  [mem KB]\t[times called]",
                   "Number of nodes executed: 2", "Timings (microseconds): count=3"]:
        check(needle in out, "missing %r\n%s" % (needle, r.describe()))
    check(re.search(r"^\t +ADD\t +[\d.]+\t +[\d.]+\t +[\d.]+%\t +[\d.]+%\t +0\.000\t +1\t"
                    r"\[sum\]:0$", out, re.M), r.describe())
    check("Operator-wise" not in ok("--enable_op_profiling=false").out, "off by default")


def test_op_profiling_output_mode():
    r = ok("--enable_op_profiling=true", "--op_profiling_output_mode=csv")
    body = r.out[r.out.index("section,graph,"):]
    rows = list(csv.DictReader(io.StringIO(body)))
    check({row["section"] for row in rows} == {"init", "regular"}, str(rows))
    check({row["table"] for row in rows} == {"run_order", "summary_by_type"}, str(rows))
    types = {row["node_type"] for row in rows if row["section"] == "regular"}
    check(types == {"ADD", "MUL"}, str(types))
    check(all(len(row) == 16 for row in rows), "every row has every column")
    usage_error("--enable_op_profiling=true", "--op_profiling_output_mode=xml")


def test_op_profiling_output_file():
    f = path("ops.txt")
    r = ok("--enable_op_profiling=true", "--op_profiling_output_file=" + f)
    check("Run Order" not in r.out, "tables go to the file")
    with open(f) as fh:
        check("Operator-wise Profiling Info for Regular Benchmark Runs:" in fh.read(), "file")


def test_profiling_output_csv_file():
    f = path("ops.csv")
    ok("--enable_op_profiling=true", "--profiling_output_csv_file=" + f)
    with open(f) as fh:
        rows = list(csv.DictReader(fh))
    check(rows and rows[0]["section"] == "init", "the deprecated flag writes CSV")


def test_max_profiling_buffer_entries():
    _, rep = report("--enable_op_profiling=true", "--max_profiling_buffer_entries=1")
    # Grown to the node count plus TFLite's headroom of 512, so nothing is dropped.
    check(rep["op_profiling"]["buffer_capacity"] == 2 + 512, str(rep["op_profiling"]))
    check(rep["op_profiling"]["events_dropped"] == 0, "no drops")
    _, rep = report("--enable_op_profiling=true", "--max_profiling_buffer_entries=4096")
    check(rep["op_profiling"]["buffer_capacity"] == 4096, str(rep["op_profiling"]))
    usage_error("--max_profiling_buffer_entries=0")


def test_print_preinvoke_state():
    r = ok("--print_preinvoke_state=true")
    begin = r.out.find("pre-invoke state begins")
    check(0 <= begin < r.out.find("Running benchmark for"), r.describe())
    check("Tensor   0 a " in r.out and "Node   0 Operator Builtin Code" in r.out, r.describe())


def test_print_postinvoke_state():
    r = ok("--print_postinvoke_state=true")
    begin = r.out.find("post-invoke state begins")
    check(begin > r.out.find("Inference timings in us"), r.describe())


def test_output_filepath():
    out = path("outputs.bin")
    ok("--output_filepath=" + out)
    check(os.path.getsize(out) == 48, "one float32 output of 12 elements")
    usage_error("--output_filepath=" + path("no_such_dir/out.bin"))  # before loading


def test_use_xnnpack():
    out = path("xnnpack_out.bin")
    r, rep = report("--use_xnnpack=true", "--enable_op_profiling=true",
                    "--input_layer_value_range=a,1,1:b,2,2", "--output_filepath=" + out)
    check("Use xnnpack: [1]" in r.out, r.describe())
    check("Explicitly applied XNNPACK delegate, and the model graph will be completely executed "
          "by the delegate." in r.out, r.describe())
    check(all(v == 6.0 for v in read_floats(out)), "XNNPACK computes (1 + 2) * 2 = 6")
    check(rep["execution"]["backend"] == "XNNPACK", str(rep["execution"]))
    tables = {t["graph"]: t for t in rep["op_profiling"]["regular"]}
    check([n["type"] for n in tables["primary"]["nodes"]] == ["XNNPACK"], str(tables["primary"]))
    internal = tables["delegate_internal"]["nodes"]
    check([n["type"] for n in internal] == ["ADD", "MUL"], str(internal))
    check(all(n["backend"] == "XNNPACK" for n in internal), str(internal))
    check("Delegate internal: " in r.out, r.describe())
    r, rep = report("--use_xnnpack=false")
    check("Use xnnpack: [0]" in r.out and rep["execution"]["backend"] == "cpu", r.describe())
    usage_error("--use_xnnpack=2")


def test_xnnpack_force_fp16():
    r = ok("--xnnpack_force_fp16=true")
    check("no effect without --use_xnnpack" in r.err, r.describe())
    # fp16 runs where the CPU can; otherwise the partition stays on the CPU kernels.
    r = ok("--use_xnnpack=1", "--xnnpack_force_fp16=1")
    check("Force fp16 inference in xnnpack: [1]" in r.out, r.describe())
    usage_error("--xnnpack_force_fp16=half")


def gpu_device():
    """Whether an OpenCL device exists (benchmark_model --list_gpu_devices succeeds)."""
    r = run("--list_gpu_devices=true", graph=None, fast=False)
    if r.rc != 0:
        print("SKIPPED: no OpenCL device: " + r.err.strip())
    return r.rc == 0


def test_use_gpu():
    check("Use gpu: [0]" in ok("--use_gpu=0").out, "use_gpu=0 runs on the CPU")
    usage_error("--use_gpu=2")
    if not gpu_device():
        r = failure("--use_gpu=true")
        check("GPU" in r.err, r.describe())
        return
    out = path("gpu_out.bin")
    r, rep = report("--use_gpu=true", "--enable_op_profiling=true",
                    "--input_layer_value_range=a,1,1:b,2,2", "--output_filepath=" + out)
    check("Use gpu: [1]" in r.out, r.describe())
    check("Explicitly applied GPU delegate, and the model graph will be completely executed "
          "by the delegate." in r.out, r.describe())
    check(all(v == 6.0 for v in read_floats(out)), "the GPU computes (1 + 2) * 2 = 6")
    check(rep["execution"]["backend"] == "GPU", str(rep["execution"]))
    # Per-node device times: one row per node (ADD, MUL) in the device table.
    tables = {t["graph"]: t for t in rep["op_profiling"]["regular"]}
    device = [t for g, t in tables.items() if g not in ("primary", "delegate_internal")]
    check(device, "a device table: %s" % list(tables))
    types = [n["type"] for n in device[0]["nodes"]]
    check("ADD" in types and "MUL" in types, str(device[0]))


def test_gpu_precision_loss_allowed():
    r = ok("--gpu_precision_loss_allowed=false")
    check("Allow lower precision in gpu: [0]" in r.out, r.describe())
    usage_error("--gpu_precision_loss_allowed=sometimes")


def test_list_gpu_devices():
    r = run("--list_gpu_devices", graph=None, fast=False)
    if r.rc == 0:
        for field in ("OpenCL device 0:", "vendor", "driver", "compute units", "global memory",
                      "fp16"):
            check(field in r.out, r.describe())
    else:
        check(r.rc == 1 and r.err.startswith("error: --list_gpu_devices"), r.describe())
    usage_error("--list_gpu_devices=perhaps")


def test_gpu_platform():
    r = ok("--gpu_platform=0")
    check("no effect without --use_gpu" in r.err, r.describe())
    if not gpu_device():
        return
    ok("--use_gpu=true", "--gpu_platform=0")
    r = failure("--use_gpu=true", "--gpu_platform=no_such_platform")
    check("no such OpenCL platform" in r.err, r.describe())


def test_gpu_device():
    if not gpu_device():
        return
    ok("--use_gpu=true", "--gpu_device=0")
    r = failure("--use_gpu=true", "--gpu_device=99")
    check("no such OpenCL device" in r.err, r.describe())
    r = failure("--use_gpu=true", "--gpu_device=no_such_device")
    check("no such OpenCL device" in r.err, r.describe())


def test_gpu_cache_dir():
    if not gpu_device():
        return
    d = path("gpu_cache_%d" % os.getpid())
    out1, out2 = path("gpu_cache_1.bin"), path("gpu_cache_2.bin")
    ok("--use_gpu=true", "--gpu_cache_dir=" + d, "--output_filepath=" + out1)
    files = [f for f in os.listdir(d) if f.endswith(".clbin")]
    check(len(files) == 2, "one binary per program (ADD, MUL): %s" % files)
    ok("--use_gpu=true", "--gpu_cache_dir=" + d, "--output_filepath=" + out2)
    check(read_floats(out1) == read_floats(out2), "cached binaries compute the same")
    blocker = path("gpu_cache_file")
    open(blocker, "w").close()
    r = failure("--use_gpu=true", "--gpu_cache_dir=" + os.path.join(blocker, "sub"))
    check("--gpu_cache_dir" in r.err, r.describe())


# ---------------------------------------------------------------------------------------------
# litescope's reports.

def test_max_arena_mb():
    big = model_file("big_tensor.tflite")  # RELU over two 4 MiB tensors
    _, rep = report(graph=big)
    check(rep["flags"]["max_arena_mb"] == {"value": 2048, "type": "int", "set": False},
          str(rep["flags"]["max_arena_mb"]))
    r = failure("--max_arena_mb=2", graph=big)
    check("2 MiB limit" in r.err, r.describe())
    ok("--max_arena_mb=0", graph=big)  # 0: no limit
    r = failure(graph=model_file("huge_tensor.tflite"))  # 16 GiB; the default limit stops it
    check("2048 MiB limit" in r.err and "tensor" in r.err, r.describe())
    r = ok("--max_arena_mb=64", graph=big)
    check("Max arena size (MB): [64]" in r.out, r.describe())
    for bad in ("-1", "x", "1.5", "", "2000000000"):
        usage_error("--max_arena_mb=" + bad)


def test_max_while_iterations():
    endless = model_file("endless_while.tflite")
    r = failure(graph=endless)  # the default limit stops it
    check("node 0 (WHILE): loop still running after 1000000 iterations" in r.err, r.describe())
    r = failure("--max_while_iterations", "500", graph=endless)
    check("loop still running after 500 iterations" in r.err, r.describe())
    check("Max WHILE loop iterations: [500]" in r.out, r.describe())
    _, rep = report()
    check(rep["flags"]["max_while_iterations"]["value"] == 1000000, str(rep["flags"]))
    for bad in ("-5", "1.5", "many"):
        usage_error("--max_while_iterations=" + bad)


def test_isa():
    """--isa caps the kernels' ISA level; the level is printed and recorded in the report."""
    _, rep = report()
    isa = rep["environment"]["isa"]
    check(isa["active"] == isa["highest_supported"], str(isa))
    check("baseline" in isa["compiled"], str(isa))
    check(rep["environment"]["cpu_name"], str(rep["environment"]))
    r, rep = report("--isa=baseline")
    check("ISA level: baseline (highest on this CPU: " in r.out, r.describe())
    isa = rep["environment"]["isa"]
    check(isa["active"] == "baseline", str(isa))
    check(isa["kernels"]["gemm_f32"] == "f32_gemm_4x8_scalar", str(isa))
    check(rep["flags"]["isa"]["value"] == "baseline", str(rep["flags"]["isa"]))
    # A level above the CPU's is capped to the highest it has, with a note.
    top = isa["highest_supported"]
    if top != "amx":
        r, rep = report("--isa=amx")
        check("note: ISA level amx is not supported by this CPU" in r.err, r.describe())
        check(rep["environment"]["isa"]["active"] == top, str(rep["environment"]["isa"]))
    # LITESCOPE_ISA applies when the flag is absent.
    env = dict(os.environ, LITESCOPE_ISA="baseline")
    proc = subprocess.run([ARGS.binary, "--graph=" + SMALL] + FAST, capture_output=True,
                          text=True, env=env, timeout=120)
    check(proc.returncode == 0 and "ISA level: baseline (" in proc.stdout,
          proc.stdout + proc.stderr)
    for bad in ("bogus", "AVX2", "neon1"):
        usage_error("--isa=" + bad)


def test_hostile_models():
    """Every crafted model of fuzz/hostile_models.h stops with one error line and exit 1."""
    d = models_dir()
    with open(os.path.join(d, "hostile_cases.tsv")) as fh:
        cases = [line.rstrip("\n").split("\t") for line in fh if line.strip()]
    check(len(cases) >= 5, "hostile_cases.tsv lists %d models" % len(cases))
    for name, flags, expected in cases:
        r = failure(*(flags.split() if flags else []), graph=os.path.join(d, name))
        check(expected in r.err, "%s: error lacks %r\n%s" % (name, expected, r.describe()))
        for marker in ("AddressSanitizer", "runtime error:", "terminate called"):
            check(marker not in r.err, "%s: %s\n%s" % (name, marker, r.describe()))


def test_placement_matches_report():
    """The placement printed (TFLite's 'Replacing ...' line, the fallback groups and, with
    --verbose, every fallback node) equals the placement recorded in the JSON report."""
    with open(ARGS.schema) as fh:
        schema = json.load(fh)
    graphs = [model_file("fallback_middle.tflite")]
    shared = shared_dir()
    if shared:
        graphs.append(os.path.join(shared, "models", "deeplabv3_257_float.tflite"))
    else:
        print("SKIPPED: deeplabv3_257_float: ../shared (ground-truth models) is missing")
    for graph in graphs:
        r, rep = report("--use_xnnpack=true", "--verbose=true", "--dry_run=true", graph=graph)
        errors = json_schema_subset.validate(rep, schema)
        check(not errors, "report does not match the schema:\n" + "\n".join(errors[:20]))
        head, groups, nodes = printed_placement(r.out)
        check((head, groups, nodes) == recorded_placement(rep, "XNNPACK"),
              "%s: printed %s\nrecorded %s" % (graph, (head, groups, nodes),
                                                recorded_placement(rep, "XNNPACK")))
        check(head[0] < head[1] and groups and len(nodes) == head[1] - head[0],
              "%s needs a fallback: %s" % (graph, head))
        pl = rep["execution"]["placement"]
        check(pl["delegates"] == ["XNNPACK"], str(pl["delegates"]))
        # Every partition's nodes are the nodes that name it, and nothing else.
        for p in pl["partitions"]:
            members = [n["node_index"] for n in pl["nodes"]
                       if n["subgraph_index"] == p["subgraph_index"] and
                       n["partition"] == p["partition"]]
            check(members == p["nodes"], "partition %s vs nodes %s" % (p, members))
        for n in pl["nodes"]:
            delegated = n["backend"] == "XNNPACK"
            check(delegated == (n["partition"] is not None), str(n))
            check((n["reason_code"] == "supported") == delegated and
                  (n["reason"] == "") == delegated, str(n))
        print("%s: %s, %d fallback group(s)" % (os.path.basename(graph), head, len(groups)))
    # The fallback sits in the middle: ADD | TANH | MUL | TANH | SUB | EXP.
    r, rep = report("--use_xnnpack=true", graph=model_file("fallback_middle.tflite"))
    head, groups, nodes = printed_placement(r.out)
    check(head == (3, 6, "XNNPACK", 3), str(head))
    check([(g[0], g[1], g[2]) for g in groups] ==
          [("TANH", 2, "unsupported_op"), ("EXP", 1, "unsupported_op")], str(groups))
    check(nodes == [], "per-node lines only with --verbose")
    check([p["nodes"] for p in rep["execution"]["placement"]["partitions"]] == [[0], [2], [4]],
          str(rep["execution"]["placement"]["partitions"]))
    check("partially executed by the delegate w/ 3 delegate kernels" in r.out, r.describe())
    # Without a delegate every node is on the CPU and no verdict exists.
    _, rep = report()
    pl = rep["execution"]["placement"]
    check(pl["delegates"] == [] and pl["partitions"] == [] and len(pl["nodes"]) == 2, str(pl))
    check(all(n["backend"] == "cpu" and n["partition"] is None and n["reason_code"] is None
              for n in pl["nodes"]), str(pl))


def test_delegated_op_rows():
    """With op profiling and XNNPACK, every delegated node is one row of its own, timed."""
    runs = 5
    r, rep = report("--use_xnnpack=true", "--enable_op_profiling=true", "--num_runs=%d" % runs,
                    graph=model_file("fallback_middle.tflite"))
    tables = {t["graph"]: t for t in rep["op_profiling"]["regular"]}
    internal = tables["delegate_internal"]["nodes"]
    check([(n["node_index"], n["type"]) for n in internal] == [(0, "ADD"), (2, "MUL"), (4, "SUB")],
          str(internal))
    cpu = [(n["node_index"], n["type"]) for n in tables["primary"]["nodes"]
           if n["backend"] == "cpu"]
    check(cpu == [(1, "TANH"), (3, "TANH"), (5, "EXP")], str(tables["primary"]["nodes"]))
    placed = {n["node_index"]: n["backend"] for n in rep["execution"]["placement"]["nodes"]}
    for n in internal:
        check(n["backend"] == "XNNPACK" == placed[n["node_index"]], str(n))
        check(n["times_called"] == runs and n["time_us"]["count"] == runs, str(n))
        check(n["avg_us_per_run"] >= 0 and n["time_us"]["max"] >= n["time_us"]["min"] >= 0, str(n))
    # The text tables show the same rows: one per delegated node, named after its output.
    block = r.out[r.out.index("Delegate internal:"):]
    block = block[:block.index("Top by Computation Time")]
    for name in ("[sum]:0", "[product]:2", "[difference]:4"):
        check(re.search(r"^\t +(ADD|MUL|SUB)\t.*\t%s$" % re.escape(name), block,
                        re.M), "no row %s\n%s" % (name, block))
    # A whole model: each of the 31 delegated nodes gets a row with a measured time.
    _, rep = report("--use_xnnpack=true", "--enable_op_profiling=true", "--num_runs=%d" % runs,
                    graph=MOBILENET)
    tables = {t["graph"]: t for t in rep["op_profiling"]["regular"]}
    internal = tables["delegate_internal"]["nodes"]
    check(sorted(n["node_index"] for n in internal) == list(range(31)), str(internal))
    check(all(n["times_called"] == runs and n["avg_us_per_run"] > 0 for n in internal),
          str([(n["node_index"], n["avg_us_per_run"]) for n in internal]))


def test_report_json():
    with open(ARGS.schema) as fh:
        schema = json.load(fh)
    for args, graph in [((), SMALL), (("--enable_op_profiling=true",), MOBILENET),
                        (("--dry_run=true",), SMALL)]:
        _, rep = report(*args, graph=graph)
        errors = json_schema_subset.validate(rep, schema)
        check(not errors, "report does not match the schema:\n" + "\n".join(errors[:20]))
    _, rep = report("--enable_op_profiling=true", "--num_threads=1", graph=MOBILENET)
    check(rep["schema_version"] == "litescope.benchmark/1", "version")
    check(len(rep["model"]["sha256"]) == 64 and rep["model"]["size_bytes"] > 0, "model")
    check(set(rep["flags"]) >= {"graph", "num_runs", "use_xnnpack", "report_json"}, "flags")
    check(rep["flags"]["num_threads"] == {"value": 1, "type": "int", "set": True}, "flag record")
    nodes = rep["op_profiling"]["regular"][0]["nodes"]
    check(len(nodes) == 31 and all(n["backend"] == "cpu" for n in nodes), "31 cpu nodes")
    check(rep["environment"]["compiler"] and rep["environment"]["os"]["name"] == "Linux", "env")
    # The validator itself catches violations.
    rep["latency"]["unit"] = "ms"
    check(json_schema_subset.validate(rep, schema), "the validator must reject a bad report")
    usage_error("--report_json")  # a file name is required


def test_trace_file():
    f = path("trace.json")
    ok("--enable_op_profiling=false", "--trace_file=" + f, "--num_runs=4", graph=MOBILENET)
    with open(f) as fh:
        trace = json.load(fh)
    events = trace["traceEvents"]
    check(isinstance(events, list) and events, "traceEvents")
    for e in events:
        check(e["ph"] in ("X", "M") and isinstance(e["pid"], int) and isinstance(e["tid"], int),
              str(e))
        if e["ph"] == "X":
            check(isinstance(e["name"], str) and e["ts"] >= 0 and e["dur"] >= 0, str(e))
    ops = [e for e in events if e["ph"] == "X" and e["cat"] == "regular,op"]
    check(len(ops) == 4 * 31, "one complete event per node per run: %d" % len(ops))
    check(len({(e["args"]["run"], e["args"]["node_index"]) for e in ops}) == 4 * 31, "unique")
    check(any(e["ph"] == "X" and e["cat"].startswith("init") for e in events), "init events")
    check(sum(1 for e in events if e.get("name") == "Invoke" and e["cat"] == "regular,run") == 4,
          "one Invoke per regular run")
    # Ops a delegate reports from inside its kernel go to their own track.
    ok("--use_xnnpack=true", "--trace_file=" + f, "--num_runs=2", graph=MOBILENET)
    with open(f) as fh:
        delegated = [e for e in json.load(fh)["traceEvents"]
                     if e.get("cat") == "regular,delegate_op"]
    check(len(delegated) == 2 * 31 and all(e["tid"] == 4 for e in delegated),
          "delegate-internal events: %d" % len(delegated))
    # Events on one thread nest (Perfetto requires it): children lie inside their run.
    runs = sorted((e["ts"], e["ts"] + e["dur"]) for e in events
                  if e.get("name") == "Invoke" and e["tid"] == 3)
    for e in ops:
        check(any(b - 0.001 <= e["ts"] and e["ts"] + e["dur"] <= end + 0.001 for b, end in runs),
              "op outside its run: %s" % e)


def test_gbench_json():
    f = path("gbench.json")
    ok("--gbench_json=" + f, "--num_runs=5")
    with open(f) as fh:
        g = json.load(fh)
    ctx = g["context"]
    for key in ("date", "host_name", "executable", "num_cpus", "mhz_per_cpu",
                "cpu_scaling_enabled", "caches", "library_build_type"):
        check(key in ctx, "context lacks " + key)
    iterations = [b for b in g["benchmarks"] if b["run_type"] == "iteration"]
    aggregates = {b["aggregate_name"]: b for b in g["benchmarks"] if b["run_type"] == "aggregate"}
    check(len(iterations) == 5, "one iteration entry per run")
    for b in g["benchmarks"]:
        for key, kind in (("name", str), ("iterations", int), ("real_time", (int, float)),
                          ("cpu_time", (int, float)), ("time_unit", str)):
            check(isinstance(b[key], kind), "%s: %s" % (key, b))
        check(b["time_unit"] in ("ns", "us", "ms", "s"), b["time_unit"])
    check(set(aggregates) >= {"mean", "median", "stddev"}, str(aggregates.keys()))
    mean = sum(b["real_time"] for b in iterations) / 5
    check(abs(aggregates["mean"]["real_time"] - mean) < 1e-6 * max(1, mean), "mean")
    check(aggregates["mean"]["name"] == iterations[0]["name"] + "_mean", "aggregate naming")


def test_tflite_log_regexes():
    """Scripts written for TFLite's output (grep for these two lines) work unchanged."""
    r = ok("--num_runs=5", graph=MOBILENET)
    m = TIMINGS_RE.search(r.out)
    check(m, "no 'Inference timings in us' line\n" + r.describe())
    init, first, warmup_avg, avg = int(m.group(1)), int(m.group(2)), float(m.group(3)), \
        float(m.group(4))
    check(init > 0 and first > 0 and warmup_avg > 0 and avg > 0, m.group(0))
    counts = [m for m in COUNT_RE.finditer(r.out) if m.group(2)]
    check(len(counts) >= 1, "no full count= line\n" + r.describe())
    check(int(counts[-1].group(1)) == 5, counts[-1].group(0))
    # grep -E style, as shell scripts do.
    grep = subprocess.run(["grep", "-E", "^count=[0-9]+ ", "-"], input=r.out, text=True,
                          capture_output=True)
    check(len(grep.stdout.splitlines()) == 2, "two count= lines (warmup, regular)")
    p = re.search(r"p5=(\d+) median=(\d+) p95=(\d+)", counts[-1].group(0) + r.out[
        counts[-1].end():counts[-1].end() + 60])
    check(p and int(p.group(1)) <= int(p.group(2)) <= int(p.group(3)), "percentiles")


def node_sums_within(args, bounds):
    """One profiled run of MOBILENET; [(graph, node sum, average, ok)] for each (graph, low)."""
    _, rep = report("--enable_op_profiling=true", "--num_runs=30", *args, graph=MOBILENET)
    tables = {t["graph"]: t for t in rep["op_profiling"]["regular"]}
    avg = rep["latency"]["regular"]["stats"]["mean"]
    out = []
    for graph, low in bounds:
        node_sum = sum(n["avg_us_per_run"] for n in tables[graph]["nodes"])
        out.append((graph, node_sum, avg, low * avg <= node_sum <= 1.05 * avg))
    if not args:
        check(abs(rep["op_profiling"]["regular_node_sum_us_per_run"] -
                  sum(n["avg_us_per_run"] for n in tables["primary"]["nodes"])) < 1e-6 * avg,
              "sum")
    return out


def test_node_times_add_up():
    """With op profiling on, per-node averages add up to the average inference time (5%).

    The time between node events belongs to no node; a run preempted there (a busy machine,
    ctest -j2 on 2 cores) inflates the average alone, so a measurement out of bounds is taken
    again, up to three times in all: a real accounting error fails every attempt."""
    # Through XNNPACK the primary graph's nodes add up the same way. The delegate-internal rows
    # are XNNPACK's own operator times, which leave out the delegate's work around them: they
    # may fall short of the total, never exceed it, and must still account for most of it.
    # Quiet machine: within 3%; the sanitizer build under 4 parallel jobs on 2 cores measured
    # 64%, hence the 50% floor.
    for args, bounds in (((), (("primary", 0.95),)),
                         (("--use_xnnpack=true",), (("primary", 0.95), ("delegate_internal", 0.5)))):
        attempts = []
        for _ in range(3):
            result = node_sums_within(args, bounds)
            attempts.append(result)
            if all(ok for *_, ok in result):
                break
        for graph, node_sum, avg, ok in attempts[-1]:
            label = ("XNNPACK " if args else "") + graph
            print("%s: node sum %.1f us, inference average %.1f us (%.2f%%), attempt %d" %
                  (label, node_sum, avg, 100.0 * (node_sum - avg) / avg, len(attempts)))
        check(all(ok for *_, ok in attempts[-1]),
              "node sums out of bounds in all 3 attempts: %s" % attempts)


def test_bad_flags():
    """Bad flags and values exit 2 with a one-line message, whatever the flag."""
    for args in (["--no_such_flag=1"], ["--num_runs"], ["positional"], ["--min_secs=1s"],
                 ["--enable_op_profiling=yes"], ["--graph"], ["-x"]):
        usage_error(*args)


def test_flag_forms():
    """--name=value and --name value; booleans as true/false/1/0."""
    a = ok("--num_runs", "4", "--enable_op_profiling", "1", fast=False, graph=None,
           *["--graph", SMALL, "--min_secs", "0", "--warmup_min_secs", "0"])
    check(count_lines(a.out)[1] == 4 and "Run Order" in a.out, a.describe())
    for value, on in (("true", True), ("1", True), ("false", False), ("0", False)):
        r = ok("--enable_op_profiling=" + value)
        check(("Run Order" in r.out) == on, value)


# --- Numbers you can trust: errors before work --------------------------------------------

def test_zero_runs_refused():
    """A run set that would time nothing is an error (exit 1), never a 0 us result."""
    for args in (["--max_secs=-1"], ["--max_secs=0"], ["--num_runs=0", "--min_secs=0"]):
        r = failure(*args)
        check("no inference completed" in r.err, r.describe())
        check("Inference timings" not in r.out and "Loaded model" not in r.out,
              "refused only after loading or timing\n" + r.describe())
    # A dry run times nothing on purpose.
    ok("--num_runs=0", "--min_secs=0", "--dry_run=true")


def test_output_paths_checked_before_loading():
    """Every output path is rejected before the model is loaded, and no file is created."""
    missing = os.path.join(ARGS.workdir, "no_such_folder", "out")
    os.makedirs(path("a_folder"), exist_ok=True)
    for flag in ("report_json", "gbench_json", "trace_file", "output_filepath",
                 "profiling_output_csv_file", "op_profiling_output_file"):
        for target, why in ((missing, "does not exist"), (path("a_folder"), "is a folder")):
            extra = ["--enable_op_profiling=true"] if "profiling" in flag else []
            r = usage_error("--%s=%s" % (flag, target), *extra)
            check(why in r.err and flag in r.err, r.describe())
            check("Loaded model" not in r.out, "the model was loaded first\n" + r.describe())
    check(not os.path.exists(os.path.dirname(missing)), "a folder was created")


# --- Numbers you can trust: bounded trace and samples -------------------------------------

def load_trace(f):
    with open(f) as fh:
        trace = json.load(fh)
    complete = [e for e in trace["traceEvents"] if e["ph"] == "X"]
    return trace, complete


def test_trace_max_mb():
    """The trace file stays within --trace_max_mb; what did not fit is counted by category."""
    f = path("capped.json")
    r = ok("--trace_file=" + f, "--trace_max_mb=1", "--num_runs=2000", graph=MOBILENET)
    size = os.path.getsize(f)
    check(size <= 1 << 20, "trace is %d bytes, above 1 MB" % size)
    trace, complete = load_trace(f)
    other = trace["otherData"]
    check(other["events_written"] == len(complete), str(other)[:500])
    check(other["events_dropped"] > 0 and sum(other["dropped"].values()) == other["events_dropped"],
          str(other)[:500])
    check(other["limits"]["max_bytes"] == 1 << 20, str(other)[:500])
    check("WARNING: the trace holds the first" in r.err, r.describe())
    check(not os.path.exists(f + ".part"), "partial file left behind")
    usage_error("--trace_max_mb=0")


def test_trace_max_events():
    """At most --trace_max_events complete events; the first ones are kept."""
    f = path("events.json")
    runs = 100
    ok("--trace_file=" + f, "--trace_max_events=100", "--num_runs=%d" % runs, graph=SMALL)
    trace, complete = load_trace(f)
    check(len(complete) == 100, "%d complete events" % len(complete))
    other = trace["otherData"]
    # Every run is written or counted; once the trace is full (and without op profiling) the
    # node events stop being recorded, so only runs are counted from then on.
    written_runs = sum(1 for e in complete if e["cat"] == "regular,run")
    check(written_runs + other["dropped"].get("regular,run", 0) == runs, str(other))
    check(any(e["cat"] == "init" for e in complete), "the first events (init) are kept")
    usage_error("--trace_max_events=0")


def no_quarantine_env():
    """The environment for runs whose memory is measured. AddressSanitizer keeps freed memory in
    a quarantine (256 MB by default), so in the sanitizer build a process's RSS grows with every
    allocation it ever freed; these runs turn the quarantine off, which changes nothing in other
    builds."""
    env = dict(os.environ)
    opts = env.get("ASAN_OPTIONS", "")
    env["ASAN_OPTIONS"] = ((opts + ":") if opts else "") + \
        "quarantine_size_mb=0:thread_local_quarantine_size_kb=0"
    return env


def test_trace_default_limits_bounded():
    """#19: --trace_file on hello_world with default settings took 26 s, 3.2 GB RSS and wrote
    338 MB. Now the file stays under the default 32 MB and the process under 100 MB."""
    shared = shared_dir()
    if not shared:
        print("SKIP: needs ../shared (hello_world_float.tflite)")
        return
    f = path("hello_trace.json")
    before = resource_max_rss_kb()
    r = run("--trace_file=" + f, graph=os.path.join(shared, "models", "hello_world_float.tflite"),
            fast=False, timeout=120, env=no_quarantine_env())
    check(r.rc == 0, r.describe())
    rss_mb = resource_max_rss_kb() / 1024.0
    check(before < 100 * 1024, "an earlier child already used %d KB" % before)
    check(rss_mb < 100, "benchmark_model peaked at %.0f MB RSS" % rss_mb)
    check(os.path.getsize(f) <= 32 << 20, "trace is %d bytes" % os.path.getsize(f))
    json.load(open(f))


def resource_max_rss_kb():
    import resource
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def test_samples_bounded():
    """Run samples are kept in fixed memory: a long run keeps a reservoir, exact statistics."""
    r, rep = report("--num_runs=100000", "--min_secs=0", graph=SMALL)
    regular = rep["latency"]["regular"]
    check(regular["samples_total"] == 100000, str(regular["samples_total"]))
    check(regular["stats"]["count"] == 100000, str(regular["stats"]))
    check(not regular["samples_exact"] and len(regular["samples_us"]) == 65536,
          "kept %d samples" % len(regular["samples_us"]))
    m = COUNT_RE.search(r.out[r.out.rindex("count=100000"):])
    check(m and m.group(1) == "100000", "text count: " + r.out[-500:])


def test_footprint_independent_of_run_count():
    """#19: the footprint counted the tool's own samples (hello_world --min_secs=2: 127 MB).
    A 2 s run and a 10-run one of a tiny model now report footprints within 2 MB."""
    _, rep = report("--num_runs=1")
    if rep["environment"]["build_type"].lower() != "release":
        # Debug and sanitizer builds allocate differently (redzones, caches per size class),
        # so their RSS says nothing about the tool's bookkeeping.
        print("SKIP: footprint comparison needs a Release build (this is %s)"
              % rep["environment"]["build_type"])
        return

    def overall(*args):
        r = ok("--num_runs=0", "--warmup_runs=1", "--warmup_min_secs=0", *args, fast=False,
               env=no_quarantine_env())
        m = re.search(r"Memory footprint delta from the start of the tool \(MB\): "
                      r"init=[\d.e+-]+ overall=([\d.e+-]+)", r.out)
        check(m, r.describe())
        return float(m.group(1))
    long_run = overall("--min_secs=2")
    short_run = overall("--num_runs=10", "--min_secs=0")
    check(abs(long_run - short_run) <= 2.0,
          "overall footprint %.2f MB after 2 s vs %.2f MB after 10 runs" % (long_run, short_run))


# --- Numbers you can trust: noise ---------------------------------------------------------

def test_noise_reported():
    """Every run set reports its spread in text and JSON."""
    r, rep = report("--num_runs=30", graph=MOBILENET)
    check(re.search(r"^Noise \(regular runs\): cv=[\d.]+% iqr=", r.out, re.M), r.describe())
    n = rep["noise"]
    check(n["runs"] == rep["latency"]["regular"]["samples_total"], str(n))
    check(n["median_ci95"]["low_us"] <= rep["latency"]["regular"]["stats"]["median"]
          <= n["median_ci95"]["high_us"] + 1e-9, str(n))
    check(n["q1_us"] <= n["q3_us"] and n["iqr_us"] >= 0, str(n))
    check(isinstance(rep["warnings"], list), "warnings list")


def test_noise_warning_oversubscribed():
    """More threads than CPUs: a warning in stderr and in the JSON warnings."""
    threads = 4 * (os.cpu_count() or 1)
    r, rep = report("--num_threads=%d" % threads, "--num_runs=5", graph=MOBILENET)
    check("WARNING: %d threads but only" % threads in r.err, r.describe())
    check(any("threads but only" in w for w in rep["warnings"]), str(rep["warnings"]))


def test_target_ci():
    """--target_ci runs until the median's 95% interval is narrow enough (or max_secs)."""
    r, rep = report("--target_ci=3", "--num_runs=10", "--min_secs=0", "--max_secs=30",
                    graph=MOBILENET)
    n = rep["noise"]
    check(n["target_ci_pct"] == 3, str(n))
    if n["target_ci_reached"]:
        check(n["median_ci95"]["half_width_pct"] <= 3, str(n))
    else:
        check("--target_ci=3: the median's 95% interval is" in r.err, r.describe())
    usage_error("--target_ci=-1")
    usage_error("--target_ci=x")


def test_cpu_affinity():
    """--cpu_affinity pins the benchmark to the listed CPUs and is checked before loading."""
    cpu = sorted(os.sched_getaffinity(0))[0]
    r, rep = report("--cpu_affinity=%d" % cpu)
    check(rep["noise"]["cpu_affinity"] == [cpu], str(rep["noise"]))
    for bad in ("99999", "a", "1-0", "0,,1"):
        r = usage_error("--cpu_affinity=" + bad)
        check("cpu_affinity" in r.err, r.describe())


def test_quiet():
    """A progress line on stderr once a phase lasts 2 s; --quiet hides it."""
    r = ok("--num_runs=1", "--min_secs=2.6", fast=False, graph=SMALL)
    check("benchmark_model: regular runs:" in r.err, r.describe())
    r = ok("--num_runs=1", "--min_secs=2.6", "--quiet=true", fast=False, graph=SMALL)
    check("benchmark_model: regular runs:" not in r.err, r.describe())


def test_precision_note():
    """Sub-10 us models get a note that the text truncates to whole microseconds."""
    r, rep = report("--num_runs=50", graph=SMALL)
    check("Note: the timing lines above truncate each run to whole microseconds" in r.out,
          r.describe())
    check("exact" in rep["latency"]["text_output"], str(rep["latency"]["text_output"]))
    r = ok("--num_runs=3", graph=MOBILENET)
    check("truncate each run" not in r.out, r.describe())


# --- Numbers you can trust: outputs checked -----------------------------------------------

def test_check_outputs():
    """With a delegate the outputs are checked against the reference kernels by default."""
    r, rep = report("--use_xnnpack=true", graph=MOBILENET)
    c = rep["output_check"]
    check(c["enabled"] and c["against"] == "reference" and c["pass"] is True, str(c))
    check(c["outputs"][0]["elements"] > 0, str(c))
    check("Outputs checked against reference: 1 output(s) within tolerance" in r.out,
          r.describe())
    # The reference kernels alone: nothing to check against by default, on request XNNPACK.
    r, rep = report(graph=MOBILENET)
    check(not rep["output_check"]["enabled"], str(rep["output_check"]))
    r, rep = report("--check_outputs=xnnpack", graph=MOBILENET)
    check(rep["output_check"]["against"] == "xnnpack" and rep["output_check"]["pass"],
          str(rep["output_check"]))
    r, rep = report("--use_xnnpack=true", "--check_outputs=off", graph=MOBILENET)
    check(not rep["output_check"]["enabled"], str(rep["output_check"]))
    usage_error("--check_outputs=nonsense")


def test_require_correct_outputs():
    """A correct run passes; the flag needs a check. (The wrong-backend case, exit 1, is in
    tests/scripts/check_test_backend.py: it needs the test-only backend.)"""
    ok("--use_xnnpack=true", "--require_correct_outputs=true", graph=MOBILENET)
    usage_error("--require_correct_outputs=true", "--check_outputs=off")


def test_delegate_ops_scaled_to_fused():
    """#19: op profiling used to switch XNNPACK to one runtime per node (30-40% slower than the
    fused run being measured). Now the timed runs stay fused, the per-op shares come from
    separate per-node rounds, and the delegate's op rows add up to the fused partition time."""
    r, rep = report("--use_xnnpack=true", "--enable_op_profiling=true", "--num_runs=20",
                    graph=MOBILENET)
    op = rep["op_profiling"]
    check(op["delegate_ops_method"] == "scaled_to_fused", str(op["delegate_ops_method"]))
    tables = {t["graph"]: t for t in op["regular"]}
    primary, internal = tables["primary"], tables["delegate_internal"]
    fused = sum(n["avg_us_per_run"] for n in primary["nodes"] if n["node_index"] < 0)
    ops_sum = sum(n["avg_us_per_run"] for n in internal["nodes"])
    check(fused > 0 and abs(ops_sum - fused) <= 0.02 * fused,
          "delegate ops add up to %.1f us, the fused partition takes %.1f us" % (ops_sum, fused))
    scales = op["partition_scales"]
    check(len(scales) == 1 and scales[0]["fused_us_per_run"] == approx(fused), str(scales))
    check(any(t["graph"] == "delegate_internal" for t in op["regular_breakdown_unscaled"]),
          "the unscaled per-node figures stay in the report")
    check("Delegate internal times: the timed runs ran each partition fused" in r.out,
          r.describe())
    # Without a delegate nothing is scaled.
    r, rep = report("--enable_op_profiling=true", graph=MOBILENET)
    check(rep["op_profiling"]["delegate_ops_method"] == "measured", str(rep["op_profiling"])[:300])


def approx(x, rel=1e-6):
    class A:
        def __eq__(self, y):
            return abs(y - x) <= rel * max(abs(x), 1e-12)
    return A()


def test_memory_breakdown():
    """Resident growth per set-up step, reconciled with the peak-RSS footprint."""
    r, rep = report("--use_xnnpack=true", "--num_runs=5", graph=MOBILENET)
    m = rep["memory"]
    steps = [s["step"] for s in m["steps"]]
    check(steps == ["start", "model loaded", "interpreter created", "delegates applied",
                    "tensors allocated", "runs"], str(steps))
    check(re.search(r"^Memory breakdown \(resident growth per step, MB\): model loaded ", r.out,
                    re.M), r.describe())
    # The growths add up to the resident growth from start to end (TFLite's footprint lines use
    # the process's peak RSS instead, which an earlier peak can hide for a small model).
    total = re.search(r"; total \+?(-?[\d.]+)", r.out)
    grew_mb = (m["steps"][-1]["vm_rss_bytes"] - m["steps"][0]["vm_rss_bytes"]) / 2.0 ** 20
    check(total and abs(float(total.group(1)) - grew_mb) < 0.01, r.describe())
    check(m["model_mapped"] is False, "a built-in model is not a file mapping")


def test_flag_coverage():
    """Every flag in --help has a case in this file."""
    r = run("--help", graph=None, fast=False)
    check(r.rc == 0, r.describe())
    flags = set(re.findall(r"--([a-z0-9_]+)", r.out)) - {"help"}
    missing = sorted(f for f in flags if "test_" + f not in globals())
    check(len(flags) >= 36, "help lists %d flags" % len(flags))
    check(not missing, "flags without a test: %s" % missing)


# ---------------------------------------------------------------------------------------------

def cases():
    return sorted(name[5:] for name, fn in globals().items()
                  if name.startswith("test_") and callable(fn))


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=False)
    parser.add_argument("--schema", required=False)
    parser.add_argument("--workdir", default="/tmp/benchmark_model_test")
    parser.add_argument("--model_writer", required=False,
                        help="benchmark_model_test_models: writes the file models some cases use")
    parser.add_argument("--case", action="append", default=[])
    parser.add_argument("--list", action="store_true")
    ARGS = parser.parse_args()
    if ARGS.list:
        print("\n".join(cases()))
        return 0
    ARGS.workdir = os.path.join(ARGS.workdir, "_".join(ARGS.case) or "all")
    os.makedirs(ARGS.workdir, exist_ok=True)
    failed = 0
    for name in ARGS.case or cases():
        fn = globals().get("test_" + name)
        if fn is None:
            print("unknown case: " + name)
            return 2
        try:
            fn()
            print("PASS " + name)
        except (Failure, subprocess.TimeoutExpired, KeyError, ValueError, OSError) as e:
            failed += 1
            print("FAIL %s: %s" % (name, e))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
