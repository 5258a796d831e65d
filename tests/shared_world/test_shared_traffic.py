"""Fault rules and the request journal belong to the world, not to a process: a rule made through one
process strikes calls to the other and counts them all; the journal read through either holds the
calls made through both."""
from __future__ import annotations

from .replica_tools import AUTH, advance, call, freeze, get_analysis, new_analysis

GET_ANALYSIS = {"vendor": "sparrow", "operation": "getAnalysis"}


def _add_fault(base: str, ns: dict, rule: dict) -> dict:
    answer = call(base, "POST", "/_simulator/faults", ns, json=rule)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_a_fault_rule_made_through_one_strikes_the_very_next_call_to_the_other(world):
    a, b, ns = world.a, world.b, world.ns
    analysis = new_analysis(a, headers=ns)
    rule = _add_fault(a, ns, {"match": GET_ANALYSIS, "respond": {"status": 500, "code": "INTERNAL_ERROR",
                                                             "message": "injected"}})
    struck = get_analysis(b, analysis, ns)
    assert (struck.status_code, struck.json()) == (500, {"resultCode": "INTERNAL_ERROR", "message": "injected"})
    listed = call(b, "GET", "/_simulator/faults", ns).json()
    assert [(r["id"], r["calls"], r["fired"]) for r in listed["faults"]] == [(rule["id"], 1, 1)]
    assert call(b, "DELETE", f"/_simulator/faults/{rule['id']}", ns).status_code == 204
    spared = get_analysis(a, analysis, ns)
    assert spared.status_code == 200 and spared.json()["status"] == "INIT"
    assert call(a, "GET", "/_simulator/faults", ns).json() == {"faults": [], "count": 0}


def test_first_two_calls_fail_counted_over_both_processes(world):
    a, b, ns = world.a, world.b, world.ns
    analysis = new_analysis(a, headers=ns)
    rule = _add_fault(b, ns, {"match": GET_ANALYSIS, "when": {"first": 2}, "respond": {"status": 500}})
    statuses = [get_analysis(base, analysis, ns).status_code for base in (a, b, a, b)]
    assert statuses == [500, 500, 200, 200]
    [listed] = call(a, "GET", "/_simulator/faults", ns).json()["faults"]
    assert (listed["id"], listed["calls"], listed["fired"]) == (rule["id"], 4, 2)


def test_a_scenario_fault_loaded_through_one_strikes_on_the_other_and_a_reset_there_lifts_it(world):
    a, b, ns = world.a, world.b, world.ns
    analysis = new_analysis(a, headers=ns)
    scenario = {"name": "faulty", "faults": [{"match": GET_ANALYSIS, "respond": {"status": 500}}]}
    assert call(a, "POST", "/_simulator/scenarios", ns, json=scenario).status_code == 201
    assert get_analysis(b, analysis, ns).status_code == 500
    assert call(b, "POST", "/_simulator/reset", ns).status_code == 200
    assert call(a, "GET", "/_simulator/faults", ns).json()["count"] == 0
    assert get_analysis(a, analysis, ns).status_code == 400  # the reset emptied the world: no such analysis


def test_the_journal_read_through_either_holds_the_calls_made_through_both(world):
    a, b, ns = world.a, world.b, world.ns
    freeze(a, ns)
    analysis = new_analysis(a, headers=ns)
    advance(b, 2, ns)
    assert get_analysis(b, analysis, ns).json()["status"] == "READY"
    assert call(a, "POST", f"/api/v2/analysis/{analysis}/stop", {**AUTH, **ns}).status_code == 200
    expected = [("createSastAnalysis", 200), ("getAnalysis", 200), ("stopAnalysis", 200)]
    for base in (a, b):
        journal = call(base, "GET", "/_simulator/requests", ns).json()
        assert [(e["operation"], e["status"]) for e in journal["requests"]] == expected, base
        assert journal["count"] == 3
        assert journal["requests"][1]["response"]["body"]["status"] == "READY"
        assert call(base, "GET", "/_simulator/requests/count?operation=getAnalysis", ns).json() == {"count": 1}
    assert call(b, "DELETE", "/_simulator/requests", ns).json() == {"cleared": 3}
    assert call(a, "GET", "/_simulator/requests/count", ns).json() == {"count": 0}
