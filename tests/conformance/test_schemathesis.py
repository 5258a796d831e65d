"""schemathesis, from its own CLI, against a live simulator for every documented spec in openapi/.

Each openapi/<name>.yaml needs tests/conformance/<name>.toml (schemathesis settings: credentials,
examples, per-operation expectations with the reason for each) and <name>.scenario.yaml (what the
server loads: at least the keys, so that wrong credentials must be refused). All checks, all
phases (examples, coverage, fuzzing, stateful).

One worker: with several, hypothesis can compile its generators in two threads at once and
schemathesis stops with "SystemError: AST constructor recursion depth mismatch" (CPython 3.11).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

HERE = Path(__file__).resolve().parent
SPECS = sorted((ROOT / "openapi").glob("*.yaml"))
# (spec, configuration name): every spec plainly, and again with faults where <name>.faults.* exist
RUNS = [(spec, spec.stem) for spec in SPECS] + [
    (spec, f"{spec.stem}.faults") for spec in SPECS if (HERE / f"{spec.stem}.faults.toml").exists()
]
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


def excluded_checks(config: str) -> dict[str, str]:
    """tests/conformance/<name>.exclude: "check: reason" lines, for checks a vendor's documented
    behaviour defeats. `--checks all` overrides a check disabled in the .toml, so this is the only
    way to leave one out, and every line must say why."""
    path = HERE / f"{config.split('.')[0]}.exclude"
    if not path.exists():
        return {}
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    return dict(line.split(":", 1) for line in lines)


def test_every_exclusion_names_a_check_and_says_why():
    for path in HERE.glob("*.exclude"):
        for check, reason in excluded_checks(path.stem).items():
            assert check.strip() and len(reason.strip()) > 40, f"{path.name}: {check!r} needs a reason"


def test_every_spec_has_a_conformance_setup():
    for spec in SPECS:
        assert (HERE / f"{spec.stem}.toml").exists(), f"missing tests/conformance/{spec.stem}.toml"
        assert (HERE / f"{spec.stem}.scenario.yaml").exists(), f"missing tests/conformance/{spec.stem}.scenario.yaml"


def run_schemathesis(spec: Path, config: str, url: str) -> tuple[subprocess.CompletedProcess, str]:
    """The whole run against `url` (all checks, every phase): its result and its SUMMARY section."""
    command = [
        str(SCHEMATHESIS), "--no-color", "--config-file", str(HERE / f"{config}.toml"),
        "run", str(spec), "--url", url, "--checks", "all", "--seed", "20261122", "--workers", "1",
    ]
    excluded = excluded_checks(config)
    if excluded:
        command += ["--exclude-checks", ",".join(check.strip() for check in excluded)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900,
                            env={**os.environ, "SCHEMATHESIS_HOOKS": ""})
    summary = result.stdout[result.stdout.rfind("SUMMARY"):] if "SUMMARY" in result.stdout else result.stdout
    return result, summary


@pytest.mark.parametrize(("spec", "config"), RUNS, ids=[config for _, config in RUNS])
def test_schemathesis_finds_no_failure(spec: Path, config: str, live_server_factory):
    server = live_server_factory("--scenario", str(HERE / f"{config}.scenario.yaml"))
    result, summary = run_schemathesis(spec, config, server.url)
    print(summary)
    assert result.returncode == 0, result.stdout[-20000:] + result.stderr[-5000:]
    assert "Stateful" in summary, "the stateful phase did not run"
