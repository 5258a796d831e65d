"""The vendor-spec oracle in pytest: one fixture judges every vendor exchange of a test at teardown.

The Feldera and TwelveLabs test packages use `vendor_spec` (autouse in their conftest) and wrap
their `app` with `record_app`. The hooks below add up, across xdist workers, how many responses
were validated per vendor and which deviations were used, and print it at the end of the session.
Loaded with `-p tests.vendorspec.plugin` (pyproject addopts) so the xdist controller has it too.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import pytest

from .exceptions import KNOWN_BUGS
from .oracle import Exchange, Oracle
from .recorder import Ledger, hook_clients

MARK = "vendor_invalid_request"
PROPERTY = "vendorspec"


@cache
def oracle(name: str) -> Oracle:
    return Oracle(name)


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)
    responses: Counter = field(default_factory=Counter)  # validated responses per vendor
    requests: Counter = field(default_factory=Counter)  # validated requests per vendor
    invalid_requests: int = 0
    deviations: Counter = field(default_factory=Counter)

    def summary(self) -> str:
        return json.dumps({"responses": self.responses, "requests": self.requests,
                           "deviations": self.deviations, "invalid_requests": self.invalid_requests})


def judge(exchanges: list[Exchange], *, invalid_requests_expected: bool, marker_must_be_used: bool = True) -> Verdict:
    verdict = Verdict()
    for exchange in exchanges:
        spec = oracle(exchange.spec_name)
        request_problems = spec.request_problems(exchange)
        if request_problems:
            verdict.invalid_requests += 1
            if not invalid_requests_expected:
                verdict.problems += [f"{exchange.describe()}: {p}" for p in request_problems]
        else:
            verdict.requests[exchange.vendor] += 1
        response_problems, deviation = spec.response_problems(exchange)
        verdict.problems += [f"{exchange.describe()}: {p}" for p in response_problems]
        verdict.responses[exchange.vendor] += 1
        if deviation:
            verdict.deviations[deviation.id] += 1
    if invalid_requests_expected and marker_must_be_used and not verdict.invalid_requests:
        verdict.problems.append(f"marked {MARK} but every request it sent is valid under the vendor's spec: "
                                "drop the marker")
    return verdict


@pytest.fixture
def vendor_spec(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
    """Records the test's vendor exchanges; at teardown every request and response must satisfy the
    vendor's own spec (requests excepted for tests marked `vendor_invalid_request`)."""
    ledger = Ledger()
    hook_clients(monkeypatch, ledger)
    yield ledger
    marked = request.node.get_closest_marker(MARK) is not None
    callspec = getattr(request.node, "callspec", None)
    # On a parametrized test, a marker on the function covers "some of these cases"; on a case, that case.
    per_case = callspec is None or any(m.name == MARK for m in callspec.marks)
    verdict = judge(ledger.exchanges, invalid_requests_expected=marked, marker_must_be_used=per_case)
    request.node.user_properties.append((PROPERTY, verdict.summary()))
    if verdict.problems:
        pytest.fail("against the vendor's own OpenAPI spec:\n  " + "\n  ".join(verdict.problems), pytrace=False)


# --- session summary -----------------------------------------------------------------------------

_totals: dict[str, Counter] = {"responses": Counter(), "requests": Counter(), "deviations": Counter()}
_invalid = Counter()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARK}: the test sends requests the vendor's spec forbids, on purpose "
                                       "(its responses are still checked)")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "teardown":
        return
    for name, value in report.user_properties:
        if name == PROPERTY:
            counts = json.loads(value)
            for key in _totals:
                _totals[key].update(counts[key])
            _invalid["requests"] += counts["invalid_requests"]


def pytest_terminal_summary(terminalreporter) -> None:
    if not _totals["responses"]:
        return
    write = terminalreporter.write_line
    terminalreporter.section("vendor specs")
    for vendor, count in sorted(_totals["responses"].items()):
        write(f"{vendor}: {count} responses and {_totals['requests'][vendor]} requests validated "
              "against the vendor's own OpenAPI spec")
    if _invalid["requests"]:
        write(f"requests sent invalid on purpose ({MARK}): {_invalid['requests']}")
    bugs = {bug.id for bug in KNOWN_BUGS}
    for deviation, count in sorted(_totals["deviations"].items()):
        kind = "KNOWN SIMULATOR BUG" if deviation in bugs else "vendor-spec exception"
        write(f"{kind} {deviation}: {count} responses")
