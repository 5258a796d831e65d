"""The libyaml fast path of `bounded_safe_load` builds exactly what yaml.safe_load builds, and leaves
every document it cannot build exactly (tags, anchors, merge keys, complex keys, several documents,
deep nesting) to the full loader, whose answer or error is then the one given."""
from __future__ import annotations

import pytest
import yaml

from simulator.engine import yamlload
from simulator.engine.yamlload import MAX_DEPTH, YamlLimitError, bounded_safe_load

pytestmark = pytest.mark.skipif(yamlload._CParser is None, reason="PyYAML was built without libyaml")

BUILT_FAST = [
    "name: x\nresources:\n  - {vendor: sparrow, kind: analysis, id: 1000000, remaining: 1d,\n"
    "     fields: {toolType: SAST}}\n",
    "- 0123\n- 0\n- 0x1f\n- 0o17\n- 1_000\n- -5\n- +5\n- 1.5\n- 1e3\n- 1.0e+3\n- .inf\n- -.Inf\n- .nan\n",
    "- yes\n- No\n- on\n- OFF\n- true\n- ~\n- null\n- ''\n- \"123\"\n- '1.5'\n- ٣\n- 12:30:00\n",
    "- 2001-12-14\n- 2001-12-14t21:59:43.10-05:00\n- 2002-12-14 21:59:43.10\n",
    "{a: {b: [1, {c: d}]}, e: [], f: {}}",
    "a: 1\na: 2\n",  # a repeated key: the last value, as SafeLoader
    "a: |\n  two\n  lines\nb: >\n  folded\n  text\n",
    "1: one\n2.5: two\ntrue: three\n~: four\n",
]


@pytest.mark.parametrize("text", BUILT_FAST)
def test_the_fast_path_builds_what_safe_load_builds(text):
    fast = yamlload._fast_load(text)
    assert fast is not yamlload._SLOW
    expected = yaml.safe_load(text)
    assert repr(fast) == repr(expected)  # repr: the same types, and nan compared as written
    assert repr(bounded_safe_load(text)) == repr(expected)


def test_an_unquoted_id_is_an_int_and_a_quoted_one_a_string():
    assert bounded_safe_load("- 1000000\n- '1000000'\n- 007\n") == [1000000, "1000000", 7]


LEFT_TO_THE_FULL_LOADER = [
    "",  # no document: None
    "---\na: 1\n---\nb: 2\n",  # two documents: an error
    "base: &b {x: 1}\n",  # an anchor
    "<<: {a: 1}\nb: 2\n",  # a merge key
    "a: !!str 1\n",  # a tag
    "[1, 2]: 3\n",  # an unhashable key: an error
    "= : 3\n",
    "a: [1\n",  # not YAML: the full loader's words
]


@pytest.mark.parametrize("text", LEFT_TO_THE_FULL_LOADER)
def test_anything_unusual_goes_to_the_full_loader_with_its_answer(text):
    assert yamlload._fast_load(text) is yamlload._SLOW
    try:
        expected = ("value", repr(yaml.safe_load(text)))
    except yaml.YAMLError as exc:
        expected = ("error", type(exc).__name__, str(exc))
    try:
        got = ("value", repr(bounded_safe_load(text)))
    except yaml.YAMLError as exc:
        got = ("error", type(exc).__name__, str(exc))
    assert got == expected


def test_nesting_at_the_limit_loads_and_beyond_it_is_refused():
    fits = "[" * (MAX_DEPTH - 1) + "1" + "]" * (MAX_DEPTH - 1)
    value = bounded_safe_load(fits)
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == 1
    with pytest.raises(YamlLimitError, match=f"nested deeper than {MAX_DEPTH} levels"):
        bounded_safe_load("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))

