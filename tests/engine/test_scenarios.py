"""Scenario files: every error names the file, the place and what is allowed."""
import subprocess
import sys

import pytest

from simulator.engine import ScenarioError
from simulator.engine.scenario import load_scenario_file, parse_scenario_text
from simulator.vendors import discover
from tests.conftest import ROOT, SCENARIOS

VENDORS = discover()


def _problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as error:
        parse_scenario_text(text, VENDORS, source="broken.yaml")
    return error.value.lines()


def test_every_shipped_scenario_is_valid():
    for path in sorted(SCENARIOS.glob("*.yaml")):
        assert load_scenario_file(path, VENDORS).name


def test_unknown_state_names_the_place_and_the_allowed_states():
    lines = _problems("""
name: x
resources:
  - {vendor: sparrow, kind: analysis, id: 1, state: INIT}
  - {vendor: sparrow, kind: analysis, id: 2, state: RUNNING}
""")
    assert lines == [
        "broken.yaml: resources[1].state: unknown state 'RUNNING' for sparrow.analysis; "
        "allowed: INIT, READY, PRE_PROCESS, ANALYSIS, POST_PROCESS, COMPLETE, STOP"
    ]


def test_every_problem_is_reported_at_once():
    lines = _problems("""
name: x
timing: {sparrow.analysis: {COMPLETE: 2s, INIT: soon}}
resources:
  - {vendor: nobody, kind: job, id: 1}
  - {vendor: sparrow, kind: analysis, id: abc, fields: {toolType: IAST}}
""")
    text = "\n".join(lines)
    assert "broken.yaml: timing.sparrow.analysis.INIT: 'soon' is not a duration" in text
    assert "timing.sparrow.analysis.COMPLETE: not a timed state of sparrow.analysis" in text
    assert "resources[0].vendor: unknown vendor 'nobody'" in text
    assert "resources[1].id: 'abc' is not a valid sparrow.analysis id" in text
    assert "resources[1].fields.toolType" in text


def test_unknown_field_lists_the_allowed_fields():
    lines = _problems("name: x\nresource: []\n")
    assert lines == ["broken.yaml: resource: unknown field; allowed: auth, clock, counters, description, faults, "
                     "isolation, name, resources, settings, timing, vendor_data"]


def test_remaining_time_in_a_state_without_timer_is_refused():
    lines = _problems("name: x\nresources: [{vendor: sparrow, kind: analysis, id: 1, state: STOP, remaining: 5s}]")
    assert lines == ["broken.yaml: resources[0].remaining: state 'STOP' has no timer, so no time can remain in it"]


def test_yaml_syntax_error_names_line_and_column():
    lines = _problems("name: [unclosed\n")
    assert lines[0].startswith("broken.yaml: line 2, column 1: not valid YAML")


def test_yaml_tags_that_build_objects_are_refused():
    lines = _problems("name: !!python/object/apply:os.system ['echo pwned']\n")
    assert "not valid YAML" in lines[0]


def test_validate_command_reports_every_error_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nresources: [{vendor: sparrow, kind: analysis, id: 1, state: DONE}]\n")
    good = SCENARIOS / "default.yaml"
    result = subprocess.run([sys.executable, "-m", "simulator", "validate", str(good), str(bad)],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"{bad}: resources[0].state: unknown state 'DONE'" in result.stderr
    assert "default.yaml: ok" in result.stdout
    ok = subprocess.run([sys.executable, "-m", "simulator", "validate", str(good)], cwd=ROOT,
                        capture_output=True, text=True)
    assert ok.returncode == 0


def test_serve_refuses_a_broken_scenario_before_listening(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("description: no name\n")
    result = subprocess.run([sys.executable, "-m", "simulator", "serve", "--port", "0", "--scenario", str(bad)],
                            cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert f"{bad}: name: Missing data for required field." in result.stderr


def test_help_explains_the_commands():
    result = subprocess.run([sys.executable, "-m", "simulator", "serve", "--help"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0
    for option in ("--host", "--port", "--scenario", "--speed", "--threads", "127.0.0.1"):
        assert option in result.stdout


def test_places_stay_right_when_an_earlier_entry_is_broken():
    lines = _problems("""
name: x
resources:
  - {vendor: sparrow, kind: analysis}
  - {vendor: sparrow, kind: analysis, id: 2, state: NOPE}
""")
    assert "broken.yaml: resources[0].id: Missing data for required field." in lines
    assert any(line.startswith("broken.yaml: resources[1].state: unknown state 'NOPE'") for line in lines)
