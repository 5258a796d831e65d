"""The exceptions table holds what it must and nothing else.

Every entry of DEVIATIONS and KNOWN_BUGS has a reproduction here: the simulator's real answer is
rejected by the vendor's spec alone (so the entry is needed), accepted with the table (so it is
enough), and excused by that entry and no other. A broken variant of the same answer stays
rejected (the entry tolerates nothing but its own case), and an entry without a reproduction fails.
"""
from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.vendors.feldera.conftest import BOOT, COMPILE, SQL
from tests.vendors.twelvelabs.helpers import BASE, KEY, create_ok

from .exceptions import DEVIATIONS, KNOWN_BUGS
from .oracle import Exchange, Oracle
from .plugin import oracle
from .recorder import Ledger, record_app


class Driver:
    """A fresh app whose vendor exchanges are recorded; `last` is the latest one."""

    def __init__(self, app) -> None:
        self.ledger = Ledger()
        self.client = record_app(app, self.ledger).test_client()
        assert self.client.put("/_simulator/clock", json={"frozen": True}).status_code == 200

    @property
    def last(self) -> Exchange:
        return self.ledger.exchanges[-1]

    def advance(self, seconds: float) -> None:
        assert self.client.post("/_simulator/clock/advance", json={"seconds": seconds}).status_code == 200

    def load(self, scenario: dict) -> None:
        assert self.client.post("/_simulator/scenarios", json=scenario).status_code == 201

    def pipeline(self, *, running: bool = False) -> None:
        assert self.client.post("/v0/pipelines", json={"name": "p1", "program_code": SQL}).status_code == 201
        self.advance(COMPILE)
        if running:
            assert self.client.post("/v0/pipelines/p1/start").status_code == 202
            self.advance(BOOT)

    def post(self, path: str, **kwargs) -> Exchange:
        self.client.post(path, **kwargs)
        return self.last

    def get(self, path: str, **kwargs) -> Exchange:
        self.client.get(path, **kwargs)
        return self.last


def _start(d: Driver) -> Exchange:
    d.pipeline()
    return d.post("/v0/pipelines/p1/start")


def _stop(d: Driver) -> Exchange:
    d.pipeline(running=True)
    return d.post("/v0/pipelines/p1/stop?force=true")


def _pause(d: Driver) -> Exchange:
    d.pipeline(running=True)
    return d.post("/v0/pipelines/p1/pause")


def _resume(d: Driver) -> Exchange:
    d.pipeline(running=True)
    d.post("/v0/pipelines/p1/pause")
    d.advance(1.0)
    return d.post("/v0/pipelines/p1/resume")


def _clear(d: Driver) -> Exchange:
    d.pipeline()
    return d.post("/v0/pipelines/p1/clear")


def _dismiss_error(d: Driver) -> Exchange:
    d.pipeline()
    return d.post("/v0/pipelines/p1/dismiss_error")


def _feldera_401(d: Driver) -> Exchange:
    d.load({"name": "keys", "auth": {"feldera": {"keys": ["apikey:right"]}}})
    return d.get("/v0/pipelines", headers={"Authorization": "Bearer apikey:wrong"})


def _pause_undeployed(d: Driver) -> Exchange:
    d.pipeline()
    return d.post("/v0/pipelines/p1/pause")


def _community_checkpoint(d: Driver) -> Exchange:
    d.load({"name": "community", "settings": {"feldera": {"edition": "community"}}})
    d.pipeline(running=True)
    return d.post("/v0/pipelines/p1/checkpoint")


def _community_activate(d: Driver) -> Exchange:
    d.load({"name": "community", "settings": {"feldera": {"edition": "community"}}})
    d.pipeline(running=True)
    return d.post("/v0/pipelines/p1/activate")


def _bad_initial(d: Driver) -> Exchange:
    d.pipeline()
    return d.post("/v0/pipelines/p1/start?initial=sprinting")


def _list_bad_selector(d: Driver) -> Exchange:
    return d.get("/v0/pipelines?selector=everything")


