"""Scenario resource entries loaded without marshmallow give exactly what the schema gives, or its errors."""
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from simulator.engine.scenario import ScenarioSchema, _load_document

ANY = st.one_of(st.none(), st.booleans(), st.integers(-10**19, 10**19), st.floats(), st.text(max_size=5),
                st.sampled_from(["1d", "5m", "500ms", "-1s", "3651d", "2026-01-01T00:00:00Z", "exact", "STOP"]),
                st.just(datetime(2026, 1, 1)), st.lists(st.text(max_size=3), max_size=2),
                st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2))
DURATION = st.one_of(st.sampled_from(["1d", "5m", "500ms", " 2s "]), st.integers(0, 10**6), st.floats(0, 1e6))
VALID = {
    "state": st.text(max_size=5), "remaining": DURATION,
    "fields": st.dictionaries(st.text(max_size=4), st.one_of(st.none(), st.integers(), st.text(max_size=3))),
    "route": st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
    "timing": st.dictionaries(st.text(max_size=3), DURATION, max_size=2), "pending": st.lists(st.text(max_size=3)),
    "created": st.just("2026-01-01T00:00:00Z"), "entered": st.just("2026-01-02T00:00:00+02:00"),
    "restore": st.just("exact"), "watched": st.booleans(),
}
KEYS = ["vendor", "kind", "id", *VALID, "other"]


@st.composite
def entries(draw):
    """A valid entry, often with one key's value (or an unknown key) drawn from anything at all."""
    entry = draw(st.fixed_dictionaries(
        {"vendor": st.just("sparrow"), "kind": st.just("analysis"),
         "id": st.one_of(st.integers(0, 10**6), st.text(min_size=1, max_size=8))}, optional=VALID))
    if draw(st.booleans()):
        entry[draw(st.sampled_from(KEYS))] = draw(ANY)
    if draw(st.integers(0, 9)) == 0:
        del entry[draw(st.sampled_from(["vendor", "kind", "id"]))]
    return entry


def _outcome(load, document):
    try:
        return "loaded", load(document)
    except ValidationError as exc:
        return "refused", exc.messages


@settings(max_examples=600, deadline=None)
@given(st.lists(entries(), max_size=3))
def test_quick_entries_load_what_the_schema_loads(resources):
    document = {"name": "quick", "resources": resources}
    assert _outcome(_load_document, document) == _outcome(ScenarioSchema().load, document)


def test_plain_entries_take_the_quick_path_and_load_their_values():
    document = {"name": "quick", "resources": [
        {"vendor": "sparrow", "kind": "analysis", "id": 1001, "state": "ANALYSIS", "remaining": "1d",
         "fields": {"toolType": "SAST"}, "route": {"ANALYSIS": "COMPLETE"}, "timing": {"INIT": "5m"},
         "pending": ["stop"], "created": "2026-01-01T00:00:00Z", "watched": True}]}
    loaded = _load_document(document)["resources"][0]
    assert loaded == ScenarioSchema().load(document)["resources"][0]
    assert loaded["id"] == "1001" and loaded["remaining"] == 86400.0 and loaded["timing"] == {"INIT": 300.0}
    assert loaded["fields_"] == {"toolType": "SAST"} and loaded["fields_"] is not document["resources"][0]["fields"]
