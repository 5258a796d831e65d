"""The README is true: its examples run as written (the rules are in the comment at its top).

Blocks are found by their fence language, so sections added later are covered without touching
this test; a block is left out only after a line `<!-- readme-test: skip REASON -->`.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from simulator import __version__
from simulator.app import create_app
from simulator.cli import banner_lines, main
from simulator.settings import Settings

from ..conftest import ROOT, start_server, stop_server

README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
SKIP = re.compile(r"<!-- readme-test: skip (.+?) -->\s*$")
ANSWERS = re.compile(r"#.*\banswers (\d{3})\b")
STATUS_MARK = "readme-test-status"
DEFAULT_ADDRESS = re.compile(r"(?:localhost|127\.0\.0\.1):8080")


@dataclass
class Block:
    language: str
    text: str
    line: int  # where it starts in README.md, for the failure message
    skip: str | None


def blocks() -> list[Block]:
    text = README.read_text(encoding="utf-8")
    found = []
    for match in FENCE.finditer(text):
        before = text[: match.start()].rstrip("\n").rsplit("\n", 1)[-1]
        skip = SKIP.search(before)
        found.append(Block(match.group(1), match.group(2), text.count("\n", 0, match.start()) + 1,
                           skip.group(1) if skip else None))
    return found


def of(language: str) -> list[Block]:
    return [b for b in blocks() if b.language == language and b.skip is None]


def expected_statuses(script: str) -> list[int | None]:
    """Per curl, the status a comment on its own lines says it answers (None: any status below 400).
    A curl's lines run from the one it starts on to the next blank, comment-only or curl line."""
    found: list[int | None] = []
    inside = False
    for line in script.splitlines():
        stripped = line.lstrip()
        if re.match(r"curl\b", stripped):
            found.append(None)
            inside = True
        elif not stripped or stripped.startswith("#"):
            inside = False
        said = ANSWERS.search(line) if inside else None
        if said:
            found[-1] = int(said.group(1))
    return found


def test_every_skipped_block_says_why():
    for block in blocks():
        if block.skip is not None:
            assert len(block.skip.split()) >= 4, f"README.md:{block.line}: say why the block is left out"


@pytest.fixture(scope="module")
def live():
    server = start_server("--scenario", "default")
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A scratch directory that sees the repository's files (what a block writes stays here)."""
    directory = tmp_path_factory.mktemp("readme")
    for entry in ROOT.iterdir():
        if not entry.name.startswith(".git"):
            (directory / entry.name).symlink_to(entry)
    return directory


def test_the_shell_examples_run_as_written(live, workdir):
    address = live.url.removeprefix("http://")
    prelude = f"set -e -o pipefail\ncurl() {{ command curl -w '%{{stderr}}{STATUS_MARK} %{{http_code}}\\n' \"$@\"; }}\n"
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    ran = 0
    for block in of("sh"):
        script = DEFAULT_ADDRESS.sub(address, block.text)
        result = subprocess.run(["bash", "-c", prelude + script], cwd=workdir, env=env, capture_output=True,
                                text=True, timeout=120)
        where = f"README.md:{block.line}:\n{block.text}\nstdout:\n{result.stdout[-3000:]}\nstderr:\n{result.stderr}"
        assert result.returncode == 0, where
        statuses = [int(s) for s in re.findall(rf"^{STATUS_MARK} (\d+)$", result.stderr, re.M)]
        expected = expected_statuses(block.text)
        assert len(statuses) == len(expected), where
        for got, wanted in zip(statuses, expected, strict=True):
            assert got == wanted if wanted else 0 < got < 400, f"answered {got}, expected {wanted or '< 400'}\n{where}"
        ran += 1
    assert ran >= 5


def test_the_python_examples_pass_under_pytest_with_the_plugin(tmp_path):
    tests = [b for b in of("python") if re.search(r"^def test_", b.text, re.M)]
    assert tests, "the README shows the pytest plugin"
    for number, block in enumerate(tests):
        (tmp_path / f"test_readme_{number}.py").write_text(block.text)
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    env = {k: v for k, v in os.environ.items() if k != "TWELVELABS_BASE_URL"}  # as the README asks
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-3000:]
    assert f"{len(tests)} passed" in result.stdout


def test_the_scenario_examples_are_valid(tmp_path):
    scenarios = [b for b in of("yaml") if isinstance(yaml.safe_load(b.text), dict) and "name" in yaml.safe_load(b.text)]
    assert scenarios, "the README shows a scenario"
    files = []
    for number, block in enumerate(scenarios):
        path = tmp_path / f"readme-{number}.yaml"
        path.write_text(block.text)
        files.append(str(path))
    result = subprocess.run([sys.executable, "-m", "simulator", "validate", *files], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_serve_synopsis_lists_exactly_the_options_serve_has(capsys):
    synopsis = next(b.text for b in blocks() if b.language == "text" and b.text.startswith("simulator serve "))
    shown = set(re.findall(r"\[(--[a-z-]+)", synopsis.split("\nsimulator validate")[0]))
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    usage = capsys.readouterr().out.split("\n\n")[0]
    assert shown == set(re.findall(r"\[(--[a-z-]+)", usage)) - {"--help"}


def test_the_banner_shown_is_the_one_printed():
    shown = next(b.text for b in blocks() if b.language == "text" and b.text.startswith("vendor simulator "))
    printed = banner_lines(create_app(Settings(scenarios=["default"])), "http://127.0.0.1:8080")
    assert [" ".join(line.split()) for line in shown.splitlines()] == [" ".join(line.split()) for line in printed]
    assert printed[0] == f"vendor simulator {__version__}"
