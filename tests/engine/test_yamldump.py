"""The export's fast YAML writer writes exactly what yaml.safe_dump writes, whatever the plain data."""
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.engine.yamldump import dump_items, dump_mapping

# Strings drawn to hit the writer's edges: words that read back as other types, indicators, spaces,
# colons, comments, quotes, long and multi-line text, non-ASCII.
WORDS = ["true", "no", "null", "~", "123", "1.5", "0x1f", "1e3", ".inf", "2026-01-01", "2026-01-01T00:00:00Z",
         "a: b", "a:b", "#x", "a #x", "- x", "-x", "'q'", '"q"', "x y", "  lead", "trail ", "é", "a\nb", "",
         "https://u:p@h/x?y=1", "*a", "&a", "!t", "%x", "@x", "`x", "[a]", "{a}", "a,b", "?x", "|", ">"]
text = st.one_of(st.sampled_from(WORDS), st.text(max_size=12), st.text(alphabet="ab :-_/.#'", max_size=100))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), text)
plain = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(text, inner, max_size=4)), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(st.lists(plain, max_size=4))
def test_fast_writer_writes_what_pyyaml_writes(entries):
    assert dump_items(entries) == yaml.safe_dump(entries, sort_keys=False, allow_unicode=True)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(text, plain, max_size=5))
def test_fast_mapping_writer_writes_what_pyyaml_writes(mapping):
    assert dump_mapping(mapping) == yaml.safe_dump(mapping, sort_keys=False, allow_unicode=True)


def test_an_export_entry_reads_back_as_written():
    entry = {"vendor": "sparrow", "kind": "analysis", "id": "1001", "state": "ANALYSIS", "remaining": 86399.5,
             "entered": "2026-01-01T00:00:00.000000Z", "fields": {"memo": None, "callbacks": [], "n": [1, 2.0],
                                                                  "source": {"url": "https://example.com/x.git"}}}
    written = dump_items([entry])
    assert written.startswith("- vendor: sparrow\n  kind: analysis\n  id: '1001'\n")
    assert yaml.safe_load(written) == [entry]
