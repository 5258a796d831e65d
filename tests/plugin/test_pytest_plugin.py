"""The pytest plugin, used the way a user would: in a project of their own, with and without xdist."""
import pytest

pytest_plugins = ["pytester"]

USER_TESTS = '''
import requests

SCENARIO = {"name": "same-ids", "resources": [
    {"vendor": "sparrow", "kind": "analysis", "id": 1, "state": "READY", "remaining": "10s"}]}


def auth(simulator):
    return {"Authorization": f"Bearer {simulator.api_key}"}


def test_stop_in_my_namespace(simulator):
    simulator.load(SCENARIO)
    simulator.freeze()
    stop = requests.post(f"{simulator.url}/api/v2/analysis/1/stop", headers=auth(simulator), timeout=10)
    assert stop.status_code == 200 and stop.json()["status"] == "STOP"
    assert simulator.state("sparrow", "analysis", 1) == "STOP"


def test_same_ids_untouched_by_the_other_test(simulator):
    simulator.load(SCENARIO)
    simulator.freeze()
    simulator.advance(10)
    body = requests.get(f"{simulator.url}/api/v3/analysis/1", headers=auth(simulator), timeout=10).json()
    assert body["status"] == "PRE_PROCESS"
    assert [r["id"] for r in simulator.resources(vendor="sparrow")] == ["1"]


def test_journal_and_faults(simulator):
    simulator.load(SCENARIO)
    simulator.fail("sparrow", "getAnalysis", 500, times=1)
    url = f"{simulator.url}/api/v3/analysis/1"
    assert requests.get(url, headers=auth(simulator), timeout=10).status_code == 500
    assert requests.get(url, headers=auth(simulator), timeout=10).status_code == 200
    assert simulator.request_count(operation="getAnalysis") == 2
    assert [r["status"] for r in simulator.requests(vendor="sparrow")] == [500, 200]
    assert "sim-" not in str(simulator.requests())  # the key is masked in the journal


def test_scenario_file_and_reset(simulator, tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("name: f\\nresources: [{vendor: sparrow, kind: analysis, id: 9, state: COMPLETE}]\\n")
    simulator.load(path)
    assert simulator.state("sparrow", "analysis", 9) == "COMPLETE"
    simulator.reset()
    assert simulator.resources() == []
'''


SDK_TESTS = '''
from twelvelabs import BatchDefaults, BatchItemRequest, BatchPrompt, BatchVideoContext, ConflictError, TwelveLabs
import pytest


def test_a_batch_completes_on_my_clock(simulator, monkeypatch):
    monkeypatch.delenv("TWELVELABS_BASE_URL", raising=False)
    simulator.freeze()
    client = TwelveLabs(api_key=simulator.api_key, base_url=f"{simulator.url}/v1.3")
    batch = client.analyze_async.batches.create(
        model_name="pegasus1.5", analysis_mode="general",
        defaults=BatchDefaults(prompt=BatchPrompt(input_text="Summarise the video.")),
        requests=[BatchItemRequest(video=BatchVideoContext(type="asset_id", asset_id="0123456789abcdef01234567"))],
    )
    assert client.analyze_async.batches.retrieve(batch.batch_id).status == "pending"
    simulator.advance("10m")
    assert client.analyze_async.batches.retrieve(batch.batch_id).status == "completed"
    with pytest.raises(ConflictError):
        client.analyze_async.batches.cancel(batch.batch_id)
    assert simulator.request_count(vendor="twelvelabs", status=409) == 1
'''


@pytest.fixture
def user_project(pytester):
    pytester.makepyfile(test_user=USER_TESTS)
    return pytester


def test_plugin_fixtures_work_in_a_users_project(user_project):
    result = user_project.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_plugin_under_xdist_has_no_cross_talk(user_project):
    result = user_project.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_an_unmodified_sdk_against_the_fixture(pytester):
    pytester.makepyfile(test_sdk=SDK_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_plugin_registers_through_the_entry_point(pytester):
    result = pytester.runpytest_subprocess("--help")
    result.stdout.fnmatch_lines(["*--simulator-scenario=FILE*"])


TOKEN_TESTS = '''
import requests


def test_the_fixtures_send_the_control_token(simulator):
    simulator.load({"name": "t", "resources": [{"vendor": "sparrow", "kind": "analysis", "id": 7, "state": "INIT"}]})
    simulator.freeze()
    simulator.advance("1h")
    assert simulator.state("sparrow", "analysis", 7) == "COMPLETE"
    bare = requests.get(f"{simulator.url}/_simulator/clock", timeout=10)
    assert bare.status_code == 401  # without the token the control API stays shut
'''


def test_plugin_protects_its_server_with_a_control_token(pytester):
    pytester.makepyfile(test_token=TOKEN_TESTS)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--simulator-control-token", "t0ken")
    result.assert_outcomes(passed=1)