def _get_bad_selector(d: Driver) -> Exchange:
    d.pipeline()
    return d.get("/v0/pipelines/p1?selector=everything")


def _activate_bad_initial(d: Driver) -> Exchange:
    d.pipeline()
    return d.post("/v0/pipelines/p1/activate?initial=Sprinting")


def _results(d: Driver) -> Exchange:
    batch = create_ok(d.client)
    d.advance(60)
    return d.get(f"{BASE}/{batch['batch_id']}/results", headers=KEY)


def _twelvelabs_401(d: Driver) -> Exchange:
    d.load({"name": "keys", "auth": {"twelvelabs": {"keys": ["right-key"]}}})
    return d.get(BASE, headers={"x-api-key": "wrong-key"})


def _flat_errors(d: Driver) -> Exchange:
    d.load({"name": "flat", "settings": {"twelvelabs": {"error_shape": "flat"}}})
    return d.get(f"{BASE}/{'0' * 24}", headers=KEY)


REPRODUCTIONS: dict[str, Callable[[Driver], Exchange]] = {
    "feldera-start-body": _start,
    "feldera-stop-body": _stop,
    "feldera-pause-body": _pause,
    "feldera-resume-body": _resume,
    "feldera-clear-body": _clear,
    "feldera-dismiss_error-body": _dismiss_error,
    "feldera-401": _feldera_401,
    "feldera-pause-503": _pause_undeployed,
    "feldera-checkpoint-501": _community_checkpoint,
    "feldera-activate-501": _community_activate,
    "feldera-start-405": _bad_initial,
    "feldera-list-400": _list_bad_selector,
    "feldera-get-400": _get_bad_selector,
    "feldera-activate-400": _activate_bad_initial,
    "twelvelabs-results-jsonl": _results,
    "twelvelabs-401": _twelvelabs_401,
    "twelvelabs-flat-errors": _flat_errors,
}
TABLE = {d.id: d for d in DEVIATIONS + KNOWN_BUGS}


def test_every_entry_has_a_reproduction_and_ids_are_unique():
    assert len(TABLE) == len(DEVIATIONS) + len(KNOWN_BUGS)
    assert set(REPRODUCTIONS) == set(TABLE)
    assert all(d.reason and d.vendor in ("feldera", "twelvelabs") for d in TABLE.values())


@pytest.mark.parametrize("entry", sorted(REPRODUCTIONS))
def test_entry_is_needed_enough_and_narrow(app, entry):
    exchange = REPRODUCTIONS[entry](Driver(app))
    spec = oracle(exchange.spec_name)
    without, excused = Oracle(spec.name, deviations=()).response_problems(exchange)
    assert without and excused is None, f"{entry}: the vendor's spec alone accepts this answer: drop the entry"
    problems, excused = spec.response_problems(exchange)
    assert problems == [] and excused is TABLE[entry], (problems, excused)

    broken = Exchange(**{**vars(exchange), "body": b'{"unexpected": true}'})
    if TABLE[entry].lines:
        broken.body = exchange.body + b'\n{"custom_id": 5}\n'
    assert spec.response_problems(broken)[0], f"{entry} also excuses a body it was not written for"


def test_a_mismatch_outside_the_table_is_reported(app):
    d = Driver(app)
    d.pipeline()
    good = d.get("/v0/pipelines/p1")
    spec = oracle("feldera")
    assert spec.response_problems(good) == ([], None)
    for body, expected in ((good.body.replace(b'"id": "', b'"id": "not-a-uuid-'), "is not a 'uuid'"),
                           (good.body.replace(b'"created_at": "', b'"created_at": "yesterday '), "date-time"),
                           (b"{}", "'id' is a required property")):
        problems, excused = spec.response_problems(Exchange(**{**vars(good), "body": body}))
        assert excused is None and any(expected in p for p in problems), problems
    teapot = Exchange(**{**vars(good), "status": 418})
    assert spec.response_problems(teapot)[0] == [
        "status 418 is not documented for GET /v0/pipelines/{pipeline_name} (documented: 200, 404, 500)"]
