"""Installed = whole: the built wheel, installed (not editable) into a fresh virtualenv outside the
repository and run from another directory, serves every vendor with its documented contract
(fault rules, the journal's `operation`) and the pytest plugin works in a user's own project."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests

from simulator import __version__

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ["pyproject.toml", "setup.py", "README.md", "simulator", "openapi", "scenarios"]
STEP_TIMEOUT = 240  # seconds; each step here takes a few seconds with the local package mirror

USER_TEST = '''
import requests


def test_fail_and_count(simulator):
    simulator.load("default")
    simulator.fail("sparrow", "getAnalysis", 500, times=1)
    url = f"{simulator.url}/api/v3/analysis/1004"
    auth = {"Authorization": f"Bearer {simulator.api_key}"}
    assert requests.get(url, headers=auth, timeout=10).status_code == 500
    assert requests.get(url, headers=auth, timeout=10).status_code == 200
    assert simulator.request_count(operation="getAnalysis") == 2
    assert simulator.request_count(operation="getAnalysis", status=500) == 1
'''


def run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=STEP_TIMEOUT)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"
    return result


def install_the_wheel(base: Path) -> tuple[Path, dict[str, str], Path]:
    """(the venv's bin directory, an environment without the repository, an empty directory)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTEST_ADDOPTS")}
    env["PYTHONUNBUFFERED"] = "1"
    source = base / "source"  # a copy: building in the repository would leave build/ and *.egg-info there
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / name, source / name)
    started = time.monotonic()
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(base / "dist"), str(source)],
        base, env)
    wheel = next((base / "dist").glob("vendor_simulator-*.whl"))
    # No pip of its own (ensurepip is slow): this pip installs into it, dependencies from the configured index.
    run([sys.executable, "-m", "venv", "--without-pip", str(base / "venv")], base, env)
    bin_dir = base / "venv" / "bin"
    run([sys.executable, "-m", "pip", "--python", str(bin_dir / "python"), "install", "--quiet", str(wheel),
         "pytest", "requests"], base, env)
    print(f"wheel built and installed in {time.monotonic() - started:.1f} s")
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    return bin_dir, env, elsewhere


def test_the_installed_wheel_works_whole_from_another_directory(tmp_path):
    # One test, not three: under pytest-xdist a shared fixture would build and install per worker.
    installed = install_the_wheel(tmp_path)
    the_package_and_its_data_come_from_the_virtualenv(*installed)
    served_from_elsewhere_every_feature_works(*installed)
    the_pytest_plugin_works_in_a_users_own_project(*installed)


def the_package_and_its_data_come_from_the_virtualenv(bin_dir: Path, env: dict[str, str], elsewhere: Path):
    probe = ("import importlib.resources as r, simulator; print(simulator.__file__); "
             "print(r.files('simulator.openapi')); print(r.files('simulator.scenarios'))")
    lines = run([str(bin_dir / "python"), "-c", probe], elsewhere, env).stdout.splitlines()
    site = str(bin_dir.parent)
    assert all(line.startswith(site) for line in lines), lines
    assert run([str(bin_dir / "simulator"), "--version"], elsewhere, env).stdout == f"simulator {__version__}\n"
    listed = run([str(bin_dir / "simulator"), "scenarios"], elsewhere, env).stdout
    assert re.search(r"^default +Something to look at", listed, re.M)


def served_from_elsewhere_every_feature_works(bin_dir: Path, env: dict[str, str], elsewhere: Path):
    process = subprocess.Popen([str(bin_dir / "simulator"), "serve", "--port", "0", "--scenario", "default"],
                               cwd=elsewhere, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            assert line, process.stderr.read()
            match = re.search(r"listening on (http://\S+?) ", line)
            url = match.group(1) if match else None
        health = requests.get(f"{url}/_simulator/health", timeout=10).json()
        assert health["vendors"] == ["feldera", "hiveon", "sparrow", "twelvelabs", "wrappers"]
        assert health["scenarios"] == ["default"] and health["resources"] > 30

        rule = {"id": "down", "match": {"vendor": "sparrow", "operation": "getAnalysis"}, "when": {"every": True},
                "respond": {"status": 500}}
        added = requests.post(f"{url}/_simulator/faults", json=rule, timeout=10)
        assert added.status_code == 201, added.text  # refused when the contract is not installed
        refused = requests.post(f"{url}/_simulator/faults", timeout=10, json={
            "match": {"vendor": "sparrow", "operation": "getAnalysis"}, "respond": {"status": 418}})
        assert refused.status_code == 400 and "418" in refused.text  # the documented statuses are known

        answer = requests.get(f"{url}/api/v3/analysis/1004", headers={"Authorization": "Bearer k"}, timeout=10)
        assert answer.status_code == 500
        journal = requests.get(f"{url}/_simulator/requests", params={"vendor": "sparrow"}, timeout=10).json()
        assert [(e["operation"], e["status"], e["faults"]) for e in journal["requests"]] == [
            ("getAnalysis", 500, ["down"])]

        shipped = requests.get(f"{url}/_simulator/scenarios/shipped", timeout=10).json()
        assert shipped["count"] >= 14
        loaded = requests.post(f"{url}/_simulator/scenarios", params={"name": "hiveon-failed"},
                               headers={"X-Simulator-Namespace": "other"}, timeout=10)
        assert loaded.status_code == 201 and loaded.json()["name"] == "hiveon-failed"
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert out.splitlines()[-1] == "simulator stopped (SIGTERM)"


def the_pytest_plugin_works_in_a_users_own_project(bin_dir: Path, env: dict[str, str], elsewhere: Path):
    project = elsewhere / "project"
    project.mkdir()
    (project / "test_mine.py").write_text(USER_TEST)
    result = run([str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"], project, env)
    assert "1 passed" in result.stdout
    assert "Exception in thread" not in result.stderr + result.stdout
