"""The benchmark scripts parse their options, read wrk's output and render their tables (nothing timed:
the benchmarks themselves run with `make bench` and `make bench-scale`, never in `make test`)."""
from __future__ import annotations

import importlib.util
import json
import sys

import pytest

from .conftest import ROOT


def _script(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run, scale = _script("run"), _script("scale")
report, harness = sys.modules["report"], sys.modules["harness"]  # what the scripts import

WRK_OUTPUT = """Running 5s test @ http://127.0.0.1:4000/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    20.10ms    3.02ms  61.00ms   90.00%
    Req/Sec     3.20k   100.00     3.40k    70.00%
  Latency Distribution
     50%   19.50ms
     75%   21.00ms
     90%   23.00ms
     99%    1.20s
  16000 requests in 5.00s, 5.00MB read
  Non-2xx or 3xx responses: 12
Requests/sec:   3200.50
Transfer/sec:      1.00MB
"""


def test_run_options_default_to_the_issue_16_set_up_and_refuse_nonsense(capsys):
    args = run.parse_args([])
    assert (args.connections, args.p99_connections, args.threads, args.latency_threads) == (16, 64, 16, 128)
    assert args.json is None and args.soak == 0
    assert run.parse_args(["--json", "out.json", "--seconds", "2"]).json == "out.json"
    with pytest.raises(SystemExit) as exc:
        run.parse_args(["--rounds", "0"])
    assert exc.value.code == 2
    assert "--rounds" in capsys.readouterr().err


def test_scale_sizes_parse_and_stay_within_the_resource_limit():
    assert scale.parse_args([]).sizes == [10, 10_000, 100_000, 200_000]
    assert scale.parse_args(["--sizes", "10,1_000"]).sizes == [10, 1000]
    for bad in ("ten", "0", "400000", ""):
        with pytest.raises(SystemExit):
            scale.parse_args(["--sizes", bad])


def test_wrk_output_gives_rate_p99_and_failures():
    load = harness.parse_wrk(WRK_OUTPUT)
    assert (load.rps, load.p99, load.p50, load.requests, load.non_2xx) == (3200.5, 1.2, 0.0195, 16000, 12)


def test_the_table_marks_each_figure_against_its_target_and_the_json_says_the_same(tmp_path):
    table = report.Report("title", ["pinned"])
    table.add(report.Row("ratio", 0.75, "", ">=", 0.8, "3 000/s", "4 000/s"))
    table.add(report.Row("start", 0.3, " s", "<=", 0.4))
    table.add(report.Row("soak", None, note="not run"))
    text = table.table()
    lines = text.splitlines()
    assert lines[:2] == ["title", "pinned"]
    cells = [[cell.strip() for cell in line.split("|")] for line in lines[3:8]]
    assert cells[0] == ["figure", "simulator", "baseline", "result", "target", "", "note"]
    assert cells[2:] == [["ratio", "3 000/s", "4 000/s", "0.750", ">= 0.800", "FAIL", ""],
                         ["start", "", "", "0.300 s", "<= 0.400 s", "pass", ""],
                         ["soak", "", "", "-", "", "n/a", "not run"]]
    assert lines[-1] == "1 of 3 figures meet their target; 1 FAIL, 1 not measured"
    table.write_json(tmp_path / "out" / "bench.json")
    rows = json.loads((tmp_path / "out" / "bench.json").read_text())["rows"]
    assert [(r["figure"], r["verdict"], r["target"]) for r in rows] == [
        ("ratio", "FAIL", ">= 0.800"), ("start", "pass", "<= 0.400 s"), ("soak", "n/a", "")]


def test_scale_targets_are_judged_at_100_000_and_missing_sizes_are_not_measured():
    results = [
        {"resources": 10, "get_rps": 3000.0, "load_s": 0.01},
        {"resources": 100_000, "get_rps": 2000.0, "load_s": 8.0, "rss_per_resource": 2500.0,
         "export_json": {"seconds": 4.0, "peak_growth": 2**20, "longest_get": 1.0}, "export_yaml": "over 30 s",
         "validate_s": "skipped: out of budget"},
    ]
    verdicts = {row.figure: (row.value, row.verdict) for row in scale.target_rows(results)}
    assert verdicts["load 100 000 (POST: validates + loads)"] == (8.0, "FAIL")
    assert verdicts["memory per resource at 100 000"] == (2500.0, "pass")
    assert verdicts["export 100 000 (YAML, the default)"] == (30.0, "FAIL")  # hit its 30 s bound
    assert verdicts["simulator validate 100 000"] == (None, "n/a")
    assert verdicts["export 100 000: longest GET / export time (JSON)"] == (0.25, "pass")
    assert verdicts["load 200 000 / load 100 000 (linear)"] == (None, "n/a")
    assert verdicts["GET req/s at 10 / at 100 000 (flat per-request cost)"] == (1.5, "FAIL")
    assert "over 30 s" in scale.matrix(results)
    assert "> 30.0 s" in report.Report("targets", [], scale.target_rows(results)).table()
