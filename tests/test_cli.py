"""The command line as a user meets it: one clear line per error with its exit code, a banner that
says what is served, an access log, and a clean stop on SIGINT and SIGTERM."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from simulator import __version__
from simulator.cli import main

from .conftest import SCENARIOS

LISTENING = re.compile(r"listening on (http://\S+?) ")


def run_cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "simulator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


class Served:
    """`simulator serve` in a subprocess: the lines it printed up to listening, and its URL."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "simulator", "serve", "--port", "0", *args], cwd=cwd,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.banner: list[str] = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.banner.append(line.rstrip("\n"))
            if line.startswith("stop it with"):
                break
        match = next((LISTENING.search(line) for line in self.banner if LISTENING.search(line)), None)
        if match is None:
            self.process.kill()
            raise AssertionError("no banner:\n" + "\n".join(self.banner) + self.process.stderr.read())
        self.url = match.group(1)

    def stop(self, signum: int) -> tuple[int, str, str]:
        self.process.send_signal(signum)
        out, err = self.process.communicate(timeout=15)
        return self.process.returncode, out, err


@pytest.fixture
def served(tmp_path):
    started: list[Served] = []

    def start(*args: str) -> Served:
        server = Served(*args, cwd=tmp_path)
        started.append(server)
        return server

    yield start
    for server in started:
        if server.process.poll() is None:
            server.process.kill()
            server.process.communicate(timeout=10)


def test_version(tmp_path):
    result = run_cli("--version", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"simulator {__version__}\n", "")


def test_scenarios_lists_every_shipped_one_with_its_description(tmp_path):
    result = run_cli("scenarios", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    names = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
    listed = [line.split()[0] for line in result.stdout.splitlines()[: len(names)]]
    assert listed == names
    default_line = next(line for line in result.stdout.splitlines() if line.startswith("default "))
    assert "resources of every vendor" in default_line
    assert result.stdout.rstrip().endswith(f"{len(names)} shipped scenarios; load one with "
                                           "`simulator serve --scenario NAME`")


@pytest.mark.parametrize(("port", "why"), [("99999", "99999 is outside 0-65535 (0 picks a free port)"),
                                           ("-1", "-1 is outside 0-65535 (0 picks a free port)"),
                                           ("http", "'http' is not a port number")])
def test_a_port_outside_the_range_is_a_usage_error(capsys, port, why):
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", port])
    assert exited.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"simulator serve: error: argument --port: {why}"


def test_a_port_in_use_is_one_line_and_exit_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"simulator: port {port} on 127.0.0.1 is in use: pick another with --port, "
                             "or --port 0 for a free one\n")
    assert result.stdout == ""


@pytest.mark.parametrize("host", ["192.0.2.1", "no-such-host.invalid"])
def test_a_host_the_machine_does_not_have_is_one_line_and_exit_1(tmp_path, host):
    result = run_cli("serve", "--host", host, "--port", "0", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == (f"simulator: cannot listen on {host}: this machine has no such address; give --host "
                             "one of its own (127.0.0.1, or 0.0.0.0 for every interface)\n")


def test_every_bad_scenario_is_named_at_once_and_nothing_is_served(tmp_path):
    (tmp_path / "latin1.yaml").write_bytes("name: caf\xe9\n".encode("latin-1"))
    (tmp_path / "a-directory.yaml").mkdir()
    (tmp_path / "good.yaml").write_text("name: good\n")
    result = run_cli("serve", "--port", "0", "--scenario", "missing.yaml", "--scenario", "good.yaml",
                     "--scenario", "latin1.yaml", "--scenario", "a-directory.yaml", "--scenario", "default",
                     cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "missing.yaml: (document): cannot read the file: No such file or directory",
        "latin1.yaml: (document): not UTF-8 text (byte 0xe9 at offset 9); save the file as UTF-8",
        "a-directory.yaml: (document): cannot read the file: Is a directory",
    ]
    assert "listening" not in result.stdout


def test_validate_takes_files_and_shipped_names(tmp_path):
    (tmp_path / "broken.yaml").write_text("name: broken\nresources: [{vendor: nobody, kind: x, id: 1}]\n")
    result = run_cli("validate", "default", "broken.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("default: ok (default: ")
    assert result.stderr.startswith("broken.yaml: resources[0].vendor: unknown vendor 'nobody'")


def test_the_banner_says_what_is_served_and_the_server_serves_it(served):
    server = served("--scenario", "default")
    url = server.url
    banner = "\n".join(server.banner)
    assert server.banner[0] == f"vendor simulator {__version__}"
    assert server.banner[1] == "scenarios: default (scenarios/default.yaml)"
    assert re.search(rf"^  sparrow +{re.escape(url)}/api/v1 +8 analysis \(also /api/v2, /api/v3\)$", banner, re.M)
    for vendor, root in [("feldera", "/v0"), ("twelvelabs", "/v1.3"), ("hiveon", "/vendors/v1"),
                         ("wrappers", "/resources")]:
        assert re.search(rf"^  {vendor} +{re.escape(url + root)} +\d+ \w+", banner, re.M), vendor
    assert f"simulator listening on {url} (control API: {url}/_simulator)" in server.banner
    assert server.banner[-1] == "stop it with Ctrl-C (SIGINT) or SIGTERM"
    health = requests.get(f"{url}/_simulator/health", timeout=10).json()
    assert health["version"] == __version__ and health["scenarios"] == ["default"]
    analysis = requests.get(f"{url}/api/v3/analysis/1004", headers={"Authorization": "Bearer k"}, timeout=10)
    assert analysis.status_code == 200 and analysis.json()["analysisId"] == 1004


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_sigint_and_sigterm_stop_it_with_a_line_and_exit_0(served, signum):
    server = served()
    returncode, out, err = server.stop(signum)
    assert returncode == 0
    assert out.splitlines()[-1] == f"simulator stopped ({signal.Signals(signum).name})"
    assert "Traceback" not in err


def test_the_access_log_has_one_line_per_request(served):
    server = served("--scenario", "default", "--access-log")
    auth = {"Authorization": "Bearer k"}
    fault = {"match": {"vendor": "sparrow", "operation": "getAnalysis"}, "when": {"first": 1},
             "respond": {"status": 500}, "id": "one-500"}
    assert requests.post(f"{server.url}/_simulator/faults", json=fault, timeout=10).status_code == 201
    assert requests.get(f"{server.url}/api/v3/analysis/1004", headers=auth, timeout=10).status_code == 500
    assert requests.get(f"{server.url}/api/v3/analysis/1004", headers={**auth, "X-Simulator-Namespace": "other"},
                        timeout=10).status_code == 200
    _, out, _ = server.stop(signal.SIGTERM)
    lines = [line for line in out.splitlines() if line.startswith("namespace=")]
    assert len(lines) == 3
    assert lines[0].startswith("namespace=default POST /_simulator/faults operation=- status=201 duration=")
    assert re.fullmatch(r"namespace=default GET /api/v3/analysis/1004 operation=getAnalysis status=500 "
                        r"duration=\d+\.\dms faults=one-500", lines[1])
    assert re.fullmatch(r"namespace=other GET /api/v3/analysis/1004 operation=getAnalysis status=200 "
                        r"duration=\d+\.\dms faults=-", lines[2])
