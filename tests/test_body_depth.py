"""The body gate's depth measure (simulator/http/bodies.py) agrees with the parsed document's real
nesting, whatever the strings hold: brackets, quotes, backslashes, escapes."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.http.bodies import MAX_DEPTH, BodyProblem, check_json

TRICKY_TEXT = st.text(alphabet=st.sampled_from(list("[]{}\"\\ab :,\n\u00e9")), max_size=12)
LEAVES = st.none() | st.booleans() | st.integers(-10, 10) | TRICKY_TEXT
VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(TRICKY_TEXT, inner, max_size=3), max_leaves=12)


def depth(value) -> int:
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    return 0


@settings(max_examples=300, deadline=None)
@given(value=VALUES, wrap=st.integers(0, MAX_DEPTH + 4), as_object=st.booleans())
def test_a_body_is_refused_exactly_when_it_nests_deeper_than_the_limit(value, wrap, as_object):
    for _ in range(wrap):
        value = {"k[\\\"": value} if as_object else [value, "]}\\\\"]
    raw = json.dumps(value).encode()
    if depth(value) > MAX_DEPTH:
        with pytest.raises(BodyProblem, match="deeper than"):
            check_json(raw)
    else:
        assert check_json(raw) == value
